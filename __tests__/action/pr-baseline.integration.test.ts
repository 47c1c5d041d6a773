// The real thing, in-process: a git repository with two commits (from fixtures/pr), a pull_request event, the
// real engine. The base commit is built from a git worktree with the same inputs, and the comment on the
// loopback fake GitHub shows the size and per-step deltas of the change.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { actionRuntime, coreHost } from '../../src/action/host.js';
import { contextFromEnv, run } from '../../src/action/run.js';
import type { Report } from '../../src/report/types.js';
import { formatBytesDelta, formatPercentDelta } from '../../src/util/bytes.js';
import { inspect, requireEngine } from '../helpers/engine.js';
import { startFakeGitHub, type FakeGitHub } from '../helpers/fake-github.js';
import { captureStdout, stepEnv, withEnv } from './action-env.js';
import { createPrRepo, gitIn, shallowClone, writePullRequestEvent, type PrRepo } from './pr-repo.js';

requireEngine();

const MiB = 1024 * 1024;
let gh: FakeGitHub;
let repo: PrRepo;

beforeAll(async () => {
  gh = await startFakeGitHub();
  repo = createPrRepo();
});
afterAll(async () => {
  await gh.stop();
  execFileSync('docker', ['image', 'rm', '-f', 'ia-test-pr-head', 'ia-test-pr-shallow'], { stdio: 'ignore' });
});

async function runPr(cwd: string, tag: string) {
  const eventPath = writePullRequestEvent(path.dirname(repo.dir), { number: 12, baseSha: repo.baseSha, headSha: repo.headSha });
  const step = stepEnv({ apiUrl: gh.url, eventName: 'pull_request', eventPath, inputs: { tags: tag, 'fail-on-lint': 'none' } });
  const { result, stdout } = await withEnv(step.env, () =>
    captureStdout(() => run({ host: coreHost, runtime: actionRuntime(), context: contextFromEnv(process.env), cwd }))
  );
  return { result, stdout, outputs: step.outputs(), summary: step.summary() };
}

describe('baseline from a git worktree of the base commit', () => {
  test('the comment shows the size and per-step deltas, matched by step not position', async () => {
    const { result, stdout, outputs, summary } = await runPr(repo.dir, 'ia-test-pr-head');
    expect(result.message).toBeDefined();
    expect(stdout).not.toContain('going on without a diff');

    const head: Report = JSON.parse(readFileSync(outputs.report, 'utf8'));
    const base: Report = JSON.parse(readFileSync(outputs['baseline-report'], 'utf8'));
    // The engine agrees with both reports' sizes, and the change is the +3 MiB and +2 MiB of the fixture.
    expect(head.image!.size).toBe(inspect('ia-test-pr-head').Size);
    expect(base.image!.size).toBe(inspect(base.image!.id).Size);
    const delta = head.image!.size - base.image!.size;
    expect(delta).toBe(5 * MiB);
    expect(base.source?.commit).toBe(repo.baseSha);
    expect(outputs['size-delta']).toBe(String(delta));

    const comments = gh.commentsOn(12);
    expect(comments).toHaveLength(1);
    const body = comments[0].body;
    expect(body).toContain(`| Base (main@&#8203;${repo.baseSha.slice(0, 7)}) | PR | Δ |`);
    expect(body).toContain(`${formatBytesDelta(delta)} (${formatPercentDelta(delta, base.image!.size)}) |`);
    expect(body).toContain('| Layers | ');
    // line 3 edited in place (1 → 4 MiB), line 4 inserted (2 MiB), `RUN echo ready` moved 4 → 5 and matched by text.
    expect(body).toMatch(
      /RUN dd if=\/dev\/zero of=\/blob bs=1024 count=4096<\/code><br>was <code>RUN dd if=\/dev\/zero of=\/blob bs=1024 count=1024<\/code> \| 3 \| 1\.0 MiB \| 4\.0 MiB \| \+3\.0 MiB \|/
    );
    expect(body).toMatch(/RUN dd if=\/dev\/zero of=\/extra bs=1024 count=2048<\/code> 🆕 \| 4 \| – \| 2\.0 MiB \| \+2\.0 MiB \|/);
    expect(body).not.toMatch(/RUN echo ready &gt; \/ready<\/code> 🆕/);
    expect(body).toContain('xychart-beta');
    expect(summary).toContain('#### Steps whose layers changed most');

    // The worktree is gone and the checkout untouched.
    expect(gitIn(repo.dir, 'worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(1);
    expect(gitIn(repo.dir, 'status', '--porcelain')).toBe('');
    expect(gitIn(repo.dir, 'rev-parse', 'HEAD')).toBe(repo.headSha);

    // A second run of the same commit leaves the one comment alone (same content).
    const writes = gh.writes().length;
    await runPr(repo.dir, 'ia-test-pr-head');
    expect(gh.commentsOn(12)).toHaveLength(1);
    expect(gh.writes().length).toBe(writes);
  });

  test('a shallow checkout fetches the base commit from origin', async () => {
    const clone = shallowClone(repo);
    expect(() => gitIn(clone, 'cat-file', '-e', `${repo.baseSha}^{commit}`)).toThrow();
    const { stdout, outputs } = await runPr(clone, 'ia-test-pr-shallow');
    expect(stdout).toContain(`Fetching base commit ${repo.baseSha.slice(0, 7)}`);
    const base: Report = JSON.parse(readFileSync(outputs['baseline-report'], 'utf8'));
    expect(base.source?.commit).toBe(repo.baseSha);
    expect(Number(outputs['size-delta'])).toBe(5 * MiB);
  });

  test('a base commit that cannot be had is a warning; the run goes on without a diff', async () => {
    const eventPath = writePullRequestEvent(path.dirname(repo.dir), { number: 13, baseSha: 'c'.repeat(40), headSha: repo.headSha });
    const step = stepEnv({
      apiUrl: gh.url,
      eventName: 'pull_request',
      eventPath,
      inputs: { tags: 'ia-test-pr-head', 'fail-on-lint': 'none', 'max-size-increase': '1%' }
    });
    const { stdout } = await withEnv(step.env, () =>
      captureStdout(() => run({ host: coreHost, runtime: actionRuntime(), context: contextFromEnv(process.env), cwd: repo.dir }))
    );
    expect(stdout).toMatch(/::warning::The base commit ccccccc is not in the checkout and could not be fetched/);
    expect(step.outputs()['baseline-report']).toBeUndefined();
    const body = gh.commentsOn(13)[0].body;
    expect(body).toContain('_No baseline: showing this build only._');
    expect(body).toContain('⏭️ not evaluated (no baseline to compare with)');
  });
});
