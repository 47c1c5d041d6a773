import { commandsOf, isAptUpdate } from '../rule-helpers.js';
import { subcommand } from '../shell.js';
import type { LintRule, RuleHit } from '../types.js';

export const aptUpdateAlone: LintRule = {
  meta: {
    id: 'apt-update-alone',
    category: 'lint',
    defaultSeverity: 'warning',
    shortDescription: '`apt-get update` runs in a RUN without an install',
    fullDescription:
      'The layer with `apt-get update` is cached on its own: later builds reuse stale package lists and a later `apt-get install` fails or installs outdated versions. The lists also ship in that layer.',
    help: 'Update and install in the same RUN: `RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*`.',
    tags: ['cache', 'reproducibility'],
    examples: {
      bad: 'FROM debian:12-slim\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n',
      good: 'FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n'
    },
    hadolint: []
  },
  check({ model }) {
    const hits: RuleHit[] = [];
    for (const step of model.steps) {
      const cmds = commandsOf(step);
      if (!cmds.some(isAptUpdate)) continue;
      const installs = cmds.some(
        (c) =>
          (c.name === 'apt-get' || c.name === 'apt' || c.name === 'aptitude') &&
          ['install', 'upgrade', 'dist-upgrade', 'full-upgrade', 'build-dep'].includes(subcommand(c) ?? '')
      );
      if (!installs)
        hits.push({
          step,
          message:
            'apt-get update runs without an install in the same RUN, so its cached layer serves stale package lists to later installs; update and install in one RUN.'
        });
    }
    return hits;
  }
};
