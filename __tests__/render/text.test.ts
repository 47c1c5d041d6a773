import { describe, expect, test } from '@jest/globals';
import { compareReports, toComparison } from '../../src/compare/index.js';
import { defaultConfig } from '../../src/config/types.js';
import { evaluateThresholds } from '../../src/gate/index.js';
import { renderSummary } from '../../src/render/markdown.js';
import { renderText } from '../../src/render/text.js';
import { finding, makeReport, MiB } from '../compare/make-report.js';

const hostile = 'RUN echo "<b>a|b</b>" && curl http://x:5/@team';
const base = makeReport([{ instruction: 'RUN a', line: 1, size: 10 * MiB }], [finding({ rule: 'gone', severity: 'warning', message: 'fixed: <x>' })]);
const head = makeReport(
  [
    { instruction: 'RUN a', line: 1, size: 10 * MiB },
    { instruction: hostile, line: 2, size: 20 * MiB }
  ],
  [finding({ rule: 'toolchain-in-image', category: 'image', severity: 'error', message: 'gcc ships: <&>', path: 'usr/lib/gcc' })]
);

describe('text report', () => {
  const diff = compareReports(base, head, 'main@abc1234');
  head.comparison = toComparison(diff, base);
  head.verdict = evaluateThresholds(head, diff, defaultConfig().thresholds);

  test('the comparison is plain text: table, steps, new and fixed findings, no entity', () => {
    const text = renderText(head);
    expect(text).toContain('Compared with main@abc1234:');
    expect(text).toMatch(/Size\s+10\.0 MiB\s+30\.0 MiB\s+\+20\.0 MiB \(\+200 %\)/);
    expect(text).toContain(`+20.0 MiB  line 2     ${hostile} (new step)`);
    expect(text).toMatch(/New findings \(1\):\n\s+error\s+toolchain-in-image\s+\/usr\/lib\/gcc gcc ships: <&>/);
    expect(text).toMatch(/Fixed findings \(1\):\n\s+warning\s+gone\s+fixed: <x>/);
    expect(text).not.toMatch(/&#\d+;|&amp;|&lt;|<code>/);
  });

  test('the verdict lists the findings that failed it', () => {
    const text = renderText(head);
    expect(text).toContain('Verdict: FAIL — failed: fail-on (1 error: toolchain-in-image)');
    expect(text).toMatch(/✗ fail-on: 1 error \(limit no errors\)\n\s+error\s+toolchain-in-image\s+\/usr\/lib\/gcc/);
  });

  test('colour only when asked, by severity', () => {
    expect(renderText(head)).not.toContain('\u001b[');
    const coloured = renderText(head, { color: true });
    expect(coloured).toContain('\u001b[31merror  \u001b[0m');
    expect(coloured).toContain('\u001b[31mFAIL\u001b[0m');
  });

  test('markdown renders the same comparison from the report alone, escaped', () => {
    const md = renderSummary(JSON.parse(JSON.stringify(head)), undefined);
    expect(md).toContain('| Metric | Base (main@​abc1234) | PR | Δ |'.replace('@​', '@&#8203;'));
    expect(md).toContain('+20.0 MiB (+200 %)');
    expect(md).toContain('Fixed in this PR (1)');
    expect(md).toMatch(/❌ Failed.*\n\n- error <code>toolchain-in-image<\/code> at <code>\/usr\/lib\/gcc<\/code>/);
  });
});

describe('timings', () => {
  test('in the summary, never in the PR comment (it must not change between reruns)', async () => {
    const { renderComment } = await import('../../src/render/markdown.js');
    const r = { ...head, timings: { lint: 12, analysis: 3400, total: 5000 } };
    expect(renderSummary(r, undefined)).toMatch(/<summary>Timings<\/summary>[\s\S]*\| analysis \| 3\.4 s \|/);
    expect(renderComment(r, undefined, { marker: '<!-- x -->' })).not.toContain('Timings');
    expect(renderText(r)).toContain('Timings: lint 12 ms, analysis 3.4 s, total 5.0 s');
  });
});
