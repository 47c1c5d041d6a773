// Files an application does not run: tests, docs, a `.git` directory, and TypeScript sources next to the
// JavaScript compiled from them. Looks at the app's own files (outside the OS directories and outside
// node_modules / site-packages, whose packages are what their authors published).
import type { RuleMeta } from '../../report/rule-meta.js';
import { formatBytes } from '../../util/bytes.js';
import { layerLabel } from './describe.js';
import type { ImageRule, RawImageFinding } from './types.js';

export const meta: RuleMeta & { category: 'image' } = {
  id: 'source-shipped',
  category: 'image',
  defaultSeverity: 'info',
  shortDescription: 'Tests, docs, .git or TypeScript sources ship next to the compiled app',
  fullDescription:
    'The final image contains files the application never reads at run time: test folders, documentation, a .git directory (with the whole history), or TypeScript sources next to their compiled JavaScript. They add bytes and can reveal more than intended.',
  help: 'Copy only what runs (`COPY --from=build /app/dist ./dist`), and list the rest in `.dockerignore`:\n\n```\n.git\ntest/\ndocs/\nsrc/\n```',
  tags: ['size'],
  examples: {
    bad: 'FROM node:20-slim\nWORKDIR /app\nCOPY . .\nCMD ["node", "dist/index.js"]',
    good: 'FROM node:20-slim\nWORKDIR /app\nCOPY package*.json ./\nCOPY dist ./dist\nCMD ["node", "dist/index.js"]'
  },
  hadolint: []
};

const OS_DIRS =
  /^(?:usr\/(?!src\/|local\/src\/|app\/)|(?:lib|lib32|lib64|libx32|bin|sbin|etc|proc|sys|dev|run|boot)(?:\/|$)|var\/(?:lib|cache|log)\/|opt\/(?:java|jdk|python|node)[^/]*\/)/;
const PACKAGES = /(?:^|\/)(?:node_modules|site-packages|dist-packages|\.cache|\.npm|go\/pkg\/mod)\//;
const TEST_DIRS = new Set(['test', 'tests', '__tests__', 'spec', 'specs', '__mocks__', 'e2e']);
const TEST_FILE = /\.(?:test|spec)\.[cm]?[jt]sx?$|^test_[^/]*\.py$|_test\.(?:py|go)$/;
const DOC_DIRS = new Set(['docs', 'doc']);
const TS_SOURCE = /\.(?:ts|tsx|mts|cts)$/;
const OUT_DIRS = ['dist', 'build', 'lib', 'out'];

type Category = 'git' | 'tests' | 'docs' | 'typescript';
const LABEL: Record<Category, string> = {
  git: '.git directories',
  tests: 'tests',
  docs: 'documentation folders',
  typescript: 'TypeScript sources next to their compiled JavaScript'
};

export const sourceShipped: ImageRule = {
  meta,
  check({ layers, inventory }) {
    if (!inventory) return [];
    const visible = inventory.visible;
    const acc = new Map<Category, { bytes: number; files: number; roots: Map<string, number>; byLayer: Map<number, number> }>();
    const add = (c: Category, root: string, bytes: number, layer: number) => {
      let a = acc.get(c);
      if (!a) acc.set(c, (a = { bytes: 0, files: 0, roots: new Map(), byLayer: new Map() }));
      a.bytes += bytes;
      a.files++;
      a.roots.set(root, (a.roots.get(root) ?? 0) + bytes);
      a.byLayer.set(layer, (a.byLayer.get(layer) ?? 0) + bytes);
    };
    for (const [path, e] of visible) {
      if (e.kind !== 'file' || OS_DIRS.test(path) || PACKAGES.test(path)) continue;
      const parts = path.split('/');
      const git = parts.indexOf('.git');
      if (git >= 0) {
        add('git', parts.slice(0, git + 1).join('/'), e.bytes, e.layer);
        continue;
      }
      const testDir = parts.slice(0, -1).findIndex((p) => TEST_DIRS.has(p));
      if (testDir >= 0 || TEST_FILE.test(parts[parts.length - 1])) {
        add('tests', testDir >= 0 ? parts.slice(0, testDir + 1).join('/') : path, e.bytes, e.layer);
        continue;
      }
      const docDir = parts.slice(0, -1).findIndex((p) => DOC_DIRS.has(p));
      if (docDir >= 0) {
        add('docs', parts.slice(0, docDir + 1).join('/'), e.bytes, e.layer);
        continue;
      }
      if (TS_SOURCE.test(path) && !/\.d\.[cm]?ts$/.test(path)) {
        const js = path.replace(/\.([cm]?)tsx?$/, '.$1js');
        const src = parts.lastIndexOf('src');
        const compiled =
          visible.has(js) ||
          (src >= 0 && OUT_DIRS.some((o) => visible.has([...parts.slice(0, src), o, ...parts.slice(src + 1)].join('/').replace(/\.([cm]?)tsx?$/, '.$1js'))));
        if (compiled) add('typescript', src >= 0 ? parts.slice(0, src + 1).join('/') : path, e.bytes, e.layer);
      }
    }
    const findings: RawImageFinding[] = [];
    for (const [category, a] of acc) {
      const roots = [...a.roots.entries()].sort((x, y) => y[1] - x[1]);
      const layer = [...a.byLayer.entries()].sort((x, y) => y[1] - x[1])[0][0];
      findings.push({
        key: category,
        message: `${a.files} file${a.files === 1 ? '' : 's'} of ${LABEL[category]} ship in the image (${formatBytes(a.bytes)}): ${roots
          .slice(0, 3)
          .map(([r, b]) => `/${r} (${formatBytes(b)})`)
          .join(
            ', '
          )}${roots.length > 3 ? ', …' : ''}; largest part added by ${layerLabel(layers, layer)}. Copy only what runs, or list them in .dockerignore.`,
        layer,
        path: roots[0][0],
        bytes: a.bytes,
        details: { category, files: a.files, roots: roots.slice(0, 20).map(([path, bytes]) => ({ path, bytes })) }
      });
    }
    return findings.sort((x, y) => (y.bytes ?? 0) - (x.bytes ?? 0));
  }
};
