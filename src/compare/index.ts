export { compareReports, reportMetrics, activeFindings, metric, toComparison, diffOf } from './compare.js';
export { matchSteps, normaliseInstruction, normaliseCreatedBy } from './steps.js';
export type { ReportDiff, MetricDelta, MetricName, MetricUnit, StepMatch } from './types.js';
