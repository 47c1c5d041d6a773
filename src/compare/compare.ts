// Report(base) × Report(head) → ReportDiff. Pure.
import { comparePlatforms } from './platforms.js';
import type { Comparison, Finding, Report } from '../report/types.js';
import { matchSteps } from './steps.js';
import { comparePackages } from './packages.js';
import type { MetricDelta, MetricName, MetricUnit, ReportDiff } from './types.js';

/** Unsuppressed findings of a category: the ones that count (and can fail the run). */
export const activeFindings = (report: Report, category: Finding['category']): Finding[] =>
  report.findings.filter((f) => f.category === category && !f.suppressed);

const METRICS: { name: MetricName; label: string; unit: MetricUnit; read: (r: Report) => number | undefined }[] = [
  { name: 'size', label: 'Size', unit: 'bytes', read: (r) => r.image?.size },
  { name: 'compressedSize', label: 'Compressed size', unit: 'bytes', read: (r) => r.image?.compressedSize },
  { name: 'layers', label: 'Layers', unit: 'count', read: (r) => r.image?.layers },
  { name: 'wastedBytes', label: 'Wasted bytes', unit: 'bytes', read: (r) => r.image?.wastedBytes },
  { name: 'efficiency', label: 'Efficiency', unit: 'ratio', read: (r) => r.image?.efficiency },
  { name: 'packages', label: 'Packages', unit: 'count', read: (r) => r.image?.packages },
  { name: 'executables', label: 'Executables', unit: 'count', read: (r) => r.image?.executables },
  { name: 'secretFindings', label: 'Secret findings', unit: 'count', read: (r) => activeFindings(r, 'secret').length },
  { name: 'lintFindings', label: 'Lint findings', unit: 'count', read: (r) => activeFindings(r, 'lint').length }
];

/** The metric rows for one report alone (no baseline): same rows, head values only. */
export function reportMetrics(head: Report, base?: Report): MetricDelta[] {
  return METRICS.map(({ name, label, unit, read }) => {
    const h = read(head);
    const b = base ? read(base) : undefined;
    return { name, label, unit, base: b, head: h, delta: h !== undefined && b !== undefined ? h - b : undefined };
  });
}

/** A finding's own fingerprint and those merged into it (one problem found by lint and by the analysis). */
const fingerprintsOf = (f: Finding): string[] => [f.fingerprint, ...(f.mergedFrom ?? []).map((m) => m.fingerprint)];

export function compareReports(base: Report, head: Report, baseLabel?: string): ReportDiff {
  const baseSet = new Set(base.findings.flatMap(fingerprintsOf));
  const headSet = new Set(head.findings.flatMap(fingerprintsOf));
  const baseFingerprints = { has: (fp: string) => baseSet.has(fp) };
  const headFingerprints = { has: (fp: string) => headSet.has(fp) };
  return {
    ...(baseLabel ? { baseLabel } : {}),
    metrics: reportMetrics(head, base),
    steps: matchSteps(base, head),
    newFindings: head.findings.filter((f) => !fingerprintsOf(f).some((fp) => baseFingerprints.has(fp))),
    existingFindings: head.findings.filter((f) => fingerprintsOf(f).some((fp) => baseFingerprints.has(fp))),
    fixedFindings: base.findings.filter((f) => !fingerprintsOf(f).some((fp) => headFingerprints.has(fp))),
    ...withPlatforms(base, head),
    ...(base.packages && head.packages ? { packages: comparePackages(base, head) } : {})
  };
}

const withPlatforms = (base: Report, head: Report) => {
  const platforms = comparePlatforms(base, head);
  return platforms ? { platforms } : {};
};

/** The metric row by name (always present in a diff). */
export const metric = (diff: ReportDiff, name: MetricName): MetricDelta => diff.metrics.find((m) => m.name === name)!;

/** The diff as the JSON report carries it (`Report.comparison`): fingerprints plus the base's fixed findings. */
export function toComparison(diff: ReportDiff, base?: Report): Comparison {
  return {
    ...(diff.baseLabel ? { baseLabel: diff.baseLabel } : {}),
    ...(base?.image ? { base: { ref: base.image.ref, id: base.image.id, generatedAt: base.generatedAt } } : {}),
    metrics: diff.metrics,
    steps: diff.steps,
    newFindings: diff.newFindings.map((f) => f.fingerprint),
    existingFindings: diff.existingFindings.map((f) => f.fingerprint),
    fixedFindings: diff.fixedFindings.map((f) => f.fingerprint),
    fixed: diff.fixedFindings
  };
}

/** Report.comparison → the ReportDiff renderers take, so a saved report renders its comparison alone. */
export function diffOf(report: Report): ReportDiff | undefined {
  const c = report.comparison;
  if (!c) return undefined;
  const pick = (fps: string[]) => {
    const wanted = new Set(fps);
    return report.findings.filter((f) => wanted.has(f.fingerprint));
  };
  return {
    ...(c.baseLabel ? { baseLabel: c.baseLabel } : {}),
    metrics: c.metrics,
    steps: c.steps,
    newFindings: pick(c.newFindings),
    existingFindings: pick(c.existingFindings),
    fixedFindings: c.fixed
  };
}
