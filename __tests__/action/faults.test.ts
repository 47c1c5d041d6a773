// Faults around the action, in-process with the real @actions/core and the loopback fake GitHub: files that
// cannot be written, a broken event payload, output paths on kernel pseudo-file-systems. The head report comes
// from `from-report`, so no engine is needed.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { actionRuntime, coreHost } from '../../src/action/host.js';
import { contextFromEnv, run } from '../../src/action/run.js';
import type { Report } from '../../src/report/types.js';
import { ensureDir } from '../../src/util/fs.js';
import { makeReport, MiB } from '../compare/make-report.js';
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
  dir = mkdtempSync(path.join(os.tmpdir(), 'ia-faults-'));
  gh.reset();
});

const report = (): Report =>
  makeReport([
    { createdBy: 'ADD rootfs / # buildkit', size: 2 * MiB, fromBase: true, content: 'r' },
    { instruction: 'COPY app /app', line: 2, size: MiB }
  ]);

function saveReport(r: Report): string {
  const file = path.join(dir, `r-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(r));
  return file;
}

async function runStep(inputs: Record<string, string>, envOverrides: Record<string, string> = {}, eventPath?: string) {
  const ev = eventPath ?? writePullRequestEvent(dir, { number: 7, baseSha: 'a'.repeat(40), headSha: 'b'.repeat(40) });
  const step = stepEnv({ apiUrl: gh.url, eventName: 'pull_request', eventPath: ev, inputs, dir });
  const { result, stdout } = await withEnv({ ...step.env, ...envOverrides }, () =>
    captureStdout(() =>
      run({ host: coreHost, runtime: actionRuntime(), context: () => contextFromEnv(process.env), cwd: dir, api: { backoffUnitMs: 1, writeSpacingMs: 0 } })
    )
  );
  return { result, stdout, step };
}

describe('a file that cannot be written is a warning; everything else still goes out', () => {
  // Tests run as root, so permissions stop nothing: a path under a regular file (ENOTDIR) or a directory where
  // a file is expected (EISDIR) fails for root too.
  function unwritable() {
    const aFile = path.join(dir, 'a-file');
    writeFileSync(aFile, 'x');
    const aDir = path.join(dir, 'a-dir');
    mkdirSync(aDir);
    return { under: (name: string) => path.join(aFile, name), dir: aDir };
  }

  test('report file, SARIF, GITHUB_OUTPUT and the job summary all fail: warnings, comment and check run posted, step passes', async () => {
    const bad = unwritable();
    const { result, stdout } = await runStep(
      { 'from-report': saveReport(report()), 'report-file': bad.under('r.json'), 'sarif-file': bad.dir, 'check-name': 'image-audit' },
      { GITHUB_OUTPUT: bad.dir, GITHUB_STEP_SUMMARY: bad.under('summary.md') }
    );
    expect(result.failed).toBe(false);
    expect(stdout).toMatch(/::warning::Could not write the report file .*a-file\/r\.json \(ENOTDIR/);
    expect(stdout).toMatch(/::warning::Could not write the SARIF file .*a-dir \(EISDIR/);
    expect(stdout).toMatch(/::warning::Could not write the step outputs to GITHUB_OUTPUT \(EISDIR/);
    expect(stdout).toMatch(/::warning::Could not write the job summary to GITHUB_STEP_SUMMARY \(ENOTDIR/);
    expect(stdout.match(/GITHUB_OUTPUT/g)).toHaveLength(1); // one warning, not one per output
    expect(stdout).not.toContain('::error::');
    expect(gh.commentsOn(7)).toHaveLength(1);
    expect(gh.checkRuns).toHaveLength(1);
    expect(gh.checkRuns[0].conclusion).toBe('success');
  });

  test('with a failed threshold the step still fails, after the comment and check run went out', async () => {
    const bad = unwritable();
    const { result, stdout } = await runStep(
      { 'from-report': saveReport(report()), 'report-file': bad.under('r.json'), 'max-size': '1MB', 'check-name': 'image-audit' },
      { GITHUB_OUTPUT: bad.under('out') }
    );
    expect(result.failed).toBe(true);
    expect(stdout).toMatch(/::warning::Could not write the step outputs to GITHUB_OUTPUT \(Missing file at path/);
    expect(stdout).toContain('::error::image-audit failed: max-size');
    expect(gh.commentsOn(7)[0].body).toContain('**❌ Failed**');
    expect(gh.checkRuns[0].conclusion).toBe('failure');
  });
});

describe('a broken GITHUB_EVENT_PATH is one clear error', () => {
  test('invalid JSON', async () => {
    const ev = path.join(dir, 'event.json');
    writeFileSync(ev, '{"pull_request": {"number": 7,');
    const { result, stdout } = await runStep({ 'from-report': saveReport(report()) }, {}, ev);
    expect(result.failed).toBe(true);
    expect(stdout).toMatch(/::error::GITHUB_EVENT_PATH \(.*event\.json\) does not hold the event payload: it is not a JSON object/);
    expect(stdout).not.toContain('Unexpected internal error');
    expect(gh.requests).toHaveLength(0);
  });

  test('a missing file', async () => {
    const { result, stdout } = await runStep({ 'from-report': saveReport(report()) }, {}, path.join(dir, 'gone.json'));
    expect(result.failed).toBe(true);
    expect(stdout).toMatch(/::error::GITHUB_EVENT_PATH is .*gone\.json, which cannot be read \(it does not exist\)/);
  });

  test('JSON that is not an object', async () => {
    const ev = path.join(dir, 'event.json');
    writeFileSync(ev, 'null');
    const { stdout } = await runStep({ 'from-report': saveReport(report()) }, {}, ev);
    expect(stdout).toMatch(/::error::GITHUB_EVENT_PATH .* is not a JSON object/);
  });
});

describe('output paths on kernel pseudo-file-systems fail fast (they used to hang)', () => {
  test.each(['/proc/x/r.json', '/sys/x/r.json', '/dev/x/r.json'])(
    'report-file: %s',
    async (file) => {
      const { result, stdout } = await runStep({ 'from-report': saveReport(report()), 'report-file': file });
      expect(result.failed).toBe(true);
      expect(stdout).toContain(
        `::error::Input report-file: ${file} is under /${file.split('/')[1]}, a kernel pseudo-file-system where no report can be written.`
      );
      expect(gh.requests).toHaveLength(0);
    },
    10_000
  );

  test('sarif-file: /proc/self/x.sarif', async () => {
    const { stdout } = await runStep({ 'from-report': saveReport(report()), 'sarif-file': '/proc/self/x.sarif' });
    expect(stdout).toContain('::error::Input sarif-file: /proc/self/x.sarif is under /proc');
  }, 10_000);

  test('ensureDir under /proc rejects instead of looping like mkdir -p', async () => {
    await expect(ensureDir('/proc/image-audit-test/x')).rejects.toMatchObject({ code: 'ENOENT' });
    const nested = path.join(dir, 'a', 'b', 'c');
    await ensureDir(nested);
    await ensureDir(nested);
    writeFileSync(path.join(nested, 'f'), '');
    await expect(ensureDir(path.join(nested, 'f', 'g'))).rejects.toMatchObject({ code: 'ENOTDIR' });
  }, 10_000);
});
