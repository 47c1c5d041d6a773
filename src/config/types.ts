// Resolved configuration shared by every stage. Built from action inputs, CLI flags and `.image-audit.yml`
// (inputs/flags win over the file). Pure data: no I/O here.
import type { Severity } from '../report/types.js';

/** A byte limit, absolute or relative to the base image (for increases) / image size (for waste). */
export type ByteLimit = { bytes: number } | { percent: number };

export interface Thresholds {
  maxSize?: number;
  maxCompressedSize?: number;
  maxLayers?: number;
  maxSizeIncrease?: ByteLimit;
  maxLayersIncrease?: number;
  maxWasted?: ByteLimit;
  /**
   * Wasted bytes in the user's own layers, in bytes or % of the user's layer bytes (the base image excluded from
   * both, like dive's highestUserWastedPercent).
   */
  maxUserWasted?: ByteLimit;
  minEfficiency?: number;
  /** Default true: any unsuppressed secret finding fails the run, whatever its severity; false: secrets never do. */
  failOnSecrets: boolean;
  /** Lowest severity of any finding (lint, image, secret) that fails the run; default `error`. */
  failOn: Severity | 'none';
  /** Which setting chose failOn (`fail-on-lint` is the deprecated alias); fail-on wins over the alias. */
  failOnSource?: 'fail-on' | 'fail-on-lint';
  /** Notes for the user about the settings (deprecations); the shells print them as warnings. */
  warnings?: string[];
}

export interface SecretSuppression {
  fingerprint?: string;
  rule?: string;
  /** Image path (glob with `*` and `**`) for rule+path suppressions. */
  path?: string;
  reason?: string;
  /** ISO date; the suppression stops applying after it. */
  expires?: string;
}

export interface AuditConfig {
  /** Per-rule severity override or `off`. */
  rules: Record<string, Severity | 'off'>;
  thresholds: Thresholds;
  secrets: {
    suppressions: SecretSuppression[];
    /** Image paths (globs) never content-scanned nor reported. */
    allowPaths: string[];
  };
  /** `wasted-space` finding threshold: bytes or percent of the image, whichever is larger (default 1 MB / 5 %). */
  waste: { minBytes: number; minPercent: number };
  /** How reports are rendered. */
  report: {
    /** List the base image's wasted files one by one (default: collapsed to one total line). */
    allWaste: boolean;
  };
}

export const defaultConfig = (): AuditConfig => ({
  rules: {},
  thresholds: { failOnSecrets: true, failOn: 'error' },
  secrets: { suppressions: [], allowPaths: [] },
  waste: { minBytes: 1_000_000, minPercent: 5 },
  report: { allWaste: false }
});
