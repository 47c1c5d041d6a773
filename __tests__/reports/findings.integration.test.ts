// Points 2 and 3 on images built by the real engine: `rules:` raises an image rule to error and the gate
// fails on it (listing it); fail-on-lint still works but warns; apt without cleanup is one finding (lint
// prediction merged into the measured image finding on the same line); a single-stage C build's toolchains
// are one finding for their layer; the scratch build has none. Fingerprints are stable across runs.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildFixture, fixture, requireEngine } from '../helpers/engine.js';
import type { Report } from '../../src/report/types.js';
import { cli } from './cli-helpers.js';

requireEngine();

const SINGLE = 'reports-find-c-single:latest';
const SCRATCH = 'reports-find-c-scratch:latest';
const APT = 'reports-find-apt:latest';
const audit = (tag: string, dir: string, ...more: string[]) => [
  'audit',
  '--image',
  tag,
  '--file',
  `fixtures/reports/${dir}/Dockerfile`,
  '--context',
  `fixtures/reports/${dir}`,
  ...more
];

beforeAll(() => {
  buildFixture(fixture('reports', 'c-single'), SINGLE);
  buildFixture(fixture('reports', 'c-scratch'), SCRATCH);
  buildFixture(fixture('reports', 'token-removed'), APT);
}, 600_000);

describe('gate on every finding', () => {
  test('rules: { toolchain-in-image: error } fails the run and the verdict names the finding', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'reports-cfg-'));
    const config = path.join(dir, 'cfg.yml');
    writeFileSync(config, 'rules:\n  toolchain-in-image: error\n');
    const r = await cli(audit(SINGLE, 'c-single', '--config', config));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Verdict: FAIL — failed: fail-on \(1 error: toolchain-in-image\)/);
    expect(r.stdout).toMatch(/✗ fail-on: 1 error \(limit no errors\)\n\s+error\s+toolchain-in-image\s+fixtures\/reports\/c-single\/Dockerfile:3/);
    const lowered = await cli(audit(SINGLE, 'c-single', '--fail-on', 'none', '--config', config));
    expect(lowered.code).toBe(0);
  }, 300_000);

  test('--fail-on warning gates image warnings; --fail-on-lint is a deprecated alias that warns', async () => {
    const w = await cli(audit(APT, 'token-removed', '--fail-on', 'warning', '--format', 'json'));
    expect(w.code).toBe(1);
    const report: Report = JSON.parse(w.stdout);
    const check = report.verdict!.checks.find((c) => c.name === 'fail-on')!;
    expect(check.findings!.map((f) => f.rule)).toContain('package-cache-in-image');
    const alias = await cli(audit(APT, 'token-removed', '--fail-on-lint', 'warning'));
    expect(alias.code).toBe(1);
    expect(alias.stderr).toContain('warning: --fail-on-lint is deprecated and now gates every finding (lint, image, secret); use fail-on instead.');
    expect(alias.stdout).toMatch(/✗ fail-on-lint: .*\n(\s+\S+\s+\S+.*\n)*\s+warning\s+package-cache-in-image/);
  }, 300_000);
});

describe('one finding per problem', () => {
  let apt: Report;
  let single: Report;
  beforeAll(async () => {
    apt = JSON.parse((await cli(audit(APT, 'token-removed', '--format', 'json'))).stdout);
    single = JSON.parse((await cli(audit(SINGLE, 'c-single', '--format', 'json'))).stdout);
  }, 300_000);

  test('apt without cleanup: the lint prediction and the measured cache are one finding on line 5', () => {
    // (The .deb archives in /var/cache/apt are a second location with its own fix, `apt-get clean`.)
    expect(apt.findings.filter((f) => f.rule === 'package-cache-not-cleaned')).toEqual([]);
    const lists = apt.findings.filter((f) => f.line === 5 && f.path === 'var/lib/apt/lists');
    expect(lists).toHaveLength(1);
    expect(lists[0]).toMatchObject({ rule: 'package-cache-in-image', category: 'image' });
    expect(lists[0].mergedFrom!.map((m) => m.rule)).toEqual(['package-cache-not-cleaned']);
    expect(lists[0].bytes).toBeGreaterThan(1024 * 1024);
  });

  test('the toolchains of one layer are one finding listing each with its bytes', () => {
    const tc = single.findings.filter((f) => f.rule === 'toolchain-in-image');
    expect(tc).toHaveLength(1);
    const list = tc[0].details!.toolchains as { id: string; bytes: number }[];
    expect(list.map((t) => t.id)).toEqual(expect.arrayContaining(['gcc', 'binutils', 'c-headers']));
    expect(tc[0].bytes).toBe(list.reduce((n, t) => n + t.bytes, 0));
    expect(tc[0].line).toBe(3);
    expect(tc[0].message.length).toBeLessThan(260);
    expect(tc[0].message).toMatch(/^\d toolchains ship in the final image \([\d.]+ MiB: gcc [\d.]+ MiB, /);
  });

  test('the scratch build ships no toolchain', async () => {
    const scratch: Report = JSON.parse((await cli(audit(SCRATCH, 'c-scratch', '--format', 'json'))).stdout);
    expect(scratch.findings.filter((f) => f.rule === 'toolchain-in-image')).toEqual([]);
    expect(scratch.image!.size).toBeLessThan(single.image!.size / 10);
  }, 120_000);

  test('fingerprints are stable across runs', async () => {
    const again: Report = JSON.parse((await cli(audit(SINGLE, 'c-single', '--format', 'json'))).stdout);
    expect(again.findings.map((f) => f.fingerprint).sort()).toEqual(single.findings.map((f) => f.fingerprint).sort());
  }, 120_000);
});

describe('messages that are true: dockerignore advice names what is in the context', () => {
  test('a real build with .git and .env in the context; the absolute --file stays absolute', async () => {
    const { execFileSync } = await import('node:child_process');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'reports-ctx-'));
    writeFileSync(path.join(dir, 'Dockerfile'), 'FROM image-audit/busybox:latest\nWORKDIR /app\nCOPY . .\nUSER 1000\n');
    writeFileSync(path.join(dir, 'main.go'), 'package main\n');
    writeFileSync(path.join(dir, '.env'), 'LOG_LEVEL=' + 'debug\n');
    execFileSync('git', ['init', '-q', dir]);
    writeFileSync(path.join(dir, '.git', 'big.pack'), Buffer.alloc(2 * 1024 * 1024));
    const r = await cli(['audit', '--file', path.join(dir, 'Dockerfile'), '--context', dir, '--tag', 'reports-ctx:latest', '--format', 'json']);
    expect(r.stderr).not.toMatch(/Unexpected internal error/);
    const report: Report = JSON.parse(r.stdout);
    const hit = report.findings.find((f) => f.rule === 'missing-dockerignore')!;
    expect(hit.file).toBe(path.join(dir, 'Dockerfile'));
    expect(hit.message).toContain(`copies the whole build context ${dir} (`);
    expect(hit.message).toMatch(/\.git\/ \(2(\.\d)? MiB, Git history/);
    expect(hit.message).toMatch(/\.env \(\d+ B, /);
    expect(hit.message).not.toMatch(/node_modules|any \.env/);
    // The image got them: the advice is about what was really sent.
    expect(report.space!.largestFiles.some((f) => f.path === 'app/.git/big.pack')).toBe(true);
  }, 300_000);
});
