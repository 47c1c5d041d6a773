// Path resolution in the final filesystem as the kernel and the dynamic loader do it: symlinks in any
// component (merged /usr: `lib -> usr/lib`), `..`, at most 40 hops.
import type { VisibleEntry } from './index.js';

export type VisibleFiles = ReadonlyMap<string, VisibleEntry>;

/** The path of the regular file `path` leads to, or undefined when it leads nowhere. */
export function resolveFile(visible: VisibleFiles, path: string): string | undefined {
  let parts = path.split('/').filter((p) => p && p !== '.');
  let hops = 0;
  const cur: string[] = [];
  while (parts.length) {
    const part = parts.shift()!;
    if (part === '..') {
      cur.pop();
      continue;
    }
    cur.push(part);
    const e = visible.get(cur.join('/'));
    if (e?.kind === 'symlink') {
      if (e.link === undefined || ++hops > 40) return undefined;
      cur.pop();
      if (e.link.startsWith('/')) cur.length = 0;
      parts = [...e.link.split('/').filter((p) => p && p !== '.'), ...parts];
    } else if (e && parts.length) {
      return undefined; // a file used as a directory
    }
  }
  const final = cur.join('/');
  const e = visible.get(final);
  return e && (e.kind === 'file' || e.kind === 'hardlink') ? final : undefined;
}
