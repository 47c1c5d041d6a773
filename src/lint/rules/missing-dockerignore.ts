import path from 'node:path';
import { firstWholeContextCopy } from '../rule-helpers.js';
import type { LintRule } from '../types.js';

export const missingDockerignore: LintRule = {
  meta: {
    id: 'missing-dockerignore',
    category: 'lint',
    defaultSeverity: 'warning',
    shortDescription: 'The whole context is copied and there is no .dockerignore',
    fullDescription:
      'Without a `.dockerignore`, `COPY . .` copies everything in the build context: `.git`, local `node_modules`, `.env` files and keys. It bloats the layer, busts the cache on every change and can ship secrets.',
    help:
      'Add a `.dockerignore` next to the build context root (or `<Dockerfile>.dockerignore` next to the Dockerfile):\n\n```\n.git\nnode_modules\n.env*\n*.pem\n*.key\nid_rsa*\n```',
    tags: ['security', 'cache', 'size']
  },
  check({ model, dockerignore, contextDir, cwd }) {
    const copy = firstWholeContextCopy(model);
    if (!copy || dockerignore) return [];
    const where = path.relative(cwd, contextDir) || '.';
    return [
      {
        step: copy,
        message: `${copy.keyword} at line ${copy.line} copies the whole build context but ${where} has no .dockerignore, so .git, node_modules and any .env or key files go into the build; add a .dockerignore.`,
        details: { context: where }
      }
    ];
  }
};
