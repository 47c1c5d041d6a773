import path from 'node:path';
import { findLeakedPaths, shownPath } from '../context-files.js';
import { formatBytes } from '../../util/bytes.js';
import { firstWholeContextCopy } from '../rule-helpers.js';
import type { LintRule } from '../types.js';

const SHOWN = 5;

export const dockerignoreIncomplete: LintRule = {
  meta: {
    id: 'dockerignore-incomplete',
    category: 'lint',
    defaultSeverity: 'warning',
    shortDescription: 'The .dockerignore lets through files that never belong in a build',
    fullDescription:
      "The build context on disk holds paths the `.dockerignore` does not exclude that a whole-context COPY would put into the image: `.git`, `node_modules`, `.env` files, private keys or credential files. Checked against the files actually present, with Docker's matching rules.",
    help: 'Add the listed paths (or patterns such as `.git`, `**/node_modules`, `**/.env*`, `**/*.pem`, `**/id_rsa*`) to the `.dockerignore`.',
    tags: ['security', 'size'],
    examples: {
      bad: '# .dockerignore: node_modules\nFROM node:20-slim\nCOPY . /app',
      good: '# .dockerignore: node_modules  .git  .env  *.pem\nFROM node:20-slim\nCOPY . /app'
    },
    hadolint: []
  },
  async check({ model, dockerignore, contextDir, cwd }) {
    const copy = firstWholeContextCopy(model);
    if (!copy || !dockerignore) return [];
    const leaked = await findLeakedPaths(contextDir, dockerignore.patterns);
    if (leaked.length === 0) return [];
    const file = shownPath(dockerignore.path, cwd, path.isAbsolute(model.file));
    // Riskiest first (secrets before bulk), then the largest.
    const rank = (why: string) => (/git|dependencies/i.test(why) ? 1 : 0);
    const ordered = [...leaked].sort((a, b) => rank(a.why) - rank(b.why) || (b.bytes ?? 0) - (a.bytes ?? 0) || a.path.localeCompare(b.path));
    const shown = ordered
      .slice(0, SHOWN)
      .map((l) => (l.bytes ? `${l.path} (${formatBytes(l.bytes)})` : l.path))
      .join(', ');
    const more = leaked.length > SHOWN ? ` and ${leaked.length - SHOWN} more` : '';
    return [
      {
        step: copy,
        message: `${file} does not exclude ${shown}${more}, which ${copy.keyword} at line ${copy.line} copies into the build; add them to ${path.basename(file)}.`,
        details: { dockerignore: file, paths: leaked.map((l) => l.path), reasons: Object.fromEntries(leaked.map((l) => [l.path, l.why])) }
      }
    ];
  }
};
