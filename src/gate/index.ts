export { evaluateThresholds, failingLintFindings } from './evaluate.js';
