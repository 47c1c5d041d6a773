// The PR comment and the job summary. Both come from Report (+ ReportDiff when there is a baseline); the
// comment is the same document with shorter lists, cut to fit GitHub's 65,536-character limit, and points to
// the job summary for the rest. All user-controlled text goes through escape.ts. Both limits are in UTF-8 bytes:
// a path in CJK or emoji is 3–4 bytes a character, so a string-length check lets a 1 MiB summary reach 3 MiB.
import type { ReportDiff, StepMatch } from '../compare/types.js';
import { diffOf, reportMetrics } from '../compare/compare.js';
import { normaliseCreatedBy } from '../compare/steps.js';
import type { Finding, Report, ThresholdResult } from '../report/types.js';
import { formatBinaryBytes, formatBytes, formatBytesDelta } from '../util/bytes.js';
import { code, escapeMarkdown, num, shorten } from './escape.js';
import { renderLayerChart } from './mermaid.js';
import { renderPlatformsMarkdown } from './platforms.js';
import { formatMetricDelta, formatMetricValue } from './metrics.js';
import { failedFindingsMarkdown, markdownExtras } from './markdown-space.js';
import { renderPackageChangesMarkdown } from './packages.js';

/**
 * GitHub rejects comment bodies over 65,536 characters (HTTP 422). Counted here in UTF-8 bytes (never fewer than
 * characters), with a margin for the digest line run.ts adds after the marker.
 */
export const COMMENT_LIMIT = 65_000;
/** The job summary upload limit is 1 MiB per step, in bytes; a margin for the trailing newline and notices. */
export const SUMMARY_LIMIT = 1024 * 1024 - 4096;

/** UTF-8 size of a string, the unit both limits are in. */
export const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/** The longest prefix of `text` of at most `maxBytes` UTF-8 bytes, cut at a line end when there is one. */
export function cutToBytes(text: string, maxBytes: number): string {
  const buf = Buffer.from(text, 'utf8');
  if (buf.length <= maxBytes) return text;
  let end = Math.max(0, maxBytes);
  while (end > 0 && (buf[end] & 0xc0) === 0x80) end--; // never inside a multi-byte character
  const cut = buf.subarray(0, end).toString('utf8');
  const atLine = cut.lastIndexOf('\n');
  return atLine > 0 ? cut.slice(0, atLine) : cut;
}

export interface MarkdownOptions {
  /** Heading, e.g. the Dockerfile and target; escaped here. */
  title?: string;
  /** Where the full report is (the run's job summary), linked from the comment footer and truncation notice. */
  summaryUrl?: string;
  /** List the base image's wasted files too (config `report.all-waste`). */
  allWaste?: boolean;
}

export interface CommentOptions extends MarkdownOptions {
  /** Hidden HTML marker that identifies the sticky comment (see escape.htmlCommentMarker). */
  marker: string;
  /** In UTF-8 bytes; defaults to COMMENT_LIMIT; tests use other limits. */
  maxLength?: number;
}

interface Limits {
  /** Set by the renderers when a list was cut, so the comment can point to the job summary. */
  cut?: { any: boolean };
  steps: number;
  findings: number;
  layers: number;
  chart: boolean;
  details: boolean;
  /** Stage timings: the summary only (they change every run, and the comment must not). */
  timings?: boolean;
}

const FULL: Limits = { steps: 100, findings: 1000, layers: 500, chart: true, details: true, timings: true };
const COMMENT_STEPS: Limits[] = [
  { steps: 10, findings: 50, layers: 60, chart: true, details: true },
  { steps: 10, findings: 20, layers: 20, chart: true, details: true },
  { steps: 5, findings: 10, layers: 0, chart: true, details: false },
  { steps: 5, findings: 5, layers: 0, chart: false, details: false }
];

/** A threshold name in backticks when it is a plain id (as every built-in one is), else escaped. */
const thresholdName = (name: string) => (/^[a-z][a-z0-9-]{0,63}$/.test(name) ? `\`${name}\`` : code(name, 40));
// Closed sets: a report's enum fields are rendered from these tables, never as the report spells them.
const SEVERITY_LABEL = { error: '🔴 error', warning: '🟠 warning', info: '🔵 info' } as const;
const label = <T extends Record<string, string>>(table: T, key: string): string => (Object.hasOwn(table, key) ? table[key] : '–');

const formatValue = formatMetricValue;
const formatDelta = formatMetricDelta;

function verdictLine(report: Report): string {
  const v = report.verdict;
  if (!v) return '**Verdict:** not evaluated';
  const evaluated = v.checks.filter((c) => !c.skipped);
  if (v.passed) return `**✅ Passed** — ${evaluated.length} threshold${evaluated.length === 1 ? '' : 's'} met.`;
  const failed = v.checks.filter((c) => !c.passed).map((c) => `${thresholdName(c.name)} (${escapeMarkdown(c.actual)}, limit ${escapeMarkdown(c.limit)})`);
  const findings = failedFindingsMarkdown(report);
  return `**❌ Failed** — ${failed.join(', ')}${findings ? `\n\n${findings}` : ''}`;
}

function metricsTable(report: Report, diff: ReportDiff | undefined): string {
  if (!report.image) return '_No image was analysed (lint only)._';
  if (!diff) {
    const rows = reportMetrics(report).filter((m) => m.head !== undefined);
    return ['| Metric | PR |', '| --- | ---: |', ...rows.map((m) => `| ${m.label} | ${formatValue(m, m.head)} |`)].join('\n');
  }
  const rows = diff.metrics.filter((m) => m.head !== undefined || m.base !== undefined);
  const baseHeader = diff.baseLabel ? `Base (${escapeMarkdown(shorten(diff.baseLabel, 40))})` : 'Base';
  return [
    `| Metric | ${baseHeader} | PR | Δ |`,
    '| --- | ---: | ---: | ---: |',
    ...rows.map((m) => `| ${m.label} | ${formatValue(m, m.base)} | ${formatValue(m, m.head)} | ${formatDelta(m)} |`)
  ].join('\n');
}

const stepLine = (s: StepMatch): string => {
  if (s.baseLine !== undefined && s.headLine !== undefined && s.baseLine !== s.headLine) return `${num(s.baseLine)} → ${num(s.headLine)}`;
  return num(s.headLine ?? s.baseLine);
};

function stepsTable(steps: StepMatch[], max: number, cut?: { any: boolean }): string {
  const changed = steps
    .filter((s) => s.status !== 'unchanged')
    .sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta) || a.instruction.localeCompare(b.instruction));
  if (changed.length === 0) return '_No step changed its layers._';
  const shown = changed.slice(0, max);
  const rows = shown.map((s) => {
    const what = s.baseInstruction ? `${code(s.instruction, 80)}<br>was ${code(s.baseInstruction, 80)}` : code(s.instruction, 80);
    const status = s.status === 'added' ? ' 🆕' : s.status === 'removed' ? ' 🗑️' : '';
    const base = s.baseLayers.length ? formatBinaryBytes(s.baseSize) : '–';
    const head = s.headLayers.length ? formatBinaryBytes(s.headSize) : '–';
    return `| ${what}${status} | ${stepLine(s)} | ${base} | ${head} | ${formatBytesDelta(s.delta)} |`;
  });
  if (changed.length > shown.length && cut) cut.any = true;
  const more = changed.length > shown.length ? `\n\n_…and ${changed.length - shown.length} more changed steps._` : '';
  return ['| Step | Line | Base | PR | Δ |', '| --- | ---: | ---: | ---: | ---: |', ...rows].join('\n') + more;
}

function where(f: Finding): string {
  const parts: string[] = [];
  if (f.file) parts.push(code(`${f.file}${f.line !== undefined ? `:${num(f.line)}` : ''}`, 80));
  if (f.path) parts.push(code(`/${f.path}`, 80));
  if (f.layer !== undefined) parts.push(`layer ${num(f.layer)}`);
  return parts.join(' ') || '–';
}

function findingsTable(findings: Finding[], max: number, cut?: { any: boolean }): string {
  const order = { error: 0, warning: 1, info: 2 } as const;
  const sorted = [...findings].sort((a, b) => order[a.severity] - order[b.severity] || a.rule.localeCompare(b.rule));
  const shown = sorted.slice(0, max);
  const rows = shown.map((f) => {
    // A secret finding shows its masked form only, never the message or details (defence in depth).
    const text = f.category === 'secret' ? `secret ${code(f.masked ?? '…', 40)}` : escapeMarkdown(shorten(f.message, 200));
    const suppressed = f.suppressed ? ' _(suppressed)_' : '';
    return `| ${label(SEVERITY_LABEL, f.severity)} | ${code(f.rule, 40)} | ${where(f)} | ${text}${suppressed} |`;
  });
  if (sorted.length > shown.length && cut) cut.any = true;
  const more = sorted.length > shown.length ? `\n\n_…and ${sorted.length - shown.length} more._` : '';
  return ['| Severity | Rule | Where | Finding |', '| --- | --- | --- | --- |', ...rows].join('\n') + more;
}

function thresholdsTable(checks: ThresholdResult[]): string {
  if (checks.length === 0) return '_No thresholds configured._';
  return [
    '| Threshold | Limit | Measured | Result |',
    '| --- | ---: | ---: | --- |',
    ...checks.map((c) => {
      const result = c.skipped ? `⏭️ not evaluated (${escapeMarkdown(c.skipped)})` : c.passed ? '✅ pass' : '❌ fail';
      return `| ${thresholdName(c.name)} | ${escapeMarkdown(c.limit)} | ${escapeMarkdown(c.actual)} | ${result} |`;
    })
  ].join('\n');
}

function layersTable(report: Report, max: number, cut?: { any: boolean }): string {
  const shown = report.layers.slice(0, max);
  const rows = shown.map((l) => {
    const text = l.step ? l.step.instruction : normaliseCreatedBy(l.createdBy);
    const step = text ? code(text, 80) : '_(no history)_';
    const line = num(l.step?.line);
    const wasted = l.wastedBytes ? formatBytes(l.wastedBytes) : '–';
    return `| ${num(l.index)}${l.fromBase ? ' (base)' : ''} | ${step} | ${line} | ${formatBinaryBytes(l.size)} | ${formatBinaryBytes(l.compressedSize)} | ${wasted} |`;
  });
  if (report.layers.length > shown.length && cut) cut.any = true;
  const more = report.layers.length > shown.length ? `\n\n_…and ${report.layers.length - shown.length} more layers._` : '';
  return ['| # | Step | Line | Size | Compressed | Wasted |', '| ---: | --- | ---: | ---: | ---: | ---: |', ...rows].join('\n') + more;
}

const details = (summary: string, body: string, open = false) => `<details${open ? ' open' : ''}><summary>${summary}</summary>\n\n${body}\n\n</details>`;

function renderBody(report: Report, given: ReportDiff | undefined, opts: MarkdownOptions, limits: Limits): string {
  // The comparison renders from Report.comparison when no diff object is passed (a saved report).
  const diff = given ?? diffOf(report);
  const parts: string[] = [];
  const heading = opts.title ? `### 🐳 image-audit: ${escapeMarkdown(shorten(opts.title, 120))}` : '### 🐳 image-audit';
  parts.push(heading, verdictLine(report));
  if (!diff && report.image) parts.push('_No baseline: showing this build only._');
  parts.push(metricsTable(report, diff));
  parts.push(...[renderPlatformsMarkdown(report, diff)].filter(Boolean));

  if (diff) {
    parts.push('#### Steps whose layers changed most', stepsTable(diff.steps, limits.steps, limits.cut));
    if (renderPackageChangesMarkdown(diff)) parts.push(renderPackageChangesMarkdown(diff, limits.details ? limits.findings : 10));
    const newFindings = diff.newFindings.filter((f) => !f.suppressed);
    parts.push(`#### New findings in this PR (${newFindings.length})`);
    parts.push(newFindings.length ? findingsTable(newFindings, limits.findings, limits.cut) : '_None._ 🎉');
    if (limits.details && diff.existingFindings.length) {
      parts.push(details(`Already on base (${diff.existingFindings.length})`, findingsTable(diff.existingFindings, limits.findings, limits.cut)));
    }
    if (limits.details && diff.fixedFindings.length) {
      parts.push(details(`Fixed in this PR (${diff.fixedFindings.length})`, findingsTable(diff.fixedFindings, limits.findings, limits.cut)));
    }
  } else {
    const active = report.findings.filter((f) => !f.suppressed);
    parts.push(`#### Findings (${active.length})`);
    parts.push(active.length ? findingsTable(active, limits.findings, limits.cut) : '_None._ 🎉');
  }

  if (limits.details && report.verdict) parts.push(details('Thresholds', thresholdsTable(report.verdict.checks)));
  if (limits.chart && report.layers.length) {
    const chart = renderLayerChart(report, diff?.steps);
    if (chart) parts.push(details(diff ? 'Layer sizes, base vs PR' : 'Layer sizes', chart));
  }
  if (limits.layers > 0 && report.layers.length) parts.push(details(`Layers (${report.layers.length})`, layersTable(report, limits.layers, limits.cut)));
  if (limits.details) parts.push(...markdownExtras(report, { details, max: Math.min(limits.findings, 50), allWaste: opts.allWaste, timings: limits.timings }));
  return parts.join('\n\n');
}

const summaryPointer = (opts: MarkdownOptions) => (opts.summaryUrl ? `[the job summary](${encodeURI(opts.summaryUrl)})` : 'the job summary of this run');

/** The job summary: the full report, at most `maxBytes` (default SUMMARY_LIMIT) UTF-8 bytes. */
export function renderSummary(report: Report, diff: ReportDiff | undefined, opts: MarkdownOptions & { maxBytes?: number } = {}): string {
  const limit = opts.maxBytes ?? SUMMARY_LIMIT;
  const body = renderBody(report, diff, opts, FULL);
  if (utf8Bytes(body) + 1 <= limit) return body + '\n';
  const smaller = renderBody(report, diff, opts, { ...FULL, findings: 200, layers: 100, steps: 50 });
  const listsCut = '\n_Lists cut to fit the 1 MiB summary limit; the JSON report has everything._\n';
  if (utf8Bytes(smaller) + utf8Bytes(listsCut) <= limit) return smaller + listsCut;
  const hardCut = '\n\n_…cut to fit the 1 MiB summary limit; the JSON report has everything._\n';
  return cutToBytes(smaller, limit - utf8Bytes(hardCut)) + hardCut;
}

/** The sticky PR comment: starts with the marker, always fits GitHub's limit. */
export function renderComment(report: Report, diff: ReportDiff | undefined, opts: CommentOptions): string {
  const limit = opts.maxLength ?? COMMENT_LIMIT;
  const footer = `\n\n<sub>Full report: ${summaryPointer(opts)}.</sub>\n`;
  for (const [i, step] of COMMENT_STEPS.entries()) {
    const limits = { ...step, cut: { any: false } };
    const body = `${opts.marker}\n${renderBody(report, diff, opts, limits)}`;
    const shortened = i > 0 || limits.cut.any;
    const truncated = shortened ? `\n\n_Shortened to fit a PR comment; see ${summaryPointer(opts)} for everything._` : '';
    const full = body + truncated + footer;
    if (utf8Bytes(full) <= limit) return full;
  }
  // Still too long (e.g. a huge title or verdict): hard cut at a line boundary, never inside an entity.
  const notice = `\n\n_…cut to fit a PR comment; see ${summaryPointer(opts)} for everything._` + footer;
  const body = `${opts.marker}\n${renderBody(report, diff, opts, COMMENT_STEPS[COMMENT_STEPS.length - 1])}`;
  const room = Math.max(0, limit - utf8Bytes(notice));
  const cut = cutToBytes(body, room);
  return (cut.length > opts.marker.length ? cut : body.slice(0, opts.marker.length)) + notice;
}
