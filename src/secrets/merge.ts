// One finding per secret: the same value found in several places (a file in layer N, the history, the config,
// the lint rule on the Dockerfile line that wrote it) becomes one finding with `places`. The primary place is the
// most severe one (ties: file, config, history, then the lint rules), so the merged finding keeps a stable
// fingerprint: the primary's. Identity is an in-process HMAC of the value (SecretScan.identityOf); it is never
// serialised and never leaves this process.
import type { Finding, FindingPlace, Severity } from '../report/types.js';
import { fingerprint } from './mask.js';
import type { InlineSecret } from './inline.js';

const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };
const RULE_RANK: Record<string, number> = { 'secret-file': 5, 'secret-config': 4, 'secret-history': 3, 'secret-in-run': 2, 'secret-in-env-or-arg': 1 };
/** Lint rules whose findings quote a literal value the inline scan can identify. */
const LINT_SECRET_RULES = new Set(['secret-in-run', 'secret-in-env-or-arg']);

export interface MergeInputs {
  /** The scanner's identity of a finding it made. */
  identityOf(finding: Finding): string | undefined;
  identityOfValue(value: string): string;
  /** Secrets of the Dockerfile text (from inlineDockerfileSecrets), to identify lint findings. */
  inline: readonly InlineSecret[];
  /** Dockerfile path as lint findings carry it. */
  dockerfile?: string;
}

/** The inline secret a lint finding quotes: same instruction, same mask (token) or same name (ENV/ARG). */
function inlineOf(f: Finding, inline: readonly InlineSecret[]): InlineSecret | undefined {
  if (f.line === undefined) return undefined;
  const here = inline.filter((s) => s.line <= f.line! && f.line! <= s.endLine);
  const masked = typeof f.details?.masked === 'string' ? f.details.masked : undefined;
  const name = typeof f.details?.name === 'string' ? f.details.name : undefined;
  return (
    (masked !== undefined ? here.find((s) => s.masked === masked || masked.includes(s.masked)) : undefined) ??
    (name !== undefined ? here.find((s) => s.name === name) : undefined) ??
    (here.length === 1 && masked !== undefined ? here[0] : undefined)
  );
}

function placeOf(f: Finding): FindingPlace {
  const d = f.details ?? {};
  return {
    rule: f.rule,
    severity: f.severity,
    fingerprint: f.fingerprint,
    ...(f.file !== undefined ? { file: f.file } : {}),
    ...(f.line !== undefined ? { line: f.line } : {}),
    ...(f.layer !== undefined ? { layer: f.layer } : {}),
    ...(f.path !== undefined ? { path: f.path } : {}),
    ...(typeof d.location === 'string' ? { location: d.location } : {}),
    ...(typeof d.visibleInFinal === 'boolean' ? { visibleInFinal: d.visibleInFinal } : {}),
    ...(typeof d.hiddenInLayer === 'number' ? { hiddenInLayer: d.hiddenInLayer } : {}),
    ...(f.suppressed ? { suppressed: true } : {})
  };
}

const describePlace = (p: FindingPlace): string =>
  p.rule === 'secret-file'
    ? `/${p.path}${p.layer !== undefined ? ` (layer ${p.layer}${p.hiddenInLayer !== undefined ? `, hidden in layer ${p.hiddenInLayer}` : ''})` : ''}`
    : p.rule === 'secret-history'
      ? 'the image history'
      : p.rule === 'secret-config'
        ? `the image config (${String(p.location ?? '').replace(/^config:/, '')})`
        : `${p.file ?? 'the Dockerfile'}${p.line !== undefined ? ` line ${p.line}` : ''}`;

/**
 * Merges findings of the same secret value. Lint secret findings that quote an inline value also get a
 * fingerprint from their mask (the linter's own hashes the instruction text, which holds the value).
 */
export function mergeSecretFindings(findings: Finding[], inputs: MergeInputs): Finding[] {
  const identity = new Map<Finding, string>();
  for (const f of findings) {
    if (f.category === 'secret') {
      const id = inputs.identityOf(f);
      if (id) identity.set(f, id);
    } else if (LINT_SECRET_RULES.has(f.rule) && (inputs.dockerfile === undefined || f.file === inputs.dockerfile)) {
      const s = inlineOf(f, inputs.inline);
      if (!s) continue;
      identity.set(f, inputs.identityOfValue(s.value));
      const key = typeof f.details?.name === 'string' ? f.details.name : typeof f.details?.kind === 'string' ? f.details.kind : '';
      f.fingerprint = fingerprint(f.rule, `${f.file ?? ''}:${key}`, s.masked, s.value.length);
    }
  }
  const groups = new Map<string, Finding[]>();
  for (const [f, id] of identity) {
    const g = groups.get(id);
    if (g) g.push(f);
    else groups.set(id, [f]);
  }
  const replaced = new Map<Finding, Finding | null>();
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const ordered = [...group].sort(
      (a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || (RULE_RANK[b.rule] ?? 0) - (RULE_RANK[a.rule] ?? 0) || (a.layer ?? 0) - (b.layer ?? 0)
    );
    const [primary, ...others] = ordered;
    const places = ordered.map(placeOf);
    // A suppression covers the places it names: the merged finding stays suppressed only if every place is.
    const allSuppressed = group.every((f) => f.suppressed);
    const merged: Finding = {
      ...primary,
      severity: primary.severity,
      message: `${primary.message} The same value is also in ${others.map((o) => describePlace(placeOf(o))).join(', ')}.`,
      places
    };
    if (!allSuppressed) delete merged.suppressed;
    replaced.set(primary, merged);
    for (const o of others) replaced.set(o, null);
  }
  if (replaced.size === 0) return findings;
  const out: Finding[] = [];
  for (const f of findings) {
    const r = replaced.get(f);
    if (r === undefined) out.push(f);
    else if (r !== null) out.push(r);
  }
  return out;
}
