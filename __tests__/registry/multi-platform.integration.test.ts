// A multi-platform image in a real registry: linux/amd64 and linux/arm64 images from a COPY-only Dockerfile
// (the docker driver builds those for any platform), pushed with skopeo, joined by an index we PUT ourselves with
// an attestation entry in it. --platform P picks one, --platform all analyses each, attestations skipped.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compareReports } from '../../src/compare/index.js';
import { defaultConfig } from '../../src/config/types.js';
import { runAudit } from '../../src/pipeline/audit.js';
import { renderComment } from '../../src/render/markdown.js';
import { renderText } from '../../src/render/text.js';
import type { Report } from '../../src/report/types.js';
import { formatBytesDelta } from '../../src/util/bytes.js';
import { githubClassicToken } from '../secrets/generate.js';
import { nodeRuntime } from '../../src/util/node-runtime.js';
import { inspect, requireEngine } from '../helpers/engine.js';
import { requireRegistryTools, startRegistry, type TestRegistry } from '../helpers/registry.js';

requireEngine();
requireRegistryTools();

const quiet = nodeRuntime({ logger: { info: () => {}, warning: () => {}, debug: () => {}, group: (_n, fn) => fn() } });
const PLATFORMS = ['linux/amd64', 'linux/arm64'];
const tagFor = (p: string, v: string) => `registry-multi-${v}:${p.replace('/', '-')}`;
let registry: TestRegistry;
let work: string;
const sizes: Record<string, number> = {};
const armSecret = githubClassicToken();

async function pushIndex(repo: string, tag: string, version: string): Promise<void> {
  const manifests = [];
  for (const p of PLATFORMS) {
    registry.push(`docker-daemon:${tagFor(p, version)}`, `${repo}:${p.replace('/', '-')}-${version}`, ['--format', 'oci']);
    const r = await registry.request('GET', `/v2/${repo}/manifests/${p.replace('/', '-')}-${version}`, undefined, {
      Accept: 'application/vnd.oci.image.manifest.v1+json'
    });
    expect(r.status).toBe(200);
    const [os_, architecture] = p.split('/');
    manifests.push({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: r.headers['docker-content-digest'],
      size: r.body.length,
      platform: { os: os_, architecture }
    });
  }
  // BuildKit's attestation entries: unknown/unknown, annotated; they must be skipped, not analysed.
  manifests.push({
    ...manifests[0],
    platform: { os: 'unknown', architecture: 'unknown' },
    annotations: { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': manifests[0].digest }
  });
  const index = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests });
  const put = await registry.request('PUT', `/v2/${repo}/manifests/${tag}`, index, { 'Content-Type': 'application/vnd.oci.image.index.v1+json' });
  expect(put.status).toBe(201);
}

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'image-audit-multi-'));
  for (const version of ['base', 'head']) {
    const ctx = path.join(work, version);
    mkdirSync(ctx);
    // Per-platform content of different sizes, so a wrong pairing shows.
    writeFileSync(path.join(ctx, 'amd64.bin'), Buffer.alloc(version === 'base' ? 40_000 : 50_000, 1));
    writeFileSync(path.join(ctx, 'arm64.bin'), Buffer.alloc(version === 'base' ? 90_000 : 70_000, 2));
    // A secret in the arm64 image only (head): the gate must see it although amd64 comes first.
    writeFileSync(path.join(ctx, 'amd64.env'), 'MODE=plain\n');
    writeFileSync(path.join(ctx, 'arm64.env'), version === 'head' ? `GITHUB_TOKEN=${armSecret}\n` : 'MODE=plain\n');
    writeFileSync(
      path.join(ctx, 'Dockerfile'),
      'FROM scratch\nARG TARGETARCH\nCOPY ${TARGETARCH}.bin /app.bin\nCOPY ${TARGETARCH}.env /app/.env\nCOPY Dockerfile /Dockerfile\n'
    );
    for (const p of PLATFORMS) {
      execFileSync('docker', ['buildx', 'build', '--platform', p, '--load', '-t', tagFor(p, version), ctx], { stdio: ['ignore', 'ignore', 'pipe'] });
      sizes[`${version} ${p}`] = inspect(tagFor(p, version)).Size;
    }
  }
  registry = await startRegistry({ tls: false });
  await pushIndex('multi/app', 'base', 'base');
  await pushIndex('multi/app', 'head', 'head');
}, 300_000);

afterAll(async () => {
  await registry?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
  for (const v of ['base', 'head']) for (const p of PLATFORMS) execFileSync('docker', ['rmi', '-f', tagFor(p, v)], { stdio: 'ignore' });
});

const audit = (tag: string, platform?: string): Promise<Report> =>
  runAudit(
    { image: `registry://${registry.host}/multi/app:${tag}`, platform, config: defaultConfig(), env: { ...process.env, DOCKER_CONFIG: registry.dockerConfig } },
    quiet
  );

test('--platform picks one platform of the index', async () => {
  const arm = await audit('head', 'linux/arm64');
  expect(arm.image!.platform).toBe('linux/arm64');
  expect(arm.image!.architecture).toBe('arm64');
  expect(arm.image!.size).toBe(sizes['head linux/arm64']);
  expect(arm.platforms).toBeUndefined();
});

test('--platform all analyses every platform, skips the attestation, and diffs each against the same base platform', async () => {
  const head = await audit('head', 'all');
  expect(head.platforms!.map((p) => p.platform)).toEqual(PLATFORMS);
  for (const p of head.platforms!) {
    expect({ p: p.platform, size: p.image.size }).toEqual({ p: p.platform, size: sizes[`head ${p.platform}`] });
    expect(p.image.compressedSizeSource).toBe('manifest');
    expect(p.layers.length).toBe(p.image.layers);
  }
  expect(head.image).toEqual(head.platforms![0].image);
  // The arm64-only secret is in that platform's findings and, named by platform, in the top-level ones the gate reads.
  const armSecrets = head.platforms![1].findings.filter((f) => f.category === 'secret');
  expect(armSecrets.length).toBeGreaterThan(0);
  expect(head.platforms![0].findings.filter((f) => f.category === 'secret')).toEqual([]);
  expect(head.findings.filter((f) => f.category === 'secret').map((f) => f.details?.platform)).toEqual(armSecrets.map(() => 'linux/arm64'));
  expect(JSON.stringify(head)).not.toContain(armSecret);

  const text = renderText(head);
  expect(text).toMatch(/Platforms \(2\):/);
  expect(text).toMatch(/linux\/arm64\s+\S+ (?:B|KiB|MiB)/);

  const base = await audit('base', 'all');
  const diff = compareReports(base, head, 'main');
  expect(diff.platforms!.map((d) => [d.platform, d.head!.size - d.base!.size])).toEqual(PLATFORMS.map((p) => [p, sizes[`head ${p}`] - sizes[`base ${p}`]]));
  const comment = renderComment(head, diff, { marker: '<!-- t -->' });
  expect(comment).toContain('#### Platforms (2), each against the same platform of the base');
  const armRow = comment.split('\n').find((l) => l.startsWith('| linux/arm64 |'))!;
  // arm64 shrank (90 → 70 kB) while amd64 grew (40 → 50 kB): each row shows its own platform's change.
  expect(armRow).toContain(`(${formatBytesDelta(sizes['head linux/arm64'] - sizes['base linux/arm64'])})`);
  expect(armRow).toMatch(/\(-/);
  const amdRow = comment.split('\n').find((l) => l.startsWith('| linux/amd64 |'))!;
  expect(amdRow).toContain(`(${formatBytesDelta(sizes['head linux/amd64'] - sizes['base linux/amd64'])})`);
  expect(amdRow).toMatch(/\(\+/);
}, 120_000);

test('a platform that is not in the index says which ones are', async () => {
  await expect(audit('head', 'linux/s390x')).rejects.toThrow(/has no platform linux\/s390x[\s\S]*It has: linux\/amd64, linux\/arm64\./);
});
