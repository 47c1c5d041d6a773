// Inputs named as build-push-action / hadolint-action / dive users know them, and the one boolean parser.
import { describe, expect, test } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readInputs } from '../../src/action/inputs.js';
import { buildxArgs, parseBuildInputs } from '../../src/build/inputs.js';
import { parseCommand, type AuditCommand } from '../../src/cli/args.js';
import { applyDiveCi } from '../../src/config/dive-ci.js';
import { applyIgnore } from '../../src/config/ignore.js';
import { applyThresholdInput, loadConfig, parseConfig } from '../../src/config/load.js';
import { defaultConfig } from '../../src/config/types.js';
import { evaluateThresholds } from '../../src/gate/index.js';
import { allRuleMetas } from '../../src/report/rule-catalog.js';
import { booleanFromText, parseBoolean } from '../../src/util/boolean.js';
import { UserError } from '../../src/util/errors.js';
import { makeReport, MiB } from '../compare/make-report.js';

const files = { iidFile: '/t/iid', metadataFile: '/t/m.json', secretFiles: {} };
const inputs = (values: Record<string, string>) => readInputs((name) => values[name] ?? '');

describe('one boolean parser', () => {
  test('accepts the YAML 1.2 core set as core.getBooleanInput does, and yes/no/on/off for compatibility', () => {
    for (const t of ['true', 'True', 'TRUE', 'yes', 'Yes', 'ON', '1', ' true ']) expect(booleanFromText(t)).toBe(true);
    for (const f of ['false', 'False', 'FALSE', 'no', 'NO', 'off', '0']) expect(booleanFromText(f)).toBe(false);
    for (const x of ['tRuE', 'maybe', 'y', '2', '']) expect(booleanFromText(x)).toBeUndefined();
    expect(() => parseBoolean('Input lint', 'maybe', true)).toThrow(/Input lint: 'maybe' is not true or false/);
  });

  test('fail-on-secrets: yes works like lint: yes — input, config file and CLI flag', () => {
    const t = defaultConfig().thresholds;
    applyThresholdInput(t, 'fail-on-secrets', 'no', 'input fail-on-secrets');
    expect(t.failOnSecrets).toBe(false);
    expect(parseConfig({ thresholds: { 'fail-on-secrets': 'yes' } }, 'f').thresholds.failOnSecrets).toBe(true);
    expect(parseConfig({ thresholds: { 'fail-on-secrets': false } }, 'f').thresholds.failOnSecrets).toBe(false);
    expect(() => parseConfig({ thresholds: { 'fail-on-secrets': 'maybe' } }, 'f')).toThrow(/thresholds.fail-on-secrets: 'maybe' is not true or false/);
    expect(inputs({ lint: 'yes', comment: 'FALSE', 'audit-issue': 'True' })).toMatchObject({ lint: true, comment: false, auditIssue: true });
    expect(parseBuildInputs({ 'no-cache': 'On' }).noCache).toBe(true);
    expect(() => inputs({ comment: 'sure' })).toThrow(/Input comment/);
  });
});

describe('build-push-action names', () => {
  test('platforms, with platform as its alias; disagreeing values are refused', () => {
    expect(parseBuildInputs({ platforms: 'linux/arm64' }).platform).toBe('linux/arm64');
    expect(parseBuildInputs({ platform: 'linux/arm64' }).platform).toBe('linux/arm64');
    expect(parseBuildInputs({ platforms: 'linux/amd64', platform: 'linux/amd64' }).platform).toBe('linux/amd64');
    expect(() => parseBuildInputs({ platforms: 'linux/amd64', platform: 'linux/arm64' })).toThrow(/disagree/);
    expect(() => parseBuildInputs({ platforms: 'linux/amd64\nlinux/arm64' })).toThrow(/Input platforms: .*several platforms/);
    expect(inputs({ platforms: 'linux/amd64' }).build?.platform).toBe('linux/amd64');
  });

  test('cache-from/cache-to: one entry per line, commas kept; tags split on commas too', () => {
    const b = parseBuildInputs({
      'cache-from': 'user/app:cache,mode=max\n type=gha,scope=web \n',
      'cache-to': 'type=local,dest=/c,mode=max',
      tags: 'a:1, b:2\nc:3'
    });
    expect(b.cacheFrom).toEqual(['user/app:cache,mode=max', 'type=gha,scope=web']);
    expect(b.cacheTo).toEqual(['type=local,dest=/c,mode=max']);
    expect(b.tags).toEqual(['a:1', 'b:2', 'c:3']);
  });

  test('secret-envs and secret-files become buildx --secret env= / src= (values never read into argv)', () => {
    const b = parseBuildInputs({ 'secret-envs': 'npm=NPM_TOKEN\ngh=GH_TOKEN', 'secret-files': 'netrc=/home/u/.netrc' });
    const args = buildxArgs(b, files);
    const secrets = args.flatMap((a, i) => (args[i - 1] === '--secret' ? [a] : []));
    expect(secrets).toEqual(['id=npm,env=NPM_TOKEN', 'id=gh,env=GH_TOKEN', 'id=netrc,src=/home/u/.netrc']);
    expect(() => parseBuildInputs({ 'secret-envs': 'npm=ghp_not-a-variable-name' })).toThrow(/not an environment variable name/);
    expect(() => parseBuildInputs({ 'secret-files': 'justapath' })).toThrow(/Input secret-files/);
  });
});

describe('hadolint-action users: ignore and no-fail', () => {
  test('our ids and hadolint ids (mapped through the rules’ hadolint metadata) are turned off', () => {
    const rules: Record<string, 'off'> = {};
    const mapped = allRuleMetas().find((m) => m.hadolint?.includes('DL3009'));
    expect(mapped).toBeDefined();
    const r = applyIgnore(rules, ['wasted-space', 'dl3009', 'DL3999'], 'Input ignore');
    expect(r.ignored).toEqual(expect.arrayContaining(['wasted-space', mapped!.id]));
    expect(r.unmapped).toEqual(['DL3999']);
    expect(rules['wasted-space']).toBe('off');
    expect(() => applyIgnore({}, ['no-such-rule'], 'Input ignore')).toThrow(UserError);
  });

  test('ignore is comma or line separated; no-fail is a boolean input; the CLI has both', () => {
    expect(inputs({ ignore: 'DL3008, wasted-space\nDL3009\n' }).ignore).toEqual(['DL3008', 'wasted-space', 'DL3009']);
    expect(inputs({ 'no-fail': 'true' }).noFail).toBe(true);
    expect(inputs({}).noFail).toBe(false);
    const cmd = parseCommand(['audit', '--ignore', 'DL3009,wasted-space', '--ignore', 'toolchain-in-image', '--no-fail']) as AuditCommand;
    expect(cmd.ignore).toEqual(['DL3009', 'wasted-space', 'toolchain-in-image']);
    expect(cmd.noFail).toBe(true);
  });
});

describe('dive users: .dive-ci as a threshold source', () => {
  test('the three dive rules map to min-efficiency, max-wasted and max-user-wasted', () => {
    const t = defaultConfig().thresholds;
    const set = applyDiveCi({ rules: { lowestEfficiency: 0.95, highestWastedBytes: '20MB', highestUserWastedPercent: '0.20' } }, t, '.dive-ci');
    expect(set).toEqual(['min-efficiency', 'max-wasted', 'max-user-wasted']);
    expect(t).toMatchObject({ minEfficiency: 0.95, maxWasted: { bytes: 20_000_000 }, maxUserWasted: { percent: 20 } });
  });

  test('go-humanize sizes and `disabled` as dive reads them; unknown keys are errors', () => {
    const t = defaultConfig().thresholds;
    applyDiveCi({ rules: { highestWastedBytes: '2m', lowestEfficiency: 'disabled', highestUserWastedPercent: 'disabled' } }, t, '.dive-ci');
    expect(t.maxWasted).toEqual({ bytes: 2_000_000 });
    expect(t.minEfficiency).toBeUndefined();
    expect(t.maxUserWasted).toBeUndefined();
    expect(() => applyDiveCi({ rules: { lowestEfficency: 0.9 } }, t, '.dive-ci')).toThrow(/not a dive CI rule/);
    expect(() => applyDiveCi({ rules: { lowestEfficiency: 'high' } }, t, '.dive-ci')).toThrow(/rules.lowestEfficiency.*min-efficiency/);
  });

  test('loadConfig reads .dive-ci from the working directory; .image-audit.yml wins over it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ia-dive-'));
    writeFileSync(path.join(dir, '.dive-ci'), 'rules:\n  lowestEfficiency: 0.9\n  highestWastedBytes: 5MB\n');
    expect((await loadConfig({ cwd: dir })).thresholds).toMatchObject({ minEfficiency: 0.9, maxWasted: { bytes: 5_000_000 } });
    writeFileSync(path.join(dir, '.image-audit.yml'), 'thresholds:\n  min-efficiency: 0.5\n');
    expect((await loadConfig({ cwd: dir })).thresholds).toMatchObject({ minEfficiency: 0.5, maxWasted: { bytes: 5_000_000 } });
  });

  test("max-user-wasted judges the user's layers only: base waste and base bytes are excluded", () => {
    // 10 MiB base layer, 4 MiB of own layers of which 1 MiB is hidden by a later own layer.
    const report = makeReport([
      { createdBy: 'ADD rootfs /', size: 10 * MiB, fromBase: true, content: 'b', wasted: 5 * MiB },
      { instruction: 'RUN a', size: 2 * MiB, wasted: MiB },
      { instruction: 'RUN b', size: 2 * MiB }
    ]);
    report.image!.userWastedBytes = MiB;
    report.image!.baseWastedBytes = 5 * MiB;
    const t = { ...defaultConfig().thresholds, failOnSecrets: false, failOnLint: 'none' as const };
    const pass = evaluateThresholds(report, undefined, { ...t, maxUserWasted: { percent: 25 } });
    expect(pass.checks.find((c) => c.name === 'max-user-wasted')).toMatchObject({ passed: true, actual: expect.stringContaining('25.0 %') });
    const fail = evaluateThresholds(report, undefined, { ...t, maxUserWasted: { percent: 20 } });
    expect(fail.passed).toBe(false);
  });
});
