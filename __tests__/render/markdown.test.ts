import { describe, expect, test } from '@jest/globals';
import { compareReports } from '../../src/compare/index.js';
import { defaultConfig } from '../../src/config/types.js';
import { evaluateThresholds } from '../../src/gate/index.js';
import { escapeMarkdown, htmlCommentMarker } from '../../src/render/escape.js';
import { renderComment, renderSummary, SUMMARY_LIMIT } from '../../src/render/markdown.js';
import { formatBytesDelta, formatPercentDelta } from '../../src/util/bytes.js';
import { finding, makeReport, MiB } from '../compare/make-report.js';

const marker = htmlCommentMarker('wf/job/Dockerfile/');
const baseLayers = [
  { createdBy: 'ADD rootfs / # buildkit', size: 2 * MiB, fromBase: true, content: 'root' },
  { instruction: 'COPY app /app', line: 2, size: 1024 }
];
const base = makeReport(baseLayers);
const head = makeReport([...baseLayers, { instruction: 'RUN dd if=/dev/zero of=/big bs=1M count=20', line: 3, size: 20 * MiB }]);
head.verdict = evaluateThresholds(head, compareReports(base, head), { ...defaultConfig().thresholds, maxSize: 10 * MiB });

describe('escapeMarkdown', () => {
  test.each([
    ['a | b', '|'],
    ['`rm -rf /`', '`'],
    ['<img src=x onerror=alert(1)>', '<'],
    ['</details>', '<'],
    ['ping @octocat and @org/team', '@octocat'],
    ['**bold** _it_ [link](http://x)', '**']
  ])('%s has no live %s', (text, live) => {
    const out = escapeMarkdown(text);
    expect(out).not.toContain(live);
    expect(out).not.toMatch(/[|`<>*[\]]/);
    expect(out).not.toMatch(/@[A-Za-z]/);
  });

  test('newlines cannot break a table row', () => expect(escapeMarkdown('a\nb\r\nc')).toBe('a b c'));
});

describe('renderComment', () => {
  const diff = compareReports(base, head, 'main');
  const body = renderComment(head, diff, { marker, title: 'Dockerfile', summaryUrl: 'https://example.test/run/1' });

  test('starts with the marker and has the verdict line', () => {
    expect(body.startsWith(`${marker}\n`)).toBe(true);
    expect(body).toContain('**❌ Failed** — `max-size`');
  });

  test('table has base, PR and signed human-unit deltas', () => {
    const delta = head.image!.size - base.image!.size;
    expect(delta).toBe(20 * MiB);
    expect(`${formatBytesDelta(delta)} (${formatPercentDelta(delta, base.image!.size)})`).toBe('+20.0 MiB (+1000 %)');
    expect(body).toMatch(/\| Size \| 2\.0 MiB \| 22\.0 MiB \| \+20\.0 MiB \(\+1000 %\) \|/);
    expect(body).toContain('| Layers | 2 | 3 | +1 |');
    expect(body).toContain('| Base (main) | PR | Δ |');
  });

  test('lists the step that changed with its line and delta, and the mermaid chart', () => {
    expect(body).toContain('#### Steps whose layers changed most');
    expect(body).toMatch(/RUN dd if=\/dev\/zero of=\/big bs=1M count=20<\/code> 🆕 \| 3 \| – \| 20\.0 MiB \| \+20\.0 MiB \|/);
    expect(body).toContain('```mermaid\nxychart-beta');
    expect(body).toMatch(/bar \[2, 0, 20\]\n {4}line \[2, 0, 0\]/);
  });

  test('escapes Dockerfile text in step and finding rows', () => {
    const evil = 'RUN echo "| `x` <script> @octocat" > /f';
    const h = makeReport(
      [...baseLayers, { instruction: evil, line: 3, size: MiB }],
      [finding({ rule: 'x', message: 'uses <b>|`@admins`|</b>', file: 'docker/<evil>|.Dockerfile', line: 3 })]
    );
    const out = renderComment(h, compareReports(base, h), { marker });
    // Every row of a table has exactly as many cell separators as its header: no pipe leaked from user text.
    let columns = 0;
    for (const line of out.split('\n')) {
      if (!line.startsWith('|')) columns = 0;
      else if (columns === 0) columns = line.split('|').length;
      else expect(line.split('|').length).toBe(columns);
    }
    expect(out).toContain('&#124;');
    expect(out).not.toContain('<script>');
    expect(out).not.toContain('<b>');
    expect(out).not.toContain('@octocat');
    expect(out).not.toContain('@admins');
    expect(out).not.toContain('`x`');
    // The chart label is reduced to plain words (Mermaid has no escaping inside quotes).
    expect(out).toMatch(/x-axis \["base 1", "L2 COPY", "L3 RUN"\]/);
  });

  test('secret findings show only the masked form', () => {
    const value = 'AKIAIOSFODNN7EXAMPLE';
    const secret = finding({
      rule: 'aws-access-key',
      category: 'secret',
      severity: 'error',
      masked: 'AKIA…LE',
      path: 'root/.aws/credentials',
      message: `found ${value}`
    });
    const out = renderComment(makeReport(baseLayers, [secret]), undefined, { marker });
    expect(out).toContain('AKIA…LE');
    expect(out).not.toContain(value);
    expect(out).toContain('/root/.aws/credentials');
  });

  test('without a baseline: PR values only', () => {
    const out = renderComment(head, undefined, { marker });
    expect(out).toContain('_No baseline: showing this build only._');
    expect(out).toContain('| Metric | PR |');
    expect(out).toContain('| Size | 22.0 MiB |');
    expect(out).not.toContain('Δ');
  });

  test('a huge report is cut below the limit with a pointer to the job summary', () => {
    const many = Array.from({ length: 3000 }, (_, i) => finding({ rule: `rule-${i}`, message: 'x'.repeat(300), file: 'Dockerfile', line: i }));
    const layers = Array.from({ length: 400 }, (_, i) => ({ instruction: `RUN step ${i} ${'y'.repeat(200)}`, line: i + 1, size: i + 1 }));
    const big = makeReport(layers, many);
    const out = renderComment(big, compareReports(base, big), { marker, summaryUrl: 'https://example.test/run/1' });
    expect(out.length).toBeLessThanOrEqual(65_000);
    expect(out.startsWith(marker)).toBe(true);
    expect(out).toContain('Shortened to fit a PR comment; see [the job summary](https://example.test/run/1) for everything');
    const huge = makeReport(
      layers,
      many.map((f) => ({ ...f, message: 'z'.repeat(5000) }))
    );
    const hugeOut = renderComment(huge, compareReports(base, huge), { marker });
    expect(hugeOut.length).toBeLessThanOrEqual(65_000);
    expect(hugeOut).toContain('see the job summary of this run for everything');
    const summary = renderSummary(big, compareReports(base, big));
    expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(SUMMARY_LIMIT);
    expect(summary.length).toBeGreaterThan(out.length);
  });

  test('a tiny limit still yields a valid body under the limit', () => {
    const out = renderComment(head, compareReports(base, head), { marker, maxLength: 600 });
    expect(out.length).toBeLessThanOrEqual(600);
    expect(out.startsWith(marker)).toBe(true);
    expect(out).toContain('cut to fit a PR comment');
  });
});

describe('htmlCommentMarker', () => {
  test('user text cannot close the comment early', () => {
    const m = htmlCommentMarker('tag --> <b>x</b>');
    expect(m.slice(4, -3)).not.toContain('-->');
    expect(m.slice(4, -3)).not.toMatch(/[<>]/);
  });
});
