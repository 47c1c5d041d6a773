// The content rules on images built with the real engine.
import { describe, expect, it } from '@jest/globals';
import { defaultConfig } from '../../src/config/types.js';
import { INVENTORY_RULES, runImageRules } from '../../src/image/rules/index.js';
import { requireEngine } from '../helpers/engine.js';
import { inventoryOf } from './helpers.js';

requireEngine();

async function findingsOf(dir: string, target?: string) {
  const { analysis, inventory } = await inventoryOf(dir, target);
  return runImageRules({ ...analysis, config: defaultConfig(), inventory }, INVENTORY_RULES);
}

describe('binary-cannot-start', () => {
  it('flags a dynamically linked C binary on scratch: no interpreter, no libc', async () => {
    const findings = await findingsOf('elf', 'dynamic');
    expect(findings).toEqual([
      expect.objectContaining({
        rule: 'binary-cannot-start',
        severity: 'error',
        path: 'hello',
        details: expect.objectContaining({ interpreter: '/lib64/ld-linux-x86-64.so.2', missingLibraries: ['libc.so.6'], entrypoint: true })
      })
    ]);
    expect(findings[0].message).toMatch(
      /\/hello .*cannot start: its program interpreter \/lib64\/ld-linux-x86-64\.so\.2 and shared library libc\.so\.6 are not in the image/
    );
  });

  it('accepts the same program linked statically, and a CGO_ENABLED=0 Go binary', async () => {
    expect(await findingsOf('elf', 'static')).toEqual([]);
    expect(await findingsOf('go')).toEqual([]);
  });

  it('accepts a dynamically linked entrypoint whose loader and libraries are there (merged /usr symlinks)', async () => {
    const findings = await findingsOf('deb', 'full');
    expect(findings.filter((f) => f.rule === 'binary-cannot-start')).toEqual([]);
  });
});

describe('dev-dependencies-shipped and source-shipped', () => {
  it('flags npm devDependencies with their bytes, and tests, docs and TypeScript sources of the app', async () => {
    const findings = await findingsOf('npm');
    const dev = findings.find((f) => f.rule === 'dev-dependencies-shipped');
    expect(dev).toMatchObject({ severity: 'warning', path: 'app/node_modules' });
    expect(dev?.message).toMatch(/1 npm devDependency ship in \/app\/node_modules \(.* MiB\): typescript 5\.4\.5/);
    expect(dev?.bytes).toBeGreaterThan(10_000_000);
    const source = findings.filter((f) => f.rule === 'source-shipped');
    expect(source.map((f) => [f.details?.category, f.path]).sort()).toEqual([
      ['docs', 'app/docs'],
      ['tests', 'app/test'],
      ['typescript', 'app/src']
    ]);
    expect(source.every((f) => f.severity === 'info' && f.bytes! > 0)).toBe(true);
  });

  it('flags Python packages only a dev extra requires', async () => {
    const findings = await findingsOf('python');
    const dev = findings.filter((f) => f.rule === 'dev-dependencies-shipped');
    expect(dev).toHaveLength(1);
    expect((dev[0].details?.packages as { name: string }[]).map((p) => p.name).sort()).toEqual(['iniconfig', 'pytest']);
    expect(dev[0].path).toBe('usr/local/lib/python3.11/site-packages');
  });
});
