import { CACHE_MOUNT_EXAMPLE, CACHE_PATH_HINTS, dependencyInstall, type LanguageManager } from '../packages.js';
import { cacheMountCovers, commandsOf } from '../rule-helpers.js';
import type { LintRule, RuleHit } from '../types.js';

export const missingCacheMount: LintRule = {
  meta: {
    id: 'missing-cache-mount',
    category: 'lint',
    defaultSeverity: 'info',
    shortDescription: 'A dependency install downloads everything again on every build',
    fullDescription:
      'Without a BuildKit cache mount, every cache miss of the install step downloads all dependencies again. A cache mount keeps the download cache between builds and out of the image.',
    help:
      'Mount the package manager cache:\n\n```dockerfile\n# syntax=docker/dockerfile:1\nRUN --mount=type=cache,target=/root/.npm npm ci\nRUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt\nRUN --mount=type=cache,target=/go/pkg/mod go mod download\n```',
    tags: ['cache', 'build-time']
  },
  check({ model }) {
    const hits: RuleHit[] = [];
    for (const step of model.steps) {
      if (!step.run) continue;
      const managers = new Set<LanguageManager>();
      for (const cmd of commandsOf(step)) {
        const install = dependencyInstall(cmd);
        if (install) managers.add(install.manager);
      }
      for (const manager of managers) {
        if (cacheMountCovers(step, CACHE_PATH_HINTS[manager])) continue;
        hits.push({
          step,
          key: manager,
          message: `This ${manager} install has no cache mount, so a cache miss downloads every dependency again; add --mount=type=cache,target=${CACHE_MOUNT_EXAMPLE[manager]} to the RUN.`,
          details: { manager }
        });
      }
    }
    return hits;
  }
};
