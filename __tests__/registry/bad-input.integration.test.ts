// What goes wrong with real registries, each with a clear message: a missing manifest, a corrupt and a truncated
// blob (damaged in the registry's own storage), media types that are not an image, and a registry that hangs.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultConfig } from '../../src/config/types.js';
import { runAudit } from '../../src/pipeline/audit.js';
import { UserError } from '../../src/util/errors.js';
import { nodeRuntime } from '../../src/util/node-runtime.js';
import { requireEngine } from '../helpers/engine.js';
import { requireRegistryTools, startRegistry, startSilentServer, type TestRegistry } from '../helpers/registry.js';

requireEngine();
requireRegistryTools();

const quiet = nodeRuntime({ logger: { info: () => {}, warning: () => {}, debug: () => {}, group: (_n, fn) => fn() } });
const CASES = ['corrupt', 'truncated', 'media'];
let registry: TestRegistry;
let work: string;
const OCI = 'application/vnd.oci.image.manifest.v1+json';

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'image-audit-bad-'));
  registry = await startRegistry({ tls: false });
  for (const name of CASES) {
    // Content unique to each case: blobs are shared by digest across repositories.
    const ctx = path.join(work, name);
    mkdirSync(ctx);
    writeFileSync(path.join(ctx, 'data.txt'), `${name} ${Date.now()} ${Math.random()}\n`.repeat(20_000));
    writeFileSync(path.join(ctx, 'Dockerfile'), 'FROM scratch\nCOPY data.txt /data.txt\n');
    execFileSync('docker', ['buildx', 'build', '--load', '-t', `registry-bad-${name}:1`, ctx], { stdio: ['ignore', 'ignore', 'pipe'] });
    registry.push(`docker-daemon:registry-bad-${name}:1`, `bad/${name}:1`, ['--format', 'oci']);
  }
}, 300_000);

afterAll(async () => {
  await registry?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
  for (const name of CASES) execFileSync('docker', ['rmi', '-f', `registry-bad-${name}:1`], { stdio: 'ignore' });
});

const audit = (image: string, env: NodeJS.ProcessEnv = {}) =>
  runAudit({ image, platform: undefined, config: defaultConfig(), env: { ...process.env, DOCKER_CONFIG: registry.dockerConfig, ...env } }, quiet);

async function manifestOf(repo: string) {
  const r = await registry.request('GET', `/v2/${repo}/manifests/1`, undefined, { Accept: OCI });

  return JSON.parse(r.body.toString()) as any;
}

async function failure(p: Promise<unknown>): Promise<UserError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err
  );
  expect(e).toBeInstanceOf(UserError);
  return e as UserError;
}

test('a manifest that is not there: 404, with how to list the tags', async () => {
  const e = await failure(audit(`registry://${registry.host}/bad/corrupt:no-such-tag`));
  expect(e.message).toContain(`The registry ${registry.host} has no manifest bad/corrupt:no-such-tag (404 Not Found).`);
  expect(e.message).toContain('skopeo list-tags');
});

test('a corrupt blob: digest mismatch, not a gzip error', async () => {
  const layer = (await manifestOf('bad/corrupt')).layers[0];
  const file = registry.blobPath(layer.digest);
  const bytes = readFileSync(file);
  bytes[Math.floor(bytes.length / 2)] ^= 0xff;
  writeFileSync(file, bytes);
  const e = await failure(audit(`registry://${registry.host}/bad/corrupt:1`));
  expect(e.message).toMatch(
    new RegExp(`The layer 0 from ${registry.host}/bad/corrupt:1 is corrupt: its digest is sha256:[0-9a-f]{64}, but the manifest says ${layer.digest}\\.`)
  );
});

test('a truncated blob: how many bytes arrived of how many', async () => {
  const layer = (await manifestOf('bad/truncated')).layers[0];
  const half = Math.floor(layer.size / 2);
  truncateSync(registry.blobPath(layer.digest), half);
  const e = await failure(audit(`registry://${registry.host}/bad/truncated:1`));
  expect(e.message).toMatch(
    new RegExp(`Layer 0 \\(${layer.digest}\\) of ${registry.host}/bad/truncated:1 is truncated: the source sent \\d+ of ${layer.size} bytes`)
  );
});

test('unknown media types: a layer that is not a tar, a config that is not an image', async () => {
  const manifest = await manifestOf('bad/media');
  const weirdLayer = { ...manifest, layers: [{ ...manifest.layers[0], mediaType: 'application/vnd.example.layer.v1+lz4' }] };
  expect((await registry.request('PUT', '/v2/bad/media/manifests/weird-layer', JSON.stringify(weirdLayer), { 'Content-Type': OCI })).status).toBe(201);
  const e1 = await failure(audit(`registry://${registry.host}/bad/media:weird-layer`));
  expect(e1.message).toContain('has the media type application/vnd.example.layer.v1+lz4, which is not a filesystem layer image-audit can read.');

  const artifact = { ...manifest, config: { ...manifest.config, mediaType: 'application/vnd.example.helm.config.v1+json' } };
  expect((await registry.request('PUT', '/v2/bad/media/manifests/artifact', JSON.stringify(artifact), { 'Content-Type': OCI })).status).toBe(201);
  const e2 = await failure(audit(`registry://${registry.host}/bad/media:artifact`));
  expect(e2.message).toContain(
    `${registry.host}/bad/media:artifact is not a container image: its config has the media type application/vnd.example.helm.config.v1+json.`
  );
});

test('a registry that accepts connections and never answers: a timeout, not a hang', async () => {
  const silent = await startSilentServer();
  try {
    const e = await failure(audit(`registry://${silent.host}/any/app:1`, { IMAGE_AUDIT_REGISTRY_TIMEOUT_MS: '400' }));
    expect(e.message).toContain(`The registry ${silent.host} did not answer within 0.4 s`);
    expect(e.message).toContain('IMAGE_AUDIT_REGISTRY_TIMEOUT_MS');
  } finally {
    await silent.stop();
  }
});

test('plain HTTP only for loopback names and registries listed in insecure-registries', async () => {
  // 0.0.0.0 reaches the same loopback registry but is not a loopback *name*: HTTPS is required unless listed.
  const other = registry.host.replace('127.0.0.1', '0.0.0.0');
  const cfg = path.join(work, 'other-config');
  mkdirSync(cfg, { recursive: true });
  writeFileSync(
    path.join(cfg, 'config.json'),
    JSON.stringify({ auths: { [other]: { auth: Buffer.from(`${registry.user}:${registry.password}`).toString('base64') } } })
  );
  const e = await failure(audit(`registry://${other}/bad/media:1`, { DOCKER_CONFIG: cfg }));
  expect(e.message).toContain(`The registry ${other} does not speak HTTPS`);
  expect(e.message).toContain('insecure-registries');
  const report = await runAudit(
    { image: `registry://${other}/bad/media:1`, insecureRegistries: [other], config: defaultConfig(), env: { ...process.env, DOCKER_CONFIG: cfg } },
    quiet
  );
  expect(report.image!.layers).toBe(1);
});
