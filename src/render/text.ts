// The CLI's default, human-readable report. Plain text, sizes in human units, widest facts first. Every string
// from the report goes through `t` (one line, no control characters): on a runner a line of a hostile report
// must not start a workflow command (`::add-mask::`, `::stop-commands::`) or move the terminal's cursor.
import type { Finding, Report } from '../report/types.js';
import { formatBytes } from '../util/bytes.js';
import { num, singleLine as t } from './escape.js';
import { renderPlatformsText } from './platforms.js';

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

function clip(s: string, n: number): string {
  const one = t(s).replace(/\s+/g, ' ').trim();
  return one.length > n ? one.slice(0, n - 1) + '…' : one;
}

export function renderText(report: Report): string {
  const out: string[] = [];
  const img = report.image;
  if (img) {
    out.push(`image-audit ${t(report.tool.version)} — ${t(img.ref ?? img.id)}`);
    out.push('');
    out.push(`  size             ${formatBytes(img.size)} (${img.size} bytes)`);
    out.push(`  compressed size  ${formatBytes(img.compressedSize)} (${img.compressedSizeSource === 'manifest' ? 'pull size, from the manifest' : 'estimated pull size'})`);
    out.push(`  layers           ${num(img.layers)}${img.baseLayers ? ` (${num(img.baseLayers)} from the base image)` : ''}`);
    out.push(`  wasted           ${formatBytes(img.wastedBytes)}${img.wastedBytes ? ` (yours: ${formatBytes(img.userWastedBytes)}, base: ${formatBytes(img.baseWastedBytes)})` : ''}`);
    out.push(`  efficiency       ${(img.efficiency * 100).toFixed(1)} %`);
    if (img.packages !== undefined) out.push(`  OS packages      ${num(img.packages)}`);
    if (img.executables !== undefined) out.push(`  executables      ${num(img.executables)}`);
    out.push(...renderPlatformsText(report));
    out.push('');
    out.push('Layers (bottom first):');
    for (const l of report.layers) {
      const where = l.step?.line ? `line ${num(l.step.line)}` : l.fromBase ? 'base' : '';
      const what = l.step?.instruction ?? l.createdBy ?? '';
      const residue = l.residue && Object.keys(l.residue).length
        ? `  [of which ${Object.entries(l.residue).map(([k, v]) => `${formatBytes(v)} ${t(k)}`).join(', ')}]`
        : '';
      out.push(`  ${pad(num(l.index), 3)} ${pad(formatBytes(l.size), 10)} ${pad(where, 9)} ${clip(what, 80)}${residue}`);
    }
    if (report.wastedFiles?.length) {
      out.push('');
      out.push('Largest wasted files:');
      for (const w of report.wastedFiles.slice(0, 10)) {
        out.push(`  ${pad(formatBytes(w.bytes), 10)} /${t(w.path)} (added in layer ${num(w.addedInLayer)}, ${t(w.how)} in layer ${num(w.hiddenInLayer)})`);
      }
    }
    const dirs = (report.largestDirectories ?? []).filter((d) => d.bytes > 0);
    if (dirs.length) {
      out.push('');
      out.push('Largest directories:');
      for (const d of dirs) out.push(`  ${pad(formatBytes(d.bytes), 10)} /${t(d.path)}`);
    }
  } else if (report.source?.dockerfile) {
    out.push(`image-audit ${t(report.tool.version)} — lint ${t(report.source.dockerfile)}`);
  }
  out.push('');
  const findings = [...report.findings].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  out.push(findings.length ? `Findings (${findings.length}):` : 'No findings.');
  for (const f of findings) out.push('  ' + findingLine(f));
  if (report.verdict) {
    out.push('');
    out.push(`Verdict: ${report.verdict.passed ? 'PASS' : 'FAIL'} — ${t(report.verdict.summary)}`);
    for (const c of report.verdict.checks.filter((c) => !c.passed)) out.push(`  ✗ ${t(c.name)}: ${t(c.actual)} (limit ${t(c.limit)})`);
  }
  return out.join('\n') + '\n';
}

function findingLine(f: Finding): string {
  const loc = f.file ? `${t(f.file)}${f.line ? `:${num(f.line)}` : ''}` : f.path ? `/${t(f.path)}` : f.layer !== undefined ? `layer ${num(f.layer)}` : '';
  const sup = f.suppressed ? ` (suppressed${f.suppressed.reason ? `: ${t(f.suppressed.reason)}` : ''})` : '';
  return `${pad(t(f.severity), 7)} ${pad(t(f.rule), 26)} ${loc ? loc + ' ' : ''}${t(f.message)}${sup}`;
}
