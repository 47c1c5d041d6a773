import { describe, expect, it } from '@jest/globals';
import { defaultConfig } from '../../src/config/types.js';
import { lintDockerfile, lintRules } from '../../src/lint/index.js';
import { lintFixture, lintText, only, rulesOf } from './helpers.js';
import { readdirSync } from 'node:fs';
import { repoRoot } from '../helpers/engine.js';
import path from 'node:path';

describe('lintDockerfile', () => {
  it('a missing Dockerfile is a UserError naming the path', async () => {
    await expect(lintDockerfile({ dockerfile: 'no/such/Dockerfile', config: defaultConfig() })).rejects.toMatchObject({
      name: 'UserError',
      message: expect.stringContaining('Dockerfile not found: no/such/Dockerfile')
    });
  });

  it('uses contents when given and reports the path as given', async () => {
    const findings = await lintDockerfile({ dockerfile: 'virtual/Dockerfile', contents: 'FROM node\n', config: defaultConfig() });
    expect(rulesOf(findings)).toEqual(['final-stage-root', 'heavy-final-base', 'unpinned-base-image']);
    expect(findings.every((f) => f.file === 'virtual/Dockerfile')).toBe(true);
  });

  it('applies severity overrides and does not run rules set off', async () => {
    const config = defaultConfig();
    config.rules['unpinned-base-image'] = 'error';
    config.rules['final-stage-root'] = 'off';
    const findings = await lintDockerfile({ dockerfile: 'x/Dockerfile', contents: 'FROM node\n', config });
    expect(rulesOf(findings)).toEqual(['heavy-final-base', 'unpinned-base-image']);
    expect(only(findings, 'unpinned-base-image')[0].severity).toBe('error');
  });

  it('a config severity overrides the stage-dependent default too', async () => {
    const config = defaultConfig();
    config.rules['secret-in-env-or-arg'] = 'info';
    const findings = await lintFixture('secret-in-env-or-arg/bad', { config });
    expect(only(findings, 'secret-in-env-or-arg').every((f) => f.severity === 'info')).toBe(true);
  });

  it('fingerprints stay the same when lines shift, and differ per rule and file', async () => {
    const text = 'FROM node:20\nRUN apt-get update && apt-get install -y curl\n';
    const a = await lintDockerfile({ dockerfile: 'Dockerfile', contents: text, config: defaultConfig() });
    const b = await lintDockerfile({
      dockerfile: 'Dockerfile',
      contents: `# a comment\n\n${text.replace('FROM node:20', 'FROM   node:20')}`,
      config: defaultConfig()
    });
    const c = await lintDockerfile({ dockerfile: 'other/Dockerfile', contents: text, config: defaultConfig() });
    const fp = (fs: typeof a) => Object.fromEntries(fs.map((f) => [f.rule, f.fingerprint]));
    expect(fp(b)).toEqual(fp(a));
    expect(b[0].line).toBe((a[0].line ?? 0) + 2);
    for (const rule of Object.keys(fp(a))) expect(fp(c)[rule]).not.toBe(fp(a)[rule]);
    expect(new Set(a.map((f) => f.fingerprint)).size).toBe(a.length);
  });

  it('inline `# image-audit ignore=` marks the listed rules suppressed on the next instruction only', async () => {
    const findings = await lintFixture('inline-ignore');
    const byLine = (rule: string) => only(findings, rule).map((f) => [f.line, f.suppressed?.by ?? null]);
    expect(byLine('package-cache-not-cleaned')).toEqual([
      [4, 'inline'],
      [5, null]
    ]);
    expect(byLine('apt-no-install-recommends')).toEqual([
      [4, 'inline'],
      [5, null]
    ]);
    // Both RUNs chain commands, so consecutive-run has nothing to say (hadolint DL3059).
    expect(byLine('consecutive-run')).toEqual([]);
  });

  it('reads heredocs, exec form, escape directives and comments inside continuations', async () => {
    const text = [
      '# syntax=docker/dockerfile:1',
      '# escape=`',
      'FROM debian:12.5-slim',
      'RUN <<EOF',
      'apt-get update',
      'apt-get install -y curl',
      'EOF',
      'RUN ["sh", "-c", "pip install flask"]',
      'RUN apk add `',
      '# a comment line inside the continuation',
      '    curl',
      'RUN python3 <<EOF',
      'print("apt-get install -y x")',
      'EOF',
      'USER 1'
    ].join('\n');
    const findings = await lintText(text);
    expect(only(findings, 'package-cache-not-cleaned').map((f) => [f.line, f.details?.manager])).toEqual([
      [4, 'apt'],
      [8, 'pip'],
      [9, 'apk']
    ]);
    expect(only(findings, 'package-cache-not-cleaned')[2].endLine).toBe(11);
  });

  it('sorts findings by position and keeps only lint findings with real ranges', async () => {
    const findings = await lintFixture('package-cache-not-cleaned/bad');
    const positions = findings.map((f) => [f.line ?? 0, f.column ?? 0]);
    expect(positions).toEqual([...positions].sort((x, y) => x[0] - y[0] || x[1] - y[1]));
    for (const f of findings) {
      expect(f.category).toBe('lint');
      expect(f.line).toBeGreaterThan(0);
      expect(f.column).toBeGreaterThan(0);
      expect(f.endColumn).toBeGreaterThan(0);
    }
  });
});

describe('lintRules catalogue', () => {
  it('has one file per rule, with complete metadata, and unique ids', () => {
    const files = readdirSync(path.join(repoRoot, 'src', 'lint', 'rules'))
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    expect(lintRules.map((r) => r.id).sort()).toEqual(files);
    for (const r of lintRules) {
      expect(r.category).toBe('lint');
      expect(r.shortDescription.length).toBeGreaterThan(10);
      expect(r.fullDescription.length).toBeGreaterThan(r.shortDescription.length);
      expect(r.help.length).toBeGreaterThan(20);
      expect(r.tags.length).toBeGreaterThan(0);
    }
  });

  // The secrets and reports engineers own their rules' metadata; every other lint rule has both fields.
  const OTHERS = new Set([
    'secret-in-run',
    'secret-in-env-or-arg',
    'copy-secret-file',
    'secret-file-removed-later',
    'missing-dockerignore',
    'dockerignore-incomplete'
  ]);

  it('every rule names its hadolint equivalents and has examples: the bad one fires it, the good one does not', async () => {
    for (const r of lintRules.filter((m) => !OTHERS.has(m.id))) {
      expect(Array.isArray(r.hadolint)).toBe(true);
      for (const id of r.hadolint ?? []) expect(id).toMatch(/^DL\d{4}$/);
      expect(r.examples).toBeDefined();
      const bad = await lintText(r.examples!.bad);
      const good = await lintText(r.examples!.good);
      expect([r.id, only(bad, r.id).length > 0]).toEqual([r.id, true]);
      expect([r.id, only(good, r.id)]).toEqual([r.id, []]);
    }
  });

  it('SARIF rule entries carry the hadolint ids', async () => {
    const { renderSarif } = await import('../../src/render/sarif.js');
    const findings = await lintText('FROM node\nRUN apt-get update && apt-get install -y curl\n');
    const report = { schemaVersion: 1, tool: { name: 'image-audit', version: '0.1.0' }, generatedAt: '2025-01-01T00:00:00.000Z', layers: [], findings };
    const rules = JSON.parse(renderSarif(report as never)).runs[0].tool.driver.rules as { id: string; properties: { hadolint?: string[] } }[];
    const byId = Object.fromEntries(rules.map((r) => [r.id, r.properties.hadolint]));
    expect(byId['package-cache-not-cleaned']).toEqual(expect.arrayContaining(['DL3009', 'DL3042']));
    expect(byId['apt-no-install-recommends']).toEqual(['DL3015']);
    expect(byId['unpinned-base-image']).toEqual(['DL3006', 'DL3007']);
    expect(byId['heavy-final-base']).toBeUndefined();
  });

  it('includes every rule of the contract', () => {
    const contract = [
      'final-stage-toolchain',
      'heavy-final-base',
      'deps-after-source',
      'package-cache-not-cleaned',
      'apt-no-install-recommends',
      'cleanup-in-separate-layer',
      'consecutive-run',
      'missing-cache-mount',
      'secret-in-env-or-arg',
      'secret-in-run',
      'copy-secret-file',
      'secret-file-removed-later',
      'final-stage-root',
      'missing-dockerignore',
      'dockerignore-incomplete',
      'unpinned-base-image'
    ];
    const ids = lintRules.map((r) => r.id);
    for (const id of contract) expect(ids).toContain(id);
  });
});
