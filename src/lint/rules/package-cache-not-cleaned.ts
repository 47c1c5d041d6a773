import { envBefore, type Step } from '../model.js';
import { cacheMountCovers, commandsOf, isApkAdd, isAptInstall, removesPath, runSteps, shippedStages } from '../rule-helpers.js';
import { hasFlag, subcommand, type ShellCommand } from '../shell.js';
import type { LintRule, RuleHit } from '../types.js';

interface CacheCheck {
  manager: string;
  uses(cmd: ShellCommand): boolean;
  /** True when this RUN (or the environment) leaves no cache behind. */
  clean(step: Step, cmds: ShellCommand[], env: Map<string, string>): boolean;
  message: string;
}

const runsSub = (cmds: ShellCommand[], names: string[], sub: string) => cmds.some((c) => names.includes(c.name) && c.args.includes(sub));

const CHECKS: CacheCheck[] = [
  {
    manager: 'apt',
    uses: isAptInstall,
    clean: (step) => removesPath(step, ['/var/lib/apt/lists']) || cacheMountCovers(step, ['/var/lib/apt']) !== undefined,
    message: 'apt-get install leaves the package lists (/var/lib/apt/lists, typically 20–50 MB) in this layer; end the same RUN with `&& rm -rf /var/lib/apt/lists/*` or mount /var/lib/apt/lists as a cache.'
  },
  {
    manager: 'apk',
    uses: isApkAdd,
    clean: (step, cmds) =>
      cmds.some((c) => isApkAdd(c) && hasFlag(c, '--no-cache')) || removesPath(step, ['/var/cache/apk']) || cacheMountCovers(step, ['/var/cache/apk', '/etc/apk/cache']) !== undefined,
    message: 'apk add without --no-cache leaves the package index in /var/cache/apk in this layer; use `apk add --no-cache`.'
  },
  {
    manager: 'pip',
    uses: (c) => (c.name === 'pip' || /^pip\d/.test(c.name)) && subcommand(c) === 'install',
    clean: (step, cmds, env) =>
      cmds.some((c) => (c.name === 'pip' || /^pip\d/.test(c.name)) && subcommand(c) === 'install' && hasFlag(c, '--no-cache-dir')) ||
      (env.get('PIP_NO_CACHE_DIR') ?? '') !== '' ||
      runsSub(cmds, ['pip', 'pip3'], 'purge') ||
      removesPath(step, ['.cache/pip', '/root/.cache']) ||
      cacheMountCovers(step, ['pip', '/.cache']) !== undefined,
    message: 'pip install without --no-cache-dir keeps downloaded wheels in ~/.cache/pip in this layer; add --no-cache-dir (or ENV PIP_NO_CACHE_DIR=1) or mount the cache.'
  },
  {
    manager: 'npm',
    uses: (c) => c.name === 'npm' && ['install', 'i', 'ci'].includes(subcommand(c) ?? ''),
    clean: (step, cmds) => runsSub(cmds, ['npm'], 'clean') || removesPath(step, ['.npm']) || cacheMountCovers(step, ['.npm', 'npm']) !== undefined,
    message: 'npm install keeps its download cache (~/.npm) in this layer; add `&& npm cache clean --force` to the same RUN or mount /root/.npm as a cache.'
  },
  {
    manager: 'yarn',
    uses: (c) => c.name === 'yarn' && ['install', 'add', undefined].includes(subcommand(c)),
    clean: (step, cmds) => runsSub(cmds, ['yarn'], 'clean') || removesPath(step, ['yarn']) || cacheMountCovers(step, ['yarn']) !== undefined,
    message: 'yarn install keeps its package cache in this layer; add `&& yarn cache clean` to the same RUN or mount the yarn cache folder as a cache.'
  }
];

export const packageCacheNotCleaned: LintRule = {
  meta: {
    id: 'package-cache-not-cleaned',
    category: 'lint',
    defaultSeverity: 'warning',
    shortDescription: 'A package install in the shipped image leaves its cache in the layer',
    fullDescription:
      'Package managers keep indexes and downloaded archives after installing. Unless the same RUN removes them (or they live in a cache mount), they are part of the layer and of every pull. Only stages that ship are checked.',
    help:
      'Clean in the same RUN, or keep the cache out of the layer with a cache mount:\n\n```dockerfile\nRUN apt-get update && apt-get install -y --no-install-recommends curl \\\n && rm -rf /var/lib/apt/lists/*\nRUN apk add --no-cache curl\nRUN pip install --no-cache-dir -r requirements.txt\nRUN --mount=type=cache,target=/root/.npm npm ci\n```',
    tags: ['size']
  },
  check({ model }) {
    const hits: RuleHit[] = [];
    for (const stage of shippedStages(model)) {
      for (const step of runSteps(stage)) {
        const cmds = commandsOf(step);
        let env: Map<string, string> | undefined;
        for (const check of CHECKS) {
          if (!cmds.some(check.uses)) continue;
          env ??= envBefore(step);
          if (check.clean(step, cmds, env)) continue;
          hits.push({ step, key: check.manager, message: check.message, details: { manager: check.manager } });
        }
      }
    }
    return hits;
  }
};
