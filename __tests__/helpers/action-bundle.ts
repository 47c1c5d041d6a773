// Runs the bundled action (dist/index.js) as GitHub would: a separate process with only the step's
// environment, on Node 24 when CI provides it (scripts/node24.sh → IMAGE_AUDIT_NODE24).
// The INPUT_* variables are the ones the runner builds from action.yml: every declared input that has a default
// gets it (runnerInputEnv), then the step's own values win; an INPUT_* action.yml does not declare is a test bug.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './engine.js';
import { inputVariable, loadActionManifest, runnerInputEnv } from './action-manifest.js';

export const actionNode = process.env.IMAGE_AUDIT_NODE24 ?? process.execPath;
if (process.env.CI && !process.env.IMAGE_AUDIT_NODE24) {
  throw new Error('CI must set IMAGE_AUDIT_NODE24 (bash scripts/node24.sh) so the bundle runs under Node 24');
}

/** The environment the runner gives a node action's step, around the step's own variables (`env`). */
export function runnerStepEnv(env: Record<string, string>, cwd: string): Record<string, string> {
  const manifest = loadActionManifest();
  const declared = new Set(Object.keys(manifest.inputs ?? {}).map(inputVariable));
  const undeclared = Object.keys(env).filter((k) => k.startsWith('INPUT_') && !declared.has(k));
  if (undeclared.length) throw new Error(`The step passes inputs action.yml does not declare: ${undeclared.join(', ')}`);
  const token = env[inputVariable('github-token')] ?? 'ghs_runner-default-token';
  const inputs = runnerInputEnv({}, { 'github.token': token }, manifest);
  const temp = env.RUNNER_TEMP ?? mkdtempSync(path.join(os.tmpdir(), 'ia-runner-'));
  const file = (name: string) => {
    const p = path.join(temp, `${name}-${Math.random().toString(36).slice(2)}`);
    writeFileSync(p, '');
    return p;
  };
  return {
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_TEMP: temp,
    GITHUB_WORKSPACE: cwd,
    GITHUB_ACTION: '__image-audit_image-audit',
    GITHUB_ACTION_PATH: repoRoot,
    GITHUB_ENV: file('env'),
    GITHUB_PATH: file('path'),
    GITHUB_STATE: file('state'),
    ...inputs,
    ...env
  };
}

export function runActionBundle(
  env: Record<string, string>,
  cwd: string,
  bundle = path.join(repoRoot, 'dist', 'index.js')
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // Only what a runner would have: PATH/HOME/DOCKER_* from this machine, plus the step's variables.
    const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => /^(PATH|HOME|DOCKER_|TMPDIR|LANG)/.test(k))) as Record<string, string>;
    const child = spawn(actionNode, [bundle], { cwd, env: { ...base, ...runnerStepEnv(env, cwd) }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
