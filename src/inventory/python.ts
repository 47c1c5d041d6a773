// Python distributions as pip and setuptools install them: `<name>-<version>.dist-info/METADATA` (+ RECORD with
// each file's size) and `<name>-<version>.egg-info/PKG-INFO` (or an `.egg-info` file). Dev extras: a
// distribution's `Requires-Dist: X; extra == "dev"` (test, lint, docs … alike) names packages only development
// needs; when they are installed, they and what only they pull in are dev packages.

export type PythonFile = 'metadata' | 'record' | 'egg-files';

export function pythonFileKind(path: string): PythonFile | undefined {
  if (path.endsWith('.dist-info/METADATA') || path.endsWith('.egg-info/PKG-INFO') || path.endsWith('.egg-info')) return 'metadata';
  if (path.endsWith('.dist-info/RECORD')) return 'record';
  if (path.endsWith('.egg-info/installed-files.txt')) return 'egg-files';
  return undefined;
}

/** The metadata directory (`…/x-1.0.dist-info`) a file of it belongs to. */
export const pythonMetaDir = (path: string) => (path.endsWith('.egg-info') ? path : path.slice(0, path.lastIndexOf('/')));

export interface PythonMetadata {
  name: string;
  version: string;
  /** Requirement names (normalised) without an extra marker. */
  requires: string[];
  /** Extra name → requirement names. */
  extras: Map<string, string[]>;
}

/** PEP 503 normalised name. */
export const normalisePythonName = (n: string) =>
  n
    .trim()
    .toLowerCase()
    .replace(/[-_.]+/g, '-');

export function parsePythonMetadata(text: string): PythonMetadata | undefined {
  const head = text.split(/\r?\n\r?\n/)[0];
  let name = '';
  let version = '';
  const requires: string[] = [];
  const extras = new Map<string, string[]>();
  for (const line of head.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i <= 0 || line[0] === ' ' || line[0] === '\t') continue;
    const key = line.slice(0, i).toLowerCase();
    const value = line.slice(i + 1).trim();
    if (key === 'name') name = value;
    else if (key === 'version') version = value;
    else if (key === 'requires-dist') {
      const [req, marker = ''] = value.split(';');
      const dep = /^[A-Za-z0-9][A-Za-z0-9._-]*/.exec(req.trim())?.[0];
      if (!dep) continue;
      const extra = /extra\s*==\s*['"]([^'"]+)['"]/.exec(marker)?.[1];
      if (extra) {
        const e = normalisePythonName(extra);
        extras.set(e, [...(extras.get(e) ?? []), normalisePythonName(dep)]);
      } else requires.push(normalisePythonName(dep));
    }
  }
  return name && version ? { name, version, requires, extras } : undefined;
}

/** Sum of the sizes RECORD lists (the third column). */
export function recordBytes(text: string): number {
  let total = 0;
  for (const line of text.split('\n')) {
    const size = Number(line.slice(line.lastIndexOf(',') + 1));
    if (Number.isFinite(size)) total += size;
  }
  return total;
}

const DEV_EXTRAS = /^(dev|devel|develop|development|test|tests|testing|lint|linting|docs?|typing|types|check|qa|style|format)$/;

/** Names (normalised) of installed distributions that only a dev extra brings in. */
export function pythonDevPackages(dists: PythonMetadata[]): Set<string> {
  const byName = new Map(dists.map((d) => [normalisePythonName(d.name), d]));
  const dev = new Set<string>();
  const add = (n: string) => {
    if (dev.has(n) || !byName.has(n)) return;
    dev.add(n);
    for (const r of byName.get(n)!.requires) add(r);
  };
  for (const d of dists) for (const [extra, reqs] of d.extras) if (DEV_EXTRAS.test(extra)) reqs.forEach(add);
  // Whatever a non-dev distribution needs at run time is not dev, nor what it pulls in.
  const needed = new Set<string>();
  const keep = (n: string) => {
    if (needed.has(n) || !byName.has(n)) return;
    needed.add(n);
    for (const r of byName.get(n)!.requires) keep(r);
  };
  for (const [n, d] of byName) if (!dev.has(n)) d.requires.forEach(keep);
  for (const n of needed) dev.delete(n);
  return dev;
}
