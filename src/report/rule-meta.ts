// Rule metadata shared by every stage that emits findings: the linter's catalogue, the image analysis and the
// secret scanner. SARIF (tool.driver.rules), the README table and config validation all read it.
import type { FindingCategory, Severity } from './types.js';
import { meta as binaryCannotStartMeta } from '../image/rules/binary-cannot-start.js';
import { meta as devDependenciesShippedMeta } from '../image/rules/dev-dependencies-shipped.js';
import { meta as sourceShippedMeta } from '../image/rules/source-shipped.js';

export interface RuleMeta {
  /** Stable rule id, as in Finding.rule (kebab-case). */
  id: string;
  category: FindingCategory;
  defaultSeverity: Severity;
  /** One line, no trailing period: what the rule flags. */
  shortDescription: string;
  /** A few sentences: why it matters. */
  fullDescription: string;
  /** Markdown: how to fix it, with an example when one helps. */
  help: string;
  /** e.g. `size`, `security`, `cache`, `reproducibility` (SARIF properties.tags). */
  tags: string[];
  /**
   * A snippet the rule flags and the fixed version it accepts (Dockerfile text for lint rules; for image and
   * secret rules the Dockerfile that produces / avoids the finding). Rendered into docs/rules/<id>.md.
   */
  examples?: { bad: string; good: string };
  /** hadolint rule ids that check the same thing (e.g. `DL3009`), for users coming from hadolint; [] when none. */
  hadolint?: string[];
}

/**
 * Rules the image analysis and the secret scanner emit. Their engines own the detection; the ids and texts live
 * here so SARIF and config validation know them without importing those engines. Add new ids here.
 */
export const stageRuleMetas: readonly RuleMeta[] = [
  {
    id: 'package-cache-in-image',
    category: 'image',
    defaultSeverity: 'warning',
    shortDescription: 'Package manager caches or indexes are left in the image',
    fullDescription:
      'Files such as /var/lib/apt/lists, /var/cache/apk, ~/.npm or ~/.cache/pip are only needed while installing. Left in a layer they add megabytes to every pull.',
    help:
      'Remove the cache in the same `RUN` that creates it, or keep it out of the image with a cache mount:\n\n```dockerfile\nRUN --mount=type=cache,target=/var/cache/apt --mount=type=cache,target=/var/lib/apt/lists \\\n    apt-get update && apt-get install -y --no-install-recommends curl\n```',
    tags: ['size']
  },
  {
    id: 'toolchain-in-image',
    category: 'image',
    defaultSeverity: 'warning',
    shortDescription: 'Compilers or SDKs ship in the final image',
    fullDescription:
      'The image contains build tools (compilers, SDKs, headers) that the application does not need at run time. They add size and attack surface.',
    help:
      'Build in one stage and copy only the artefacts into a runtime stage:\n\n```dockerfile\nFROM golang:1.22 AS build\nRUN go build -o /out/app .\nFROM gcr.io/distroless/static\nCOPY --from=build /out/app /app\n```',
    tags: ['size', 'security']
  },
  {
    id: 'wasted-space',
    category: 'image',
    defaultSeverity: 'warning',
    shortDescription: 'Bytes in a layer are hidden by a later layer',
    fullDescription:
      'Files added in one layer and deleted or overwritten in a later one still count towards the image size: every layer is pulled whole.',
    help: 'Create and delete temporary files in the same `RUN`, or produce them in a build stage and copy only the result.',
    tags: ['size']
  },
  {
    id: 'secret-history',
    category: 'secret',
    defaultSeverity: 'error',
    shortDescription: 'A secret is visible in the image history',
    fullDescription:
      'A build argument or command line with a credential is recorded in the image history (`docker history`), which anyone who can pull the image can read.',
    help:
      'Pass credentials with a secret mount instead of build arguments, and rotate the exposed credential:\n\n```dockerfile\nRUN --mount=type=secret,id=npm_token NPM_TOKEN=$(cat /run/secrets/npm_token) npm ci\n```',
    tags: ['security', 'secret']
  },
  {
    id: 'secret-config',
    category: 'secret',
    defaultSeverity: 'error',
    shortDescription: 'A secret is set in the image configuration',
    fullDescription: 'An environment variable or label in the image configuration holds a credential; every container and every puller can read it.',
    help: 'Inject the value at run time (orchestrator secrets, environment files) instead of `ENV`/`LABEL`, and rotate the exposed credential.',
    tags: ['security', 'secret']
  },
  {
    id: 'secret-file',
    category: 'secret',
    defaultSeverity: 'error',
    shortDescription: 'A file in the image contains a secret',
    fullDescription:
      'A layer contains a private key, token or credential file. Even if a later layer deletes it, the layer that added it still ships it.',
    help:
      'Keep the file out of the build context (`.dockerignore`), use `RUN --mount=type=secret` for build-time credentials, and rotate the exposed credential.',
    tags: ['security', 'secret']
  },
  binaryCannotStartMeta,
  devDependenciesShippedMeta,
  sourceShippedMeta
];
