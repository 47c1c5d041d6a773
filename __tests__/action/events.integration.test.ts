// dist/index.js as a separate process, once per event the README documents — pull_request, push, schedule and
// workflow_dispatch — each with its event payload file and exactly the INPUT_* environment the runner builds
// from action.yml (defaults + the step's `with:`; helpers/action-bundle.ts), against the loopback fake GitHub
// and the real engine with a small fixture.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { cpSync, existsSync, mkdtempSync, readFileSync, statSync, readdirSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { parseReport } from '../../src/report/read.js';
import { REPORT_SCHEMA_URL } from '../../src/report/schema.js';
import { fixture, inspect, repoRoot, requireEngine } from '../helpers/engine.js';
import { startFakeGitHub, type FakeGitHub } from '../helpers/fake-github.js';
import { runActionBundle, runnerStepEnv } from '../helpers/action-bundle.js';
import { loadActionManifest } from '../helpers/action-manifest.js';
import { stepEnv } from './action-env.js';
import { createPrRepo, writePullRequestEvent, type PrRepo } from './pr-repo.js';

requireEngine();

const bundle = path.join(repoRoot, 'dist', 'index.js');
const TAG = 'contract-events-basic';
const PR_TAG = 'contract-events-pr';
const repository = { full_name: 'octo/app', name: 'app', owner: { login: 'octo' }, default_branch: 'main' };
const sender = { login: 'octocat', type: 'User' };

function newestSource(dir = path.join(repoRoot, 'src')): number {
  return Math.max(
    ...readdirSync(dir).map((name) => {
      const p = path.join(dir, name);
      const s = statSync(p);
      return s.isDirectory() ? newestSource(p) : s.mtimeMs;
    })
  );
}

let gh: FakeGitHub;
let work: string;
let app: string;
let prRepo: PrRepo;
/** The report the push run wrote: the workflow_run test tampers with it. */
let pushReport = '';

beforeAll(async () => {
  if (!existsSync(bundle) || statSync(bundle).mtimeMs < newestSource()) execFileSync('npm', ['run', 'bundle'], { cwd: repoRoot, stdio: 'ignore' });
  gh = await startFakeGitHub();
  work = mkdtempSync(path.join(os.tmpdir(), 'ia-events-'));
  app = path.join(work, 'app');
  cpSync(fixture('foundation', 'basic'), app, { recursive: true });
  prRepo = createPrRepo(mkdtempSync(path.join(os.tmpdir(), 'ia-events-pr-')));
}, 300_000);

afterAll(async () => {
  await gh?.stop();
  execFileSync('docker', ['image', 'rm', '-f', TAG, PR_TAG], { stdio: 'ignore' });
});

function writeEvent(name: string, payload: unknown): string {
  const file = path.join(work, `event-${name}-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(payload));
  return file;
}

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .*:\d+:\d+/);

describe('the runner environment the helper builds', () => {
  test('every input with a default in action.yml is set to it; inputs without one are absent; with: wins', () => {
    const env = runnerStepEnv({ 'INPUT_MAX-SIZE': '1MB', INPUT_LINT: 'false' }, '/w');
    for (const [name, input] of Object.entries(loadActionManifest().inputs ?? {})) {
      const key = `INPUT_${name.toUpperCase()}`;
      if (name === 'lint') expect(env[key]).toBe('false');
      else if (name === 'max-size') expect(env[key]).toBe('1MB');
      else if (name === 'github-token')
        expect(env[key]).toBe('ghs_runner-default-token'); // ${{ github.token }}
      else if (input.default !== undefined) expect({ key, value: env[key] }).toEqual({ key, value: input.default });
      else expect({ key, value: env[key] }).toEqual({ key, value: undefined });
    }
    expect(() => runnerStepEnv({ INPUT_MAX_SIZE: '1MB' }, '/w')).toThrow(/does not declare: INPUT_MAX_SIZE/);
  });
});

describe('dist/index.js on each documented event', () => {
  test('push: builds, measures, writes outputs, the summary and a valid report; no API call without a PR', async () => {
    const before = gh.requests.length;
    const eventPath = writeEvent('push', {
      ref: 'refs/heads/main',
      before: '0'.repeat(40),
      after: 'a'.repeat(40),
      repository,
      sender,
      head_commit: { id: 'a'.repeat(40) }
    });
    const step = stepEnv({ apiUrl: gh.url, eventName: 'push', eventPath, sha: 'a'.repeat(40), inputs: { tags: TAG } });
    const { code, stdout, stderr } = await runActionBundle(step.env, app, bundle);
    expect({ code, stderr: stderr.includes('Unexpected') ? stderr : '' }).toEqual({ code: 0, stderr: '' });
    noStack(stdout + stderr);
    const outputs = step.outputs();
    const image = inspect(TAG);
    expect(outputs['image-id']).toBe(image.Id);
    expect(outputs.size).toBe(String(image.Size));
    expect(outputs.layers).toBe(String(image.RootFS.Layers.length));
    expect(outputs.verdict).toBe('passed');
    expect(outputs['size-delta']).toBeUndefined(); // push: baseline auto means none
    pushReport = outputs.report;
    const text = readFileSync(outputs.report, 'utf8');
    expect(JSON.parse(text).$schema).toBe(REPORT_SCHEMA_URL);
    expect(parseReport(text, 'the written report').source?.commit).toBe('a'.repeat(40));
    expect(step.summary()).toContain('### 🐳 image-audit: Dockerfile');
    expect(gh.requests.length).toBe(before);
  });

  test('schedule: a failing threshold opens the tracking issue, exits 1 after writing every report', async () => {
    const eventPath = writeEvent('schedule', { schedule: '0 3 * * *', repository });
    const step = stepEnv({
      apiUrl: gh.url,
      eventName: 'schedule',
      eventPath,
      workflow: 'nightly',
      inputs: { tags: TAG, 'max-size': '1MB', 'audit-issue': 'true' }
    });
    const { code, stdout, stderr } = await runActionBundle(step.env, app, bundle);
    expect(code).toBe(1);
    noStack(stdout + stderr);
    expect(stdout).toMatch(/::error::image-audit failed: max-size/);
    const outputs = step.outputs();
    expect(outputs.verdict).toBe('failed');
    expect(outputs['failed-thresholds']).toBe('max-size');
    const open = gh.issues.filter((i) => i.state === 'open');
    expect(open).toHaveLength(1);
    expect(outputs['issue-url']).toBe(open[0].html_url);
    expect(open[0].body).toContain('**❌ Failed**');
  });

  test('workflow_dispatch: passing again closes the tracking issue; check-name creates a check run on GITHUB_SHA', async () => {
    const eventPath = writeEvent('dispatch', { inputs: {}, ref: 'refs/heads/main', repository, sender, workflow: '.github/workflows/nightly.yml' });
    const sha = 'b'.repeat(40);
    const step = stepEnv({
      apiUrl: gh.url,
      eventName: 'workflow_dispatch',
      eventPath,
      workflow: 'nightly',
      sha,
      inputs: { tags: TAG, 'audit-issue': 'true', 'check-name': 'image-audit' }
    });
    const { code, stdout, stderr } = await runActionBundle(step.env, app, bundle);
    expect({ code, out: code ? stdout + stderr : '' }).toEqual({ code: 0, out: '' });
    const outputs = step.outputs();
    expect(gh.issues.filter((i) => i.state === 'open')).toHaveLength(0);
    expect(gh.issues).toHaveLength(1);
    expect(outputs['issue-url']).toBe(gh.issues[0].html_url);
    const run = gh.checkRuns.find((r) => r.head_sha === sha);
    expect(run).toMatchObject({ name: 'image-audit', conclusion: 'success' });
    expect(outputs['check-run-url']).toBe(run!.html_url);
  });

  test('pull_request: compares with the base commit and posts one sticky comment', async () => {
    const eventPath = writePullRequestEvent(work, { number: 91, baseSha: prRepo.baseSha, headSha: prRepo.headSha });
    const step = stepEnv({ apiUrl: gh.url, eventName: 'pull_request', eventPath, inputs: { tags: PR_TAG, 'fail-on-lint': 'none' } });
    const { code, stdout, stderr } = await runActionBundle(step.env, prRepo.dir, bundle);
    expect({ code, out: code ? stdout + stderr : '' }).toEqual({ code: 0, out: '' });
    const outputs = step.outputs();
    expect(outputs['size-delta']).toMatch(/^\d+$/);
    expect(existsSync(outputs['baseline-report'])).toBe(true);
    parseReport(readFileSync(outputs['baseline-report'], 'utf8'), 'the baseline report');
    const comments = gh.commentsOn(91);
    expect(comments).toHaveLength(1);
    expect(outputs['comment-url']).toBe(comments[0].html_url);
    expect(comments[0].body).toMatch(/\| Metric \| Base \(main[^|]*\) \| PR \| Δ \|/);
    expect(comments[0].body).toMatch(/\| Size \| [\d.]+ MiB \| [\d.]+ MiB \| \+[\d.]+ MiB/);
  });

  test('workflow_run with a hostile from-report: one clear error naming the JSON path, no stack, no comment', async () => {
    const report = JSON.parse(readFileSync(pushReport, 'utf8'));
    report.findings.push({ rule: 'x', severity: '[x](https://evil.example) @octocat', category: 'lint', message: 'm', fingerprint: 'f' });
    const file = path.join(work, 'hostile.json');
    writeFileSync(file, JSON.stringify(report));
    const eventPath = writeEvent('workflow_run', { action: 'completed', workflow_run: { id: 7, event: 'pull_request', conclusion: 'success' }, repository });
    const step = stepEnv({ apiUrl: gh.url, eventName: 'workflow_run', eventPath, inputs: { 'from-report': file, 'pr-number': '92' } });
    const { code, stdout, stderr } = await runActionBundle(step.env, work, bundle);
    expect(code).toBe(1);
    noStack(stdout + stderr);
    const index = report.findings.length - 1;
    expect(stdout).toContain(
      `::error::Input from-report (${file}) is not a valid image-audit report: findings[${index}].severity: expected one of error|warning|info`
    );
    expect(stdout).not.toContain('Unexpected internal error');
    expect(gh.commentsOn(92)).toHaveLength(0);
  });
});
