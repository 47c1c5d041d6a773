export { evaluateThresholds, failingFindings, failingLintFindings, findingWhere } from './evaluate.js';
