// File-system helpers for the files a run writes (reports, SARIF). Node's `mkdir(…, { recursive: true })`
// never returns under /proc: mkdir answers ENOENT there although the parent exists, and Node's loop creates
// the parent (EEXIST) and tries again, forever. That is why `report-file: /proc/x/r.json` hung the run.
import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from './errors.js';

/** `mkdir -p` one level at a time: the first failure is an error, never a loop. */
export async function ensureDir(dir: string): Promise<void> {
  const missing: string[] = [];
  let current = path.resolve(dir);
  for (;;) {
    try {
      const st = await stat(current);
      if (!st.isDirectory()) throw Object.assign(new Error(`ENOTDIR: not a directory, '${current}'`), { code: 'ENOTDIR' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      missing.push(current);
      const parent = path.dirname(current);
      if (parent === current) break;
      current = parent;
    }
  }
  for (const d of missing.reverse()) {
    try {
      await mkdir(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

/** Writes a file, creating its folder. */
export async function writeFileIn(file: string, data: string): Promise<void> {
  await ensureDir(path.dirname(file));
  await writeFile(file, data);
}

const PSEUDO_FS = ['/proc', '/sys', '/dev'];

/**
 * Rejects an output path on a kernel pseudo-file-system (/proc, /sys, /dev) before anything runs: a report
 * can never be written there, and finding out after a ten-minute build helps nobody.
 */
export function checkOutputPath(inputName: string, file: string): void {
  const resolved = path.resolve(file);
  const root = PSEUDO_FS.find((r) => resolved === r || resolved.startsWith(r + '/'));
  if (root) {
    throw new UserError(
      `Input ${inputName}: ${file} is under ${root}, a kernel pseudo-file-system where no report can be written.`,
      'Give a path in the workspace (e.g. image-audit.json) or under $RUNNER_TEMP.'
    );
  }
}

/** `ENOTDIR: not a directory, mkdir '/x'` → the part after the code, for warnings. */
export const fsReason = (e: unknown): string =>
  typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string' ? (e as Error).message : String(e);
