import { isKnownNonRoot } from '../images.js';
import { stageChain, type Step } from '../model.js';
import type { LintRule } from '../types.js';

const ROOT = /^(root|0)(:.*)?$/;

export const finalStageRoot: LintRule = {
  meta: {
    id: 'final-stage-root',
    category: 'lint',
    defaultSeverity: 'warning',
    shortDescription: 'The image runs as root',
    fullDescription:
      'The shipped stage (including the stages it is built FROM) sets no USER, or its last USER is root. A process that runs as root turns any code-execution bug into root inside the container. Bases known to be non-root (`:nonroot` tags) are not flagged.',
    help:
      'Create or pick an unprivileged user and switch to it at the end of the final stage:\n\n```dockerfile\nRUN useradd --system --uid 10001 app\nUSER 10001\n```\nor use a non-root base such as `gcr.io/distroless/static-debian12:nonroot`.',
    tags: ['security'],
    examples: { bad: 'FROM debian:12-slim\nCOPY app /app\nCMD ["/app"]\n', good: 'FROM debian:12-slim\nCOPY app /app\nUSER 10001\nCMD ["/app"]\n' },
    hadolint: ['DL3002']
  },
  check({ model }) {
    if (!model.finalStage) return [];
    const chain = stageChain(model.finalStage);
    let lastUser: Step | undefined;
    for (const stage of chain) {
      const users = stage.steps.filter((s) => s.keyword === 'USER');
      if (users.length > 0) {
        lastUser = users[users.length - 1];
        break;
      }
    }
    if (lastUser) {
      const user = lastUser.args.trim();
      if (!ROOT.test(user)) return [];
      return [{ step: lastUser, message: `The last USER of the shipped stage is ${user}, so the container runs as root; switch to an unprivileged user at the end of the final stage.` }];
    }
    const root = chain[chain.length - 1];
    // An unresolved base (`FROM $BASE`) may well set a user; don't guess.
    if (!root.baseImage || isKnownNonRoot(root.baseImage)) return [];
    return [
      {
        step: model.finalStage.fromStep,
        message: `The shipped stage ${model.finalStage.label} never sets USER, so the container runs as root (the default of ${root.baseImage.raw}); add USER with an unprivileged uid at the end of the stage.`
      }
    ];
  }
};
