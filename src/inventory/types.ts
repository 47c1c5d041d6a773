// The package inventory: what is installed in the final image, read from files (package databases, manifests,
// binaries) during the one streaming pass, never by running the image.

export type { Package, PackageType, UnreadDatabase } from '../report/types.js';
import type { PackageType } from '../report/types.js';

export const PACKAGE_TYPES: readonly PackageType[] = ['deb', 'apk', 'rpm', 'npm', 'python', 'go', 'maven'];

/** An ELF file's start-up needs: interpreter and shared libraries (what `ldd` would resolve). */
export interface ElfInfo {
  /** ET_EXEC / ET_DYN etc. */
  type: number;
  class: 32 | 64;
  machine: number;
  /** PT_INTERP, e.g. `/lib64/ld-linux-x86-64.so.2`; absent for static binaries. */
  interpreter?: string;
  /** DT_NEEDED entries; undefined when the dynamic section lay beyond the bytes read. */
  needed?: string[];
  /** DT_RUNPATH / DT_RPATH, `:`-separated as stored. */
  runpath?: string;
}
