// The contract between the lint engine and its rules: one file per rule under rules/, each a LintRule.
import type { RuleMeta } from '../report/rule-meta.js';
import type { Severity } from '../report/types.js';
import type { DockerfileModel, Step } from './model.js';
import type { DockerignoreFile } from './context-files.js';

export interface LintContext {
  model: DockerfileModel;
  /** Absolute path of the Dockerfile (it may not exist when contents were given). */
  dockerfilePath: string;
  /** Absolute path of the build context. */
  contextDir: string;
  /** Folder messages show paths relative to. */
  cwd: string;
  /** The `.dockerignore` BuildKit would use, or undefined when there is none. */
  dockerignore?: DockerignoreFile;
}

export interface RuleHit {
  /** The instruction the finding points at (its range, its text for the fingerprint, its inline ignores). */
  step: Step;
  message: string;
  /** A narrower range inside the step (1-based, endColumn exclusive); defaults to the whole step. */
  range?: { line: number; column: number; endLine: number; endColumn: number };
  /** Default severity for this hit when the config does not override the rule (e.g. lower in a builder stage). */
  severity?: Severity;
  /** Tells apart several hits of one rule on one instruction (e.g. the package manager), for the fingerprint. */
  key?: string;
  details?: Record<string, unknown>;
  /** The hadolint rule this hit matches when the rule covers several (DL3009 for apt, DL3042 for pip…). */
  hadolint?: string;
  /** Other instructions whose ignore comments also suppress the hit (hadolint puts DL3059 on the second RUN). */
  alsoIgnoredAt?: Step[];
}

export interface LintRule {
  meta: RuleMeta;
  check(ctx: LintContext): RuleHit[] | Promise<RuleHit[]>;
}
