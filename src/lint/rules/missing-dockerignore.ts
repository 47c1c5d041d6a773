import path from 'node:path';
import { contextEntries, findLeakedPaths, shownPath } from '../context-files.js';
import { firstWholeContextCopy } from '../rule-helpers.js';
import type { LintRule } from '../types.js';
import { formatBytes } from '../../util/bytes.js';

/** A context this large is worth a .dockerignore even when nothing in it is risky. */
const LARGE_CONTEXT = 10 * 1024 * 1024;
const SHOWN = 4;

export const missingDockerignore: LintRule = {
  meta: {
    id: 'missing-dockerignore',
    category: 'lint',
    defaultSeverity: 'warning',
    shortDescription: 'The whole context is copied, there is no .dockerignore, and the context holds what should not go in',
    fullDescription:
      'Without a `.dockerignore`, `COPY . .` copies everything in the build context. The rule looks at what is actually there and names the riskiest entries (`.git`, local `node_modules`, `.env` files, keys) and the largest ones, with what each would send; a small context with only sources is not reported.',
    help: 'Add a `.dockerignore` next to the build context root (or `<Dockerfile>.dockerignore` next to the Dockerfile) listing the paths the finding names, e.g.:\n\n```\n.git\nnode_modules\n.env*\n*.pem\n*.key\nid_rsa*\n```',
    tags: ['security', 'cache', 'size'],
    examples: {
      bad: '# no .dockerignore next to the Dockerfile\nFROM node:20-slim\nCOPY . /app',
      good: '# .dockerignore: .git  node_modules  .env\nFROM node:20-slim\nCOPY . /app'
    },
    hadolint: []
  },
  async check({ model, dockerignore, contextDir, cwd }) {
    const copy = firstWholeContextCopy(model);
    if (!copy || dockerignore) return [];
    const where = shownPath(contextDir, cwd, path.isAbsolute(model.file));
    const risky = await findLeakedPaths(contextDir, '');
    const entries = await contextEntries(contextDir, '');
    const total = entries.reduce((n, e) => n + e.bytes, 0);
    const isRisky = new Set(risky.map((r) => r.path.split('/')[0] + (r.path.includes('/') ? '/' : '')));
    const large = entries.filter((e) => !isRisky.has(e.path) && e.bytes >= Math.max(1024 * 1024, total / 10)).slice(0, 2);
    // Nothing risky and little data: the COPY is harmless today, and a warning naming absent files would lie.
    if (risky.length === 0 && total < LARGE_CONTEXT) return [];
    const named = [
      ...risky.slice(0, SHOWN).map((r) => `${r.path} (${r.bytes ? `${formatBytes(r.bytes)}, ` : ''}${r.why})`),
      ...large.map((e) => `${e.path} (${formatBytes(e.bytes)})`)
    ];
    const more = risky.length > SHOWN ? ` and ${risky.length - SHOWN} more` : '';
    return [
      {
        step: copy,
        message: `${copy.keyword} at line ${copy.line} copies the whole build context ${where} (${formatBytes(total)}) and there is no .dockerignore, so the build gets ${named.join(', ')}${more}; add a .dockerignore that excludes them.`,
        details: {
          context: where,
          contextBytes: total,
          paths: [...risky.map((r) => r.path), ...large.map((e) => e.path)],
          bytes: Object.fromEntries([...risky.map((r) => [r.path, r.bytes ?? 0]), ...large.map((e) => [e.path, e.bytes])])
        }
      }
    ];
  }
};
