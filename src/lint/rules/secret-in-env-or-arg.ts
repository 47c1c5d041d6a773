import { findTokens, isSecretName } from '../secret-shapes.js';
import { assessNamedValue, secretNameClass } from '../../secrets/rules/secret-name.js';
import { saysNotReal } from '../../secrets/noise.js';
import { hitRange, stageSeverity } from '../rule-helpers.js';
import type { LintRule, RuleHit } from '../types.js';

export const secretInEnvOrArg: LintRule = {
  meta: {
    id: 'secret-in-env-or-arg',
    category: 'lint',
    defaultSeverity: 'error',
    shortDescription: 'ENV or ARG carries a credential',
    fullDescription:
      'ENV values are stored in the image configuration and ARG values in the history of every RUN that uses them: anyone who can pull the image can read them. Flags names that say secret (TOKEN, SECRET, PASSWORD, PASSWD, *_PWD, PGPASSWORD, API_KEY, CREDENTIAL, PRIVATE_KEY, AUTH; PASS and *_KEY when the value looks like a credential; not *_FILE, *_PATH, *_URL, publicToken, csrf-token; not values that say no credential is set, such as `NO_API_KEY_SET`) and literal values shaped like tokens. Error in stages that ship, warning in build stages.',
    help: 'Pass build-time credentials as BuildKit secrets and read them only in the RUN that needs them:\n\n```dockerfile\nRUN --mount=type=secret,id=npm_token \\\n    NPM_TOKEN=$(cat /run/secrets/npm_token) npm ci\n```\nBuild with `docker buildx build --secret id=npm_token,env=NPM_TOKEN .` and give run-time secrets to the container at run time. Rotate any credential that was committed.',
    tags: ['security', 'secret'],
    examples: {
      bad: 'FROM node:20-slim\nARG NPM_TOKEN\nENV GITHUB_TOKEN=ghp_…',
      good: 'FROM node:20-slim\nRUN --mount=type=secret,id=npm_token NPM_TOKEN=$(cat /run/secrets/npm_token) npm ci'
    },
    // hadolint has no secret-in-ENV/ARG rule (BuildKit's own check is SecretsUsedInArgOrEnv).
    hadolint: []
  },
  check({ model }) {
    const hits: RuleHit[] = [];
    for (const step of model.steps) {
      if (step.keyword !== 'ENV' && step.keyword !== 'ARG') continue;
      for (const prop of step.properties ?? []) {
        const { name, value } = prop;
        const tokens = value ? findTokens(value) : [];
        const where = step.keyword === 'ENV' ? 'is stored in the image configuration' : 'is recorded in the history of every RUN that uses it';
        let message: string | undefined;
        if (tokens.length > 0) {
          message = `${step.keyword} ${name} holds a literal ${tokens[0].kind} (${tokens[0].masked}) that ${where}; pass it with --mount=type=secret and rotate it.`;
        } else if (isSecretName(name)) {
          if (step.keyword === 'ENV' && (value === '' || value === null)) continue; // clearing a variable
          if (value && /^(\/|\.\/|~\/)/.test(value)) continue; // a path to a secret, not the secret
          // A literal value must look like a credential (the scanner's entropy and placeholder checks); `ARG NAME`
          // with no default takes its value from --build-arg, which the history records: only strong names count.
          // A strong name (TOKEN, PASSWORD…) is reported with any literal, even `changeme`, because ENV bakes it into
          // the image; a weak one (PASS, *_KEY) only with a credential-like value; `not_a_real_token` never.
          const strong = secretNameClass(name) === 'strong';
          if (value ? saysNotReal(value) || (!strong && !assessNamedValue(name, value)) : !strong) continue;
          message = `${step.keyword} ${name} looks like a credential and its value ${where}; pass it with RUN --mount=type=secret instead.`;
        }
        if (!message) continue;
        hits.push({
          step,
          key: name,
          range: hitRange(prop.range),
          severity: stageSeverity(step, 'error', 'warning'),
          message,
          details: { name, ...(tokens.length > 0 ? { masked: tokens[0].masked } : {}) }
        });
      }
    }
    return hits;
  }
};
