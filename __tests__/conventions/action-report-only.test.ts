// no-fail (report-only) and ignore through the real action shell, in-process, from a saved report (no engine).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { actionRuntime, coreHost } from '../../src/action/host.js';
import { contextFromEnv, run } from '../../src/action/run.js';
import { finding, makeReport, MiB } from '../compare/make-report.js';
import { startFakeGitHub, type FakeGitHub } from '../helpers/fake-github.js';
import { captureStdout, stepEnv, withEnv } from '../action/action-env.js';

let gh: FakeGitHub;
beforeAll(async () => {
  gh = await startFakeGitHub();
});
afterAll(() => gh.stop());

async function runStep(inputs: Record<string, string>) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ia-conv-'));
  const report = makeReport(
    [{ instruction: 'RUN a', line: 1, size: 5 * MiB }],
    [finding({ rule: 'package-cache-in-image', category: 'image', severity: 'warning', message: 'apt lists', file: 'Dockerfile', line: 1 })]
  );
  const file = path.join(dir, 'h.json');
  writeFileSync(file, JSON.stringify(report));
  const step = stepEnv({ apiUrl: gh.url, eventName: 'workflow_dispatch', inputs: { 'from-report': file, comment: 'false', ...inputs }, dir });
  const { result, stdout } = await withEnv(step.env, () =>
    captureStdout(() => run({ host: coreHost, runtime: actionRuntime(), context: contextFromEnv(process.env), cwd: dir }))
  );
  return { result, stdout, outputs: step.outputs() };
}

describe('report-only mode and ignore', () => {
  test('a failed threshold fails the step, unless no-fail: then the verdict output still says failed', async () => {
    const failing = await runStep({ 'max-size': '1MB' });
    expect(failing.result.failed).toBe(true);
    const reportOnly = await runStep({ 'max-size': '1MB', 'no-fail': 'true' });
    expect(reportOnly.result.failed).toBe(false);
    expect(reportOnly.outputs.verdict).toBe('failed');
    expect(reportOnly.stdout).toContain('no-fail');
  });

  test('annotations link to the rule page', async () => {
    const { stdout } = await runStep({});
    expect(stdout).toMatch(
      /::warning title=package-cache-in-image,file=Dockerfile,line=1,endLine=1::apt lists%0A%0ARule: https:\/\/github\.com\/.*\/docs\/rules\/package-cache-in-image\.md/
    );
  });

  test('a bad ignore entry is an input error naming the input', async () => {
    const { result } = await runStep({ ignore: 'not-a-rule' });
    expect(result.failed).toBe(true);
    expect(result.message).toMatch(/Input ignore: 'not-a-rule' is not a rule id/);
  });
});
