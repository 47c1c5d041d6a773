import { commandsOf, isAptInstall, runSteps, shippedStages } from '../rule-helpers.js';
import type { LintRule, RuleHit } from '../types.js';

export const aptNoInstallRecommends: LintRule = {
  meta: {
    id: 'apt-no-install-recommends',
    category: 'lint',
    defaultSeverity: 'info',
    shortDescription: 'apt-get install pulls recommended packages into the shipped image',
    fullDescription:
      'Without `--no-install-recommends`, apt installs every "recommended" package too, often doubling what lands in the image. Only stages that ship are checked.',
    help: 'Add the flag: `apt-get install -y --no-install-recommends <packages>`, then add back any recommended package the application really needs.',
    tags: ['size'],
    examples: {
      bad: 'FROM debian:12-slim\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n',
      good: 'FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n'
    },
    hadolint: ['DL3015']
  },
  check({ model }) {
    const hits: RuleHit[] = [];
    for (const stage of shippedStages(model)) {
      for (const step of runSteps(stage)) {
        const bad = commandsOf(step).some(
          (c) => isAptInstall(c) && !c.args.some((a) => a === '--no-install-recommends' || /Install-Recommends=(false|0|no)/i.test(a))
        );
        if (bad) {
          hits.push({
            step,
            message: 'apt-get install without --no-install-recommends also installs recommended packages the image rarely needs; add --no-install-recommends.'
          });
        }
      }
    }
    return hits;
  }
};
