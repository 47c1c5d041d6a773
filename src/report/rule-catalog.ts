// Every rule's metadata in one list: lint, image and secret rules, each defined in its own stage's files.
// SARIF, config validation, the `ignore` input and the docs generator read it from here.
import { lintRules } from '../lint/index.js';
import { imageRuleMetas } from '../image/rules/index.js';
import { secretRules } from '../secrets/metadata.js';
import type { RuleMeta } from './rule-meta.js';

export const allRuleMetas = (): RuleMeta[] => [...lintRules, ...imageRuleMetas, ...secretRules];
