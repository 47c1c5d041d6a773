// Builds an inventory fixture with the real engine and analyses it with the inventory subscriber attached.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultConfig } from '../../src/config/types.js';
import { analyseImage, type ImageAnalysis } from '../../src/image/analyse.js';
import { createInventoryScan, type Inventory } from '../../src/inventory/index.js';
import { nodeRuntime } from '../../src/util/node-runtime.js';
import { buildFixture, fixture } from '../helpers/engine.js';

export const TAG_PREFIX = 'inventory-test';

/**
 * The fixture's build context. For `npm`, a temporary copy with an npm cache filled on the host from the app's
 * lockfile (the build installs offline from it: builds here cannot verify the registry's TLS chain).
 */
export function fixtureContext(dir: string): { context: string; cleanup(): void } {
  const src = fixture('inventory', dir);
  if (dir !== 'npm') return { context: src, cleanup: () => {} };
  const tmp = mkdtempSync(path.join(tmpdir(), 'inventory-npm-'));
  cpSync(src, tmp, { recursive: true });
  const app = path.join(tmp, 'app');
  execFileSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--cache', path.join(tmp, 'npm-cache')], { cwd: app, stdio: 'ignore' });
  rmSync(path.join(app, 'node_modules'), { recursive: true, force: true });
  // Older npm (Debian's) also asks for each package's metadata document: cache those too.
  const lock = JSON.parse(readFileSync(path.join(app, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };
  const specs = Object.entries(lock.packages)
    .filter(([k]) => k)
    .map(([k, v]) => `${k.slice(k.lastIndexOf('node_modules/') + 13)}@${v.version}`);
  execFileSync('npm', ['cache', 'add', ...specs, '--cache', path.join(tmp, 'npm-cache')], { stdio: 'ignore' });
  return { context: tmp, cleanup: () => rmSync(tmp, { recursive: true, force: true }) };
}

export function buildInventoryFixture(dir: string, target?: string): string {
  const tag = `${TAG_PREFIX}-${dir}${target ? `-${target}` : ''}:latest`;
  const { context, cleanup } = fixtureContext(dir);
  try {
    buildFixture(context, tag, target ? ['--target', target] : []);
  } finally {
    cleanup();
  }
  return tag;
}

export async function inventoryOf(dir: string, target?: string): Promise<{ analysis: ImageAnalysis; inventory: Inventory; tag: string }> {
  const tag = buildInventoryFixture(dir, target);
  const scan = createInventoryScan();
  const analysis = await analyseImage({ ref: tag, runtime: nodeRuntime(), config: defaultConfig(), subscribers: [scan.subscriber] });
  return { analysis, inventory: await scan.build(analysis.model), tag };
}
