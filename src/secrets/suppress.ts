// Suppressions from `.image-audit.yml`: by fingerprint, or by rule + image-path glob (history/config findings
// have no image path; their glob is matched against the location, e.g. `history:arg:NPM_TOKEN`). Suppressed
// findings stay in the report with `suppressed` set; expired suppressions no longer apply and are warned about.
import type { SecretSuppression } from '../config/types.js';
import type { Finding } from '../report/types.js';
import { UserError } from '../util/errors.js';
import type { Runtime } from '../util/runtime.js';
import { matchesGlob } from './glob.js';

function describe(s: SecretSuppression): string {
  return s.fingerprint ? `fingerprint ${s.fingerprint.slice(0, 12)}…` : `rule ${s.rule ?? '*'} path ${s.path ?? '**'}`;
}

/** Validates one suppression and tells whether it is still in force. */
function inForce(s: SecretSuppression, now: Date, runtime: Runtime): boolean {
  if (!s.fingerprint && !s.rule && !s.path) {
    throw new UserError(
      'A secrets suppression in the configuration has neither `fingerprint` nor `rule`/`path`, so it would match nothing.',
      'Give the `fingerprint` printed with the finding, or a `rule` (secret-file, secret-history, secret-config) and an image `path` glob.'
    );
  }
  if (s.expires === undefined) return true;
  const t = Date.parse(s.expires);
  if (Number.isNaN(t)) {
    throw new UserError(
      `The secrets suppression for ${describe(s)} has expires: "${s.expires}", which is not a date.`,
      'Write it as an ISO date, e.g. `expires: 2025-12-31`.'
    );
  }
  // A date without a time lasts the whole day.
  const end = /^\d{4}-\d{2}-\d{2}$/.test(s.expires.trim()) ? t + 86_400_000 : t;
  if (end <= now.getTime()) {
    runtime.log.warning(
      `The secrets suppression for ${describe(s)}${s.reason ? ` (${s.reason})` : ''} expired on ${s.expires}; it no longer applies. Rotate the secret and remove the entry, or extend the date.`
    );
    return false;
  }
  return true;
}

function matches(s: SecretSuppression, f: Finding): 'fingerprint' | 'rule-path' | undefined {
  if (s.fingerprint) return s.fingerprint.toLowerCase() === f.fingerprint ? 'fingerprint' : undefined;
  if (s.rule && s.rule !== f.rule) return undefined;
  const where = f.path ?? (typeof f.details?.location === 'string' ? f.details.location : undefined);
  if (s.path && (where === undefined || !matchesGlob(where, s.path))) return undefined;
  return 'rule-path';
}

export function applySuppressions(findings: Finding[], suppressions: readonly SecretSuppression[], runtime: Runtime, now: Date): Finding[] {
  const active = suppressions.filter((s) => inForce(s, now, runtime));
  if (active.length === 0) return findings;
  return findings.map((f) => {
    for (const s of active) {
      const by = matches(s, f);
      if (by) return { ...f, suppressed: { by, ...(s.reason ? { reason: s.reason } : {}) } };
    }
    return f;
  });
}
