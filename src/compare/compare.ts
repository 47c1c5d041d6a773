// Report(base) × Report(head) → ReportDiff. Pure.
import type { Finding, Report } from '../report/types.js';
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

export function compareReports(base: Report, head: Report, baseLabel?: string): ReportDiff {
  const baseFingerprints = new Set(base.findings.map((f) => f.fingerprint));
  const headFingerprints = new Set(head.findings.map((f) => f.fingerprint));
  return {
    ...(baseLabel ? { baseLabel } : {}),
    metrics: reportMetrics(head, base),
    steps: matchSteps(base, head),
    newFindings: head.findings.filter((f) => !baseFingerprints.has(f.fingerprint)),
    existingFindings: head.findings.filter((f) => baseFingerprints.has(f.fingerprint)),
    fixedFindings: base.findings.filter((f) => !headFingerprints.has(f.fingerprint)),
    ...(base.packages && head.packages ? { packages: comparePackages(base, head) } : {})
  };
}

/** The metric row by name (always present in a diff). */
export const metric = (diff: ReportDiff, name: MetricName): MetricDelta => diff.metrics.find((m) => m.name === name)!;
