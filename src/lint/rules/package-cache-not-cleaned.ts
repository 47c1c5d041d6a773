import { cacheUses, dockerCleanRemoved, mountCovers, type CacheUse } from '../caches.js';
import { toolchainKind } from '../images.js';
import { stageChain, type Step } from '../model.js';
import { runSteps, shippedStages } from '../rule-helpers.js';
import type { LintRule, RuleHit } from '../types.js';

/** The managers whose cache this RUN leaves in its layer (ignoring stages: the caller decides what ships). */
export function cachesLeft(step: Step): CacheUse[] {
  return cacheUses(step).filter((use) => {
    if (!use.clean) return true;
    // apt with docker-clean removed keeps .debs in /var/cache/apt: a mount over the lists alone is not enough.
    if (use.tool.manager === 'apt' && use.lastFill !== -1 && dockerCleanRemoved(step) && mountCovers(step, use.tool.dirs)) {
      return !mountCovers(step, ['/var/cache/apt']);
    }
    return false;
  });
}

export const packageCacheNotCleaned: LintRule = {
  meta: {
    id: 'package-cache-not-cleaned',
    category: 'lint',
    defaultSeverity: 'warning',
    shortDescription: 'A package install in the shipped image leaves its cache in the layer',
    fullDescription:
      'Package managers keep indexes and downloaded archives after installing (apt lists, apk index, yum/dnf/zypper metadata, pip wheels, npm/yarn/composer caches, the go module and build caches). Unless the same RUN removes them AFTER the install (or they live in a cache or tmpfs mount), they are part of the layer and of every pull. Only stages that ship are checked.',
    help: 'Clean in the same RUN, after the install, or keep the cache out of the layer with a cache mount:\n\n```dockerfile\nRUN apt-get update && apt-get install -y --no-install-recommends curl \\\n && rm -rf /var/lib/apt/lists/*\nRUN apk add --no-cache curl\nRUN dnf install -y curl && dnf clean all\nRUN pip install --no-cache-dir -r requirements.txt\nRUN --mount=type=cache,target=/root/.npm npm ci\n```',
    tags: ['size'],
    examples: {
      bad: 'FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nRUN pip install -r requirements.txt\n',
      good: 'FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl \\\n && rm -rf /var/lib/apt/lists/*\nRUN pip install --no-cache-dir -r requirements.txt\n'
    },
    hadolint: ['DL3009', 'DL3019', 'DL3032', 'DL3036', 'DL3040', 'DL3042', 'DL3060']
  },
  check({ model }) {
    const hits: RuleHit[] = [];
    // On a golang/rust base the whole toolchain ships; final-stage-toolchain already says to build in another
    // stage, which is the fix for the go and cargo caches too.
    const chain = model.finalStage ? stageChain(model.finalStage) : [];
    const base = chain[chain.length - 1]?.baseImage;
    const toolchainShips = base !== undefined && toolchainKind(base) !== undefined;
    for (const stage of shippedStages(model)) {
      for (const step of runSteps(stage)) {
        for (const use of cachesLeft(step)) {
          if (toolchainShips && (use.tool.manager === 'go' || use.tool.manager === 'cargo')) continue;
          hits.push({ step, key: use.tool.manager, message: use.tool.message, details: { manager: use.tool.manager }, hadolint: use.tool.hadolint });
        }
      }
    }
    return hits;
  }
};
