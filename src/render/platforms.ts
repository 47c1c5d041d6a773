// The per-platform table of a multi-platform image (size, compressed, layers, wasted, findings), for the text
// report, the job summary and the PR comment; with a baseline each platform shows its change against the same
// platform of the base. Renders nothing for a single-platform report.
import type { ReportDiff } from '../compare/types.js';
import { comparePlatforms, platformMetrics, platformsOf, type PlatformDiff, type PlatformMetrics } from '../compare/platforms.js';
import type { Report } from '../report/types.js';
import { formatBytes, formatBytesDelta } from '../util/bytes.js';
import { escapeMarkdown } from './escape.js';

const COLUMNS: { key: keyof PlatformMetrics; label: string; bytes: boolean }[] = [
  { key: 'size', label: 'Size', bytes: true },
  { key: 'compressedSize', label: 'Compressed', bytes: true },
  { key: 'layers', label: 'Layers', bytes: false },
  { key: 'wastedBytes', label: 'Wasted', bytes: true },
  { key: 'findings', label: 'Findings', bytes: false }
];

function rows(report: Report, diff: ReportDiff | undefined): PlatformDiff[] {
  if (diff?.platforms) return diff.platforms;
  if (!report.platforms?.length) return [];
  return platformsOf(report).map((p) => ({ platform: p.platform, head: platformMetrics(p) }));
}

const value = (m: PlatformMetrics | undefined, c: (typeof COLUMNS)[number]) => (m ? (c.bytes ? formatBytes(m[c.key]) : String(m[c.key])) : '–');

function delta(d: PlatformDiff, c: (typeof COLUMNS)[number]): string {
  if (!d.head || !d.base) return '';
  const n = d.head[c.key] - d.base[c.key];
  return c.bytes ? formatBytesDelta(n) : n > 0 ? `+${n}` : n < 0 ? `${n}` : '±0';
}

function cell(d: PlatformDiff, c: (typeof COLUMNS)[number], withBase: boolean): string {
  if (!d.head) return `removed (was ${value(d.base, c)})`;
  if (!withBase) return value(d.head, c);
  return d.base ? `${value(d.head, c)} (${delta(d, c)})` : `${value(d.head, c)} (new)`;
}

/** Markdown section (heading + table), or '' for a single-platform report. */
export function renderPlatformsMarkdown(report: Report, diff?: ReportDiff): string {
  const list = rows(report, diff);
  if (!list.length) return '';
  const withBase = Boolean(diff?.platforms);
  const header = `| Platform | ${COLUMNS.map((c) => c.label).join(' | ')} |`;
  const align = `| --- | ${COLUMNS.map(() => '---:').join(' | ')} |`;
  const body = list.map((d) => `| ${escapeMarkdown(d.platform)} | ${COLUMNS.map((c) => cell(d, c, withBase)).join(' | ')} |`);
  const title = withBase ? `#### Platforms (${list.length}), each against the same platform of the base` : `#### Platforms (${list.length})`;
  return [title, [header, align, ...body].join('\n')].join('\n\n');
}

/** Text lines (a blank line, heading, table), or [] for a single-platform report. */
export function renderPlatformsText(report: Report): string[] {
  const list = rows(report, undefined);
  if (!list.length) return [];
  const table = [['platform', ...COLUMNS.map((c) => c.label.toLowerCase())], ...list.map((d) => [d.platform, ...COLUMNS.map((c) => value(d.head, c))])];
  const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
  const line = (r: string[]) => '  ' + r.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ');
  return ['', `Platforms (${list.length}):`, ...table.map(line)];
}

export { comparePlatforms };
