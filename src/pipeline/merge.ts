// One finding per problem: a lint rule that predicts a problem from the Dockerfile and the image rule that
// measures it in the built image, on the same Dockerfile line, are one finding. The image finding stays (it
// has the measured bytes and the layer), takes the higher severity and lists the lint finding in `mergedFrom`,
// so its fingerprint (and the lint one, for baselines) stays stable.
import type { Finding, Severity } from '../report/types.js';

/** Lint rule → the image rule that measures the same cause. */
export const SAME_CAUSE: Record<string, string> = {
  'package-cache-not-cleaned': 'package-cache-in-image',
  'final-stage-toolchain': 'toolchain-in-image'
};

const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

const lineKey = (f: Finding) => (f.file !== undefined && f.line !== undefined ? `${f.file}\u0000${f.line}` : undefined);

export function mergeSameCause(findings: Finding[]): Finding[] {
  const imageByKey = new Map<string, Finding[]>();
  for (const f of findings) {
    if (f.category !== 'image') continue;
    const k = lineKey(f);
    if (k) imageByKey.set(`${f.rule}\u0000${k}`, [...(imageByKey.get(`${f.rule}\u0000${k}`) ?? []), f]);
  }
  const merged = new Set<Finding>();
  for (const lint of findings) {
    const target = SAME_CAUSE[lint.rule];
    const k = lint.category === 'lint' ? lineKey(lint) : undefined;
    if (!target || !k) continue;
    const image = imageByKey.get(`${target}\u0000${k}`)?.[0];
    if (!image) continue;
    if (RANK[lint.severity] > RANK[image.severity]) image.severity = lint.severity;
    image.mergedFrom = [...(image.mergedFrom ?? []), { rule: lint.rule, category: lint.category, fingerprint: lint.fingerprint, message: lint.message }];
    if (!image.suppressed && lint.suppressed) image.suppressed = lint.suppressed;
    merged.add(lint);
  }
  return merged.size ? findings.filter((f) => !merged.has(f)) : findings;
}

/** Every fingerprint a finding answers to: its own and those of the findings merged into it. */
export const fingerprintsOf = (f: Finding): string[] => [f.fingerprint, ...(f.mergedFrom ?? []).map((m) => m.fingerprint)];
