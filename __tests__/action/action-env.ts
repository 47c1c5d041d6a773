// The environment GitHub sets for a step, in a temp dir: event payload, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY,
// RUNNER_TEMP, INPUT_* (named as core.getInput reads them), with GITHUB_API_URL pointing at the fake server.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readOutputs } from './pr-repo.js';

export interface StepEnv {
  dir: string;
  env: Record<string, string>;
  outputs(): Record<string, string>;
  summary(): string;
}

/** Input names become INPUT_<NAME upper-cased>, spaces → `_`, hyphens kept (as the runner does). */
export const inputEnv = (inputs: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.replace(/ /g, '_').toUpperCase()}`, v]));

export function stepEnv(opts: {
  apiUrl: string;
  eventName: string;
  eventPath?: string;
  inputs: Record<string, string>;
  workflow?: string;
  job?: string;
  sha?: string;
  dir?: string;
}): StepEnv {
  const dir = opts.dir ?? mkdtempSync(path.join(os.tmpdir(), 'ia-step-'));
  const output = path.join(dir, `output-${Math.random().toString(36).slice(2)}`);
  const summary = path.join(dir, `summary-${Math.random().toString(36).slice(2)}`);
  writeFileSync(output, '');
  writeFileSync(summary, '');
  const env: Record<string, string> = {
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_EVENT_NAME: opts.eventName,
    GITHUB_REPOSITORY: 'octo/app',
    GITHUB_WORKFLOW: opts.workflow ?? 'CI',
    GITHUB_JOB: opts.job ?? 'image',
    GITHUB_RUN_ID: '4242',
    GITHUB_SERVER_URL: 'https://github.test',
    GITHUB_API_URL: opts.apiUrl,
    GITHUB_SHA: opts.sha ?? 'f'.repeat(40),
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    RUNNER_TEMP: dir,
    ...(opts.eventPath ? { GITHUB_EVENT_PATH: opts.eventPath } : {}),
    ...inputEnv({ 'github-token': 'test-token', ...opts.inputs })
  };
  return { dir, env, outputs: () => readOutputs(output), summary: () => readFileSync(summary, 'utf8') };
}

/** Runs `fn` with `vars` set in process.env (for in-process runs with the real @actions/core), then restores it. */
export async function withEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  for (const k of Object.keys(process.env)) if (k.startsWith('INPUT_') || k.startsWith('GITHUB_')) delete process.env[k];
  Object.assign(process.env, vars);
  const exitCode = process.exitCode;
  try {
    return await fn();
  } finally {
    process.exitCode = exitCode; // core.setFailed sets it; it must not leak into Jest's own exit code
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

/** Captures what is written to stdout (where @actions/core writes `::warning::` and `::error::` commands). */
export async function captureStdout<T>(fn: () => Promise<T>): Promise<{ result: T; stdout: string }> {
  const original = process.stdout.write.bind(process.stdout);
  let stdout = '';
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof process.stdout.write;
  try {
    return { result: await fn(), stdout };
  } finally {
    process.stdout.write = original;
  }
}
