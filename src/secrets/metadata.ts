// Rule metadata for the three secret finding ids (the one RuleMeta shape, read by SARIF, the docs and config
// validation through report/rule-catalog.ts) and the detector catalogue (for the README table and `details.detector`).
import type { RuleMeta } from '../report/rule-meta.js';
import type { Severity } from '../report/types.js';
import { detectors } from './rules/index.js';

export const secretRuleIds = ['secret-history', 'secret-config', 'secret-file'] as const;

export const secretRules: readonly RuleMeta[] = [
  {
    id: 'secret-history',
    category: 'secret',
    defaultSeverity: 'error',
    shortDescription: 'A secret is visible in the image history',
    fullDescription:
      'A build argument or command line with a credential is recorded in the image history (`docker history`), which anyone who can pull the image can read.',
    help: 'Pass credentials with a secret mount instead of build arguments, and rotate the exposed credential:\n\n```dockerfile\nRUN --mount=type=secret,id=npm_token NPM_TOKEN=$(cat /run/secrets/npm_token) npm ci\n```',
    tags: ['security', 'secret'],
    examples: {
      bad: 'FROM node:20-slim\nARG NPM_TOKEN\nRUN echo "//registry.npmjs.org/:_authToken=$NPM_TOKEN" > .npmrc && npm ci && rm .npmrc',
      good: 'FROM node:20-slim\nRUN --mount=type=secret,id=npm_token NPM_TOKEN=$(cat /run/secrets/npm_token) npm ci'
    },
    hadolint: []
  },
  {
    id: 'secret-config',
    category: 'secret',
    defaultSeverity: 'error',
    shortDescription: 'A secret is set in the image configuration',
    fullDescription: 'An environment variable or label in the image configuration holds a credential; every container and every puller can read it.',
    help: 'Inject the value at run time (orchestrator secrets, environment files) instead of `ENV`/`LABEL`, and rotate the exposed credential.',
    tags: ['security', 'secret'],
    examples: {
      bad: 'FROM alpine:3.20\nENV AWS_SECRET_ACCESS_KEY=…',
      good: 'FROM alpine:3.20\n# the orchestrator injects AWS_SECRET_ACCESS_KEY at run time'
    },
    hadolint: []
  },
  {
    id: 'secret-file',
    category: 'secret',
    defaultSeverity: 'error',
    shortDescription: 'A file in the image contains a secret',
    fullDescription: 'A layer contains a private key, token or credential file. Even if a later layer deletes it, the layer that added it still ships it.',
    help: 'Keep the file out of the build context (`.dockerignore`), use `RUN --mount=type=secret` for build-time credentials, and rotate the exposed credential.',
    tags: ['security', 'secret'],
    examples: {
      bad: 'FROM node:20-slim\nCOPY .npmrc /root/.npmrc\nRUN npm ci && rm /root/.npmrc',
      good: 'FROM node:20-slim\nRUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci'
    },
    hadolint: []
  }
];

export interface DetectorMeta {
  id: string;
  title: string;
  description: string;
  severity: Severity;
}

export const secretDetectors: readonly DetectorMeta[] = detectors.map(({ id, title, description, severity }) => ({ id, title, description, severity }));
