import type { Step } from '../model.js';
import { lineSpan, shippedStages } from '../rule-helpers.js';
import type { LintRule, RuleHit } from '../types.js';

// RUNs with different mounts or network/security settings cannot be merged without changing what they do.
const flagSignature = (step: Step): string =>
  step.flags
    .map((f) => f.toString())
    .sort()
    .join(' ');

export const consecutiveRun: LintRule = {
  meta: {
    id: 'consecutive-run',
    category: 'lint',
    defaultSeverity: 'info',
    shortDescription: 'Consecutive single-command RUN instructions in the shipped image could be one',
    fullDescription:
      'Each RUN makes a layer. Consecutive RUNs with the same flags that each run one command can usually be joined with `&&`, which gives fewer layers and lets a later command clean up what an earlier one created. A RUN that already chains commands is taken as a deliberate cache point (as hadolint DL3059 does). Only stages that ship are checked.',
    help: 'Join them:\n\n```dockerfile\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends curl \\\n && rm -rf /var/lib/apt/lists/*\n```\nKeep them apart only when you want separate cache points.',
    tags: ['size', 'layers'],
    examples: {
      bad: 'FROM debian:12-slim\nRUN mkdir -p /app/data\nRUN chown 1000 /app/data\n',
      good: 'FROM debian:12-slim\nRUN mkdir -p /app/data && chown 1000 /app/data\n'
    },
    hadolint: ['DL3059']
  },
  check({ model }) {
    const hits: RuleHit[] = [];
    for (const stage of shippedStages(model)) {
      let group: Step[] = [];
      const flush = () => {
        if (group.length > 1) {
          const first = group[0];
          const last = group[group.length - 1];
          hits.push({
            step: first,
            range: { line: first.line, column: first.column, endLine: last.endLine, endColumn: last.endColumn },
            message: `${group.length} consecutive RUN instructions (${lineSpan(first, last)}) make ${group.length} layers; join them with && into one RUN.`,
            details: { count: group.length, lastLine: last.endLine },
            alsoIgnoredAt: group.slice(1)
          });
        }
        group = [];
      };
      for (const step of stage.steps) {
        // A RUN that already chains commands was kept apart on purpose (a cache point), as hadolint DL3059 has it.
        if (step.keyword !== 'RUN' || (step.run?.commands.length ?? 0) > 1) {
          flush();
          continue;
        }
        if (group.length > 0 && flagSignature(group[0]) !== flagSignature(step)) flush();
        group.push(step);
      }
      flush();
    }
    return hits;
  }
};
