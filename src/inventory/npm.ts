// npm: every installed package has `node_modules/<name>/package.json` (or `@scope/name`). Which ones are dev
// dependencies is what the app says: its lockfile (`package-lock.json`, or npm's hidden
// `node_modules/.package-lock.json`; `"dev": true` per entry) or, without a lockfile, its package.json's direct
// devDependencies.

/** `app/node_modules/@s/x/package.json` → the package root `app/node_modules/@s/x`; undefined if not a package manifest. */
const MANIFEST = /^(?:(.*)\/)?node_modules\/((?:@[^/]+\/)?[^/.@][^/]*)\/package\.json$/;

export interface NpmManifestPath {
  /** The app directory that owns the top-level node_modules ('' for the root). */
  appRoot: string;
  /** The package directory. */
  packageRoot: string;
  /** Path from the app root, as lockfiles key it: `node_modules/a/node_modules/b`. */
  lockKey: string;
}

export function npmManifestPath(path: string): NpmManifestPath | undefined {
  const m = MANIFEST.exec(path);
  if (!m) return undefined;
  const packageRoot = path.slice(0, -'/package.json'.length);
  const first = packageRoot.startsWith('node_modules/') ? 0 : packageRoot.indexOf('/node_modules/') + 1;
  const appRoot = first === 0 ? '' : packageRoot.slice(0, first - 1);
  return { appRoot, packageRoot, lockKey: packageRoot.slice(first) };
}

/** The app's own package.json / package-lock.json (outside node_modules), or npm's hidden lockfile. */
export function npmAppFile(path: string): 'package.json' | 'lock' | undefined {
  if (path.endsWith('node_modules/.package-lock.json')) return 'lock';
  if (path.includes('node_modules/')) return undefined;
  if (path === 'package.json' || path.endsWith('/package.json')) return 'package.json';
  if (path === 'package-lock.json' || path.endsWith('/package-lock.json')) return 'lock';
  return undefined;
}

/** Root directory of an npm package a file belongs to (innermost `node_modules/<name>`), or undefined. */
export function npmPackageRootOf(path: string): string | undefined {
  const i = path.lastIndexOf('node_modules/');
  if (i < 0 || (i > 0 && path[i - 1] !== '/')) return undefined;
  const rest = path.slice(i + 'node_modules/'.length);
  const parts = rest.split('/');
  const take = parts[0].startsWith('@') ? 2 : 1;
  if (parts.length <= take) return undefined; // the package directory entry itself, or a file directly in node_modules
  return path.slice(0, i + 'node_modules/'.length) + parts.slice(0, take).join('/');
}

export interface NpmManifest {
  name: string;
  version: string;
  dependencies: string[];
  devDependencies: string[];
}

export function parseNpmManifest(text: string): NpmManifest | undefined {
  try {
    const j = JSON.parse(text) as Record<string, unknown>;
    const keys = (o: unknown) => (o && typeof o === 'object' ? Object.keys(o) : []);
    return {
      name: typeof j.name === 'string' ? j.name : '',
      version: typeof j.version === 'string' ? j.version : '',
      dependencies: keys(j.dependencies),
      devDependencies: keys(j.devDependencies)
    };
  } catch {
    return undefined;
  }
}

/** Lock keys (`node_modules/x/node_modules/y`) that the lockfile marks dev-only. */
export function devKeysFromLock(text: string): Set<string> | undefined {
  let j: Record<string, unknown>;
  try {
    j = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const dev = new Set<string>();
  if (j.packages && typeof j.packages === 'object') {
    for (const [key, v] of Object.entries(j.packages as Record<string, { dev?: boolean }>)) if (key && v?.dev === true) dev.add(key);
    return dev;
  }
  // lockfileVersion 1: nested `dependencies` trees.
  const walk = (deps: unknown, prefix: string) => {
    if (!deps || typeof deps !== 'object') return;
    for (const [name, v] of Object.entries(deps as Record<string, { dev?: boolean; dependencies?: unknown }>)) {
      const key = `${prefix}node_modules/${name}`;
      if (v?.dev === true) dev.add(key);
      walk(v?.dependencies, `${key}/`);
    }
  };
  walk(j.dependencies, '');
  return dev;
}
