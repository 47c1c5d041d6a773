import { dependencyInstall, isManifestPath } from '../packages.js';
import type { Step } from '../model.js';
import { commandsOf } from '../rule-helpers.js';
import type { LintRule, RuleHit } from '../types.js';

export const depsAfterSource: LintRule = {
  meta: {
    id: 'deps-after-source',
    category: 'lint',
    defaultSeverity: 'warning',
    shortDescription: 'The whole source tree is copied before dependencies are installed',
    fullDescription:
      'After `COPY . .` any change to any file invalidates the cache of every later step, so the dependency install runs again on every commit even when the manifest did not change.',
    help:
      'Copy only the manifest and lock files, install, then copy the rest:\n\n```dockerfile\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\n```',
    tags: ['cache', 'build-time']
  },
  check({ model }) {
    const hits: RuleHit[] = [];
    for (const stage of model.stages) {
      let manifestCopied = false;
      let wholeCopy: Step | undefined;
      for (const step of stage.steps) {
        if (step.copy && !step.copy.from && !step.copy.heredoc) {
          if (step.copy.wholeContext) {
            if (!manifestCopied && !wholeCopy) wholeCopy = step;
          } else if (step.copy.sources.some(isManifestPath)) manifestCopied = true;
          continue;
        }
        if (!wholeCopy) continue;
        const install = commandsOf(step)
          .map(dependencyInstall)
          .find((d) => d?.fromManifest);
        if (install) {
          hits.push({
            step: wholeCopy,
            message: `${wholeCopy.keyword} of the whole context at line ${wholeCopy.line} comes before the ${install.manager} dependency install at line ${step.line}, so any source change reinstalls every dependency; copy the manifest and lock files first, install, then copy the rest.`,
            details: { installLine: step.line, manager: install.manager, stage: stage.label }
          });
          break;
        }
      }
    }
    return hits;
  }
};
