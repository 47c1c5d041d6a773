import { offsetOf, positionAt } from '../model.js';
import { findInlineCredentials } from '../secret-shapes.js';
import type { LintRule, RuleHit } from '../types.js';

export const secretInRun: LintRule = {
  meta: {
    id: 'secret-in-run',
    category: 'lint',
    defaultSeverity: 'error',
    shortDescription: 'A RUN command line contains a credential',
    fullDescription:
      'A token, a `https://user:password@` URL or an npm `_authToken=` written into a RUN is committed with the Dockerfile and recorded in the image history, in every stage.',
    help: 'Read the credential from a BuildKit secret in the RUN that needs it, and rotate the exposed one:\n\n```dockerfile\nRUN --mount=type=secret,id=gh_token \\\n    git clone https://x-access-token:$(cat /run/secrets/gh_token)@github.com/org/repo.git\n```',
    tags: ['security', 'secret'],
    examples: {
      bad: 'FROM node:20-slim\nRUN echo "//registry.npmjs.org/:_authToken=npm_…" > /root/.npmrc && npm ci && rm /root/.npmrc',
      good: 'FROM node:20-slim\nRUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci'
    },
    // hadolint has no rule for literal credentials in RUN.
    hadolint: []
  },
  check({ model }) {
    const hits: RuleHit[] = [];
    for (const step of model.steps) {
      if (step.keyword !== 'RUN') continue;
      const start = offsetOf(model, step.line, step.column);
      const text = model.source.slice(start, offsetOf(model, step.endLine, step.endColumn));
      for (const match of findInlineCredentials(text)) {
        const from = positionAt(model, start + match.index);
        const to = positionAt(model, start + match.index + match.length);
        hits.push({
          step,
          key: `${match.kind}:${match.masked}`,
          range: { line: from.line, column: from.column, endLine: to.line, endColumn: to.column },
          ...(match.severity ? { severity: match.severity } : {}),
          message:
            match.severity === 'info'
              ? `RUN contains a ${match.kind} (${match.masked}) that looks like a default (user = password); fine for a local service, never for a real one.`
              : `RUN contains a literal ${match.kind} (${match.masked}); it is committed with the Dockerfile and kept in the image history. Use --mount=type=secret and rotate it.`,
          details: { kind: match.kind, masked: match.masked }
        });
      }
    }
    return hits;
  }
};
