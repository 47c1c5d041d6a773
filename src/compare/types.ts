// The difference between a base report (the PR's base branch, a published image or a saved report) and the
// head report. Pure data derived from two Reports, so a saved report is always enough to rebuild it.
import type { Finding } from '../report/types.js';
import type { PackageDiff } from './packages.js';

export type MetricName = 'size' | 'compressedSize' | 'layers' | 'wastedBytes' | 'efficiency' | 'packages' | 'executables' | 'secretFindings' | 'lintFindings';

/** How a metric's values are shown: bytes in binary units, plain counts, or a 0..1 ratio shown as percent. */
export type MetricUnit = 'bytes' | 'count' | 'ratio';

export interface MetricDelta {
  name: MetricName;
  /** Human label for tables, e.g. `Compressed size`. */
  label: string;
  unit: MetricUnit;
  /** Undefined when that side did not measure the metric (e.g. no package database). */
  base?: number;
  head?: number;
  /** head - base, when both are known. */
  delta?: number;
}

/** One Dockerfile step (or one base-image history entry) with the layers it made on each side. */
export interface StepMatch {
  /** Normalised instruction text on the head side (base side for removed steps). */
  instruction: string;
  /** The base's instruction when it differs (steps matched by line whose text changed). */
  baseInstruction?: string;
  baseLine?: number;
  headLine?: number;
  stage?: string;
  /** True for layers of the final stage's base image (FROM …). */
  fromBase: boolean;
  /** Layer indexes (into each report's `layers`). */
  baseLayers: number[];
  headLayers: number[];
  baseSize: number;
  headSize: number;
  baseCompressedSize: number;
  headCompressedSize: number;
  /** headSize - baseSize. */
  delta: number;
  status: 'added' | 'removed' | 'changed' | 'unchanged';
  /** How the two sides were paired; absent for added/removed steps. */
  matchedBy?: 'instruction' | 'line';
}

export interface ReportDiff {
  /** What the base was, for the comment's header (e.g. `main@abc1234`, an image ref or a report file). */
  baseLabel?: string;
  metrics: MetricDelta[];
  /** Every step of both sides, in head order, removed steps last. */
  steps: StepMatch[];
  /** Head findings whose fingerprint the base does not have. */
  newFindings: Finding[];
  /** Head findings already on base. */
  existingFindings: Finding[];
  /** Base findings gone in head. */
  fixedFindings: Finding[];
  /** Multi-platform images: each head platform against the same platform of the base (compare/platforms.ts). */
  platforms?: import('./platforms.js').PlatformDiff[];
  /** Packages added/removed/upgraded/downgraded; absent when either report has no inventory. */
  packages?: PackageDiff;
}
