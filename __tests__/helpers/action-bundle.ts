// Runs the bundled action (dist/index.js) as GitHub would: a separate process with only the step's
// environment, on Node 24 when CI provides it (scripts/node24.sh → IMAGE_AUDIT_NODE24).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './engine.js';

export const actionNode = process.env.IMAGE_AUDIT_NODE24 ?? process.execPath;
if (process.env.CI && !process.env.IMAGE_AUDIT_NODE24) {
  throw new Error('CI must set IMAGE_AUDIT_NODE24 (bash scripts/node24.sh) so the bundle runs under Node 24');
}

export function runActionBundle(
  env: Record<string, string>,
  cwd: string,
  bundle = path.join(repoRoot, 'dist', 'index.js')
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // Only what a runner would have: PATH/HOME/DOCKER_* from this machine, plus the step's variables.
    const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => /^(PATH|HOME|DOCKER_|TMPDIR|LANG)/.test(k))) as Record<string, string>;
    const child = spawn(actionNode, [bundle], { cwd, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
