// The one rule shape for every stage that emits findings: each lint rule (src/lint/rules/*), image rule
// (src/image/rules/*) and secret rule (src/secrets/metadata.ts) carries a RuleMeta in its own file. SARIF
// (tool.driver.rules), docs/rules/<id>.md and the README table (scripts/docs.ts) and config validation read them
// through report/rule-catalog.ts.
import type { FindingCategory, Severity } from './types.js';

export interface RuleMeta {
  /** Stable rule id, as in Finding.rule (kebab-case). */
  id: string;
  category: FindingCategory;
  defaultSeverity: Severity;
  /** One line, no trailing period: what the rule flags. */
  shortDescription: string;
  /** A few sentences: why it matters. */
  fullDescription: string;
  /** Markdown: how to fix it, with an example when one helps. */
  help: string;
  /** e.g. `size`, `security`, `cache`, `reproducibility` (SARIF properties.tags). */
  tags: string[];
  /**
   * A snippet the rule flags and the fixed version it accepts (Dockerfile text for lint rules; for image and
   * secret rules the Dockerfile that produces / avoids the finding). Rendered into docs/rules/<id>.md.
   */
  examples?: { bad: string; good: string };
  /** hadolint rule ids that check the same thing (e.g. `DL3009`), for users coming from hadolint; [] when none. */
  hadolint?: string[];
}
