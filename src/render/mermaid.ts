// A Mermaid `xychart-beta` of layer sizes per step: bars are the PR, the line is the base (xychart draws several
// bar series on top of each other, so a line keeps the base visible where the PR's bar is taller).
import type { StepMatch } from '../compare/types.js';
import type { Report } from '../report/types.js';
import { mermaidLabel } from './escape.js';

const MIB = 1024 * 1024;

function stepLabel(s: { instruction: string; line?: number; fromBase: boolean }, i: number): string {
  const keyword = /^\S+/.exec(s.instruction)?.[0] ?? 'step';
  if (s.fromBase) return mermaidLabel(`base ${i + 1}`);
  return mermaidLabel(s.line !== undefined ? `L${s.line} ${keyword}` : `${i + 1} ${keyword}`);
}

const round = (bytes: number) => Number((bytes / MIB).toFixed(2));

export function renderLayerChart(report: Report, steps: StepMatch[] | undefined, maxBars = 15): string {
  type Bar = { label: string; head: number; base?: number; order: number };
  let bars: Bar[];
  if (steps) {
    bars = steps.map((s, i) => ({
      label: stepLabel({ instruction: s.instruction, line: s.headLine ?? s.baseLine, fromBase: s.fromBase }, i),
      head: s.headSize,
      base: s.baseSize,
      order: i
    }));
  } else {
    bars = report.layers.map((l, i) => ({
      label: stepLabel(
        { instruction: l.step?.instruction ?? l.createdBy.replace(/^\/bin\/sh -c (#\(nop\) )?/, ''), line: l.step?.line, fromBase: l.fromBase },
        i
      ),
      head: l.size,
      order: i
    }));
  }
  // Keep the biggest bars, shown in Dockerfile order.
  bars = [...bars]
    .sort((a, b) => Math.max(b.head, b.base ?? 0) - Math.max(a.head, a.base ?? 0))
    .slice(0, maxBars)
    .sort((a, b) => a.order - b.order);
  if (bars.length === 0) return '';
  const title = steps ? 'Layer size per step (MiB): bars = PR, line = base' : 'Layer size per step (MiB)';
  const lines = [
    '```mermaid',
    'xychart-beta',
    `    title "${title}"`,
    `    x-axis [${bars.map((b) => b.label).join(', ')}]`,
    '    y-axis "MiB"',
    `    bar [${bars.map((b) => round(b.head)).join(', ')}]`
  ];
  if (steps) lines.push(`    line [${bars.map((b) => round(b.base ?? 0)).join(', ')}]`);
  lines.push('```');
  return lines.join('\n');
}
