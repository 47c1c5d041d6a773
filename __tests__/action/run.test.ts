// run() in-process with the real @actions/core (outputs and summary through GITHUB_OUTPUT /
// GITHUB_STEP_SUMMARY files) and the real Octokit talking HTTP to the loopback fake GitHub. The head report
// comes from `from-report` (a saved report), so these need no engine; the build paths are integration tests.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { actionRuntime, coreHost } from '../../src/action/host.js';
import { contextFromEnv, run } from '../../src/action/run.js';
import type { Report } from '../../src/report/types.js';
import { finding, makeReport, MiB } from '../compare/make-report.js';
import { startFakeGitHub, type FakeGitHub } from '../helpers/fake-github.js';
import { captureStdout, stepEnv, withEnv } from './action-env.js';
import { writePullRequestEvent } from './pr-repo.js';

let gh: FakeGitHub;
let dir: string;
beforeAll(async () => {
  gh = await startFakeGitHub();
});
afterAll(() => gh.stop());
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'ia-run-'));
  gh.reset();
});

/** The real retry/throttling plugins, with waits in milliseconds instead of seconds. */
const FAST_API = { backoffUnitMs: 1, writeSpacingMs: 0 };

function saveReport(name: string, report: Report): string {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(report));
  return file;
}

const small = () =>
  makeReport([
    { createdBy: 'ADD rootfs / # buildkit', size: 2 * MiB, fromBase: true, content: 'r' },
    { instruction: 'COPY app /app', line: 2, size: MiB }
  ]);
const bigger = () =>
  makeReport([
    ...small().layers.map((l) => ({
      createdBy: l.createdBy,
      instruction: l.step?.instruction,
      line: l.step?.line,
      size: l.size,
      fromBase: l.fromBase,
      content: l.fromBase ? 'r' : undefined
    })),
    { instruction: 'RUN make', line: 3, size: 20 * MiB }
  ]);

async function runStep(opts: { inputs: Record<string, string>; event?: { name: string; number?: number; fork?: boolean }; job?: string }) {
  const eventName = opts.event?.name ?? 'pull_request';
  const eventPath =
    opts.event?.number !== undefined || eventName === 'pull_request'
      ? writePullRequestEvent(dir, { number: opts.event?.number ?? 7, baseSha: 'a'.repeat(40), headSha: 'b'.repeat(40), fork: opts.event?.fork })
      : undefined;
  const step = stepEnv({ apiUrl: gh.url, eventName, eventPath, inputs: opts.inputs, job: opts.job, dir });
  const { result, stdout } = await withEnv(step.env, () =>
    captureStdout(() => run({ host: coreHost, runtime: actionRuntime(), context: contextFromEnv(process.env), cwd: dir, api: FAST_API }))
  );
  return { result, stdout, outputs: step.outputs(), summary: step.summary() };
}

describe('sticky PR comment', () => {
  test('created on the first run, updated in place on the second, untouched when unchanged', async () => {
    const base = saveReport('base.json', small());
    const first = await runStep({ inputs: { 'from-report': saveReport('h1.json', small()), 'baseline-report': base } });
    expect(first.result.failed).toBe(false);
    expect(gh.commentsOn(7)).toHaveLength(1);
    expect(first.outputs['comment-url']).toBe(gh.commentsOn(7)[0].html_url);
    expect(gh.commentsOn(7)[0].body).toContain('| Size | 3.0 MiB | 3.0 MiB | ±0 B |');

    const second = await runStep({ inputs: { 'from-report': saveReport('h2.json', bigger()), 'baseline-report': base } });
    expect(second.result.failed).toBe(false);
    expect(gh.commentsOn(7)).toHaveLength(1);
    expect(gh.commentsOn(7)[0].body).toContain('| Size | 3.0 MiB | 23.0 MiB | +20.0 MiB (+667 %) |');
    expect(gh.requests.filter((r) => r.method === 'PATCH')).toHaveLength(1);
    expect(second.outputs['size-delta']).toBe(String(20 * MiB));

    const before = gh.writes().length;
    await runStep({ inputs: { 'from-report': saveReport('h3.json', bigger()), 'baseline-report': base } });
    expect(gh.writes().length).toBe(before);
    expect(gh.commentsOn(7)).toHaveLength(1);
  });

  test('finds its comment among more than 100 others (pagination)', async () => {
    for (let i = 0; i < 120; i++) gh.addComment(7, `review comment ${i}`);
    await runStep({ inputs: { 'from-report': saveReport('h.json', small()) } });
    for (let i = 0; i < 30; i++) gh.addComment(7, `later comment ${i}`);
    await runStep({ inputs: { 'from-report': saveReport('h2.json', bigger()) } });
    const ours = gh.commentsOn(7).filter((c) => c.body.startsWith('<!-- image-audit:'));
    expect(ours).toHaveLength(1);
    expect(ours[0].body).toContain('23.0 MiB');
    expect(gh.requests.some((r) => r.method === 'GET' && r.query.get('page') === '2')).toBe(true);
  });

  test('two matrix entries of the same job keep two comments', async () => {
    const api = { ...small(), source: { dockerfile: 'api/Dockerfile' } };
    const web = { ...bigger(), source: { dockerfile: 'web/Dockerfile' } };
    for (let round = 0; round < 2; round++) {
      await runStep({ inputs: { 'from-report': saveReport('api.json', api) } });
      await runStep({ inputs: { 'from-report': saveReport('web.json', web) } });
    }
    // and a third entry told apart only by comment-tag
    await runStep({ inputs: { 'from-report': saveReport('web2.json', web), 'comment-tag': 'web-arm64' } });
    const bodies = gh.commentsOn(7).map((c) => c.body);
    expect(bodies).toHaveLength(3);
    expect(bodies.filter((b) => b.includes('api/Dockerfile'))).toHaveLength(1);
    expect(bodies.filter((b) => b.startsWith('<!-- image-audit:web-arm64 -->'))).toHaveLength(1);
  });

  test('a 403 (read-only token) is a warning, the step still succeeds and the summary has the report', async () => {
    gh.forbid = (method) => method !== 'GET';
    const { result, stdout, summary } = await runStep({ inputs: { 'from-report': saveReport('h.json', small()) } });
    expect(result.failed).toBe(false);
    expect(stdout).toContain(
      '::warning::Could not post the PR comment: GitHub answered 403 Forbidden on POST /repos/octo/app/issues/7/comments: Resource not accessible by integration. The token lacks permission'
    );
    expect(stdout).not.toContain('report it at');
    expect(stdout).not.toContain('::error::');
    expect(summary).toContain('| Size | 3.0 MiB |');
    expect(gh.requests.filter((r) => r.status === 403)).toHaveLength(1);
  });

  test('a marker-spoofing user comment, even with our digest line, stays untouched; ours is created, then updated', async () => {
    await runStep({ inputs: { 'from-report': saveReport('h.json', small()) } });
    const [marker, digest] = gh.commentsOn(7)[0].body.split('\n');
    expect(digest).toMatch(/^<!-- image-audit-digest:[0-9a-f]+ -->$/);
    gh.reset();
    const spoofBody = `${marker}\n${digest}\n**✅ Passed** — nothing to see here, merge away`;
    const spoof = gh.addComment(7, spoofBody, 'mallory', 'User');

    const second = await runStep({ inputs: { 'from-report': saveReport('h2.json', small()) } });
    const ours = gh.commentsOn(7).filter((c) => c.id !== spoof.id);
    expect(ours).toHaveLength(1);
    expect(ours[0].user.login).toBe('github-actions[bot]');
    expect(second.outputs['comment-url']).toBe(ours[0].html_url);
    await runStep({ inputs: { 'from-report': saveReport('h3.json', bigger()) } });
    expect(gh.comments.find((c) => c.id === ours[0].id)!.body).toContain('23.0 MiB');
    expect(gh.comments.find((c) => c.id === spoof.id)!.body).toBe(spoofBody);
    expect(gh.requests.filter((r) => r.method === 'PATCH').every((r) => r.path.endsWith(`/comments/${ours[0].id}`))).toBe(true);
  });

  test('GitHub answers 502 twice, then 200: the comment is posted', async () => {
    gh.fault = (method, p, attempt) => (method === 'POST' && p.endsWith('/issues/7/comments') && attempt <= 2 ? { status: 502 } : undefined);
    const { result, stdout, outputs } = await runStep({ inputs: { 'from-report': saveReport('h.json', small()) } });
    expect(result.failed).toBe(false);
    expect(gh.commentsOn(7)).toHaveLength(1);
    expect(outputs['comment-url']).toBe(gh.commentsOn(7)[0].html_url);
    expect(gh.requests.filter((r) => r.method === 'POST').map((r) => r.status)).toEqual([502, 502, 201]);
    expect(stdout).not.toContain('::warning::Could not post');
  });

  test('GitHub down: one warning naming the status and request, the step still passes', async () => {
    gh.fault = (method) => (method === 'POST' ? { status: 503, body: { message: 'Service Unavailable' } } : undefined);
    const { result, stdout } = await runStep({ inputs: { 'from-report': saveReport('h.json', small()) } });
    expect(result.failed).toBe(false);
    expect(stdout).toContain(
      '::warning::Could not post the PR comment: GitHub answered 503 Service Unavailable on POST /repos/octo/app/issues/7/comments: Service Unavailable.'
    );
    expect(stdout).not.toContain('report it at');
  });

  test('a fork PR is detected: warning, no API write, success', async () => {
    const { result, stdout } = await runStep({ inputs: { 'from-report': saveReport('h.json', small()) }, event: { name: 'pull_request', fork: true } });
    expect(result.failed).toBe(false);
    expect(stdout).toContain('::warning::This pull request comes from a fork');
    expect(gh.requests).toHaveLength(0);
  });

  test('a huge report never hits 422: the comment is cut below the limit and points to the summary', async () => {
    const many = Array.from({ length: 4000 }, (_, i) =>
      finding({ rule: `rule-${i % 40}`, message: `m${i} ${'x'.repeat(400)}`, file: 'Dockerfile', line: (i % 3) + 1 })
    );
    const huge = makeReport(
      Array.from({ length: 300 }, (_, i) => ({ instruction: `RUN step-${i} ${'y'.repeat(300)}`, line: i + 1, size: (i + 1) * 1000 })),
      many
    );
    const { summary } = await runStep({ inputs: { 'from-report': saveReport('huge.json', huge), 'fail-on-lint': 'none' } });
    expect(gh.requests.filter((r) => r.status === 422)).toEqual([]);
    const [comment] = gh.commentsOn(7);
    expect(comment.body.length).toBeLessThanOrEqual(65536);
    expect(comment.body).toContain('see [the job summary](https://github.test/octo/app/actions/runs/4242) for everything');
    expect(summary.length).toBeGreaterThan(comment.body.length);
  });
});

describe('thresholds, outputs and failure', () => {
  test('a failed threshold fails the step only after outputs, report file, summary and comment are written', async () => {
    const { result, stdout, outputs, summary } = await runStep({
      inputs: { 'from-report': saveReport('h.json', bigger()), 'max-size': '10MB', 'report-file': path.join(dir, 'out', 'report.json') }
    });
    expect(result.failed).toBe(true);
    expect(outputs.verdict).toBe('failed');
    expect(outputs['failed-thresholds']).toBe('max-size');
    expect(outputs.size).toBe(String(23 * MiB));
    expect(JSON.parse(readFileSync(outputs.report, 'utf8')).verdict.passed).toBe(false);
    expect(outputs.report).toBe(path.join(dir, 'out', 'report.json'));
    expect(summary).toContain('**❌ Failed**');
    expect(gh.commentsOn(7)[0].body).toContain('`max-size` (23 MiB, limit 9.5 MiB)');
    const errorAt = stdout.indexOf('::error::image-audit failed: max-size (23 MiB > 9.5 MiB)');
    expect(errorAt).toBeGreaterThan(-1);
    expect(stdout.indexOf('::set-output')).toBe(-1);
  });

  test('a malformed threshold is one actionable error naming the input, no stack', async () => {
    const { result, stdout } = await runStep({ inputs: { 'from-report': saveReport('h.json', small()), 'max-size': '12 parsecs' } });
    expect(result.failed).toBe(true);
    const error = stdout.split('\n').find((l) => l.startsWith('::error::'))!;
    expect(error).toContain('max-size');
    expect(stdout).not.toMatch(/\n\s+at .*\.(ts|js):\d+/);
    expect(gh.requests).toHaveLength(0);
  });

  test('a malformed baseline-report is a UserError; a missing one is a warning', async () => {
    writeFileSync(path.join(dir, 'bad.json'), '{"schemaVersion": 9}');
    const bad = await runStep({ inputs: { 'from-report': saveReport('h.json', small()), 'baseline-report': path.join(dir, 'bad.json') } });
    expect(bad.result.failed).toBe(true);
    expect(bad.stdout).toMatch(/::error::Input baseline-report .* is not an image-audit report: schemaVersion is 9/);
    const missing = await runStep({ inputs: { 'from-report': saveReport('h.json', small()), 'baseline-report': path.join(dir, 'nope.json') } });
    expect(missing.result.failed).toBe(false);
    expect(missing.stdout).toContain('::warning::baseline-report');
    expect(missing.summary).toContain('_No baseline: showing this build only._');
  });
});

describe('scheduled audit: tracking issue', () => {
  test('opened while failing, updated, closed with a comment once it passes', async () => {
    const schedule = { name: 'schedule' };
    const failing = await runStep({ inputs: { 'from-report': saveReport('a.json', bigger()), 'max-size': '10MB', 'audit-issue': 'true' }, event: schedule });
    expect(failing.result.failed).toBe(true);
    expect(gh.issues).toHaveLength(1);
    const issue = gh.issues[0];
    expect(issue).toMatchObject({ state: 'open', title: 'image-audit: Dockerfile fails its thresholds' });
    expect(failing.outputs['issue-url']).toBe(issue.html_url);
    expect(gh.commentsOn(7)).toHaveLength(0); // no PR on a schedule

    await runStep({ inputs: { 'from-report': saveReport('b.json', bigger()), 'max-size': '5MB', 'audit-issue': 'true' }, event: schedule });
    expect(gh.issues).toHaveLength(1);
    expect(gh.issues[0].body).toContain('limit 4.7 MiB');

    const passing = await runStep({ inputs: { 'from-report': saveReport('c.json', small()), 'max-size': '5MB', 'audit-issue': 'true' }, event: schedule });
    expect(passing.result.failed).toBe(false);
    expect(gh.issues[0].state).toBe('closed');
    expect(gh.commentsOn(issue.number).map((c) => c.body)).toEqual([expect.stringContaining('passes its thresholds again')]);
  });
});

describe('check run', () => {
  test('created with the verdict, summary and annotations batched by 50', async () => {
    const lint = Array.from({ length: 70 }, (_, i) =>
      finding({ rule: 'pin-versions', severity: i === 0 ? 'error' : 'warning', message: `finding ${i}`, file: 'Dockerfile', line: i + 1 })
    );
    const secret = finding({
      rule: 'aws-access-key',
      category: 'secret',
      severity: 'error',
      masked: 'AKIA…LE',
      path: 'root/.aws/credentials',
      file: 'Dockerfile',
      line: 3,
      message: 'AWS key'
    });
    const { result, stdout } = await runStep({
      inputs: {
        'from-report': saveReport('h.json', makeReport([{ instruction: 'RUN a', line: 1, size: 1 }], [...lint, secret])),
        'check-name': 'image-audit / web'
      }
    });
    expect(result.failed).toBe(true);
    const [check] = gh.checkRuns;
    expect(check).toMatchObject({ name: 'image-audit / web', head_sha: 'b'.repeat(40), conclusion: 'failure', status: 'completed' });
    expect(check.output.annotations).toHaveLength(71);
    expect(check.output.summary).toContain('**❌ Failed**');
    expect(check.output.annotations).toContainEqual(
      expect.objectContaining({ path: 'Dockerfile', start_line: 3, annotation_level: 'failure', message: 'AKIA…LE in /root/.aws/credentials' })
    );
    expect(gh.requests.filter((r) => r.path.includes('check-runs')).map((r) => r.method)).toEqual(['POST', 'PATCH']);
    // The job's own annotations point at the same lines.
    expect(stdout).toContain('::error title=Secret in image%3A aws-access-key,file=Dockerfile,line=3,endLine=3::AKIA…LE in /root/.aws/credentials');
  });

  test('image findings are annotated on the line of the step that made their layer; unattributed ones on the job', async () => {
    const cache = finding({
      rule: 'package-cache-in-image',
      category: 'image',
      severity: 'warning',
      message: 'apt lists ship 48 MB',
      file: 'Dockerfile',
      line: 7,
      layer: 1,
      path: 'var/lib/apt/lists'
    });
    const loose = finding({ rule: 'wasted-space', category: 'image', severity: 'warning', message: '3 MB wasted' });
    const { stdout } = await runStep({
      inputs: {
        'from-report': saveReport('h.json', makeReport([{ instruction: 'RUN a', line: 1, size: 1 }], [cache, loose])),
        'check-name': 'image-audit',
        'fail-on-lint': 'none'
      }
    });
    expect(stdout).toContain('::warning title=package-cache-in-image,file=Dockerfile,line=7,endLine=7::apt lists ship 48 MB');
    expect(stdout).toContain('::warning title=wasted-space::3 MB wasted');
    expect(gh.checkRuns[0].output.annotations).toEqual([
      expect.objectContaining({ path: 'Dockerfile', start_line: 7, annotation_level: 'warning', title: 'package-cache-in-image' })
    ]);
  });
});
