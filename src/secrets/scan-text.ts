// Runs the detector catalogue over one piece of text (a file's content, a history line, an ENV pair).
import { detectors as catalogue } from './rules/index.js';
import type { Detector, Hit } from './rules/types.js';

// Compiled once with the `d` flag so the secret's own offset is known (for line numbers and overlap checks).
const compiled = new Map<Detector, RegExp>();
function withIndices(d: Detector): RegExp {
  let re = compiled.get(d);
  if (!re) {
    re = new RegExp(d.pattern.source, d.pattern.flags.includes('d') ? d.pattern.flags : d.pattern.flags + 'd');
    compiled.set(d, re);
  }
  return re;
}

export interface ScanTextOptions {
  /** Image path of the file, enabling file-scoped detectors (`.netrc`, `.env`, `.docker/config.json`). */
  path?: string;
  detectors?: readonly Detector[];
}

/** Every secret in `text`, at most one per span (overlaps resolved by catalogue order). */
export function scanText(text: string, opts: ScanTextOptions = {}): Hit[] {
  const list = opts.detectors ?? catalogue;
  let lower: string | undefined;
  const found: { hit: Omit<Hit, 'line'>; start: number; end: number; rank: number }[] = [];
  list.forEach((d, rank) => {
    if (d.appliesTo && (opts.path === undefined || !d.appliesTo(opts.path))) return;
    const hay = d.caseInsensitiveKeywords ? (lower ??= text.toLowerCase()) : text;
    if (!d.keywords.some((k) => hay.includes(k))) return;
    for (const m of text.matchAll(withIndices(d))) {
      // `secret2`: a second alternative of the same pattern (a key before or after its marker).
      const span = m.indices?.groups?.secret ?? m.indices?.groups?.secret2 ?? m.indices?.[0];
      const value = m.groups?.secret ?? m.groups?.secret2 ?? m[0];
      if (!span) continue;
      const verdict = d.assess ? d.assess(value, m.groups?.name) : { confidence: 'medium' as const };
      if (!verdict) continue;
      found.push({
        hit: { detector: d, value, index: span[0], confidence: verdict.confidence, severity: verdict.severity ?? d.severity, name: m.groups?.name },
        start: span[0],
        end: span[1],
        rank
      });
    }
  });
  if (found.length === 0) return [];
  found.sort((a, b) => a.rank - b.rank || a.start - b.start);
  const kept: typeof found = [];
  for (const f of found) {
    if (!kept.some((k) => f.start < k.end && k.start < f.end)) kept.push(f);
  }
  kept.sort((a, b) => a.start - b.start);
  // Line numbers in one forward pass over the kept offsets.
  const hits: Hit[] = [];
  let line = 1;
  let pos = 0;
  for (const { hit } of kept) {
    for (; pos < hit.index; pos++) if (text.charCodeAt(pos) === 10) line++;
    hits.push({ ...hit, line });
  }
  return hits;
}
