// Property: for every fixture, no raw secret value appears anywhere the product writes — the findings JSON, the
// redacted report, the CLI's stdout and stderr (every format), its log lines, the SARIF and JSON files, the
// markdown summary. Values are generated per run; PEM keys are also checked line by line.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../../src/cli/run.js';
import { redactReport } from '../../src/secrets/index.js';
import { requireEngine } from '../helpers/engine.js';
import { buildSecretFixture, capturingRuntime, renderFixture, scanImage } from './fixtures.js';
import * as gen from './generate.js';

requireEngine();

interface Built {
  name: string;
  tag: string;
  secrets: string[];
}

/** Strings that must never be printed: each value, and each long line of multi-line values. */
function needles(secrets: string[]): string[] {
  const out = new Set<string>();
  for (const s of secrets) {
    out.add(s);
    for (const line of s.split(/\\n|\n/)) if (line.length >= 16 && !/^-----/.test(line)) out.add(line);
  }
  return [...out];
}

function expectNoLeak(where: string, text: string, secrets: string[]): void {
  const leaked = needles(secrets).filter((n) => text.includes(n));
  // Report which output leaked without printing the value itself.
  expect({ where, leaked: leaked.map((l) => `${l.slice(0, 4)}…(${l.length} chars)`) }).toEqual({ where, leaked: [] });
}

const built: Built[] = [];

beforeAll(() => {
  const npm = gen.npmToken();
  built.push({ name: 'npmrc-deleted', tag: buildSecretFixture('npmrc-deleted', { buildArgs: { NPM_TOKEN: npm } }).tag, secrets: [npm] });
  const gh = gen.githubClassicToken();
  const pw = gen.password(12);
  built.push({ name: 'build-arg', tag: buildSecretFixture('build-arg', { buildArgs: { GITHUB_TOKEN: gh, DB_PASSWORD: pw } }).tag, secrets: [gh, pw] });
  const id = gen.awsAccessKeyId();
  const key = gen.awsSecretAccessKey();
  built.push({ name: 'env-aws', tag: buildSecretFixture('env-aws', { vars: { AWS_ACCESS_KEY_ID: id, AWS_SECRET_ACCESS_KEY: key } }).tag, secrets: [id, key] });
  const pem = gen.privateKeyPem('rsa-pkcs1');
  built.push({ name: 'key-deleted', tag: buildSecretFixture('key-deleted', { files: { deploy_key: pem } }).tag, secrets: [pem.trim()] });
  const planted = gen.plantAll();
  const files = Object.fromEntries(planted.filter((p) => p.content).map((p) => [`files/${p.file}`, p.content]));
  built.push({ name: 'planted', tag: buildSecretFixture('planted', { files }).tag, secrets: planted.map((p) => p.value) });
});

describe('scanner output', () => {
  test('findings and the redacted report hold masks only', async () => {
    for (const b of built) {
      const { analysis, findings, scan, runtime } = await scanImage(b.tag);
      expect(findings.length).toBeGreaterThan(0);
      expectNoLeak(`${b.name}: findings`, JSON.stringify(findings), b.secrets);
      const report = redactReport({ image: analysis.image, layers: analysis.layers, findings }, scan);
      expectNoLeak(`${b.name}: redacted report`, JSON.stringify(report), b.secrets);
      expectNoLeak(`${b.name}: log`, runtime.lines.join('\n'), b.secrets);
    }
  });
});

describe('CLI outputs', () => {
  test.each(['text', 'json', 'markdown', 'sarif'])('audit --image --format %s, plus --output and --sarif files', async (format) => {
    for (const b of built) {
      const dir = mkdtempSync(path.join(tmpdir(), 'ia-secrets-cli-'));
      const runtime = capturingRuntime();
      let stdout = '';
      let stderr = '';
      const code = await runCli(['audit', '--image', b.tag, '--format', format, '--output', path.join(dir, 'r.json'), '--sarif', path.join(dir, 'r.sarif')], {
        stdout: (t) => (stdout += t),
        stderr: (t) => (stderr += t),
        cwd: dir,
        env: {},
        runtime
      });
      // Every fixture has an unsuppressed secret and fail-on-secrets defaults to true. --output gets the selected
      // format (stdout stays empty; stderr says where the report went).
      expect([b.name, code, stderr]).toEqual([b.name, 1, `image-audit: wrote the ${format} report to ${path.join(dir, 'r.json')}\n`]);
      expect(stdout).toBe('');
      expect(readFileSync(path.join(dir, 'r.json'), 'utf8').length).toBeGreaterThan(0);
      for (const [where, text] of [
        ['stdout', stdout],
        ['log', runtime.lines.join('\n')],
        ['report file', readFileSync(path.join(dir, 'r.json'), 'utf8')],
        ['sarif file', readFileSync(path.join(dir, 'r.sarif'), 'utf8')]
      ] as const) {
        expectNoLeak(`${b.name} --format ${format}: ${where}`, text, b.secrets);
      }
    }
  });

  test('building through the CLI with the token as a build arg: logs, output and report stay clean', async () => {
    const token = gen.npmToken();
    const ctx = renderFixture('npmrc-deleted');
    const runtime = capturingRuntime();
    let stdout = '';
    let stderr = '';
    const code = await runCli(
      [
        'audit',
        '--file',
        path.join(ctx, 'Dockerfile'),
        '--context',
        ctx,
        '--tag',
        'ia-test-secrets-cli-build',
        '--build-arg',
        `NPM_TOKEN=${token}`,
        '--format',
        'markdown'
      ],
      { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: ctx, env: {}, runtime }
    );
    expect(code).toBe(1);
    expect(runtime.masked).toContain(token);
    expectNoLeak('cli build: stdout', stdout, [token]);
    expectNoLeak('cli build: stderr', stderr, [token]);
    // Build logs go through the host, which masks registered values (core.setSecret); the build-arg itself is
    // passed by the user, so the host must be told about it before the build starts.
    expectNoLeak('cli build: log', runtime.lines.join('\n'), [token]);
  });
});
