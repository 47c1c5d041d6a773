// Masked forms and fingerprints: the only representations of a secret value that leave src/secrets.
import { createHash } from 'node:crypto';
import type { Detector } from './rules/types.js';

/** Below this length a secret keeps no trailing characters: two of eight is too much of a hint. */
const MIN_LENGTH_FOR_TAIL = 16;

/**
 * `known prefix + … + last 2 chars`. The prefix is only the public type marker (`ghp_`, `AKIA`, a PEM header);
 * the tail is dropped for short values, for passwords and for PEM blocks (whose tail is just dashes).
 */
export function maskValue(value: string, opts: { prefix?: string; keepTail?: boolean } = {}): string {
  const prefix = opts.prefix && value.startsWith(opts.prefix) && opts.prefix.length < value.length / 2 + 8 ? opts.prefix : '';
  const rest = value.length - prefix.length;
  const tail = opts.keepTail !== false && rest >= MIN_LENGTH_FOR_TAIL ? value.slice(-2) : '';
  return `${prefix}…${tail}`;
}

export function maskFor(detector: Detector, value: string): string {
  return maskValue(value, { prefix: detector.maskPrefix?.(value), keepTail: detector.keepTail });
}

/**
 * sha256(`rule:location:masked:length`). Never a hash of the value: an unsalted hash of a weak secret
 * (`DB_PASSWORD=hunter2`) can be guessed offline from the report. The masked form and the length are already in
 * the report (or are no more than it shows), so the fingerprint tells nothing new, and it is stable across runs
 * and machines for suppressions. `location` is the image path for files, and for history/config a name that
 * survives rebuilds: `history:arg:NPM_TOKEN`, `config:Env:NPM_TOKEN` — never a step index, which shifts whenever
 * a step is added above it and would orphan every suppression. A rotated value usually changes its mask (the last
 * two characters) and so its fingerprint; one of the same length and tail keeps a suppression, which is why
 * suppressions should carry `expires`.
 */
export function fingerprint(rule: string, location: string, masked: string, length: number): string {
  return createHash('sha256').update(`${rule}:${location}:${masked}:${length}`).digest('hex');
}
