import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { applyThresholdInput, loadConfig } from '../../src/config/load.js';
import { defaultConfig } from '../../src/config/types.js';

const temps: string[] = [];
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

function dirWith(yaml?: string, name = '.image-audit.yml'): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ia-config-'));
  temps.push(dir);
  if (yaml !== undefined) writeFileSync(path.join(dir, name), yaml);
  return dir;
}

const FULL = `
rules:
  consecutive-run: off
  unpinned-base-image: error
  wasted-space: info
thresholds:
  max-size: 200MB
  max-compressed-size: 1.5GiB
  max-layers: 20
  max-size-increase: 10%
  max-layers-increase: 2
  max-wasted: 10MB
  min-efficiency: 0.9
  fail-on-secrets: false
  fail-on: warning
secrets:
  suppress:
    - fingerprint: ${'ab'.repeat(32)}
      reason: test fixture key
      expires: 2026-12-31
    - rule: secret-file
      path: 'app/test/**'
  allow-paths: ['usr/share/doc/**']
waste:
  min-bytes: 2MB
  min-percent: 3
`;

describe('loadConfig', () => {
  it('returns the defaults when there is no file', async () => {
    expect(await loadConfig({ cwd: dirWith() })).toEqual(defaultConfig());
  });

  it('reads every key and merges onto the defaults', async () => {
    const config = await loadConfig({ cwd: dirWith(FULL) });
    expect(config.rules).toEqual({ 'consecutive-run': 'off', 'unpinned-base-image': 'error', 'wasted-space': 'info' });
    expect(config.thresholds).toEqual({
      maxSize: 200_000_000,
      maxCompressedSize: Math.round(1.5 * 1024 ** 3),
      maxLayers: 20,
      maxSizeIncrease: { percent: 10 },
      maxLayersIncrease: 2,
      maxWasted: { bytes: 10_000_000 },
      minEfficiency: 0.9,
      failOnSecrets: false,
      failOn: 'warning',
      failOnSource: 'fail-on'
    });
    expect(config.secrets.suppressions).toEqual([
      { fingerprint: 'ab'.repeat(32), reason: 'test fixture key', expires: '2026-12-31' },
      { rule: 'secret-file', path: 'app/test/**' }
    ]);
    expect(config.secrets.allowPaths).toEqual(['usr/share/doc/**']);
    expect(config.waste).toEqual({ minBytes: 2_000_000, minPercent: 3 });
  });

  it('an empty file and empty sections are the defaults', async () => {
    expect(await loadConfig({ cwd: dirWith('') })).toEqual(defaultConfig());
    expect(await loadConfig({ cwd: dirWith('rules:\nthresholds:\n') })).toEqual(defaultConfig());
  });

  it('reads an explicit path relative to cwd, and .yaml in cwd', async () => {
    const dir = dirWith('thresholds:\n  max-layers: 7\n', 'ci.yml');
    expect((await loadConfig({ cwd: dir, path: 'ci.yml' })).thresholds.maxLayers).toBe(7);
    expect((await loadConfig({ cwd: dirWith('thresholds:\n  max-layers: 8\n', '.image-audit.yaml') })).thresholds.maxLayers).toBe(8);
  });

  it('a given path that does not exist is a UserError naming it', async () => {
    await expect(loadConfig({ cwd: dirWith(), path: 'missing.yml' })).rejects.toMatchObject({
      name: 'UserError',
      message: expect.stringContaining('Config file not found: missing.yml')
    });
  });

  it.each([
    ['thresholds:\n  max-size: 12 parsecs\n', ".image-audit.yml: thresholds.max-size: '12 parsecs' is not a size; use e.g. 200MiB, 200MB or 1.5GiB"],
    ['thresholds:\n  max-sise: 1GB\n', '.image-audit.yml: thresholds.max-sise is not a known setting'],
    ['colour: red\n', '.image-audit.yml.colour is not a known setting'],
    ['rules:\n  no-such-rule: off\n', '.image-audit.yml: rules.no-such-rule is not a known rule'],
    ['rules:\n  consecutive-run: loud\n', "rules.consecutive-run: 'loud' is not a level"],
    ['thresholds:\n  max-layers: 2.5\n', 'thresholds.max-layers: 2.5 is not a whole number'],
    ['thresholds:\n  max-wasted: 150%\n', "thresholds.max-wasted: '150%' is more than 100%"],
    ['thresholds:\n  min-efficiency: 1.5\n', 'thresholds.min-efficiency: 1.5 is not a ratio'],
    ['thresholds:\n  fail-on-secrets: maybe\n', "thresholds.fail-on-secrets: 'maybe' is not true or false"],
    ['thresholds:\n  fail-on-lint: fatal\n', "thresholds.fail-on-lint: 'fatal' is not a severity"],
    ['thresholds:\n  max-size: [1, 2]\n', 'thresholds.max-size: expected a single value, got a list'],
    ['secrets:\n  suppress:\n    - reason: no key\n', 'secrets.suppress[0]: a suppression needs a fingerprint, or both rule and path'],
    ['secrets:\n  suppress:\n    - fingerprint: abc\n', "secrets.suppress[0].fingerprint: 'abc' is not a sha256 fingerprint"],
    [`secrets:\n  suppress:\n    - fingerprint: ${'a'.repeat(64)}\n      expires: next week\n`, "expires: 'next week' is not a date"],
    ['secrets:\n  allow-paths: usr/**\n', 'secrets.allow-paths must be a list'],
    ['waste:\n  min-percent: 200\n', 'waste.min-percent: 200 is not a percentage'],
    ['- just\n- a list\n', '.image-audit.yml must be a mapping'],
    ['rules: {a: 1\n', '.image-audit.yml:2:1: not valid YAML'],
    ['rules:\n  consecutive-run: off\n  consecutive-run: info\n', 'not valid YAML']
  ])('rejects %j naming the key and the file', async (yaml, expected) => {
    const err = await loadConfig({ cwd: dirWith(yaml) }).then(
      () => undefined,
      (e: Error) => e
    );
    expect(err?.name).toBe('UserError');
    expect(err?.message).toContain(expected);
    expect(err?.message).not.toMatch(/\n\s+at /);
  });
});

describe('applyThresholdInput', () => {
  it('names the input in the error, like the file does', () => {
    const t = defaultConfig().thresholds;
    expect(() => applyThresholdInput(t, 'max-size', '12 parsecs', 'input max-size')).toThrow(
      "input max-size: '12 parsecs' is not a size; use e.g. 200MiB, 200MB or 1.5GiB"
    );
    expect(() => applyThresholdInput(t, 'max-bloat', '1', 'input max-bloat')).toThrow("input max-bloat: unknown threshold 'max-bloat'");
  });

  it('parses input strings for every threshold and ignores empty inputs', () => {
    const t = defaultConfig().thresholds;
    applyThresholdInput(t, 'max-size', '500000000B', 'input max-size');
    applyThresholdInput(t, 'max-compressed-size', '80 MiB', 'input');
    applyThresholdInput(t, 'max-layers', '12', 'input');
    applyThresholdInput(t, 'max-size-increase', '20MB', 'input');
    applyThresholdInput(t, 'max-layers-increase', '0', 'input');
    applyThresholdInput(t, 'max-wasted', '5%', 'input');
    applyThresholdInput(t, 'min-efficiency', '95%', 'input');
    applyThresholdInput(t, 'fail-on-secrets', 'FALSE', 'input');
    applyThresholdInput(t, 'fail-on', 'none', 'input');
    applyThresholdInput(t, 'max-layers', '', 'input'); // unset action input
    expect(t).toEqual({
      maxSize: 500_000_000,
      maxCompressedSize: 80 * 1024 ** 2,
      maxLayers: 12,
      maxSizeIncrease: { bytes: 20_000_000 },
      maxLayersIncrease: 0,
      maxWasted: { percent: 5 },
      minEfficiency: 0.95,
      failOnSecrets: false,
      failOn: 'none',
      failOnSource: 'fail-on'
    });
  });

  it('a bare number as a size asks for the unit', () => {
    const t = defaultConfig().thresholds;
    expect(() => applyThresholdInput(t, 'max-wasted', '5', '--max-wasted')).toThrow("--max-wasted: '5' has no unit: 5 MB or 5 %?");
    expect(() => applyThresholdInput(t, 'max-size', '200', '--max-size')).toThrow("--max-size: '200' has no unit: 200 MB or 200 MiB?");
    expect(() => applyThresholdInput(t, 'max-size-increase', 10, 'thresholds.max-size-increase')).toThrow('10 MB or 10 %?');
    applyThresholdInput(t, 'max-wasted', '0', '--max-wasted');
    expect(t.maxWasted).toEqual({ bytes: 0 });
  });

  it('fail-on-lint is a deprecated alias of fail-on that warns; fail-on wins', () => {
    const t = defaultConfig().thresholds;
    applyThresholdInput(t, 'fail-on-lint', 'warning', '--fail-on-lint');
    expect(t).toMatchObject({ failOn: 'warning', failOnSource: 'fail-on-lint' });
    expect(t.warnings).toEqual(['--fail-on-lint is deprecated and now gates every finding (lint, image, secret); use fail-on instead.']);
    applyThresholdInput(t, 'fail-on', 'info', '--fail-on');
    applyThresholdInput(t, 'fail-on-lint', 'error', '--fail-on-lint');
    expect(t.failOn).toBe('info');
  });

  it('report.all-waste is read from the file', async () => {
    expect((await loadConfig({ cwd: dirWith('report:\n  all-waste: true\n') })).report.allWaste).toBe(true);
  });
});
