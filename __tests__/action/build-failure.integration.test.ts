// A build that fails after an earlier passing run: the sticky comment is updated to say so (step, line, where
// the log is, which commit), so a stale "Passed" never stays on the PR. Real engine, in-process run().
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { actionRuntime, coreHost } from '../../src/action/host.js';
import { contextFromEnv, run } from '../../src/action/run.js';
import { requireEngine } from '../helpers/engine.js';
import { startFakeGitHub, type FakeGitHub } from '../helpers/fake-github.js';
import { captureStdout, stepEnv, withEnv } from './action-env.js';
import { writePullRequestEvent } from './pr-repo.js';

requireEngine();

const TAG = 'faults-build-failure:test';
let gh: FakeGitHub;
let dir: string;
beforeAll(async () => {
  gh = await startFakeGitHub();
  dir = mkdtempSync(path.join(os.tmpdir(), 'ia-buildfail-'));
});
afterAll(async () => {
  await gh.stop();
  execFileSync('docker', ['image', 'rm', '-f', TAG], { stdio: 'ignore' });
});

async function runPr(headSha: string) {
  const eventPath = writePullRequestEvent(dir, { number: 21, baseSha: 'a'.repeat(40), headSha });
  const step = stepEnv({
    apiUrl: gh.url,
    eventName: 'pull_request',
    eventPath,
    dir,
    inputs: { tags: TAG, 'fail-on-lint': 'none', baseline: 'none', 'check-name': 'image-audit' }
  });
  const { result, stdout } = await withEnv(step.env, () =>
    captureStdout(() =>
      run({ host: coreHost, runtime: actionRuntime(), context: contextFromEnv(process.env), cwd: dir, api: { backoffUnitMs: 1, writeSpacingMs: 0 } })
    )
  );
  return { result, stdout };
}

describe('a failed build after a passing run', () => {
  test('updates the sticky comment to say the build failed, with step, line, log link and commit', async () => {
    writeFileSync(path.join(dir, 'Dockerfile'), 'FROM image-audit/busybox\nRUN echo ok > /ok\n');
    const passing = await runPr('1'.repeat(40));
    expect(passing.result.failed).toBe(false);
    const [comment] = gh.commentsOn(21);
    expect(comment.body).toContain('**✅ Passed**');
    expect(comment.body).toContain(`Commit ${'1'.repeat(40)}`);

    writeFileSync(path.join(dir, 'Dockerfile'), 'FROM image-audit/busybox\nRUN echo ok > /ok\nRUN echo failing-on-purpose && exit 3\n');
    const failing = await runPr('2'.repeat(40));
    expect(failing.result.failed).toBe(true);
    expect(failing.stdout).toMatch(/::error::The image build failed at step \[\d\/\d\] RUN echo failing-on-purpose/);

    const comments = gh.commentsOn(21);
    expect(comments).toHaveLength(1);
    const body = comments[0].body;
    expect(comments[0].id).toBe(comment.id);
    expect(body).not.toContain('Passed');
    expect(body).toContain('**❌ The image build failed** at step <code>');
    expect(body).toContain('RUN echo failing-on-purpose &amp;&amp; exit 3</code> (<code>Dockerfile</code> line 3)');
    expect(body).toMatch(/Error: <code>.*exit code&#58; 3<\/code>/);
    expect(body).toContain('The full build log is in [the job log](https://github.test/octo/app/actions/runs/4242).');
    expect(body).toContain(`Commit ${'2'.repeat(40)}`);
    const check = gh.checkRuns.at(-1)!;
    expect(check).toMatchObject({ head_sha: '2'.repeat(40), conclusion: 'failure' });
    expect(check.output.title).toContain('the image build failed');
  });
});
