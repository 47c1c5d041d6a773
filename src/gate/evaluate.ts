// Report + optional Diff + Thresholds → Verdict. Every configured threshold is listed with its limit and the
// measured value in human units, including the ones that could not be evaluated (and why), so a reader of the
// comment sees exactly what was checked.
import type { ByteLimit, Thresholds } from '../config/types.js';
import type { FailedFinding, Finding, Report, Severity, ThresholdResult, Verdict } from '../report/types.js';
import { formatBytes, formatBytesDelta, formatPercentDelta } from '../util/bytes.js';
import type { ReportDiff } from '../compare/types.js';
import { activeFindings } from '../compare/compare.js';

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

const percent = (ratio: number) => `${(ratio * 100).toFixed(1)} %`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const formatLimit = (limit: ByteLimit, of: string) => ('bytes' in limit ? formatBytes(limit.bytes) : `${limit.percent} % of ${of}`);

/** Lint findings at or above the failing severity, unsuppressed. */
export function failingLintFindings(report: Report, failOn: Severity | 'none'): Finding[] {
  if (failOn === 'none') return [];
  return activeFindings(report, 'lint').filter((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failOn]);
}

/**
 * Findings of every stage at or above `failOn`, unsuppressed. Secret findings are gated by fail-on-secrets
 * (true: any secret fails, listed under that check; false: secrets never fail), so they are left out here.
 */
export function failingFindings(report: Report, failOn: Severity | 'none'): Finding[] {
  if (failOn === 'none') return [];
  return report.findings.filter((f) => !f.suppressed && f.category !== 'secret' && SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failOn]);
}

export function findingWhere(f: Finding): string | undefined {
  if (f.file) return `${f.file}${f.line ? `:${f.line}` : ''}`;
  if (f.path) return `/${f.path}`;
  return f.layer !== undefined ? `layer ${f.layer}` : undefined;
}

const failed = (f: Finding): FailedFinding => {
  const where = findingWhere(f);
  return { rule: f.rule, severity: f.severity, category: f.category, fingerprint: f.fingerprint, ...(where ? { where } : {}) };
};

const severityCounts = (findings: Finding[]) =>
  (['error', 'warning', 'info'] as const)
    .map((s) => [s, findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => plural(n, s));

export function evaluateThresholds(report: Report, diff: ReportDiff | undefined, t: Thresholds): Verdict {
  const checks: ThresholdResult[] = [];
  const image = report.image;
  const skip = (name: string, limit: string, reason: string) => checks.push({ name, limit, actual: 'not evaluated', passed: true, skipped: reason });
  const noImage = 'no image was analysed';

  const maxBytes = (name: string, limit: number | undefined, actual: number | undefined) => {
    if (limit === undefined) return;
    if (actual === undefined) return skip(name, formatBytes(limit), noImage);
    checks.push({ name, limit: formatBytes(limit), actual: formatBytes(actual), passed: actual <= limit });
  };
  maxBytes('max-size', t.maxSize, image?.size);
  maxBytes('max-compressed-size', t.maxCompressedSize, image?.compressedSize);

  if (t.maxLayers !== undefined) {
    if (!image) skip('max-layers', String(t.maxLayers), noImage);
    else checks.push({ name: 'max-layers', limit: String(t.maxLayers), actual: String(image.layers), passed: image.layers <= t.maxLayers });
  }

  const baseImage = diff?.metrics.find((m) => m.name === 'size')?.base;
  if (t.maxSizeIncrease !== undefined) {
    const limitText = 'bytes' in t.maxSizeIncrease ? `+${formatBytes(t.maxSizeIncrease.bytes)}` : `+${t.maxSizeIncrease.percent} % of the base`;
    if (!image) skip('max-size-increase', limitText, noImage);
    else if (!diff || baseImage === undefined) skip('max-size-increase', limitText, 'no baseline to compare with');
    else {
      const delta = image.size - baseImage;
      const allowed = 'bytes' in t.maxSizeIncrease ? t.maxSizeIncrease.bytes : (baseImage * t.maxSizeIncrease.percent) / 100;
      const pct = formatPercentDelta(delta, baseImage);
      checks.push({ name: 'max-size-increase', limit: limitText, actual: `${formatBytesDelta(delta)} (${pct})`, passed: delta <= allowed });
    }
  }

  if (t.maxLayersIncrease !== undefined) {
    const limitText = `+${t.maxLayersIncrease}`;
    const baseLayers = diff?.metrics.find((m) => m.name === 'layers')?.base;
    if (!image) skip('max-layers-increase', limitText, noImage);
    else if (!diff || baseLayers === undefined) skip('max-layers-increase', limitText, 'no baseline to compare with');
    else {
      const delta = image.layers - baseLayers;
      checks.push({ name: 'max-layers-increase', limit: limitText, actual: `${delta >= 0 ? '+' : ''}${delta}`, passed: delta <= t.maxLayersIncrease });
    }
  }

  if (t.maxWasted !== undefined) {
    const limitText = formatLimit(t.maxWasted, 'the image size');
    if (!image) skip('max-wasted', limitText, noImage);
    else {
      const allowed = 'bytes' in t.maxWasted ? t.maxWasted.bytes : (image.size * t.maxWasted.percent) / 100;
      const share = image.size > 0 ? ` (${((image.wastedBytes / image.size) * 100).toFixed(1)} %)` : '';
      checks.push({ name: 'max-wasted', limit: limitText, actual: `${formatBytes(image.wastedBytes)}${share}`, passed: image.wastedBytes <= allowed });
    }
  }

  if (t.maxUserWasted !== undefined) {
    // The base image excluded from both sides (dive's highestUserWastedPercent): waste the Dockerfile can fix,
    // against the bytes its own layers add.
    const limitText = formatLimit(t.maxUserWasted, "the user's layers");
    if (!image) skip('max-user-wasted', limitText, noImage);
    else {
      const userBytes = report.layers.filter((l) => !l.fromBase).reduce((sum, l) => sum + l.size, 0);
      const allowed = 'bytes' in t.maxUserWasted ? t.maxUserWasted.bytes : (userBytes * t.maxUserWasted.percent) / 100;
      const share = userBytes > 0 ? ` (${((image.userWastedBytes / userBytes) * 100).toFixed(1)} %)` : '';
      checks.push({
        name: 'max-user-wasted',
        limit: limitText,
        actual: `${formatBytes(image.userWastedBytes)}${share}`,
        passed: image.userWastedBytes <= allowed
      });
    }
  }

  if (t.minEfficiency !== undefined) {
    if (!image) skip('min-efficiency', percent(t.minEfficiency), noImage);
    else
      checks.push({ name: 'min-efficiency', limit: percent(t.minEfficiency), actual: percent(image.efficiency), passed: image.efficiency >= t.minEfficiency });
  }

  if (t.failOnSecrets) {
    const secrets = activeFindings(report, 'secret');
    checks.push({
      name: 'fail-on-secrets',
      limit: '0 secrets',
      actual: plural(secrets.length, 'secret'),
      passed: secrets.length === 0,
      ...(secrets.length ? { findings: secrets.map(failed) } : {})
    });
  }

  if (t.failOn !== 'none') {
    const failing = failingFindings(report, t.failOn);
    const limit = t.failOn === 'info' ? 'no findings' : t.failOn === 'warning' ? 'no warnings or errors' : 'no errors';
    const counts = severityCounts(failing);
    checks.push({
      name: t.failOnSource === 'fail-on-lint' ? 'fail-on-lint' : 'fail-on',
      limit,
      actual: counts.length ? counts.join(', ') : 'none',
      passed: failing.length === 0,
      ...(failing.length ? { findings: failing.map(failed) } : {})
    });
  }

  const failedChecks = checks.filter((c) => !c.passed);
  const describe = (c: ThresholdResult) =>
    c.findings
      ? `${c.name} (${c.actual}: ${[...new Set(c.findings.map((f) => f.rule))].join(', ')})`
      : `${c.name} (${c.actual} ${c.name.startsWith('min-') ? '<' : '>'} ${c.limit})`;
  return {
    passed: failedChecks.length === 0,
    checks,
    summary: failedChecks.length === 0 ? 'passed' : `failed: ${failedChecks.map(describe).join(', ')}`
  };
}
