import type { Step } from '../model.js';
import type { LintRule } from '../types.js';

// Flags that need a recent Dockerfile frontend (`# syntax=docker/dockerfile:1`).
const MODERN_FLAGS = new Set(['mount', 'network', 'security', 'link', 'parents', 'exclude', 'chmod']);

function modernFeature(step: Step): string | undefined {
  const flag = step.flags.find((f) => MODERN_FLAGS.has(f.getName().toLowerCase()));
  if (flag && (step.keyword === 'RUN' || step.keyword === 'COPY' || step.keyword === 'ADD')) return `${step.keyword} --${flag.getName()}`;
  if ((step.keyword === 'RUN' || step.keyword === 'COPY') && /^\s*([^\n]*\s)?<<-?["']?[A-Za-z_]/.test(step.args)) {
    return `${step.keyword} heredoc`;
  }
  return undefined;
}

export const missingSyntaxDirective: LintRule = {
  meta: {
    id: 'missing-syntax-directive',
    category: 'lint',
    defaultSeverity: 'info',
    shortDescription: 'BuildKit-only features without a `# syntax=` line',
    fullDescription:
      '`RUN --mount` (cache, secret, bind…), `--network` and `--security`, heredocs, and `COPY`/`ADD` with `--chmod`, `--link`, `--parents` or `--exclude` need a recent Dockerfile frontend. Without a `# syntax=` line the builder uses whatever frontend it bundles, which may be too old (or the legacy builder, which rejects them).',
    help: 'Make the first line of the Dockerfile `# syntax=docker/dockerfile:1`.',
    tags: ['reproducibility'],
    examples: {
      bad: 'FROM node:20-slim\nRUN --mount=type=cache,target=/root/.npm npm ci\n',
      good: '# syntax=docker/dockerfile:1\nFROM node:20-slim\nRUN --mount=type=cache,target=/root/.npm npm ci\n'
    },
    hadolint: []
  },
  check({ model }) {
    if (model.hasSyntaxDirective) return [];
    for (const step of model.steps) {
      const feature = modernFeature(step);
      if (feature) {
        return [
          {
            step,
            message: `${feature} needs a recent Dockerfile frontend but the file has no \`# syntax=docker/dockerfile:1\` line; add it as the first line.`,
            details: { feature }
          }
        ];
      }
    }
    return [];
  }
};
