// Point 1 (compare everywhere), on the real engine: the CLI's three baselines (--baseline-build GIT_REF in a
// worktree, --baseline-image, --baseline-report) give the same comparison; text shows Base | Current | Δ, the
// changed steps and new/fixed findings without any HTML entity; JSON carries `comparison`; markdown renders
// from it alone.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildFixture, inspect, requireEngine } from '../helpers/engine.js';
import { createPrRepo, type PrRepo } from '../action/pr-repo.js';
import { renderSummary } from '../../src/render/markdown.js';
import type { Report } from '../../src/report/types.js';
import { cli } from './cli-helpers.js';

requireEngine();

const MiB = 1024 * 1024;
const HEAD_TAG = 'reports-cmp-head:latest';
const BASE_TAG = 'reports-cmp-base:latest';

let repo: PrRepo;
beforeAll(() => {
  repo = createPrRepo();
}, 60_000);

describe('--baseline-build GIT_REF builds the ref in a worktree', () => {
  let text: string;
  let report: Report;
  beforeAll(async () => {
    const t = await cli(['audit', '--context', '.', '--tag', HEAD_TAG, '--baseline-build', 'HEAD~1'], { cwd: repo.dir });
    expect(t.stderr).not.toMatch(/Unexpected internal error/);
    expect(t.code).toBe(0);
    text = t.stdout;
    const j = await cli(['audit', '--image', HEAD_TAG, '--context', '.', '--baseline-build', repo.baseSha, '--format', 'json'], { cwd: repo.dir });
    expect(j.code).toBe(0);
    report = JSON.parse(j.stdout);
  }, 240_000);

  test('text: a Base | Current | Δ table, changed steps, findings, and no HTML entity', () => {
    expect(text).toMatch(/Compared with HEAD~1@[0-9a-f]{7}:/);
    expect(text).toMatch(/Metric\s+Base\s+Current\s+Δ/);
    expect(text).toMatch(/Size\s+\S+ MiB\s+\S+ MiB\s+\+5\.0 MiB/);
    expect(text).toMatch(/was: RUN dd if=\/dev\/zero of=\/blob bs=1024 count=1024/);
    expect(text).toMatch(/Steps whose layers changed \(2(; 1 more rebuilt with the same size)?\):/);
    expect(text).toMatch(/\+3\.0 MiB\s+line 3\s+RUN dd if=\/dev\/zero of=\/blob bs=1024 count=4096/);
    expect(text).toMatch(/\+2\.0 MiB\s+line 4\s+RUN dd if=\/dev\/zero of=\/extra .*\(new step\)/);
    expect(text).toMatch(/New findings/);
    expect(text).toMatch(/Fixed findings/);
    expect(text).not.toMatch(/&#?\w+;|<code>|<br>/);
  });

  test('JSON: comparison with metric deltas, step matches and finding fingerprints', () => {
    const c = report.comparison!;
    expect(c).toBeDefined();
    const size = c.metrics.find((m) => m.name === 'size')!;
    expect(size.head).toBe(inspect(HEAD_TAG).Size);
    expect(size.delta).toBe(5 * MiB);
    expect(c.steps.find((s) => s.instruction.includes('of=/extra'))!.status).toBe('added');
    expect(c.steps.find((s) => s.instruction.includes('of=/blob'))!.matchedBy).toBe('line');
    const all = new Set(report.findings.map((f) => f.fingerprint));
    for (const fp of [...c.newFindings, ...c.existingFindings]) expect(all.has(fp)).toBe(true);
    expect(c.newFindings.length + c.existingFindings.length).toBe(report.findings.length);
    expect(report.timings!.baseline).toBeGreaterThan(0);
  });

  test('markdown renders the comparison from the JSON object alone', () => {
    const md = renderSummary(JSON.parse(JSON.stringify(report)), undefined);
    expect(md).toMatch(/\| Metric \| Base \(/);
    expect(md).toContain('+5.0 MiB');
    expect(md).not.toContain('_No baseline');
  });
});

describe('--baseline-image and --baseline-report agree', () => {
  let dir: string;
  beforeAll(() => {
    // The base commit's tree, built as a separate image.
    dir = repo.dir;
  });

  test('a saved report and a local image give the same deltas as the git ref', async () => {
    const base = path.join(dir, '..', 'base-src');
    const { execFileSync } = await import('node:child_process');
    execFileSync('git', ['worktree', 'add', '--detach', base, repo.baseSha], { cwd: dir, stdio: 'ignore' });
    buildFixture(base, BASE_TAG);
    execFileSync('git', ['worktree', 'remove', '--force', base], { cwd: dir, stdio: 'ignore' });

    const saved = await cli(['audit', '--image', BASE_TAG, '--format', 'json', '--output', 'base.json'], { cwd: dir });
    expect(saved.code).toBe(0);
    expect(saved.stdout).toBe('');
    const fromReport = await cli(['audit', '--image', HEAD_TAG, '--baseline-report', 'base.json', '--format', 'json'], { cwd: dir });
    const fromImage = await cli(['audit', '--image', HEAD_TAG, '--baseline-image', BASE_TAG, '--format', 'json'], { cwd: dir });
    expect(fromReport.code).toBe(0);
    expect(fromImage.code).toBe(0);
    const a: Report = JSON.parse(fromReport.stdout);
    const b: Report = JSON.parse(fromImage.stdout);
    expect(a.comparison!.metrics.find((m) => m.name === 'size')!.delta).toBe(5 * MiB);
    expect(b.comparison!.metrics).toEqual(a.comparison!.metrics);
    expect(b.comparison!.baseLabel).toBe(BASE_TAG);

    const md = await cli(['audit', '--image', HEAD_TAG, '--baseline-report', 'base.json', '--format', 'markdown', '--output', 'o.md'], { cwd: dir });
    expect(md.code).toBe(0);
    const written = readFileSync(path.join(dir, 'o.md'), 'utf8');
    expect(written).toMatch(/^### 🐳 image-audit/);
    expect(written).toMatch(/\| Metric \| Base/);
    expect(() => JSON.parse(written)).toThrow();
  }, 240_000);

  test('refuses to overwrite the Dockerfile or the baseline report', async () => {
    writeFileSync(path.join(dir, 'keep.json'), readFileSync(path.join(dir, 'base.json')));
    const before = readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
    const r1 = await cli(['audit', '--context', '.', '--output', 'Dockerfile'], { cwd: dir });
    expect(r1.code).toBe(2);
    expect(r1.stderr).toMatch(/--output Dockerfile is the Dockerfile; refusing to overwrite it/);
    expect(readFileSync(path.join(dir, 'Dockerfile'), 'utf8')).toBe(before);
    const r2 = await cli(['audit', '--image', HEAD_TAG, '--baseline-report', 'keep.json', '--output', './keep.json'], { cwd: dir });
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/is the baseline report; refusing to overwrite it/);
  });

  test('an unknown git ref is a usage error', async () => {
    const r = await cli(['audit', '--context', '.', '--baseline-build', 'no-such-branch'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/'no-such-branch' is not a commit/);
  });
});
