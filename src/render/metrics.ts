// Metric values and deltas as people read them, shared by the text and markdown renderers (plain strings:
// each renderer escapes for its own medium).
import type { MetricDelta } from '../compare/types.js';
import { formatBinaryBytes, formatBytesDelta, formatPercentDelta } from '../util/bytes.js';

const sign = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `${n}` : '±0');
const pct = (ratio: number) => `${(ratio * 100).toFixed(1)} %`;

export function formatMetricValue(m: MetricDelta, v: number | undefined): string {
  if (v === undefined) return '–';
  if (m.unit === 'bytes') return formatBinaryBytes(v);
  if (m.unit === 'ratio') return pct(v);
  return String(v);
}

export function formatMetricDelta(m: MetricDelta): string {
  if (m.delta === undefined || m.base === undefined) return '–';
  if (m.unit === 'bytes') return m.delta === 0 ? '±0 B' : `${formatBytesDelta(m.delta)} (${formatPercentDelta(m.delta, m.base)})`;
  if (m.unit === 'ratio') {
    const points = m.delta * 100;
    return Math.abs(points) < 0.05 ? '±0 pts' : `${points > 0 ? '+' : '-'}${Math.abs(points).toFixed(1)} pts`;
  }
  return sign(m.delta);
}

/** Milliseconds as `850 ms`, `12.3 s` or `2 min 5 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}
