import { describe, expect, test } from '@jest/globals';
import { compareReports } from '../../src/compare/index.js';
import { mergeSameCause } from '../../src/pipeline/merge.js';
import { finding, makeReport } from '../compare/make-report.js';

const lint = finding({ rule: 'package-cache-not-cleaned', category: 'lint', severity: 'error', file: 'Dockerfile', line: 5, fingerprint: 'a'.repeat(64) });
const image = () =>
  finding({
    rule: 'package-cache-in-image',
    category: 'image',
    severity: 'warning',
    file: 'Dockerfile',
    line: 5,
    layer: 1,
    bytes: 40e6,
    fingerprint: 'b'.repeat(64)
  });

describe('one finding per problem: lint and image, same cause, same line', () => {
  test('merge into the measured image finding with the higher severity; fingerprints kept', () => {
    const out = mergeSameCause([lint, image()]);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ rule: 'package-cache-in-image', severity: 'error', fingerprint: 'b'.repeat(64), bytes: 40e6 });
    expect(out[0].mergedFrom).toEqual([{ rule: 'package-cache-not-cleaned', category: 'lint', fingerprint: 'a'.repeat(64), message: lint.message }]);
  });

  test('another line, another rule or no image finding: nothing merges', () => {
    const other = { ...image(), line: 6 };
    expect(mergeSameCause([lint, other])).toHaveLength(2);
    const unrelated = finding({ rule: 'deps-after-source', category: 'lint', file: 'Dockerfile', line: 5 });
    expect(mergeSameCause([unrelated, image()])).toHaveLength(2);
    expect(mergeSameCause([lint])).toEqual([lint]);
  });

  test('a baseline with the unmerged lint finding still matches (no false new/fixed)', () => {
    const base = makeReport([], [lint]);
    const head = makeReport([], mergeSameCause([lint, image()]));
    const diff = compareReports(base, head);
    expect(diff.newFindings).toEqual([]);
    expect(diff.fixedFindings).toEqual([]);
    expect(diff.existingFindings.map((f) => f.rule)).toEqual(['package-cache-in-image']);
  });
});
