// What a detector is: a token shape (or a context pattern) with a validator and a masking prefix. Detectors never
// see where the text came from except for file-scoped ones (`appliesTo`), which only run on files they name.
import type { Severity } from '../../report/types.js';

/** How sure a detector is that a match is a live credential (checksums, structure, context). */
export type Confidence = 'high' | 'medium' | 'low';

export interface Assessment {
  confidence: Confidence;
  /** Overrides the detector's severity for this match (e.g. a GitHub token whose checksum fails). */
  severity?: Severity;
}

export interface Detector {
  /** Stable detector id, reported as `details.detector` (e.g. `github-classic`). */
  id: string;
  /** Short noun for messages: "GitHub token". */
  title: string;
  description: string;
  severity: Severity;
  /**
   * Cheap pre-filter: the pattern only runs when one of these substrings occurs in the text (lower-cased
   * text when `caseInsensitiveKeywords`). Keeps a scan of thousands of files in the milliseconds.
   */
  keywords: string[];
  caseInsensitiveKeywords?: boolean;
  /** Global regex. The secret is the named group `secret` (else the whole match); an optional group `name` is the variable name. */
  pattern: RegExp;
  /** Return undefined to drop a candidate (wrong structure, example key…). */
  assess?(value: string, name?: string): Assessment | undefined;
  /** Public part kept in the masked form (token prefix, PEM header). */
  maskPrefix?(value: string): string;
  /** Keep the last two characters in the masked form (default true; false for PEM blocks, passwords). */
  keepTail?: boolean;
  /** File-scoped detectors run only on files whose image path matches (e.g. `.netrc`). */
  appliesTo?(path: string): boolean;
}

/** One secret found in a piece of text. */
export interface Hit {
  detector: Detector;
  value: string;
  /** Offset of the value in the scanned text. */
  index: number;
  /** 1-based line of the value in the scanned text. */
  line: number;
  confidence: Confidence;
  severity: Severity;
  /** Variable / key name when the detector is name-based. */
  name?: string;
}

export const startsWithAny =
  (prefixes: string[]) =>
  (value: string): string =>
    prefixes.find((p) => value.startsWith(p)) ?? '';
