// An ELF executable that the kernel or the dynamic loader cannot start: its program interpreter (PT_INTERP) or a
// shared library it needs (DT_NEEDED) is not in the image. `exec /server: no such file or directory` at run
// time, typically a Go binary built with cgo or a C binary linked dynamically, copied onto scratch/distroless.
import type { RuleMeta } from '../../report/rule-meta.js';
import type { Inventory } from '../../inventory/index.js';
import { resolveFile, type VisibleFiles } from '../../inventory/resolve.js';
import { ET_EXEC } from '../../inventory/elf.js';
import { layerLabel } from './describe.js';
import type { ImageReport } from '../../report/types.js';
import type { ImageRule, RawImageFinding } from './types.js';

export const meta: RuleMeta & { category: 'image' } = {
  id: 'binary-cannot-start',
  category: 'image',
  defaultSeverity: 'error',
  shortDescription: 'An executable cannot start: its ELF interpreter or a shared library is missing',
  fullDescription:
    "The image's ENTRYPOINT/CMD binary (or, in a scratch or distroless image, any executable) is dynamically linked, but the program interpreter it names (PT_INTERP, e.g. /lib64/ld-linux-x86-64.so.2) or a library it needs (DT_NEEDED, e.g. libc.so.6) is not in the image. The container fails at start with `exec /server: no such file or directory`.",
  help: 'Link statically, or ship the libraries. For Go, disable cgo; for C, link with `-static` or use a base image with the C library:\n\n```dockerfile\nFROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -o /server .\nFROM scratch\nCOPY --from=build /server /server\n```',
  tags: ['correctness'],
  examples: {
    bad: 'FROM debian:bookworm AS build\nRUN apt-get update && apt-get install -y gcc\nRUN gcc -o /hello hello.c\nFROM scratch\nCOPY --from=build /hello /hello\nENTRYPOINT ["/hello"]',
    good: 'FROM debian:bookworm AS build\nRUN apt-get update && apt-get install -y gcc\nRUN gcc -static -o /hello hello.c\nFROM scratch\nCOPY --from=build /hello /hello\nENTRYPOINT ["/hello"]'
  },
  hadolint: []
};

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const TRIPLETS = ['x86_64-linux-gnu', 'aarch64-linux-gnu', 'i386-linux-gnu', 'arm-linux-gnueabihf', 's390x-linux-gnu', 'powerpc64le-linux-gnu'];
const LIB_DIRS = ['lib', 'lib64', 'usr/lib', 'usr/lib64', 'usr/local/lib', 'lib32', 'usr/lib32', ...TRIPLETS.flatMap((t) => [`lib/${t}`, `usr/lib/${t}`])];

const envOf = (image: ImageReport, name: string) => image.config?.env?.find((e) => e.startsWith(`${name}=`))?.slice(name.length + 1);

/** The file the container runs first: ENTRYPOINT[0], else CMD[0], looked up in PATH when it has no slash. */
export function entrypointBinary(image: ImageReport, visible: VisibleFiles): string | undefined {
  const argv = image.config?.entrypoint?.length ? image.config.entrypoint : image.config?.cmd;
  const first = argv?.[0];
  if (!first) return undefined;
  if (first.includes('/')) {
    const abs = first.startsWith('/') ? first : `${image.config?.workdir ?? '/'}/${first}`;
    return resolveFile(visible, abs);
  }
  for (const dir of (envOf(image, 'PATH') ?? DEFAULT_PATH).split(':')) {
    const hit = resolveFile(visible, `${dir}/${first}`);
    if (hit) return hit;
  }
  return undefined;
}

/** No shell and no package manager database besides distroless's status.d: scratch or distroless. */
export function isMinimalImage(inv: Inventory): boolean {
  const has = (p: string) => resolveFile(inv.visible, p) !== undefined;
  return !has('bin/sh') && !has('var/lib/dpkg/status') && !has('lib/apk/db/installed') && !has('var/lib/rpm/rpmdb.sqlite');
}

function libraryFound(lib: string, dirs: string[], visible: VisibleFiles): boolean {
  if (lib.includes('/')) return resolveFile(visible, lib) !== undefined;
  return dirs.some((d) => resolveFile(visible, `${d}/${lib}`) !== undefined);
}

export const binaryCannotStart: ImageRule = {
  meta,
  check({ image, layers, inventory }) {
    if (!inventory) return [];
    const entry = entrypointBinary(image, inventory.visible);
    const minimal = isMinimalImage(inventory);
    const ldPath = (envOf(image, 'LD_LIBRARY_PATH') ?? '').split(':').filter(Boolean);
    const findings: RawImageFinding[] = [];
    for (const f of inventory.elfFiles) {
      const isEntry = f.path === entry;
      if (!isEntry && !minimal) continue;
      // Shared libraries with an exec bit are not programs; a program names an interpreter or is ET_EXEC.
      if (!f.elf.interpreter && f.elf.type !== ET_EXEC) continue;
      const missing: string[] = [];
      if (f.elf.interpreter && !resolveFile(inventory.visible, f.elf.interpreter)) missing.push(`its program interpreter ${f.elf.interpreter}`);
      const dir = f.path.includes('/') ? f.path.slice(0, f.path.lastIndexOf('/')) : '';
      const runpath = (f.elf.runpath ?? '')
        .split(':')
        .filter(Boolean)
        .map((d) => d.replace(/\$\{?ORIGIN\}?/g, `/${dir}`));
      const dirs = [...runpath, ...ldPath, ...LIB_DIRS];
      const libs = (f.elf.needed ?? []).filter((lib) => !libraryFound(lib, dirs, inventory.visible));
      if (libs.length) missing.push(`shared ${libs.length === 1 ? 'library' : 'libraries'} ${libs.join(', ')}`);
      if (!missing.length) continue;
      const role = isEntry ? "the image's entrypoint" : 'an executable in this minimal image';
      findings.push({
        key: f.path,
        message: `/${f.path} (${role}, added by ${layerLabel(layers, f.layer)}) cannot start: ${missing.join(' and ')} ${missing.length > 1 || libs.length > 1 ? 'are' : 'is'} not in the image; link it statically (Go: CGO_ENABLED=0; C: -static) or use a base image with the C library.`,
        layer: f.layer,
        path: f.path,
        details: { interpreter: f.elf.interpreter, missingLibraries: libs, entrypoint: isEntry }
      });
    }
    return findings;
  }
};
