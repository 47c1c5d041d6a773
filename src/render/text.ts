// The CLI's default, human-readable report. Plain text for a terminal (never HTML or Markdown escapes), sizes
// in IEC units, widest facts first. Colour (severity, verdict) only when the caller asks for it. Every string
// from the report goes through `t` (one line, no control characters): on a runner a line of a hostile report
// must not start a workflow command (`::add-mask::`, `::stop-commands::`) or move the terminal's cursor.
import type { ReportDiff, StepMatch } from '../compare/types.js';
import { diffOf } from '../compare/compare.js';
import type { Finding, Report, Severity, WastedFile } from '../report/types.js';
import { formatBinaryBytes, formatBytes, formatBytesDelta } from '../util/bytes.js';
import { formatDuration, formatMetricDelta, formatMetricValue } from './metrics.js';
import { stepOfLayer, TIMING_STAGES } from './space-common.js';
import { num, singleLine as t } from './escape.js';
import { renderPlatformsText } from './platforms.js';
import { renderPackagesText } from './packages.js';

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

export interface TextOptions {
  /** ANSI colours by severity (the CLI decides: TTY, NO_COLOR, --color). */
  color?: boolean;
  /** The comparison with a baseline; defaults to the report's own `comparison`. */
  diff?: ReportDiff;
  /** List the base image's wasted files one by one instead of one total line. */
  allWaste?: boolean;
}

const ANSI = { red: 31, yellow: 33, blue: 34, green: 32, bold: 1, dim: 2 } as const;
type Paint = (style: keyof typeof ANSI, s: string) => string;
const painter = (on: boolean | undefined): Paint => (on ? (style, s) => `\u001b[${ANSI[style]}m${s}\u001b[0m` : (_style, s) => s);
const SEVERITY_STYLE: Record<Severity, keyof typeof ANSI> = { error: 'red', warning: 'yellow', info: 'blue' };

export function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

export const padStart = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

export function clip(s: string, n: number): string {
  const one = t(s).replace(/\s+/g, ' ').trim();
  return one.length > n ? one.slice(0, n - 1) + '…' : one;
}

export function renderText(report: Report, opts: TextOptions = {}): string {
  const paint = painter(opts.color);
  const out: string[] = [];
  const img = report.image;
  if (img) {
    out.push(paint('bold', `image-audit ${t(report.tool.version)} — ${t(img.ref ?? img.id)}`));
    out.push('');
    out.push(`  size             ${formatBytes(img.size)} (${img.size} bytes)`);
    out.push(
      `  compressed size  ${formatBytes(img.compressedSize)} (${img.compressedSizeSource === 'manifest' ? 'pull size, from the manifest' : 'estimated pull size'})`
    );
    out.push(`  layers           ${num(img.layers)}${img.baseLayers ? ` (${num(img.baseLayers)} from the base image)` : ''}`);
    const yours = report.space?.userWaste?.bytes ?? img.userWastedBytes;
    const theirs = report.space?.baseWaste?.bytes ?? img.baseWastedBytes;
    out.push(
      `  wasted           ${formatBytes(img.wastedBytes)}${img.wastedBytes ? ` (in files you added: ${formatBytes(yours)}, in the base image's files: ${formatBytes(theirs)})` : ''}`
    );
    out.push(`  efficiency       ${(img.efficiency * 100).toFixed(1)} %`);
    if (img.packages !== undefined) out.push(`  OS packages      ${num(img.packages)}`);
    if (img.executables !== undefined) out.push(`  executables      ${num(img.executables)}`);
    out.push(...renderPlatformsText(report));
    const diff = opts.diff ?? diffOf(report);
    if (diff) out.push(...comparisonLines(diff, paint));
    out.push('');
    out.push('Layers (bottom first):');
    for (const l of report.layers) {
      const where = l.step?.line ? `line ${num(l.step.line)}` : l.fromBase ? 'base' : '';
      const what = l.step?.instruction ?? l.createdBy ?? '';
      const residue =
        l.residue && Object.keys(l.residue).length
          ? `  [of which ${Object.entries(l.residue)
              .map(([k, v]) => `${formatBytes(v)} ${t(k)}`)
              .join(', ')}]`
          : '';
      out.push(`  ${pad(num(l.index), 3)} ${pad(formatBytes(l.size), 10)} ${pad(where, 9)} ${clip(what, 80)}${residue}`);
    }
    out.push(...wastedLines(report.wastedFiles ?? [], report, opts.allWaste));
    out.push(...spaceLines(report));
  } else if (report.source?.dockerfile) {
    out.push(paint('bold', `image-audit ${t(report.tool.version)} — lint ${t(report.source.dockerfile)}`));
  }
  out.push(...renderPackagesText(report, opts.diff ?? diffOf(report)));
  out.push('');
  const findings = [...report.findings].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  out.push(findings.length ? `Findings (${findings.length}):` : 'No findings.');
  for (const f of findings) out.push('  ' + findingLine(f, paint));
  out.push(...timingLines(report));
  out.push(...verdictLines(report, paint));
  return out.join('\n') + '\n';
}

function wastedLines(files: WastedFile[], report: Report, all?: boolean): string[] {
  const sorted = [...files].sort((a, b) => b.bytes - a.bytes);
  const yours = sorted.filter((w) => !w.fromBase);
  const base = sorted.filter((w) => w.fromBase);
  const baseTotal = report.space?.baseWaste ?? { files: base.length, bytes: base.reduce((n, w) => n + w.bytes, 0) };
  if (!yours.length && !baseTotal.bytes) return [];
  const line = (w: WastedFile) =>
    `  ${pad(formatBytes(w.bytes), 10)} /${t(w.path)} (added in layer ${num(w.addedInLayer)}, ${t(w.how)} in layer ${num(w.hiddenInLayer)})`;
  const out = ['', 'Wasted files, yours (largest first):'];
  if (yours.length) out.push(...yours.slice(0, 10).map(line));
  else out.push('  none');
  if (baseTotal.bytes) {
    if (all && base.length) {
      out.push("Wasted files, the base image's:");
      out.push(...base.slice(0, 10).map(line));
    } else {
      out.push(
        `  + ${formatBytes(baseTotal.bytes)} in ${baseTotal.files} item${baseTotal.files === 1 ? '' : 's'} wasted inside the base image (not yours to fix; --all-waste lists them)`
      );
    }
  }
  return out;
}

function spaceLines(report: Report): string[] {
  const out: string[] = [];
  const space = report.space;
  if (space?.sizeTree.length) {
    out.push('', 'Where the bytes are:');
    for (const n of space.sizeTree) {
      out.push(`  ${padStart(formatBytes(n.bytes), 10)}  ${'  '.repeat(n.depth)}/${t(n.path)}${n.dir ? '/' : ''}${n.dir ? `  (${n.files} files)` : ''}`);
    }
  } else {
    const dirs = (report.largestDirectories ?? []).filter((d) => d.bytes > 0);
    if (dirs.length) {
      out.push('', 'Largest directories:');
      for (const d of dirs) out.push(`  ${pad(formatBytes(d.bytes), 10)} /${t(d.path)}`);
    }
  }
  if (space?.largestFiles.length) {
    out.push('', `Largest files (${space.largestFiles.length}):`);
    for (const f of space.largestFiles) {
      out.push(
        `  ${padStart(formatBytes(f.bytes), 10)}  /${t(f.path)}  (layer ${num(f.layer)}${stepOfLayer(report, f.layer) ? `, ${clip(stepOfLayer(report, f.layer)!, 60)}` : ''})`
      );
    }
  }
  const perStep = (space?.layerFiles ?? []).filter((l) => !report.layers[l.layer]?.fromBase && l.files.length);
  if (perStep.length) {
    out.push('', 'Files each step added (largest first):');
    for (const l of perStep) {
      out.push(`  layer ${l.layer} ${clip(stepOfLayer(report, l.layer) ?? '', 70)} — ${l.count} file${l.count === 1 ? '' : 's'}, ${formatBytes(l.bytes)}`);
      for (const f of l.files.slice(0, 5)) out.push(`    ${padStart(formatBytes(f.bytes), 10)}  /${t(f.path)}`);
      if (l.count > Math.min(5, l.files.length)) out.push(`    …and ${l.count - Math.min(5, l.files.length)} more`);
    }
  }
  return out;
}

function stepLabel(s: StepMatch): string {
  const line =
    s.baseLine !== undefined && s.headLine !== undefined && s.baseLine !== s.headLine
      ? `line ${s.baseLine}→${s.headLine}`
      : (s.headLine ?? s.baseLine)
        ? `line ${s.headLine ?? s.baseLine}`
        : s.fromBase
          ? 'base'
          : '';
  return line;
}

/** Base | Current | Δ, the steps whose layers changed, and new and fixed findings. Plain text only. */
export function comparisonLines(diff: ReportDiff, paint: Paint = painter(false)): string[] {
  const out = ['', paint('bold', `Compared with ${t(diff.baseLabel ?? 'the baseline')}:`)];
  const rows = diff.metrics.filter((m) => m.head !== undefined || m.base !== undefined);
  const cells = rows.map((m) => [m.label, formatMetricValue(m, m.base), formatMetricValue(m, m.head), formatMetricDelta(m)]);
  const header = ['Metric', 'Base', 'Current', 'Δ'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const row = (c: string[]) => `  ${pad(c[0], widths[0])}  ${padStart(c[1], widths[1])}  ${padStart(c[2], widths[2])}  ${c[3]}`.trimEnd();
  out.push(row(header), ...cells.map(row));
  // A step rebuilt to the same size (new mtimes, same files) is counted, not listed.
  const rebuilt = diff.steps.filter((s) => s.status === 'changed' && s.delta === 0).length;
  const changed = diff.steps
    .filter((s) => s.status !== 'unchanged' && !(s.status === 'changed' && s.delta === 0))
    .sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta) || a.instruction.localeCompare(b.instruction));
  const also = rebuilt ? `; ${rebuilt} more rebuilt with the same size` : '';
  out.push('', changed.length ? `Steps whose layers changed (${changed.length}${also}):` : `No step changed its layers${also}.`);
  for (const s of changed.slice(0, 15)) {
    const sizes = `${s.baseLayers.length ? formatBinaryBytes(s.baseSize) : '–'} → ${s.headLayers.length ? formatBinaryBytes(s.headSize) : '–'}`;
    const tag = s.status === 'added' ? ' (new step)' : s.status === 'removed' ? ' (removed step)' : '';
    const what = s.instruction || (s.fromBase ? 'base image layer' : 'layer without history');
    out.push(`  ${padStart(formatBytesDelta(s.delta), 11)}  ${pad(stepLabel(s), 10)} ${clip(what, 70)}${tag}  [${sizes}]`);
    if (s.baseInstruction) out.push(`  ${' '.repeat(11)}  ${' '.repeat(10)} was: ${clip(s.baseInstruction, 70)}`);
  }
  if (changed.length > 15) out.push(`  …and ${changed.length - 15} more`);
  const fresh = diff.newFindings.filter((f) => !f.suppressed);
  out.push('', fresh.length ? `New findings (${fresh.length}):` : 'New findings: none.');
  for (const f of fresh) out.push('  ' + findingLine(f, paint));
  out.push(diff.fixedFindings.length ? `Fixed findings (${diff.fixedFindings.length}):` : 'Fixed findings: none.');
  for (const f of diff.fixedFindings) out.push('  ' + findingLine(f, paint));
  return out;
}

function timingLines(report: Report): string[] {
  const timings = report.timings;
  if (!timings) return [];
  const parts = TIMING_STAGES.filter((s) => timings[s] !== undefined).map((s) => `${s} ${formatDuration(timings[s]!)}`);
  return parts.length ? ['', `Timings: ${parts.join(', ')}`] : [];
}

export function verdictLines(report: Report, paint: Paint = painter(false)): string[] {
  if (!report.verdict) return [];
  const out = [''];
  const v = report.verdict;
  out.push(`Verdict: ${v.passed ? paint('green', 'PASS') : paint('red', 'FAIL')} — ${t(v.summary)}`);
  for (const c of v.checks.filter((c) => !c.passed)) {
    out.push(`  ✗ ${t(c.name)}: ${t(c.actual)} (limit ${t(c.limit)})`);
    for (const f of c.findings ?? [])
      out.push(`      ${paint(SEVERITY_STYLE[f.severity] ?? 'bold', pad(t(f.severity), 7))} ${pad(t(f.rule), 26)} ${t(f.where ?? '')}`.trimEnd());
  }
  return out;
}

function findingLine(f: Finding, paint: Paint): string {
  const loc = f.file ? `${t(f.file)}${f.line ? `:${num(f.line)}` : ''}` : f.path ? `/${t(f.path)}` : f.layer !== undefined ? `layer ${num(f.layer)}` : '';
  const sup = f.suppressed ? ` (suppressed${f.suppressed.reason ? `: ${t(f.suppressed.reason)}` : ''})` : '';
  const also = f.mergedFrom?.length ? ` [also ${f.mergedFrom.map((m) => t(m.rule)).join(', ')}]` : '';
  return `${paint(SEVERITY_STYLE[f.severity] ?? 'bold', pad(t(f.severity), 7))} ${pad(t(f.rule), 26)} ${loc ? loc + ' ' : ''}${t(f.message)}${also}${sup}`;
}
