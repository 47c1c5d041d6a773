// The scanner must never become the leak on the action side either: the bundled action (dist/index.js, under
// Node 24 in CI) builds the seeds' incident with a generated npm token as a build arg, and the token must not
// appear in anything it writes — logs and annotations (stdout/stderr), outputs, job summary, JSON report, SARIF,
// or any request body sent to (the loopback stand-in for) GitHub: comment and check run.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { requireEngine } from '../helpers/engine.js';
import { startFakeGitHub, type FakeGitHub } from '../helpers/fake-github.js';
import { runActionBundle } from '../helpers/action-bundle.js';
import { stepEnv } from '../action/action-env.js';
import { writePullRequestEvent } from '../action/pr-repo.js';
import { renderFixture } from './fixtures.js';
import * as gen from './generate.js';

requireEngine();

let gh: FakeGitHub;
beforeAll(async () => {
  gh = await startFakeGitHub();
});
afterAll(() => gh.stop());

test('a token passed as a build arg and written to a deleted .npmrc is reported but never printed', async () => {
  const token = gen.npmToken();
  const ctx = renderFixture('npmrc-deleted');
  const eventPath = writePullRequestEvent(ctx, { number: 7, baseSha: 'a'.repeat(40), headSha: 'b'.repeat(40) });
  const step = stepEnv({
    apiUrl: gh.url,
    eventName: 'pull_request',
    eventPath,
    inputs: {
      context: '.',
      'build-args': `NPM_TOKEN=${token}`,
      baseline: 'none',
      'check-name': 'image-audit',
      'sarif-file': 'audit.sarif',
      tags: 'ia-test-secrets-action-leak'
    }
  });
  const { code, stdout, stderr } = await runActionBundle(step.env, ctx);

  // The secret fails the run (fail-on-secrets defaults to true), after everything was written.
  expect(code).toBe(1);
  const outputs = step.outputs();
  const report = readFileSync(outputs.report, 'utf8');
  expect(JSON.parse(report).findings.some((f: { rule: string }) => f.rule === 'secret-file')).toBe(true);
  expect(stdout).toMatch(/::error .*title=.*secret/i);
  expect(gh.comments.length).toBe(1);
  expect(gh.checkRuns.length).toBe(1);

  const places: Record<string, string> = {
    stdout,
    stderr,
    outputs: JSON.stringify(outputs),
    summary: step.summary(),
    report,
    sarif: readFileSync(path.join(ctx, 'audit.sarif'), 'utf8'),
    'github requests': JSON.stringify(gh.requests)
  };
  // `::add-mask::` is how the runner is told to mask the value: the one place the value must be sent.
  places.stdout = places.stdout
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');
  for (const [where, text] of Object.entries(places)) {
    expect({ where, leaked: text.includes(token) || text.includes(token.slice(4, 30)) }).toEqual({ where, leaked: false });
  }
  expect(stdout).toContain(`::add-mask::${token}`);
});
