// Integration tests need the real engine. In CI (CI=true) a missing engine is a failure, never a skip:
// .ci/run starts one. Locally `npm test` starts it through scripts/engine.sh.
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..');
export const fixture = (...parts: string[]) => path.join(repoRoot, 'fixtures', ...parts);

export function engineAvailable(): boolean {
  return spawnSync('docker', ['info'], { stdio: 'ignore' }).status === 0;
}

/** Call at the top of an integration test file: throws (fails the suite) when no engine answers. */
export function requireEngine(): void {
  if (!engineAvailable()) {
    throw new Error('No Docker engine answers `docker info`. Run `bash scripts/engine.sh` first (npm test does).');
  }
}

/** Builds `dir` with buildx (docker driver, --load) and returns the image id. */
export function buildFixture(dir: string, tag: string, extraArgs: string[] = []): string {
  execFileSync('docker', ['buildx', 'build', '--load', '-t', tag, ...extraArgs, dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  return inspect(tag).Id as string;
}

export function inspect(ref: string): any {
  return JSON.parse(execFileSync('docker', ['image', 'inspect', ref], { encoding: 'utf8' }))[0];
}
