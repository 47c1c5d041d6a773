// Markdown sections added to the summary: where the bytes are (wasted files yours/base, size tree, largest
// files, files per step), stage timings, and the findings that failed the verdict. Kept apart from
// markdown.ts so its layout and escaping stay in one place; every user-controlled string goes through code().
import type { Report, WastedFile } from '../report/types.js';
import { formatBytes } from '../util/bytes.js';
import { code, escapeMarkdown, num } from './escape.js';
import { formatDuration } from './metrics.js';
import { stepOfLayer, TIMING_STAGES } from './space-common.js';

/** Closed set: a report's `how` is rendered from this table, never as the report spells it. */
const HOW: Record<string, string> = { overwritten: 'overwritten', deleted: 'deleted', opaque: 'opaque' };

export interface ExtrasOptions {
  details: (summary: string, body: string, open?: boolean) => string;
  /** Longest list. */
  max: number;
  allWaste?: boolean;
  /** Render the stage timings (the job summary; not the PR comment, which must not change between reruns). */
  timings?: boolean;
}

function wastedTable(files: WastedFile[]): string {
  return [
    '| Path | Bytes | Added in layer | Hidden in layer | How |',
    '| --- | ---: | ---: | ---: | --- |',
    ...files.map((w) => `| ${code(`/${w.path}`, 100)} | ${formatBytes(w.bytes)} | ${num(w.addedInLayer)} | ${num(w.hiddenInLayer)} | ${HOW[w.how] ?? '–'} |`)
  ].join('\n');
}

export function markdownExtras(report: Report, opts: ExtrasOptions): string[] {
  const parts: string[] = [];
  const wasted = [...(report.wastedFiles ?? [])].sort((a, b) => b.bytes - a.bytes);
  const yours = wasted.filter((w) => !w.fromBase).slice(0, opts.max);
  const base = wasted.filter((w) => w.fromBase);
  if (yours.length || base.length) {
    const blocks: string[] = [];
    blocks.push(yours.length ? `**Yours**\n\n${wastedTable(yours)}` : '**Yours:** none 🎉');
    const baseTotal = report.space?.baseWaste ?? { files: base.length, bytes: base.reduce((n, w) => n + w.bytes, 0) };
    if (baseTotal.bytes > 0) {
      blocks.push(
        opts.allWaste && base.length
          ? `**The base image's**\n\n${wastedTable(base.slice(0, opts.max))}`
          : `**The base image's:** ${formatBytes(baseTotal.bytes)} in ${baseTotal.files} item${baseTotal.files === 1 ? '' : 's'} (not yours to fix; \`all-waste\` lists them)`
      );
    }
    parts.push(opts.details('Largest wasted files', blocks.join('\n\n')));
  }
  const space = report.space;
  if (space?.sizeTree.length) {
    const rows = space.sizeTree.map((n) => {
      const indent = '&nbsp;&nbsp;'.repeat(n.depth);
      return `| ${indent}${code(`/${n.path}${n.dir ? '/' : ''}`, 100)} | ${formatBytes(n.bytes)} | ${n.files} |`;
    });
    parts.push(opts.details('Where the bytes are (size tree)', ['| Path | Bytes | Files |', '| --- | ---: | ---: |', ...rows].join('\n')));
  }
  if (space?.largestFiles.length) {
    const rows = space.largestFiles.map((f) => {
      const step = stepOfLayer(report, f.layer);
      return `| ${code(`/${f.path}`, 100)} | ${formatBytes(f.bytes)} | ${f.layer} | ${step ? code(step, 60) : '–'} |`;
    });
    parts.push(
      opts.details(`Largest files (${space.largestFiles.length})`, ['| File | Bytes | Layer | Step |', '| --- | ---: | ---: | --- |', ...rows].join('\n'))
    );
  }
  const perStep = (space?.layerFiles ?? []).filter((l) => !report.layers[l.layer]?.fromBase && l.files.length);
  if (perStep.length) {
    const blocks = perStep.map((l) => {
      const step = stepOfLayer(report, l.layer) ?? `layer ${l.layer}`;
      const list = l.files.map((f) => `| ${code(`/${f.path}`, 100)} | ${formatBytes(f.bytes)} |`);
      const more = l.count > l.files.length ? `\n\n_…and ${l.count - l.files.length} more files._` : '';
      return `**Layer ${l.layer}** ${code(step, 80)}: ${l.count} file${l.count === 1 ? '' : 's'}, ${formatBytes(l.bytes)}\n\n| File | Bytes |\n| --- | ---: |\n${list.join('\n')}${more}`;
    });
    parts.push(opts.details('Files each step added', blocks.join('\n\n')));
  }
  const t = report.timings;
  if (opts.timings && t && Object.keys(t).length) {
    const rows = TIMING_STAGES.filter((s) => t[s] !== undefined).map((s) => `| ${s} | ${formatDuration(t[s]!)} |`);
    parts.push(opts.details('Timings', ['| Stage | Time |', '| --- | ---: |', ...rows].join('\n')));
  }
  return parts;
}

/** The findings that failed the verdict, one bullet each (rule, severity, where). */
export function failedFindingsMarkdown(report: Report, max = 20): string {
  const failed = (report.verdict?.checks ?? []).filter((c) => !c.passed).flatMap((c) => c.findings ?? []);
  if (!failed.length) return '';
  const rows = failed.slice(0, max).map((f) => `- ${f.severity} ${code(f.rule, 40)}${f.where ? ` at ${code(f.where, 80)}` : ''}`);
  const more = failed.length > max ? `\n- _…and ${failed.length - max} more (${escapeMarkdown('see the findings table')})._` : '';
  return rows.join('\n') + more;
}
