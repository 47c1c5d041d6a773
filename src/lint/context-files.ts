// The build context on disk: which .dockerignore BuildKit uses, and which paths it would still send.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import dockerignore from '@balena/dockerignore';
import { secretFileKind } from './secret-shapes.js';

// The package's types declare an ES default export, but at run time it sets `module.exports = factory`.
type IgnoreFactory = typeof dockerignore.default;
const ignore: IgnoreFactory = (typeof dockerignore === 'function' ? dockerignore : dockerignore.default) as IgnoreFactory;

export interface DockerignoreFile {
  /** Absolute path. */
  path: string;
  patterns: string;
}

const readIfFile = async (p: string): Promise<string | undefined> => {
  try {
    return await fs.readFile(p, 'utf8');
  } catch {
    return undefined;
  }
};

/** BuildKit prefers `<Dockerfile name>.dockerignore` next to the Dockerfile over `<context>/.dockerignore`. */
export async function findDockerignore(dockerfilePath: string, contextDir: string): Promise<DockerignoreFile | undefined> {
  const specific = `${dockerfilePath}.dockerignore`;
  const specificText = await readIfFile(specific);
  if (specificText !== undefined) return { path: specific, patterns: specificText };
  const general = path.join(contextDir, '.dockerignore');
  const generalText = await readIfFile(general);
  return generalText === undefined ? undefined : { path: general, patterns: generalText };
}

export interface LeakedPath {
  /** Context-relative, `/`-separated; directories end in `/`. */
  path: string;
  why: string;
  /** Bytes the build would send from it (files the patterns let through). */
  bytes?: number;
}

/** How a path is shown: as the user wrote the Dockerfile path (absolute stays absolute), else cwd-relative. */
export function shownPath(absolute: string, cwd: string, userGaveAbsolute: boolean): string {
  if (userGaveAbsolute) return absolute;
  return path.relative(cwd, absolute) || '.';
}

/** Bytes and files under `rel` (a file or folder) that the patterns let through; bounded walk. */
export async function sentSize(contextDir: string, rel: string, patterns: string): Promise<{ bytes: number; files: number }> {
  const ig = ignore().add(patterns);
  const hasExceptions = patterns.split(/\r?\n/).some((l) => l.trim().startsWith('!'));
  let bytes = 0;
  let files = 0;
  let seen = 0;
  const stack = [rel];
  while (stack.length > 0 && seen < MAX_ENTRIES) {
    const p = stack.pop() as string;
    const st = await fs.lstat(path.join(contextDir, p)).catch(() => undefined);
    seen++;
    if (!st) continue;
    if (st.isDirectory()) {
      if (p !== rel && ig.ignores(p) && !hasExceptions) continue;
      const entries = await fs.readdir(path.join(contextDir, p)).catch(() => [] as string[]);
      for (const name of entries) stack.push(p ? `${p}/${name}` : name);
    } else if (!ig.ignores(p)) {
      bytes += st.size;
      files++;
    }
  }
  return { bytes, files };
}

/** Top-level entries of the context the patterns let through, largest first, with what each would send. */
export async function contextEntries(contextDir: string, patterns: string): Promise<{ path: string; bytes: number; files: number; dir: boolean }[]> {
  const ig = ignore().add(patterns);
  const names = await fs.readdir(contextDir, { withFileTypes: true }).catch(() => []);
  const out: { path: string; bytes: number; files: number; dir: boolean }[] = [];
  for (const e of names) {
    if (ig.ignores(e.name) && !e.isDirectory()) continue;
    const size = await sentSize(contextDir, e.name, patterns);
    if (size.files === 0 && e.isDirectory()) continue;
    out.push({ path: e.isDirectory() ? `${e.name}/` : e.name, ...size, dir: e.isDirectory() });
  }
  return out.sort((a, b) => b.bytes - a.bytes || a.path.localeCompare(b.path));
}

const MAX_ENTRIES = 100_000;
// Whole directories that never belong in a build context.
const UNWANTED_DIRS: Record<string, string> = {
  '.git': 'Git history (may hold secrets removed long ago)',
  node_modules: 'installed dependencies (host-built, bloats the context, busts the cache)'
};

/**
 * Walks the context and returns paths the ignore patterns let through that never belong in a build: `.git`,
 * `node_modules`, env files, private keys, credential files. Uses Docker's matching rules (@balena/dockerignore).
 */
export async function findLeakedPaths(contextDir: string, patterns: string): Promise<LeakedPath[]> {
  const ig = ignore().add(patterns);
  const hasExceptions = patterns.split(/\r?\n/).some((l) => l.trim().startsWith('!'));
  const leaked: LeakedPath[] = [];
  let seen = 0;

  // True when some file under `dir` would be sent (stops at the first one).
  const anyFileSent = async (rel: string): Promise<boolean> => {
    const stack = [rel];
    while (stack.length > 0 && seen < MAX_ENTRIES) {
      const dir = stack.pop() as string;
      let entries;
      try {
        entries = await fs.readdir(path.join(contextDir, dir), { withFileTypes: true });
      } catch {
        continue;
      }
      for (const e of entries) {
        seen++;
        const child = `${dir}/${e.name}`;
        if (e.isDirectory()) {
          if (!ig.ignores(child) || hasExceptions) stack.push(child);
        } else if (!ig.ignores(child)) return true;
      }
    }
    return false;
  };

  const stack: string[] = [''];
  while (stack.length > 0 && seen < MAX_ENTRIES) {
    const dir = stack.pop() as string;
    let entries;
    try {
      entries = await fs.readdir(path.join(contextDir, dir), { withFileTypes: true });
    } catch {
      continue;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      seen++;
      const rel = dir ? `${dir}/${e.name}` : e.name;
      if (e.isDirectory()) {
        const unwanted = UNWANTED_DIRS[e.name];
        if (unwanted) {
          if (!ig.ignores(rel) || hasExceptions ? await anyFileSent(rel) : false) leaked.push({ path: `${rel}/`, why: unwanted });
          continue;
        }
        const kind = secretFileKind(rel + '/');
        if (kind && (e.name === '.ssh' || e.name === '.aws' || e.name === '.gnupg')) {
          if (!ig.ignores(rel) || hasExceptions ? await anyFileSent(rel) : false) leaked.push({ path: `${rel}/`, why: kind });
          continue;
        }
        if (!ig.ignores(rel) || hasExceptions) stack.push(rel);
      } else if (e.isFile() || e.isSymbolicLink()) {
        const kind = secretFileKind(rel);
        if (kind && !ig.ignores(rel)) leaked.push({ path: rel, why: kind });
      }
    }
  }
  for (const l of leaked) l.bytes = (await sentSize(contextDir, l.path.replace(/\/$/, ''), patterns)).bytes;
  return leaked.sort((a, b) => a.path.localeCompare(b.path));
}
