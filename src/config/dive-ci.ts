// dive's CI file (`.dive-ci`, read by `dive --ci`) as a threshold source, so dive users keep their file.
//
//   rules:
//     lowestEfficiency: 0.95          → min-efficiency 0.95   (dive: fail when efficiency < value)
//     highestWastedBytes: 20MB        → max-wasted 20MB       (dive: fail when wasted bytes > value)
//     highestUserWastedPercent: 0.20  → max-user-wasted 20%   (dive: fail when wasted / user bytes > value)
//
// Any value may be `disabled` (dive's word for "skip this rule"). dive's "user" bytes are every layer but the
// first; ours exclude every base-image layer (the FROM image's whole stack) and count only the waste hidden in the
// user's layers, so with a multi-layer base the two differ (docs/dive-mapping.md). Keys dive does not define are
// an error, as in .image-audit.yml.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { UserError } from '../util/errors.js';
import { applyThresholdInput, type ThresholdName } from './load.js';
import type { Thresholds } from './types.js';

export const DIVE_CI_FILE = '.dive-ci';

/** dive rule key → our threshold and how a dive value becomes ours. */
export const DIVE_RULES: Record<string, { threshold: ThresholdName; convert: (v: string | number) => string | number }> = {
  lowestEfficiency: { threshold: 'min-efficiency', convert: (v) => v },
  // dive parses sizes with go-humanize: case-insensitive units, `k`/`m`/`g` meaning kB/MB/GB.
  highestWastedBytes: { threshold: 'max-wasted', convert: (v) => (typeof v === 'number' ? v : humanizeBytes(v)) },
  // A ratio in dive (0.1 = 10 %); a percentage of the user's layer bytes here.
  highestUserWastedPercent: {
    threshold: 'max-user-wasted',
    convert: (v) => {
      const n = typeof v === 'number' ? v : /^\s*\d*\.?\d+\s*$/.test(v) ? Number(v) : NaN;
      return Number.isFinite(n) && n >= 0 ? `${+(n * 100).toFixed(6)}%` : String(v);
    }
  }
};

const UNIT = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i;
const HUMANIZE: Record<string, string> = {
  '': 'B',
  b: 'B',
  k: 'kB',
  kb: 'kB',
  m: 'MB',
  mb: 'MB',
  g: 'GB',
  gb: 'GB',
  kib: 'KiB',
  ki: 'KiB',
  mib: 'MiB',
  mi: 'MiB',
  gib: 'GiB',
  gi: 'GiB'
};

function humanizeBytes(text: string): string {
  const m = UNIT.exec(text);
  const unit = m ? HUMANIZE[m[2].toLowerCase()] : undefined;
  return m && unit ? `${m[1]}${unit}` : text;
}

/** Applies a parsed `.dive-ci` document onto `thresholds`; `file` names it in errors. Returns the thresholds set. */
export function applyDiveCi(doc: unknown, thresholds: Thresholds, file: string): ThresholdName[] {
  if (doc === null || doc === undefined) return [];
  const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isMap(doc)) throw new UserError(`${file} must be a mapping with a rules: section, as dive reads it.`);
  const rules = doc.rules;
  if (rules === undefined || rules === null) return [];
  if (!isMap(rules)) throw new UserError(`${file}: rules must be a mapping (lowestEfficiency, highestWastedBytes, highestUserWastedPercent).`);
  const set: ThresholdName[] = [];
  for (const [key, value] of Object.entries(rules)) {
    const rule = DIVE_RULES[key];
    const where = `${file}: rules.${key}`;
    if (!rule) throw new UserError(`${where} is not a dive CI rule; dive's rules are ${Object.keys(DIVE_RULES).join(', ')}.`);
    if (typeof value !== 'string' && typeof value !== 'number') throw new UserError(`${where}: expected a single value.`);
    if (typeof value === 'string' && value.trim().toLowerCase() === 'disabled') continue;
    applyThresholdInput(thresholds, rule.threshold, rule.convert(value), `${where} (→ ${rule.threshold})`);
    set.push(rule.threshold);
  }
  return set;
}

/** Reads `.dive-ci` in `cwd` when it exists and applies it onto `thresholds`. No file → nothing. */
export async function loadDiveCi(cwd: string, thresholds: Thresholds): Promise<ThresholdName[]> {
  const file = path.join(cwd, DIVE_CI_FILE);
  const text = await fs.readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return [];
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new UserError(`${DIVE_CI_FILE}: not valid YAML (${doc.errors[0].message.split('\n')[0]}). Fix the syntax or remove the file.`);
  }
  return applyDiveCi(doc.toJS(), thresholds, DIVE_CI_FILE);
}
