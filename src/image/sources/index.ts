// `--image` / `image:` text → where the image comes from. A scheme picks the source; a bare reference is the
// local engine when it has the image, else the registry (pipeline/audit.ts decides, it knows the engine).
import { archiveSource } from './archive.js';
import { ociLayoutSource } from './layout.js';
import { registrySource } from './registry.js';
import type { ImageSource, SourceKind, SourceOptions } from './types.js';

export type { ImageSource, SourceImage, SourceKind, SourceOptions, SourceRead } from './types.js';

const SCHEMES: Record<string, Exclude<SourceKind, 'engine'>> = {
  'registry://': 'registry',
  'oci-layout://': 'oci-layout',
  'docker-archive://': 'docker-archive',
  'oci-archive://': 'oci-archive'
};

/** The scheme's source kind and the rest of the text; `engine` (with `docker://` stripped) for bare references. */
export function parseSourceText(text: string): { kind: SourceKind | 'bare'; rest: string } {
  const t = text.trim();
  for (const [scheme, kind] of Object.entries(SCHEMES)) if (t.startsWith(scheme)) return { kind, rest: t.slice(scheme.length) };
  if (t.startsWith('docker-daemon://')) return { kind: 'engine', rest: t.slice('docker-daemon://'.length) };
  return { kind: 'bare', rest: t };
}

/** An explicit (non-engine) source for `text`, or undefined when it names the engine or is bare. */
export function openSource(text: string, opts: SourceOptions = {}): ImageSource | undefined {
  const { kind, rest } = parseSourceText(text);
  switch (kind) {
    case 'registry':
      return registrySource(rest, opts);
    case 'oci-layout':
      return ociLayoutSource(rest, opts);
    case 'docker-archive':
    case 'oci-archive':
      return archiveSource(kind, rest, opts);
    default:
      return undefined;
  }
}
