// The report schema: what a report read from disk must be, the one-line errors a wrong one gives, and the
// published JSON Schema (schema/report.schema.json) generated from it.
import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseReport, serializeReport } from '../../src/report/read.js';
import { MAX_BYTES, REPORT_SCHEMA_URL, reportJsonSchema, validateReport } from '../../src/report/schema.js';
import type { Report } from '../../src/report/types.js';
import { UserError } from '../../src/util/errors.js';
import { repoRoot } from '../helpers/engine.js';
import { finding, makeReport } from '../compare/make-report.js';

const report = (): Report => {
  const r = makeReport(
    [
      { instruction: 'FROM base', size: 1000, fromBase: true },
      { instruction: 'RUN make', line: 3, size: 5000, wasted: 100 }
    ],
    [
      finding({ rule: 'a' }),
      finding({ rule: 'b' }),
      finding({ rule: 'c' }),
      finding({ rule: 'd', category: 'secret', severity: 'error', masked: 'ghp_…xy', path: 'root/.npmrc', layer: 1 })
    ]
  );
  r.wastedFiles = [{ path: 'a/b', bytes: 100, addedInLayer: 0, hiddenInLayer: 1, how: 'deleted' }];
  r.verdict = { passed: true, checks: [{ name: 'max-size', limit: '1 MB', actual: '6 kB', passed: true }], summary: 'passed' };
  return r;
};

/** The message parseReport throws for `mutate(report)`, as text. */
function refusal(mutate: (r: any) => void): string {
  const r: any = structuredClone(report());
  mutate(r);
  try {
    parseReport(JSON.stringify(r), 'Input from-report (r.json)');
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return (e as Error).message;
  }
  throw new Error('accepted');
}

describe('validateReport', () => {
  test('a report as the stages write it is valid, and comes back equal', () => {
    const r = report();
    expect(parseReport(JSON.stringify(r), 'r')).toEqual(r);
  });

  test.each<[string, (r: any) => void, string]>([
    ['a bad severity', (r) => (r.findings[3].severity = 'critical'), 'findings[3].severity: expected one of error|warning|info'],
    ['a finding without a message', (r) => delete r.findings[0].message, 'findings[0].message: missing (expected string)'],
    ['a non-numeric efficiency', (r) => (r.image.efficiency = 'high'), 'image.efficiency: expected number, got string'],
    ['a null layer', (r) => (r.layers[1] = null), 'layers[1]: expected object, got null'],
    ['a negative size', (r) => (r.image.size = -1), 'image.size: less than 0'],
    ['an absurd size (> 1 PiB)', (r) => (r.layers[0].size = MAX_BYTES * 2), 'layers[0].size: greater than 1125899906842624 (1 PiB)'],
    ['a fractional byte count', (r) => (r.wastedFiles[0].bytes = 1.5), 'wastedFiles[0].bytes: expected an integer, got a fraction'],
    ['an over-long message', (r) => (r.findings[1].message = 'x'.repeat(70_000)), 'findings[1].message: longer than 65536 characters'],
    ['an efficiency above 1', (r) => (r.image.efficiency = 2), 'image.efficiency: greater than 1'],
    [
      'a bad suppression kind',
      (r) => (r.findings[0].suppressed = { by: 'me' }),
      'findings[0].suppressed.by: expected one of fingerprint|rule-path|allowlist|inline'
    ],
    ['a line 0', (r) => (r.findings[0].line = 0), 'findings[0].line: less than 1'],
    ['a string layer index', (r) => (r.findings[3].layer = '1'), 'findings[3].layer: expected number, got string'],
    ['a label key with a space', (r) => (r.image.config = { labels: { 'a b': 3 } }), 'image.config.labels["a b"]: expected string, got number']
  ])('%s is refused with the JSON path', (_what, mutate, message) => {
    const text = refusal(mutate);
    expect(text).toContain(`Input from-report (r.json) is not a valid image-audit report: ${message}`);
    expect(text).not.toMatch(/\n\s+at /);
    expect(text.split('\n')).toHaveLength(2); // the problem, then what to do
  });

  test('non-finite numbers (1e400 parses to Infinity) are refused', () => {
    const text = JSON.stringify(report()).replace('"size":6000', '"size":1e400');
    expect(text).toContain('1e400');
    expect(() => parseReport(text, 'r')).toThrow('image.size: expected number, got a non-finite number');
  });

  test('the untrusted value itself is never echoed, and many problems are summarised', () => {
    const text = refusal((r) => {
      for (const f of r.findings) f.severity = '<img src=x onerror=alert(1)>';
    });
    expect(text).not.toContain('<img');
    const many = refusal((r) => (r.layers = Array.from({ length: 9 }, () => 'x')));
    expect(many).toContain('layers[0]: expected object, got string');
    expect(many).toContain('and 4 more');
  });

  test.each([
    ['not json', /not valid JSON/],
    ['[]', /not a JSON object/],
    ['null', /not a JSON object/],
    [JSON.stringify({ schemaVersion: 2 }), /schemaVersion is 2, expected 1/]
  ])('%s is refused', (text, message) => {
    expect(() => parseReport(text, 'r')).toThrow(UserError);
    expect(() => parseReport(text, 'r')).toThrow(message);
  });

  test('unknown keys (a newer minor version) are accepted and stripped, so only validated data reaches a renderer', () => {
    const r: any = report();
    r.comparisonFromTheFuture = { x: 1 };
    r.findings[0].extra = '[x](https://evil)';
    const parsed: any = parseReport(JSON.stringify(r), 'r');
    expect(parsed.comparisonFromTheFuture).toBeUndefined();
    expect(parsed.findings[0].extra).toBeUndefined();
    expect(validateReport(r).ok).toBe(true);
  });
});

describe('written reports and the published schema', () => {
  test('serializeReport puts $schema first, and what it writes reads back', () => {
    const text = serializeReport(report());
    expect(Object.keys(JSON.parse(text))[0]).toBe('$schema');
    expect(JSON.parse(text).$schema).toBe(REPORT_SCHEMA_URL);
    expect(parseReport(text, 'r')).toEqual({ $schema: REPORT_SCHEMA_URL, ...report() });
  });

  test('schema/report.schema.json is what `npm run schema` generates now (fails when stale)', () => {
    const file = readFileSync(path.join(repoRoot, 'schema', 'report.schema.json'), 'utf8');
    expect(file).toBe(JSON.stringify(reportJsonSchema(), null, 2) + '\n');
  });

  test('the published schema carries the bounds and closed sets the validator enforces', () => {
    const s: any = reportJsonSchema();
    expect(s.$id).toBe(REPORT_SCHEMA_URL);
    expect(s.required).toEqual(expect.arrayContaining(['schemaVersion', 'tool', 'generatedAt', 'layers', 'findings']));
    const f = s.properties.findings.items;
    expect(f.properties.severity.enum).toEqual(['error', 'warning', 'info']);
    expect(s.properties.image.properties.size).toMatchObject({ type: 'integer', minimum: 0, maximum: MAX_BYTES });
    expect(f.additionalProperties).toBeUndefined(); // extra keys allowed, as the reader allows them
  });
});
