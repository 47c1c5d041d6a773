// Package changes for the PR comment / job summary (collapsible, largest first) and for the CLI's text report:
// `+ gcc-12 12.2.0 (48.0 MiB, line 7)`. Names and versions come from the image: escaped for Markdown.
import type { PackageChange, PackageDiff } from '../compare/packages.js';
import type { ReportDiff } from '../compare/types.js';
import type { Report } from '../report/types.js';
import { formatBinaryBytes, formatBytesDelta } from '../util/bytes.js';
import { escapeMarkdown, shorten } from './escape.js';

const MARK: Record<PackageChange['change'], string> = { added: '+', removed: '-', upgraded: '↑', downgraded: '↓' };
const ORDER: PackageChange['change'][] = ['added', 'removed', 'upgraded', 'downgraded'];

function changeText(c: PackageChange): string {
  const version = c.baseVersion ? `${c.baseVersion} → ${c.version}` : c.version;
  const size =
    c.change === 'upgraded' || c.change === 'downgraded'
      ? c.sizeDelta
        ? formatBytesDelta(c.sizeDelta)
        : undefined
      : c.size !== undefined
        ? formatBinaryBytes(c.size)
        : undefined;
  const where = c.line !== undefined ? `line ${c.line}` : c.layer !== undefined ? `layer ${c.layer}` : undefined;
  const extra = [size, where].filter(Boolean).join(', ');
  return `${MARK[c.change]} ${c.name} ${version}${extra ? ` (${extra})` : ''}${c.type === 'deb' || c.type === 'apk' || c.type === 'rpm' ? '' : ` [${c.type}]`}`;
}

const all = (d: PackageDiff) => ORDER.flatMap((k) => d[k]);

function headline(d: PackageDiff): string {
  const net = all(d).reduce((n, c) => n + c.sizeDelta, 0);
  const counts = ORDER.filter((k) => d[k].length).map((k) => `${d[k].length} ${k}`);
  return `Packages: ${counts.join(', ')} (${formatBytesDelta(net)})`;
}

/** A collapsible Markdown section, or '' when nothing changed or there is no inventory on either side. */
export function renderPackageChangesMarkdown(diff: ReportDiff | undefined, max = 100): string {
  const d = diff?.packages;
  if (!d || !all(d).length) return '';
  const lines: string[] = [];
  for (const kind of ORDER) {
    if (!d[kind].length) continue;
    lines.push(`**${kind[0].toUpperCase()}${kind.slice(1)} (${d[kind].length})**`, '');
    // `- + x` would open a nested list: the sign goes in as an entity.
    for (const c of d[kind].slice(0, max))
      lines.push(`- ${escapeMarkdown(shorten(changeText(c), 160)).replace(/^[+-]/, (m) => (m === '+' ? '&#43;' : '&#45;'))}`);
    if (d[kind].length > max) lines.push(`- _…and ${d[kind].length - max} more (see the JSON report)_`);
    lines.push('');
  }
  return `<details><summary>${escapeMarkdown(headline(d))}</summary>\n\n${lines.join('\n').trimEnd()}\n\n</details>`;
}

/** Plain-text lines for the CLI: changes against the baseline, or a count per ecosystem without one. */
export function renderPackagesText(report: Report, diff: ReportDiff | undefined, max = 50): string[] {
  const d = diff?.packages;
  if (d && all(d).length) {
    const out = ['', `${headline(d)}, largest first:`];
    for (const kind of ORDER) for (const c of d[kind].slice(0, max)) out.push(`  ${changeText(c)}`);
    return out;
  }
  if (!report.packages?.length) return [];
  const byType = new Map<string, number>();
  for (const p of report.packages) byType.set(p.type, (byType.get(p.type) ?? 0) + 1);
  const notRead = report.packageDatabasesNotRead?.map((u) => `/${u.path} not read`) ?? [];
  return ['', `Packages: ${[...byType].map(([t, n]) => `${n} ${t}`).join(', ')}${notRead.length ? `; ${notRead.join(', ')}` : ''}`];
}
