// Image-path globs for suppressions and allowPaths: `*` within one path segment, `**` across segments, `?` one
// character. Paths are compared without a leading slash, so `/root/.npmrc` and `root/.npmrc` both work.
const cache = new Map<string, RegExp>();

export function globToRegExp(glob: string): RegExp {
  let re = cache.get(glob);
  if (re) return re;
  const g = glob.trim().replace(/^\/+/, '');
  let src = '';
  for (let i = 0; i < g.length; i++) {
    const c = g[i];
    if (c === '*' && g[i + 1] === '*') {
      // `**/` matches zero or more whole segments; a trailing `**` everything below.
      if (g[i + 2] === '/') {
        src += '(?:.*/)?';
        i += 2;
      } else {
        src += '.*';
        i += 1;
      }
    } else if (c === '*') src += '[^/]*';
    else if (c === '?') src += '[^/]';
    else src += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  // A directory glob covers what is inside it.
  re = new RegExp(`^${src}(?:/.*)?$`);
  cache.set(glob, re);
  return re;
}

export const matchesGlob = (path: string, glob: string): boolean => globToRegExp(glob).test(path.replace(/^\/+/, ''));
export const matchesAny = (path: string, globs: readonly string[]): boolean => globs.some((g) => matchesGlob(path, g));
