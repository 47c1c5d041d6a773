// The CLI's default, human-readable report. Plain text, sizes in human units, widest facts first.
import type { Finding, Report } from '../report/types.js';
import { formatBytes } from '../util/bytes.js';
import type { ReportDiff } from '../compare/types.js';
import { renderPackagesText } from './packages.js';

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

function clip(s: string, n: number): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > n ? one.slice(0, n - 1) + '…' : one;
}

export function renderText(report: Report, diff?: ReportDiff): string {
  const out: string[] = [];
  const img = report.image;
  if (img) {
    out.push(`image-audit ${report.tool.version} — ${img.ref ?? img.id}`);
    out.push('');
    out.push(`  size             ${formatBytes(img.size)} (${img.size} bytes)`);
    out.push(`  compressed size  ${formatBytes(img.compressedSize)} (estimated pull size)`);
    out.push(`  layers           ${img.layers}${img.baseLayers ? ` (${img.baseLayers} from the base image)` : ''}`);
    out.push(`  wasted           ${formatBytes(img.wastedBytes)}${img.wastedBytes ? ` (yours: ${formatBytes(img.userWastedBytes)}, base: ${formatBytes(img.baseWastedBytes)})` : ''}`);
    out.push(`  efficiency       ${(img.efficiency * 100).toFixed(1)} %`);
    if (img.packages !== undefined) out.push(`  OS packages      ${img.packages}`);
    if (img.executables !== undefined) out.push(`  executables      ${img.executables}`);
    out.push('');
    out.push('Layers (bottom first):');
    for (const l of report.layers) {
      const where = l.step?.line ? `line ${l.step.line}` : l.fromBase ? 'base' : '';
      const what = l.step?.instruction ?? l.createdBy ?? '';
      const residue = l.residue && Object.keys(l.residue).length
        ? `  [of which ${Object.entries(l.residue).map(([k, v]) => `${formatBytes(v)} ${k}`).join(', ')}]`
        : '';
      out.push(`  ${pad(String(l.index), 3)} ${pad(formatBytes(l.size), 10)} ${pad(where, 9)} ${clip(what, 80)}${residue}`);
    }
    if (report.wastedFiles?.length) {
      out.push('');
      out.push('Largest wasted files:');
      for (const w of report.wastedFiles.slice(0, 10)) {
        out.push(`  ${pad(formatBytes(w.bytes), 10)} /${w.path} (added in layer ${w.addedInLayer}, ${w.how} in layer ${w.hiddenInLayer})`);
      }
    }
    const dirs = (report.largestDirectories ?? []).filter((d) => d.bytes > 0);
    if (dirs.length) {
      out.push('');
      out.push('Largest directories:');
      for (const d of dirs) out.push(`  ${pad(formatBytes(d.bytes), 10)} /${d.path}`);
    }
  } else if (report.source?.dockerfile) {
    out.push(`image-audit ${report.tool.version} — lint ${report.source.dockerfile}`);
  }
  out.push(...renderPackagesText(report, diff));
  out.push('');
  const findings = [...report.findings].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  out.push(findings.length ? `Findings (${findings.length}):` : 'No findings.');
  for (const f of findings) out.push('  ' + findingLine(f));
  if (report.verdict) {
    out.push('');
    out.push(`Verdict: ${report.verdict.passed ? 'PASS' : 'FAIL'} — ${report.verdict.summary}`);
    for (const c of report.verdict.checks.filter((c) => !c.passed)) out.push(`  ✗ ${c.name}: ${c.actual} (limit ${c.limit})`);
  }
  return out.join('\n') + '\n';
}

function findingLine(f: Finding): string {
  const loc = f.file ? `${f.file}${f.line ? `:${f.line}` : ''}` : f.path ? `/${f.path}` : f.layer !== undefined ? `layer ${f.layer}` : '';
  const sup = f.suppressed ? ` (suppressed${f.suppressed.reason ? `: ${f.suppressed.reason}` : ''})` : '';
  return `${pad(f.severity, 7)} ${pad(f.rule, 26)} ${loc ? loc + ' ' : ''}${f.message}${sup}`;
}
