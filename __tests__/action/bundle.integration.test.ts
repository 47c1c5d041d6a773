// The bundled action (dist/index.js, what action.yml runs) as a separate process, with the environment GitHub
// sets for a pull_request event: event payload file, GITHUB_* variables, INPUT_*, GITHUB_OUTPUT and
// GITHUB_STEP_SUMMARY files, GITHUB_API_URL → the loopback fake GitHub. Real engine, real git repository.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Report } from '../../src/report/types.js';
import { repoRoot, inspect, requireEngine } from '../helpers/engine.js';
import { startFakeGitHub, type FakeGitHub } from '../helpers/fake-github.js';
import { runActionBundle } from '../helpers/action-bundle.js';
import { stepEnv } from './action-env.js';
import { createPrRepo, writePullRequestEvent, type PrRepo } from './pr-repo.js';

requireEngine();

const defaultBundle = path.join(repoRoot, 'dist', 'index.js');
// Override only to debug a bundle built elsewhere; by default it is dist/index.js, rebuilt when stale.
const bundle = process.env.IMAGE_AUDIT_ACTION_BUNDLE ?? defaultBundle;

/** Newest modification time under src/ (the bundle must not be older). */
function newestSource(dir = path.join(repoRoot, 'src')): number {
  return Math.max(
    ...readdirSync(dir).map((name) => {
      const p = path.join(dir, name);
      const s = statSync(p);
      return s.isDirectory() ? newestSource(p) : s.mtimeMs;
    })
  );
}

const runBundle = (env: Record<string, string>, cwd: string) => runActionBundle(env, cwd, bundle);

let gh: FakeGitHub;
let repo: PrRepo;

beforeAll(async () => {
  if (bundle === defaultBundle && (!existsSync(bundle) || statSync(bundle).mtimeMs < newestSource())) {
    execFileSync('npm', ['run', 'bundle'], { cwd: repoRoot, stdio: 'ignore' });
  }
  gh = await startFakeGitHub();
  repo = createPrRepo();
}, 300_000);
afterAll(async () => {
  await gh.stop();
  execFileSync('docker', ['image', 'rm', '-f', 'ia-test-pr-bundle'], { stdio: 'ignore' });
});

describe('dist/index.js on a pull_request event', () => {
  test('writes outputs and summary, comments once with the diff, exits 0 when thresholds pass', async () => {
    const eventPath = writePullRequestEvent(path.dirname(repo.dir), { number: 21, baseSha: repo.baseSha, headSha: repo.headSha });
    const step = stepEnv({
      apiUrl: gh.url,
      eventName: 'pull_request',
      eventPath,
      inputs: { tags: 'ia-test-pr-bundle', 'fail-on-lint': 'none', 'max-size-increase': '10MiB', 'sarif-file': 'out/audit.sarif' }
    });
    const { code, stdout, stderr } = await runBundle(step.env, repo.dir);
    expect({ code, stderr }).toEqual({ code: 0, stderr: expect.any(String) });
    expect(stdout).toContain('::group::');

    const outputs = step.outputs();
    const report: Report = JSON.parse(readFileSync(outputs.report, 'utf8'));
    const image = inspect('ia-test-pr-bundle');
    expect(outputs['image-id']).toBe(image.Id);
    expect(outputs.size).toBe(String(image.Size));
    expect(outputs.layers).toBe(String(image.RootFS.Layers.length));
    expect(outputs.verdict).toBe('passed');
    expect(outputs['size-delta']).toBe(String(5 * 1024 * 1024));
    expect(report.verdict?.checks.find((c) => c.name === 'max-size-increase')).toMatchObject({ passed: true, actual: expect.stringMatching(/^\+5\.0 MiB/) });
    expect(JSON.parse(readFileSync(outputs.sarif, 'utf8')).version).toBe('2.1.0');
    expect(outputs.sarif).toBe(path.join(repo.dir, 'out', 'audit.sarif'));

    const summary = step.summary();
    expect(summary).toContain('### 🐳 image-audit: Dockerfile');
    expect(summary).toContain('+5.0 MiB');

    const comments = gh.commentsOn(21);
    expect(comments).toHaveLength(1);
    expect(outputs['comment-url']).toBe(comments[0].html_url);
    expect(comments[0].body).toContain('**✅ Passed**');
    expect(comments[0].body).toMatch(/\| Size \| [\d.]+ MiB \| [\d.]+ MiB \| \+5\.0 MiB \(\+\d+ %\) \|/);
    expect(gh.requests.every((r) => r.status < 400)).toBe(true);
  });

  test('a failing threshold exits 1 after writing every report; a fork PR gets a warning and no comment', async () => {
    const eventPath = writePullRequestEvent(path.dirname(repo.dir), { number: 22, baseSha: repo.baseSha, headSha: repo.headSha, fork: true });
    const step = stepEnv({
      apiUrl: gh.url,
      eventName: 'pull_request',
      eventPath,
      inputs: { tags: 'ia-test-pr-bundle', 'fail-on-lint': 'none', 'max-size-increase': '1MiB', baseline: 'build' }
    });
    const { code, stdout } = await runBundle(step.env, repo.dir);
    expect(code).toBe(1);
    expect(stdout).toContain('::warning::This pull request comes from a fork');
    expect(stdout).toMatch(/::error::image-audit failed: max-size-increase \(\+5\.0 MiB \(\+\d+ %25\) > \+1 MiB\)/);
    const outputs = step.outputs();
    expect(outputs.verdict).toBe('failed');
    expect(existsSync(outputs.report)).toBe(true);
    expect(step.summary()).toContain('**❌ Failed**');
    expect(gh.commentsOn(22)).toHaveLength(0);
  });

  test('bad input fails with the one-paragraph message, no stack', async () => {
    const eventPath = writePullRequestEvent(path.dirname(repo.dir), { number: 23, baseSha: repo.baseSha, headSha: repo.headSha });
    const step = stepEnv({ apiUrl: gh.url, eventName: 'pull_request', eventPath, inputs: { 'max-compressed-size': 'huge' } });
    const { code, stdout, stderr } = await runBundle(step.env, repo.dir);
    expect(code).toBe(1);
    expect(stdout).toMatch(/::error::input max-compressed-size/i);
    expect(stdout + stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
    expect(gh.commentsOn(23)).toHaveLength(0);
  });
});
