// `.image-audit.yml`: read, validate every key and value, merge onto defaultConfig(). Action inputs and CLI
// flags go through applyThresholdInput, the same validation as the file, so errors read the same everywhere.
//
// rules:      { <rule-id>: off | info | warning | error }
// thresholds: { max-size: 200MB, max-compressed-size: 80MB, max-layers: 20, max-size-increase: 10% | 20MB,
//               max-layers-increase: 2, max-wasted: 5% | 10MB, min-efficiency: 0.9,
//               fail-on: error | warning | info | none (every finding: lint, image, secret), fail-on-secrets: true,
//               fail-on-lint: (deprecated alias of fail-on) }
// report:     { all-waste: false }
// secrets:    { suppress: [{ fingerprint: <sha256> | rule: <id>, path: <glob>, reason: <text>, expires: 2026-12-31 }],
//               allow-paths: [<glob>…] }
// waste:      { min-bytes: 1MB, min-percent: 5 }
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { allRuleMetas } from '../report/rule-catalog.js';
import type { Severity } from '../report/types.js';
import { parseBoolean } from '../util/boolean.js';
import { parseBytes, parseBytesOrPercent } from '../util/bytes.js';
import { UserError } from '../util/errors.js';
import { loadDiveCi } from './dive-ci.js';
import { defaultConfig, type AuditConfig, type ByteLimit, type SecretSuppression, type Thresholds } from './types.js';

export const CONFIG_FILE_NAMES = ['.image-audit.yml', '.image-audit.yaml'];

export const THRESHOLD_NAMES = [
  'max-size',
  'max-compressed-size',
  'max-layers',
  'max-size-increase',
  'max-layers-increase',
  'max-wasted',
  'max-user-wasted',
  'min-efficiency',
  'fail-on',
  'fail-on-secrets',
  'fail-on-lint'
] as const;
export type ThresholdName = (typeof THRESHOLD_NAMES)[number];

const SEVERITIES = ['error', 'warning', 'info'] as const;
const SIZE_EXAMPLE = 'use e.g. 200MiB, 200MB or 1.5GiB';

type ScalarInput = string | number | boolean;

const show = (v: unknown): string => (typeof v === 'string' ? `'${v}'` : (JSON.stringify(v) ?? String(v)));

/** A bare number is ambiguous (`--max-wasted 5` once meant 5 bytes): ask for a unit. 0 needs none. */
function rejectBareNumber(value: ScalarInput, where: string, percentAllowed: boolean): void {
  const text = String(value).trim();
  if (!/^\d+(?:\.\d+)?$/.test(text) || Number(text) === 0) return;
  const question = percentAllowed ? `${text} MB or ${text} %?` : `${text} MB or ${text} MiB?`;
  throw new UserError(
    `${where}: '${text}' has no unit: ${question} Write the unit, e.g. ${text}MiB${percentAllowed ? `, ${text}%` : ''} or ${text}B for bytes.`
  );
}

function sizeOf(value: ScalarInput, where: string): number {
  if (typeof value === 'number' || typeof value === 'string') rejectBareNumber(value, where, false);
  const bytes =
    typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value) : typeof value === 'string' ? parseBytes(value) : undefined;
  if (bytes === undefined) throw new UserError(`${where}: ${show(value)} is not a size; ${SIZE_EXAMPLE}.`);
  return bytes;
}

function limitOf(value: ScalarInput, where: string, maxPercent?: number): ByteLimit {
  if (typeof value === 'number' || typeof value === 'string') rejectBareNumber(value, where, true);
  const limit =
    typeof value === 'number'
      ? Number.isFinite(value) && value >= 0
        ? { bytes: Math.round(value) }
        : undefined
      : typeof value === 'string'
        ? parseBytesOrPercent(value)
        : undefined;
  if (limit === undefined) throw new UserError(`${where}: ${show(value)} is not a size or a percentage; use e.g. 10%, 20MB or 1.5GiB.`);
  if ('percent' in limit && maxPercent !== undefined && limit.percent > maxPercent) {
    throw new UserError(`${where}: ${show(value)} is more than ${maxPercent}%; use a percentage from 0 to ${maxPercent} or a size such as 10MB.`);
  }
  return limit;
}

function countOf(value: ScalarInput, where: string): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 0) throw new UserError(`${where}: ${show(value)} is not a whole number; use e.g. 20.`);
  return n;
}

function ratioOf(value: ScalarInput, where: string): number {
  let n = NaN;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string') {
    const pct = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(value);
    n = pct ? Number(pct[1]) / 100 : /^\s*\d*\.?\d+\s*$/.test(value) ? Number(value) : NaN;
  }
  if (!(n >= 0 && n <= 1)) throw new UserError(`${where}: ${show(value)} is not a ratio between 0 and 1; use e.g. 0.9 or 90%.`);
  return n;
}

function booleanOf(value: ScalarInput, where: string): boolean {
  if (typeof value === 'number') throw new UserError(`${where}: ${show(value)} is not true or false.`);
  // The one boolean parser (util/boolean.ts): the same words as action inputs and CLI flags.
  return parseBoolean(where, value, false);
}

function failOnOf(value: ScalarInput, where: string): Severity | 'none' {
  const v = typeof value === 'string' ? value.trim().toLowerCase() : value;
  if (v === 'error' || v === 'warning' || v === 'info' || v === 'none') return v;
  throw new UserError(`${where}: ${show(value)} is not a severity; use error, warning, info or none.`);
}

/**
 * Validates one threshold (an action input, a CLI flag or a file key) and sets it on `thresholds` (mutated).
 * `source` names where the value came from, e.g. `input max-size`, `--max-size` or
 * `.image-audit.yml: thresholds.max-size`; every error message starts with it. An empty string means
 * "not given" (unset action inputs are '') and changes nothing.
 */
export function applyThresholdInput(thresholds: Thresholds, name: string, value: ScalarInput, source: string): void {
  if (typeof value === 'string' && value.trim() === '') return;
  switch (name as ThresholdName) {
    case 'max-size':
      thresholds.maxSize = sizeOf(value, source);
      return;
    case 'max-compressed-size':
      thresholds.maxCompressedSize = sizeOf(value, source);
      return;
    case 'max-layers':
      thresholds.maxLayers = countOf(value, source);
      return;
    case 'max-size-increase':
      thresholds.maxSizeIncrease = limitOf(value, source);
      return;
    case 'max-layers-increase':
      thresholds.maxLayersIncrease = countOf(value, source);
      return;
    case 'max-wasted':
      thresholds.maxWasted = limitOf(value, source, 100);
      return;
    case 'max-user-wasted':
      thresholds.maxUserWasted = limitOf(value, source, 100);
      return;
    case 'min-efficiency':
      thresholds.minEfficiency = ratioOf(value, source);
      return;
    case 'fail-on':
      thresholds.failOn = failOnOf(value, source);
      thresholds.failOnSource = 'fail-on';
      return;
    case 'fail-on-secrets':
      thresholds.failOnSecrets = booleanOf(value, source);
      return;
    case 'fail-on-lint': {
      // Deprecated alias: it now gates every finding, like fail-on. fail-on wins when both are given.
      const level = failOnOf(value, source);
      (thresholds.warnings ??= []).push(`${source} is deprecated and now gates every finding (lint, image, secret); use fail-on instead.`);
      if (thresholds.failOnSource !== 'fail-on') {
        thresholds.failOn = level;
        thresholds.failOnSource = 'fail-on-lint';
      }
      return;
    }
    default:
      throw new UserError(`${source}: unknown threshold '${name}'; the thresholds are ${THRESHOLD_NAMES.join(', ')}.`);
  }
}

/** Every rule id a config may name: the linter's, the image analysis' and the secret scanner's. */
export const knownRuleIds = (): string[] => allRuleMetas().map((r) => r.id);

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

function expectMap(v: unknown, where: string): Record<string, unknown> {
  if (v === null || v === undefined) return {};
  if (!isMap(v)) throw new UserError(`${where} must be a mapping of keys to values.`);
  return v;
}

function checkKeys(map: Record<string, unknown>, allowed: readonly string[], where: string): void {
  for (const key of Object.keys(map)) {
    if (!allowed.includes(key)) {
      throw new UserError(`${where}.${key} is not a known setting; ${where} takes ${allowed.join(', ')}.`);
    }
  }
}

function scalar(v: unknown, where: string): ScalarInput {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  throw new UserError(`${where}: expected a single value, got ${Array.isArray(v) ? 'a list' : v === null ? 'nothing' : 'a mapping'}.`);
}

function stringOf(v: unknown, where: string): string {
  if (typeof v === 'string' && v.trim() !== '') return v;
  throw new UserError(`${where}: expected text, got ${show(v)}.`);
}

function isoDate(v: unknown, where: string): string {
  if (v instanceof Date && !Number.isNaN(v.getTime())) return v.toISOString().slice(0, 10);
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v))) return v;
  throw new UserError(`${where}: ${show(v)} is not a date; use YYYY-MM-DD, e.g. 2026-12-31.`);
}

function parseSuppression(v: unknown, where: string): SecretSuppression {
  const map = expectMap(v, where);
  checkKeys(map, ['fingerprint', 'rule', 'path', 'reason', 'expires'], where);
  const s: SecretSuppression = {};
  if (map.fingerprint !== undefined) {
    const fp = stringOf(map.fingerprint, `${where}.fingerprint`).trim().toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(fp)) throw new UserError(`${where}.fingerprint: '${fp}' is not a sha256 fingerprint (64 hex characters, as in the report).`);
    s.fingerprint = fp;
  }
  if (map.rule !== undefined) s.rule = stringOf(map.rule, `${where}.rule`);
  if (map.path !== undefined) s.path = stringOf(map.path, `${where}.path`);
  if (map.reason !== undefined) s.reason = stringOf(map.reason, `${where}.reason`);
  if (map.expires !== undefined) s.expires = isoDate(map.expires, `${where}.expires`);
  if (!s.fingerprint && !(s.rule && s.path)) {
    throw new UserError(`${where}: a suppression needs a fingerprint, or both rule and path (e.g. rule: secret-file, path: 'app/test/**').`);
  }
  return s;
}

/**
 * Validates a parsed config document and merges it onto `base` (default: defaultConfig(); loadConfig passes the
 * thresholds of a `.dive-ci` there, so the image-audit file wins over it). `file` names the source in errors.
 */
export function parseConfig(doc: unknown, file: string, base: AuditConfig = defaultConfig()): AuditConfig {
  const config = base;
  const root = expectMap(doc, file);
  const at = (key: string) => `${file}: ${key}`;
  checkKeys(root, ['rules', 'thresholds', 'secrets', 'waste', 'report'], file);

  const rules = expectMap(root.rules, at('rules'));
  const known = knownRuleIds();
  for (const [id, level] of Object.entries(rules)) {
    if (!known.includes(id)) throw new UserError(`${at(`rules.${id}`)} is not a known rule; the rules are ${known.join(', ')}.`);
    if (typeof level !== 'string' || !(level === 'off' || (SEVERITIES as readonly string[]).includes(level))) {
      throw new UserError(`${at(`rules.${id}`)}: ${show(level)} is not a level; use off, info, warning or error.`);
    }
    config.rules[id] = level as Severity | 'off';
  }

  const thresholds = expectMap(root.thresholds, at('thresholds'));
  checkKeys(thresholds, THRESHOLD_NAMES, at('thresholds'));
  for (const [name, value] of Object.entries(thresholds)) {
    applyThresholdInput(config.thresholds, name, scalar(value, at(`thresholds.${name}`)), at(`thresholds.${name}`));
  }

  const secrets = expectMap(root.secrets, at('secrets'));
  checkKeys(secrets, ['suppress', 'allow-paths'], at('secrets'));
  if (secrets.suppress !== undefined && secrets.suppress !== null) {
    if (!Array.isArray(secrets.suppress)) throw new UserError(`${at('secrets.suppress')} must be a list of suppressions.`);
    config.secrets.suppressions = secrets.suppress.map((s, i) => parseSuppression(s, at(`secrets.suppress[${i}]`)));
  }
  if (secrets['allow-paths'] !== undefined && secrets['allow-paths'] !== null) {
    const list = secrets['allow-paths'];
    if (!Array.isArray(list)) throw new UserError(`${at('secrets.allow-paths')} must be a list of path globs.`);
    config.secrets.allowPaths = list.map((p, i) => stringOf(p, at(`secrets.allow-paths[${i}]`)));
  }

  const report = expectMap(root.report, at('report'));
  checkKeys(report, ['all-waste'], at('report'));
  if (report['all-waste'] !== undefined) config.report.allWaste = booleanOf(scalar(report['all-waste'], at('report.all-waste')), at('report.all-waste'));

  const waste = expectMap(root.waste, at('waste'));
  checkKeys(waste, ['min-bytes', 'min-percent'], at('waste'));
  if (waste['min-bytes'] !== undefined) config.waste.minBytes = sizeOf(scalar(waste['min-bytes'], at('waste.min-bytes')), at('waste.min-bytes'));
  if (waste['min-percent'] !== undefined) {
    const v = scalar(waste['min-percent'], at('waste.min-percent'));
    const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v.replace(/%\s*$/, '')) : NaN;
    if (!(n >= 0 && n <= 100)) throw new UserError(`${at('waste.min-percent')}: ${show(v)} is not a percentage from 0 to 100; use e.g. 5.`);
    config.waste.minPercent = n;
  }
  return config;
}

/**
 * Reads `.image-audit.yml` (or `.image-audit.yaml`) in `cwd`, or the given path. No file in cwd → defaults;
 * a given path that does not exist → UserError. Paths are resolved against cwd.
 */
export async function loadConfig(opts: { path?: string; cwd: string }): Promise<AuditConfig> {
  // dive's `.dive-ci` is a threshold source too; the image-audit file and inputs win over it.
  const base = defaultConfig();
  await loadDiveCi(opts.cwd, base.thresholds);
  let file: string | undefined;
  let text: string | undefined;
  if (opts.path) {
    file = path.resolve(opts.cwd, opts.path);
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UserError(
        code === 'ENOENT' || code === 'ENOTDIR'
          ? `Config file not found: ${opts.path} (looked in ${file}). Fix the path, or remove the option to use ${CONFIG_FILE_NAMES[0]} in the working directory.`
          : `Cannot read the config file ${opts.path}: ${(e as Error).message}.`
      );
    }
  } else {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = path.join(opts.cwd, name);
      text = await fs.readFile(candidate, 'utf8').catch(() => undefined);
      if (text !== undefined) {
        file = candidate;
        break;
      }
    }
    if (text === undefined || file === undefined) return base;
  }
  const shown = path.relative(opts.cwd, file) || file;
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    const line = err.linePos?.[0];
    throw new UserError(
      `${shown}${line ? `:${line.line}:${line.col}` : ''}: not valid YAML (${err.message.split('\n')[0]}). Fix the syntax; see the README for the schema.`
    );
  }
  return parseConfig(doc.toJS(), shown, base);
}
