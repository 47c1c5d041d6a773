// Public API of the secret scanner.
export { createSecretScan, type SecretScan, type SecretScanAnalysis, type SecretScanOptions, type SecretRuleId } from './scan.js';
export { redactReport, redactText, type RedactionEntry, type RedactionSource } from './redact.js';
export { secretRules, secretRuleIds, secretDetectors, type DetectorMeta } from './metadata.js';
export { scanText } from './scan-text.js';
export { maskValue, fingerprint } from './mask.js';
export { classifyPath, contentBudget, CONTENT_CAP } from './places.js';
export type { FileVisibility, VisibilityLookup } from './visibility.js';
export { secretBuildArgValues, logSafeArgs } from './build-args.js';
export { inlineDockerfileSecrets, isMaskable, type InlineSecret } from './inline.js';
export { mergeSecretFindings, type MergeInputs } from './merge.js';
