// The `ignore` input / `--ignore` flag, as hadolint-action users know it: rule ids, comma or line separated,
// each turned `off`. hadolint ids (DL3009, SC2086…) are accepted too and mapped through each rule's `hadolint`
// metadata (docs/hadolint-mapping.md); a hadolint id with no equivalent here is reported, not an error, so a
// workflow moved over from hadolint-action keeps working.
import { allRuleMetas } from '../report/rule-catalog.js';
import { UserError } from '../util/errors.js';
import type { AuditConfig } from './types.js';

const HADOLINT_ID = /^(?:DL|SC)\d{4}$/i;

export interface IgnoreResult {
  /** Our rule ids turned off. */
  ignored: string[];
  /** hadolint ids with no image-audit equivalent (nothing to turn off). */
  unmapped: string[];
}

/** Splits `a, b\nc` into ids. */
export const splitIgnoreList = (text: string): string[] =>
  text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);

/** Turns off every listed rule in `rules` (mutated). `source` names the input/flag in errors. */
export function applyIgnore(rules: AuditConfig['rules'], ids: string[], source: string): IgnoreResult {
  const metas = allRuleMetas();
  const known = new Set(metas.map((m) => m.id));
  const ignored = new Set<string>();
  const unmapped: string[] = [];
  for (const id of ids) {
    if (known.has(id)) {
      ignored.add(id);
    } else if (HADOLINT_ID.test(id)) {
      const upper = id.toUpperCase();
      const ours = metas.filter((m) => m.hadolint?.includes(upper)).map((m) => m.id);
      if (ours.length === 0) unmapped.push(upper);
      for (const o of ours) ignored.add(o);
    } else {
      throw new UserError(
        `${source}: '${id}' is not a rule id.`,
        `Use image-audit rule ids (${[...known].sort().join(', ')}) or hadolint ids such as DL3009; see docs/hadolint-mapping.md.`
      );
    }
  }
  for (const id of ignored) rules[id] = 'off';
  return { ignored: [...ignored], unmapped };
}
