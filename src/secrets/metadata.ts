// Rule metadata for the three finding ids (texts live in report/rule-meta.ts, shared with SARIF) and the
// detector catalogue (for the README table and `details.detector`).
import { stageRuleMetas, type RuleMeta } from '../report/rule-meta.js';
import type { Severity } from '../report/types.js';
import { detectors } from './rules/index.js';

export const secretRuleIds = ['secret-history', 'secret-config', 'secret-file'] as const;

export const secretRules: readonly RuleMeta[] = stageRuleMetas.filter((m) => m.category === 'secret');

export interface DetectorMeta {
  id: string;
  title: string;
  description: string;
  severity: Severity;
}

export const secretDetectors: readonly DetectorMeta[] = detectors.map(({ id, title, description, severity }) => ({ id, title, description, severity }));
