// Size parsing for thresholds and human formatting for reports.
// Input units: B, kB/KB, MB, GB, TB are powers of 1000; KiB, MiB, GiB, TiB powers of 1024 (case-insensitive).
// Output is always IEC (KiB, MiB, GiB): one unit system in text, markdown, verdicts and messages.
import prettyBytes from 'pretty-bytes';

const UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
  k: 1e3,
  m: 1e6,
  g: 1e9
};

/** Parses `200MB`, `1.5 GiB`, `512` (bytes). Returns undefined for malformed input. */
export function parseBytes(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([a-z]*)\s*$/i.exec(text);
  if (!m) return undefined;
  const unit = m[2].toLowerCase() || 'b';
  const factor = UNITS[unit];
  if (factor === undefined) return undefined;
  return Math.round(Number(m[1]) * factor);
}

/** Parses `10%` → {percent: 10} or a byte size → {bytes}. */
export function parseBytesOrPercent(text: string): { bytes: number } | { percent: number } | undefined {
  const p = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(text);
  if (p) return { percent: Number(p[1]) };
  const b = parseBytes(text);
  return b === undefined ? undefined : { bytes: b };
}

/** `233.9 MiB`: IEC units, at most one decimal. */
export const formatBytes = (n: number): string => prettyBytes(n, { binary: true, maximumFractionDigits: 1 });

/** `20.0 MiB`: IEC units with exactly one decimal, for tables where columns line up. */
export const formatBinaryBytes = (n: number): string =>
  Math.abs(n) < 1024 ? `${n} B` : prettyBytes(n, { binary: true, minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** Signed delta, e.g. `+20.0 MiB` / `-1.2 MiB` / `±0 B`. */
export function formatBytesDelta(delta: number): string {
  if (delta === 0) return '±0 B';
  return (delta > 0 ? '+' : '-') + formatBinaryBytes(Math.abs(delta));
}

/** Signed percentage of `base`, e.g. `+988 %`; empty when the base is 0. */
export function formatPercentDelta(delta: number, base: number): string {
  if (base === 0) return delta === 0 ? '0 %' : 'new';
  const pct = (delta / base) * 100;
  const abs = Math.abs(pct);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return `${pct > 0 ? '+' : pct < 0 ? '-' : '±'}${abs.toFixed(digits)} %`;
}
