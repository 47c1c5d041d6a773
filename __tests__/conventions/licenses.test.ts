// The repository's own license, and the bundle's third-party licenses (rollup-plugin-license → dist/licenses.txt).
import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (rel: string) => readFileSync(path.join(root, rel), 'utf8');

describe('licenses', () => {
  test('LICENSE is the MIT license package.json declares', () => {
    expect(JSON.parse(read('package.json')).license).toBe('MIT');
    expect(read('LICENSE')).toMatch(/^MIT License\n/);
  });

  test('rollup writes the bundled packages’ licenses to dist/licenses.txt, with source maps', () => {
    const config = read('rollup.config.js');
    expect(config).toContain("'dist/licenses.txt'");
    expect(config).toMatch(/sourcemap: true/);
  });

  test('dist/licenses.txt lists every runtime dependency that the bundle inlines', () => {
    const text = read('dist/licenses.txt');
    const deps = Object.keys(JSON.parse(read('package.json')).dependencies);
    for (const dep of deps) expect(text).toMatch(new RegExp(`^${dep.replace(/[/.]/g, '\\$&')}@\\d`, 'm'));
    expect(text).not.toMatch(/^License: UNKNOWN$/m);
  });
});
