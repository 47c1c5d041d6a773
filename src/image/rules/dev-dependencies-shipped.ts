// npm devDependencies (per the app's lockfile or package.json) and Python dev extras (pytest & co. that only a
// `dev`/`test` extra requires) installed in the final image: build-time tools that ship to production.
import type { RuleMeta } from '../../report/rule-meta.js';
import type { Package } from '../../report/types.js';
import { formatBytes } from '../../util/bytes.js';
import { layerLabel } from './describe.js';
import type { ImageRule, RawImageFinding } from './types.js';

export const meta: RuleMeta & { category: 'image' } = {
  id: 'dev-dependencies-shipped',
  category: 'image',
  defaultSeverity: 'warning',
  shortDescription: 'Development-only dependencies ship in the final image',
  fullDescription:
    'npm devDependencies (TypeScript, test runners, bundlers) or Python dev/test extras are installed in the image that runs in production. They are often most of node_modules, and they widen the attack surface.',
  help: 'Install production dependencies only in the final stage, and build in a separate stage:\n\n```dockerfile\nFROM node:20 AS build\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\nFROM node:20-slim\nCOPY package*.json ./\nRUN npm ci --omit=dev\nCOPY --from=build /app/dist ./dist\n```\n\nFor Python, install the project without its dev extra (`pip install .`, not `.[dev]`).',
  tags: ['size', 'security'],
  examples: {
    bad: 'FROM node:20-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY dist ./dist',
    good: 'FROM node:20-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --omit=dev\nCOPY dist ./dist'
  },
  hadolint: []
};

/** `app/node_modules` for npm packages, the site-packages directory for Python ones. */
function groupOf(p: Package): string {
  const path = p.path ?? '';
  if (p.type === 'npm') {
    const i = path.startsWith('node_modules/') ? 0 : path.indexOf('/node_modules/') + 1;
    return `${path.slice(0, i)}node_modules`;
  }
  return path.slice(0, path.lastIndexOf('/', path.lastIndexOf('/') - 1));
}

export const devDependenciesShipped: ImageRule = {
  meta,
  check({ layers, inventory }) {
    if (!inventory) return [];
    const groups = new Map<string, Package[]>();
    for (const p of inventory.packages) {
      if (!p.dev) continue;
      const key = `${p.type}\0${groupOf(p)}`;
      groups.set(key, [...(groups.get(key) ?? []), p]);
    }
    const findings: RawImageFinding[] = [];
    for (const [key, pkgs] of groups) {
      const [type, dir] = key.split('\0');
      pkgs.sort((a, b) => (b.size ?? 0) - (a.size ?? 0));
      const bytes = pkgs.reduce((n, p) => n + (p.size ?? 0), 0);
      const top = pkgs.slice(0, 5).map((p) => `${p.name} ${p.version}${p.size ? ` (${formatBytes(p.size)})` : ''}`);
      const what = type === 'npm' ? `npm devDependenc${pkgs.length === 1 ? 'y' : 'ies'}` : `Python dev-extra package${pkgs.length === 1 ? '' : 's'}`;
      const fix = type === 'npm' ? 'install with `npm ci --omit=dev` in the final stage' : 'install the project without its dev/test extras';
      const layer = pkgs[0].layer;
      findings.push({
        key,
        message: `${pkgs.length} ${what} ship in /${dir} (${formatBytes(bytes)}): ${top.join(', ')}${pkgs.length > 5 ? ', …' : ''}${layer !== undefined ? `; added by ${layerLabel(layers, layer)}` : ''}; ${fix}.`,
        layer,
        path: dir,
        bytes,
        details: { type, packages: pkgs.map((p) => ({ name: p.name, version: p.version, size: p.size })) }
      });
    }
    return findings.sort((a, b) => (b.bytes ?? 0) - (a.bytes ?? 0));
  }
};
