// An image rule looks at the analysed image (final filesystem, layers, waste) and returns findings. Each rule
// lives in its own file with its metadata; rules/index.ts applies `config.rules` (off / severity override).
import type { AuditConfig } from '../../config/types.js';
import type { RuleMeta } from '../../report/rule-meta.js';
import type { Finding, ImageReport, LayerReport, WastedFile } from '../../report/types.js';
import type { FilesystemModel } from '../fs-model.js';
import type { Inventory } from '../../inventory/index.js';

export interface ImageRuleContext {
  image: ImageReport;
  layers: LayerReport[];
  model: FilesystemModel;
  wastedFiles: WastedFile[];
  config: AuditConfig;
  /** Packages, ELF headers and the final filesystem by path; present when the inventory subscriber ran. */
  inventory?: Inventory;
}

/** What a rule returns; the runner adds rule, severity, category and the fingerprint (from `key`). */
export type RawImageFinding = Omit<Finding, 'rule' | 'severity' | 'category' | 'fingerprint'> & {
  /** Stable identity of the finding within its rule (fingerprint = sha256(rule:key)). */
  key: string;
};

/** The same shape as a lint rule: its metadata (RuleMeta, category `image`) and its check. */
export interface ImageRule {
  meta: RuleMeta & { category: 'image' };
  check(ctx: ImageRuleContext): RawImageFinding[];
}
