import { copiedSecretFile, isPublicKeyDestination } from '../secret-shapes.js';
import { stageSeverity } from '../rule-helpers.js';
import type { LintRule, RuleHit } from '../types.js';

export const copySecretFile: LintRule = {
  meta: {
    id: 'copy-secret-file',
    category: 'lint',
    defaultSeverity: 'error',
    shortDescription: 'COPY/ADD puts a credential file into a layer',
    fullDescription:
      'Files such as `.npmrc`, `.env`, SSH keys, `*.pem`/`*.key`, `.netrc`, `.pypirc`, `.git-credentials`, `.aws/` or credential JSON (also a variant such as `.npmrc-ci`, or any file copied to such a name) copied into the image stay in that layer for anyone who pulls it, even if a later step deletes them. Error in stages that ship, warning in build stages (their layers still reach build caches).',
    help: 'Mount the file only for the RUN that needs it:\n\n```dockerfile\nRUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci\n```\nBuild with `docker buildx build --secret id=npmrc,src=$HOME/.npmrc .`',
    tags: ['security', 'secret'],
    examples: {
      bad: 'FROM node:20-slim\nCOPY .npmrc /root/.npmrc\nRUN npm ci',
      good: 'FROM node:20-slim\nRUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci'
    },
    hadolint: []
  },
  check({ model }) {
    const hits: RuleHit[] = [];
    for (const step of model.steps) {
      if (!step.copy || step.copy.heredoc) continue;
      for (const source of step.copy.sources) {
        const kind = copiedSecretFile(source, step.copy.dest, step.copy.sources.length)?.kind;
        if (!kind || (kind === 'a private key' && isPublicKeyDestination(step.copy.dest))) continue;
        hits.push({
          step,
          key: source,
          severity: stageSeverity(step, 'error', 'warning'),
          message: `${step.keyword} ${source} puts ${kind} into a layer${step.stage?.shipped ? ' of the image' : ` of build stage ${step.stage?.label ?? ''}`}; mount it with RUN --mount=type=secret for the step that needs it instead.`,
          details: { source, kind }
        });
      }
    }
    return hits;
  }
};
