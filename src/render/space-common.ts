// Small helpers the text and markdown renderers share (plain strings; no escaping here).
import type { Report, StageTimings } from '../report/types.js';
import { normaliseCreatedBy } from '../compare/steps.js';

export const TIMING_STAGES: (keyof StageTimings)[] = ['lint', 'build', 'analysis', 'baseline', 'publishing', 'total'];

/** `line 7: RUN npm ci` for a layer attributed to a Dockerfile step, else its history text. */
export function stepOfLayer(report: Report, layer: number): string | undefined {
  const l = report.layers[layer];
  if (!l) return undefined;
  if (l.step) return `${l.step.line ? `line ${l.step.line}: ` : ''}${l.step.instruction}`;
  const text = normaliseCreatedBy(l.createdBy);
  return text ? `${l.fromBase ? 'base: ' : ''}${text}` : undefined;
}
