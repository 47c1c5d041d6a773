import { defaultRunUser } from '../images.js';
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
      'The shipped stage (including the stages it is built FROM) sets no USER, or its last USER is root. A process that runs as root turns any code-execution bug into root inside the container. Bases known to run as another user (distroless `:nonroot`, Chainguard, ubi8/openjdk as uid 185, bitnami as 1001…, see src/lint/data/official-images.ts) are not flagged; for a base not in that table the finding says the container may run as root.',
    help: 'Create or pick an unprivileged user and switch to it at the end of the final stage:\n\n```dockerfile\nRUN useradd --system --uid 10001 app\nUSER 10001\n```\nor use a non-root base such as `gcr.io/distroless/static-debian12:nonroot`.',
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
      return [
        {
          step: lastUser,
          message: `The last USER of the shipped stage is ${user}, so the container runs as root; switch to an unprivileged user at the end of the final stage.`
        }
      ];
    }
    const root = chain[chain.length - 1];
    // An unresolved base (`FROM $BASE`) may well set a user; don't guess.
    if (!root.baseImage) return [];
    const image = root.baseImage.raw;
    const known = defaultRunUser(root.baseImage);
    if (known.root === false) return [];
    const label = model.finalStage.label;
    const fix = 'add USER with an unprivileged uid at the end of the stage';
    if (known.root === undefined) {
      return [
        {
          step: model.finalStage.fromStep,
          message: `The shipped stage ${label} never sets USER, so the container runs as the default user of ${image}, which may be root (that image's default user is not known here); ${fix}, or confirm the base sets one.`,
          details: { image, knownUser: false }
        }
      ];
    }
    if (known.entrypointUser) {
      // The image's entrypoint drops to its service user, unless the Dockerfile replaces what it runs.
      const replaced = chain.some((s) => s.steps.some((x) => x.keyword === 'ENTRYPOINT' || x.keyword === 'CMD'));
      if (!replaced) return [];
      return [
        {
          step: model.finalStage.fromStep,
          message: `The shipped stage ${label} never sets USER and replaces the CMD/ENTRYPOINT of ${image}, whose entrypoint would otherwise drop to ${known.entrypointUser}; the process may now run as root; ${fix}.`,
          details: { image, knownUser: true }
        }
      ];
    }
    return [
      {
        step: model.finalStage.fromStep,
        message: `The shipped stage ${label} never sets USER, so the container runs as root (the default user of ${image}); ${fix}.`,
        details: { image, knownUser: true }
      }
    ];
  }
};
