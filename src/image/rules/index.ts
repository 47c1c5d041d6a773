// The image rules and their runner: applies `config.rules[id]` (`off` or a severity) and stamps each finding
// with rule id, category and fingerprint (sha256 of `rule:key`).
import { createHash } from 'node:crypto';
import type { Finding } from '../../report/types.js';
import { binaryCannotStart } from './binary-cannot-start.js';
import { devDependenciesShipped } from './dev-dependencies-shipped.js';
import { packageCacheInImage } from './package-cache-in-image.js';
import { sourceShipped } from './source-shipped.js';
import { toolchainInImage } from './toolchain-in-image.js';
import { wastedSpace } from './wasted-space.js';
import type { ImageRule, ImageRuleContext } from './types.js';

export const IMAGE_RULES: ImageRule[] = [packageCacheInImage, toolchainInImage, wastedSpace];
/** The image rules' metadata, for SARIF, config validation and the docs. */
/** Rules on the package inventory and file contents: run once the inventory is built (pipeline/audit.ts). */
export const INVENTORY_RULES: ImageRule[] = [binaryCannotStart, devDependenciesShipped, sourceShipped];
/** The image rules' metadata, for SARIF, config validation and the docs. */
export const imageRuleMetas = [...IMAGE_RULES, ...INVENTORY_RULES].map((r) => r.meta);

export const fingerprintOf = (rule: string, key: string) => createHash('sha256').update(`${rule}:${key}`).digest('hex');

export function runImageRules(ctx: ImageRuleContext, rules: ImageRule[] = IMAGE_RULES): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules) {
    const { id, defaultSeverity } = rule.meta;
    const setting = ctx.config.rules[id];
    if (setting === 'off') continue;
    for (const { key, ...raw } of rule.check(ctx)) {
      findings.push({ rule: id, severity: setting ?? defaultSeverity, category: 'image', ...raw, fingerprint: fingerprintOf(id, key) });
    }
  }
  return findings;
}
