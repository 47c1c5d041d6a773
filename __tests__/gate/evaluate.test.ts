import { describe, expect, test } from '@jest/globals';
import { compareReports } from '../../src/compare/index.js';
import { defaultConfig, type Thresholds } from '../../src/config/types.js';
import { evaluateThresholds } from '../../src/gate/index.js';
import { formatBytes } from '../../src/util/bytes.js';
import { finding, makeReport, MiB } from '../compare/make-report.js';

const t = (over: Partial<Thresholds>): Thresholds => ({ ...defaultConfig().thresholds, ...over });
const base = makeReport([{ instruction: 'RUN a', line: 1, size: 10 * MiB }]);
const head = makeReport([
  { instruction: 'RUN a', line: 1, size: 10 * MiB },
  { instruction: 'RUN b', line: 2, size: 20 * MiB, wasted: 3 * MiB }
]);
const diff = compareReports(base, head);

describe('evaluateThresholds', () => {
  test('defaults list fail-on-secrets and fail-on and pass on a clean report', () => {
    const v = evaluateThresholds(head, diff, t({}));
    expect(v.checks.map((c) => c.name)).toEqual(['fail-on-secrets', 'fail-on']);
    expect(v).toMatchObject({ passed: true, summary: 'passed' });
  });

  test('max-size reports limit and measured value in human units, on both sides of the limit', () => {
    const size = head.image!.size;
    const failing = evaluateThresholds(head, diff, t({ maxSize: size - 1 }));
    expect(failing.passed).toBe(false);
    expect(failing.checks[0]).toEqual({ name: 'max-size', limit: formatBytes(size - 1), actual: formatBytes(size), passed: false });
    expect(failing.summary).toBe(`failed: max-size (${formatBytes(size)} > ${formatBytes(size - 1)})`);
    expect(evaluateThresholds(head, diff, t({ maxSize: size })).passed).toBe(true);
  });

  test('every failing threshold is listed, not just the first', () => {
    const v = evaluateThresholds(head, diff, t({ maxSize: 1, maxCompressedSize: 1, maxLayers: 1, minEfficiency: 0.99 }));
    expect(v.checks.filter((c) => !c.passed).map((c) => c.name)).toEqual(['max-size', 'max-compressed-size', 'max-layers', 'min-efficiency']);
    expect(v.summary).toContain('max-layers (2 > 1)');
    expect(v.summary).toContain(`min-efficiency (${(head.image!.efficiency * 100).toFixed(1)} % < 99.0 %)`);
  });

  test('size increase in % is of the base, in bytes absolute', () => {
    // head grew by 20 MiB on a 10 MiB base: +200 %.
    expect(evaluateThresholds(head, diff, t({ maxSizeIncrease: { percent: 200 } })).passed).toBe(true);
    const v = evaluateThresholds(head, diff, t({ maxSizeIncrease: { percent: 199 } }));
    expect(v.checks[0]).toMatchObject({ name: 'max-size-increase', passed: false, actual: '+20.0 MiB (+200 %)', limit: '+199 % of the base' });
    expect(evaluateThresholds(head, diff, t({ maxSizeIncrease: { bytes: 20 * MiB } })).passed).toBe(true);
    expect(evaluateThresholds(head, diff, t({ maxSizeIncrease: { bytes: 20 * MiB - 1 } })).passed).toBe(false);
    expect(evaluateThresholds(head, diff, t({ maxLayersIncrease: 0 })).checks[0]).toMatchObject({ actual: '+1', passed: false });
  });

  test('increase thresholds without a baseline are listed as not evaluated and do not fail', () => {
    const v = evaluateThresholds(head, undefined, t({ maxSizeIncrease: { bytes: 1 }, maxLayersIncrease: 0 }));
    expect(v.passed).toBe(true);
    expect(v.checks.slice(0, 2)).toEqual([
      expect.objectContaining({ name: 'max-size-increase', passed: true, actual: 'not evaluated', skipped: 'no baseline to compare with' }),
      expect.objectContaining({ name: 'max-layers-increase', passed: true, skipped: 'no baseline to compare with' })
    ]);
  });

  test('max-wasted in % is of the image size', () => {
    const pct = (head.image!.wastedBytes / head.image!.size) * 100; // 10 %
    expect(evaluateThresholds(head, diff, t({ maxWasted: { percent: pct } })).passed).toBe(true);
    expect(evaluateThresholds(head, diff, t({ maxWasted: { percent: pct - 0.1 } })).passed).toBe(false);
    expect(evaluateThresholds(head, diff, t({ maxWasted: { bytes: 3 * MiB - 1 } })).checks[0].passed).toBe(false);
  });

  test('fail-on-secrets counts unsuppressed secret findings only', () => {
    const secret = finding({ rule: 'aws-key', category: 'secret', severity: 'error', masked: 'AKIA…XY' });
    const muted = finding({ rule: 'aws-key', category: 'secret', severity: 'error', path: 'b', suppressed: { by: 'fingerprint' } });
    const withSecret = makeReport([{ instruction: 'RUN a', size: 1 }], [secret, muted]);
    const v = evaluateThresholds(withSecret, undefined, t({}));
    expect(v.checks[0]).toMatchObject({ name: 'fail-on-secrets', limit: '0 secrets', actual: '1 secret', passed: false });
    expect(v.checks[0].findings).toHaveLength(1);
    expect(v.summary).toMatch(/^failed: fail-on-secrets \(1 secret: /);
    expect(evaluateThresholds(withSecret, undefined, t({ failOnSecrets: false })).passed).toBe(true);
    expect(evaluateThresholds(makeReport([], [muted]), undefined, t({})).passed).toBe(true);
  });

  test('fail-on is the lowest failing severity', () => {
    const r = makeReport([], [finding({ rule: 'w', severity: 'warning' }), finding({ rule: 'i', severity: 'info' })]);
    expect(evaluateThresholds(r, undefined, t({ failOn: 'error' })).passed).toBe(true);
    const warn = evaluateThresholds(r, undefined, t({ failOn: 'warning' }));
    expect(warn.checks[1]).toMatchObject({ name: 'fail-on', passed: false, actual: '1 warning' });
    expect(evaluateThresholds(r, undefined, t({ failOn: 'info' })).checks[1]).toMatchObject({ passed: false, actual: '1 warning, 1 info' });
    expect(evaluateThresholds(r, undefined, t({ failOn: 'none' })).checks.map((c) => c.name)).toEqual(['fail-on-secrets']);
  });

  test('fail-on gates image findings like lint findings, and the verdict names them', () => {
    const r = makeReport(
      [],
      [
        finding({ rule: 'toolchain-in-image', category: 'image', severity: 'error', path: 'usr/lib/gcc', fingerprint: 'f'.repeat(64) }),
        finding({ rule: 'wasted-space', category: 'image', severity: 'warning', layer: 2 })
      ]
    );
    const v = evaluateThresholds(r, undefined, t({}));
    expect(v.passed).toBe(false);
    expect(v.checks[1].findings).toEqual([
      { rule: 'toolchain-in-image', severity: 'error', category: 'image', fingerprint: 'f'.repeat(64), where: '/usr/lib/gcc' }
    ]);
    expect(v.summary).toBe('failed: fail-on (1 error: toolchain-in-image)');
    const w = evaluateThresholds(r, undefined, t({ failOn: 'warning' }));
    expect(w.checks[1].findings!.map((f) => f.rule)).toEqual(['toolchain-in-image', 'wasted-space']);
  });

  test('a suppressed finding never fails', () => {
    const r = makeReport([], [finding({ rule: 'x', category: 'image', severity: 'error', suppressed: { by: 'fingerprint' } })]);
    expect(evaluateThresholds(r, undefined, t({})).passed).toBe(true);
  });

  test('image thresholds on a lint-only report are not evaluated', () => {
    const lintOnly = { ...makeReport([]), image: undefined };
    const v = evaluateThresholds(lintOnly, undefined, t({ maxSize: 1 }));
    expect(v.checks[0]).toMatchObject({ name: 'max-size', skipped: 'no image was analysed', passed: true });
  });
});
