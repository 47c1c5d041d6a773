// The build path without --load: push (or an OCI output) and analyse what was published. On this machine only
// the docker driver works offline, so: a one-platform push with the docker driver is analysed from the real
// registry; multi-platform builds and OCI outputs stop before building with the driver they need.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseBuildInputs } from '../../src/build/inputs.js';
import { planPublish, publishArgs } from '../../src/build/publish.js';
import { defaultConfig } from '../../src/config/types.js';
import { runAudit } from '../../src/pipeline/audit.js';
import { nodeRuntime } from '../../src/util/node-runtime.js';
import { requireEngine } from '../helpers/engine.js';
import { requireRegistryTools, startRegistry, type TestRegistry } from '../helpers/registry.js';

requireEngine();
requireRegistryTools();

const quiet = nodeRuntime({ logger: { info: () => {}, warning: () => {}, debug: () => {}, group: (_n, fn) => fn() } });
let registry: TestRegistry;
let work: string;
let ctx: string;

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'image-audit-build-path-'));
  ctx = path.join(work, 'ctx');
  mkdirSync(ctx);
  writeFileSync(path.join(ctx, 'app.txt'), 'pushed, not loaded\n'.repeat(300));
  writeFileSync(path.join(ctx, 'Dockerfile'), 'FROM scratch\nCOPY app.txt /app.txt\n');
  registry = await startRegistry({ tls: false });
}, 120_000);

afterAll(async () => {
  await registry?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
  execFileSync('docker', ['rmi', '-f', `${registry?.host}/built/app:1`], { stdio: 'ignore' });
});

describe('planning (pure)', () => {
  test('push → the registry; type=oci → archive or layout; several platforms alone → an error that says what to set', () => {
    expect(planPublish({ platforms: ['linux/amd64', 'linux/arm64'], push: true, outputs: [] }, ['ghcr.io/a/b:1'])).toEqual({
      kind: 'registry',
      ref: 'ghcr.io/a/b:1'
    });
    expect(planPublish({ platforms: [], push: false, outputs: ['type=oci,dest=out.tar'] }, [])).toEqual({ kind: 'oci-archive', path: 'out.tar' });
    expect(planPublish({ platforms: [], push: false, outputs: ['type=oci,dest=out,tar=false'] }, [])).toEqual({ kind: 'oci-layout', path: 'out' });
    expect(() => planPublish({ platforms: ['linux/amd64', 'linux/arm64'], push: false, outputs: [] }, [])).toThrow(
      /cannot be loaded[\s\S]*push: true[\s\S]*type=oci,dest=/
    );
    expect(() => planPublish({ platforms: [], push: true, outputs: [] }, [])).toThrow(/needs a tag/);
    expect(() => planPublish({ platforms: [], push: false, outputs: ['type=local,dest=x'] }, [])).toThrow(/cannot be analysed/);
  });

  test('--load is replaced, every platform passed once', () => {
    const p = { platforms: ['linux/amd64', 'linux/arm64'], push: true, outputs: [] };
    const args = publishArgs(['buildx', 'build', '--platform', 'linux/amd64', '--load', '--iidfile', 'f', '.'], p, { kind: 'registry', ref: 'r/a:1' });
    expect(args).toEqual(['buildx', 'build', '--push', '--platform', 'linux/amd64,linux/arm64', '--iidfile', 'f', '.']);
    const oci = { platforms: [], push: false, outputs: ['type=oci,dest=o.tar'] };
    expect(publishArgs(['build', '--load', '.'], oci, { kind: 'oci-archive', path: 'o.tar' })).toEqual(['build', '--output', 'type=oci,dest=o.tar', '.']);
  });
});

test('push: true with the docker driver (one platform) is analysed from the registry, not from --load', async () => {
  const tag = `${registry.host}/built/app:1`;
  const saved = process.env.DOCKER_CONFIG;
  process.env.DOCKER_CONFIG = registry.dockerConfig; // buildx pushes with the CLI's credentials
  try {
    const build = parseBuildInputs({ context: ctx, tags: tag });
    const report = await runAudit(
      { build, config: defaultConfig(), cwd: work, publish: { platforms: [], push: true, outputs: [] }, env: { ...process.env } },
      quiet
    );
    expect(report.image!.compressedSizeSource).toBe('manifest');
    expect(report.image!.manifestDigest).toMatch(/^sha256:/);
    const manifest = await registry.request('GET', `/v2/built/app/manifests/${report.image!.manifestDigest}`, undefined, {
      Accept: 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json'
    });
    expect(manifest.status).toBe(200);
    expect(report.image!.compressedSize).toBe((JSON.parse(manifest.body.toString()).layers as { size: number }[]).reduce((n, l) => n + l.size, 0));
    expect(report.layers[0].step?.line).toBe(2); // attribution still works: COPY on line 2
  } finally {
    if (saved === undefined) delete process.env.DOCKER_CONFIG;
    else process.env.DOCKER_CONFIG = saved;
  }
}, 180_000);

test('a multi-platform push or an OCI output with the docker driver says which driver is needed, before building', async () => {
  const build = parseBuildInputs({ context: ctx, tags: `${registry.host}/built/multi:1` });
  for (const publish of [
    { platforms: ['linux/amd64', 'linux/arm64'], push: true, outputs: [] },
    { platforms: [], push: false, outputs: [`type=oci,dest=${path.join(work, 'out.tar')}`] }
  ]) {
    await expect(runAudit({ build, config: defaultConfig(), cwd: work, publish }, quiet)).rejects.toThrow(
      /The buildx builder 'default' uses the docker driver, which cannot do (a multi-platform build \(linux\/amd64, linux\/arm64\)|an OCI output)[\s\S]*docker buildx create --driver docker-container --use/
    );
  }
  // Nothing was pushed.
  expect((await registry.request('GET', '/v2/built/multi/tags/list')).status).toBe(404);
});
