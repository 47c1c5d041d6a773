import { commandsOf, runSteps, shippedStages } from '../rule-helpers.js';
import { secretFileKind } from '../secret-shapes.js';
import { subcommand, type ShellCommand } from '../shell.js';
import type { LintRule, RuleHit } from '../types.js';

// Commands that only delete files or caches.
function isCleanup(cmd: ShellCommand): boolean {
  const sub = subcommand(cmd);
  switch (cmd.name) {
    case 'rm':
    case 'rmdir':
      return true;
    case 'find':
      return cmd.args.includes('-delete') || (cmd.args.includes('-exec') && cmd.args.includes('rm'));
    case 'apt-get':
    case 'apt':
      return ['clean', 'autoclean', 'autoremove', 'purge', 'remove'].includes(sub ?? '');
    case 'apk':
      return sub === 'del' || (sub === 'cache' && cmd.args.includes('clean'));
    case 'yum':
    case 'dnf':
    case 'microdnf':
      return sub === 'clean' || sub === 'remove' || sub === 'autoremove';
    case 'npm':
    case 'yarn':
    case 'pnpm':
      return sub === 'cache' || (cmd.name === 'pnpm' && sub === 'store' && cmd.args.includes('prune'));
    case 'pip':
    case 'pip3':
      return sub === 'cache';
    case 'conda':
      return sub === 'clean';
    default:
      return false;
  }
}

// Commands that neither create nor delete files.
const NEUTRAL = new Set(['set', 'true', ':', 'cd', 'echo', 'exit']);

export const cleanupInSeparateLayer: LintRule = {
  meta: {
    id: 'cleanup-in-separate-layer',
    category: 'lint',
    defaultSeverity: 'warning',
    shortDescription: 'A RUN only deletes files an earlier layer added, which saves nothing',
    fullDescription:
      'Layers are additive: deleting files in a later RUN hides them but the earlier layer still ships them, so the image gets no smaller (it gets a layer bigger). Only stages that ship are checked; removing a credential file is reported by secret-file-removed-later instead.',
    help: 'Move the cleanup into the RUN that creates the files:\n\n```dockerfile\nRUN apt-get update && apt-get install -y --no-install-recommends curl \\\n && rm -rf /var/lib/apt/lists/*\n```',
    tags: ['size'],
    examples: {
      bad: 'FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nRUN rm -rf /var/lib/apt/lists/*\n',
      good: 'FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl \\\n && rm -rf /var/lib/apt/lists/*\n'
    },
    hadolint: []
  },
  check({ model }) {
    const hits: RuleHit[] = [];
    for (const stage of shippedStages(model)) {
      for (const step of runSteps(stage)) {
        // Deleting inside a cache or bind mount is not deleting from a layer.
        if ((step.run?.mounts.length ?? 0) > 0) continue;
        const cmds = commandsOf(step).filter((c) => c.args.length > 0);
        if (cmds.length === 0 || !cmds.some(isCleanup)) continue;
        // `RUN rm -f .npmrc`: a credential file is not about size; secret-file-removed-later says what is wrong.
        const removed = cmds.filter((c) => c.name === 'rm').flatMap((c) => c.args.slice(1).filter((a) => !a.startsWith('-')));
        if (removed.length > 0 && cmds.every((c) => c.name === 'rm' || NEUTRAL.has(c.name)) && removed.every((a) => secretFileKind(a) !== undefined)) continue;
        if (cmds.every((c) => isCleanup(c) || (NEUTRAL.has(c.name) && !c.redirects.some((r) => r.op.includes('>') && r.target !== '/dev/null')))) {
          hits.push({
            step,
            message: `This RUN only removes files that earlier layers already ship, so the image does not shrink; do the cleanup in the RUN that creates those files.`
          });
        }
      }
    }
    return hits;
  }
};
