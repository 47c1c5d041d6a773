// Report text is attacker-controlled (from-report in the fork pattern): each sink gets it neutralised, and
// typed values (numbers, severities, `how`) are rendered from their type, never as the report spells them.
import { describe, expect, test } from '@jest/globals';
import { escapeMarkdown, plainText, singleLine } from '../../src/render/escape.js';
import { renderComment, renderSummary } from '../../src/render/markdown.js';
import { renderSarif, sarifText } from '../../src/render/sarif.js';
import { renderText } from '../../src/render/text.js';
import { annotationsFor, checkAnnotations } from '../../src/action/run.js';
import type { Report } from '../../src/report/types.js';
import { finding, makeReport } from '../compare/make-report.js';

const LINK = '[x](https://evil.example/a)';
const hostile = `${LINK} @octocat <img src=x onerror=alert(1)> </details> \`tick\` a|b www.evil.example https://evil.example\n::add-mask::x \u202Egnp.exe`;

/** Live Markdown/HTML a reader would see as a link, mention or tag, outside our own tags. */
function liveInjection(markdown: string): string[] {
  const found: string[] = [];
  if (markdown.includes('](https://evil')) found.push('link');
  if (/@octocat/.test(markdown)) found.push('mention');
  if (/<(?!\/?(details|summary|code|sub|br)\b|!-- image-audit)[A-Za-z!/]/.test(markdown)) found.push('tag');
  if (/(^|[^&#\w])www\.evil/.test(markdown)) found.push('autolink www');
  if (/https:\/\/evil/.test(markdown)) found.push('autolink url');
  if (markdown.includes('\u202E')) found.push('bidi');
  return found;
}

function hostileReport(): Report {
  const r = makeReport(
    [
      { instruction: `RUN ${hostile}`, line: 2, size: 2000, wasted: 100 },
      { createdBy: hostile, size: 1000, fromBase: true }
    ],
    [
      finding({ rule: hostile, message: hostile, file: hostile, line: 3, path: hostile }),
      finding({ rule: 'secret-file', category: 'secret', severity: 'error', masked: hostile, path: hostile, layer: 0, file: 'Dockerfile', line: 2 })
    ]
  );
  r.source = { dockerfile: hostile, ref: hostile, commit: hostile };
  r.wastedFiles = [{ path: hostile, bytes: 5, addedInLayer: 0, hiddenInLayer: 1, how: 'deleted' }];
  r.verdict = { passed: false, checks: [{ name: hostile, limit: hostile, actual: hostile, passed: false, skipped: undefined }], summary: hostile };
  return r;
}

describe('escapeMarkdown and plainText', () => {
  test('Markdown: links, mentions, tags, autolinks, bidi and newlines are neutralised', () => {
    expect(liveInjection(escapeMarkdown(hostile))).toEqual([]);
    expect(escapeMarkdown(hostile)).not.toContain('\n');
  });

  test('plain text: the same, readable (zero-width spaces, no entities)', () => {
    const out = plainText(hostile);
    expect(out).not.toMatch(/\]\(|@[\w-]|<[A-Za-z/!?]|:\/\/|www\./);
    expect(out).not.toContain('&lt;');
    expect(out.replace(/\u200B/g, '')).toBe(singleLine(hostile).replace('\u202E', ''));
    expect(plainText('x'.repeat(500), 250)).toHaveLength(250);
  });

  test('SARIF text escapes brackets so no embedded link forms', () => {
    expect(sarifText(LINK)).toBe('\\[x\\](https://evil.example/a)');
  });
});

describe('every renderer on a hostile report', () => {
  const report = hostileReport();

  test('comment and summary show no live injection', () => {
    const comment = renderComment(report, undefined, { marker: '<!-- image-audit:k -->', title: hostile, summaryUrl: 'https://github.test/run' });
    expect(liveInjection(comment.replace('https://github.test/run', ''))).toEqual([]);
    expect(liveInjection(renderSummary(report, undefined, { title: hostile }))).toEqual([]);
  });

  test('a severity or `how` outside the closed set is not rendered as spelled', () => {
    const r = hostileReport();
    (r.findings[0] as any).severity = 'sev-token';
    (r.wastedFiles![0] as any).how = 'how-token';
    (r.layers[0] as any).index = 'index-token';
    const summary = renderSummary(r, undefined);
    expect(liveInjection(summary)).toEqual([]);
    expect(summary).not.toMatch(/sev-token|how-token|index-token/);
  });

  test('annotations and check-run annotations are plain, neutralised text', () => {
    for (const a of annotationsFor(report)) {
      expect(plainTextProblems(a.message + a.props.title)).toEqual([]);
    }
    const checks = checkAnnotations(report);
    expect(checks.length).toBeGreaterThan(0);
    for (const a of checks) expect(plainTextProblems(a.message + (a.title ?? ''))).toEqual([]);
  });

  test('the text report has one line per fact: no report text starts a workflow command', () => {
    const text = renderText(report);
    expect(text.split('\n').filter((l) => l.startsWith('::'))).toEqual([]);
    expect(text).not.toContain('\u202E');
  });

  test('SARIF messages carry no link syntax', () => {
    const sarif = JSON.parse(renderSarif(report));
    for (const r of sarif.runs[0].results) expect(r.message.text).not.toMatch(/(^|[^\\])\]\(/);
  });
});

function plainTextProblems(raw: string): string[] {
  // Annotations of known rules end with our own link to the rule's docs page; that is not report text.
  const text = raw.replace(/\n\nRule: https:\/\/github\.com\/[\w.-]+\/[\w.-]+\/blob\/main\/docs\/rules\/[a-z0-9-]+\.md/g, '');
  const found: string[] = [];
  if (/\]\(/.test(text)) found.push('](');
  if (/@[\w-]/.test(text)) found.push('@mention');
  if (/<[A-Za-z/!?]/.test(text)) found.push('<tag');
  if (/[\n\r]/.test(text)) found.push('newline');
  return found;
}
