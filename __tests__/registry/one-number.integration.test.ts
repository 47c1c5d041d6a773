// "One image, one number": the same image read from the engine, a registry, an OCI layout, a docker-archive and
// an OCI archive gives the same size (as `docker image inspect` counts it), layers and waste. The registry here
// is plain HTTP on loopback with htpasswd auth (TLS needs NODE_EXTRA_CA_CERTS at process start: see tls.cli).
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultConfig } from '../../src/config/types.js';
import { runAudit } from '../../src/pipeline/audit.js';
import { resolveBaseline, type AuditFn } from '../../src/baseline/index.js';
import type { Report } from '../../src/report/types.js';
import { nodeRuntime } from '../../src/util/node-runtime.js';
import { buildFixture, inspect, requireEngine } from '../helpers/engine.js';
import { requireRegistryTools, startRegistry, type TestRegistry } from '../helpers/registry.js';

requireEngine();
requireRegistryTools();

const quiet = nodeRuntime({ logger: { info: () => {}, warning: () => {}, debug: () => {}, group: (_n, fn) => fn() } });
const TAG = 'registry-one-number:1';
let registry: TestRegistry;
let work: string;

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'image-audit-one-number-'));
  const ctx = path.join(work, 'ctx');
  execFileSync('mkdir', ['-p', ctx]);
  writeFileSync(path.join(ctx, 'big.bin'), Buffer.alloc(300_000, 7));
  writeFileSync(path.join(ctx, 'notes.txt'), 'one image, one number\n'.repeat(500));
  writeFileSync(
    path.join(ctx, 'Dockerfile'),
    ['FROM image-audit/busybox', 'COPY big.bin /data/big.bin', 'COPY notes.txt /data/', 'RUN rm /data/big.bin', ''].join('\n')
  );
  buildFixture(ctx, TAG);
  registry = await startRegistry({ tls: false });
  registry.push(`docker-daemon:${TAG}`, 'one-number/app:1');
  execFileSync('skopeo', ['copy', '--quiet', `docker-daemon:${TAG}`, `oci:${path.join(work, 'layout')}:v1`]);
  execFileSync('skopeo', ['copy', '--quiet', `docker-daemon:${TAG}`, `oci-archive:${path.join(work, 'image.oci.tar')}:v1`]);
  execFileSync('docker', ['save', '-o', path.join(work, 'image.docker.tar'), TAG]);
}, 180_000);

afterAll(async () => {
  await registry?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
  execFileSync('docker', ['rmi', '-f', TAG], { stdio: 'ignore' });
});

const audit = (image: string): Promise<Report> =>
  runAudit({ image, config: defaultConfig(), env: { ...process.env, DOCKER_CONFIG: registry.dockerConfig } }, quiet);

test('engine, registry, oci-layout, docker-archive and oci-archive agree on size, layers and waste', async () => {
  const sources = {
    engine: TAG,
    registry: `registry://${registry.host}/one-number/app:1`,
    'oci-layout': `oci-layout://${path.join(work, 'layout')}:v1`,
    'docker-archive': `docker-archive://${path.join(work, 'image.docker.tar')}`,
    'oci-archive': `oci-archive://${path.join(work, 'image.oci.tar')}`
  };
  const reports: Record<string, Report> = {};
  for (const [name, image] of Object.entries(sources)) reports[name] = await audit(image);

  const inspected = inspect(TAG);
  const engine = reports.engine.image!;
  expect(engine.size).toBe(inspected.Size);
  expect(engine.wastedBytes).toBeGreaterThanOrEqual(300_000); // big.bin, deleted in the RUN layer
  for (const [name, r] of Object.entries(reports)) {
    const img = r.image!;
    const same = { size: img.size, layers: img.layers, wasted: img.wastedBytes, efficiency: img.efficiency };
    expect({ name, ...same }).toEqual({
      name,
      size: inspected.Size,
      layers: inspected.RootFS.Layers.length,
      wasted: engine.wastedBytes,
      efficiency: engine.efficiency
    });
    // Converting to OCI (skopeo oci:) rewrites the config, so only Docker-format copies keep the image id.
    if (!name.startsWith('oci')) expect({ name, id: img.id }).toEqual({ name, id: inspected.Id });
    expect(r.layers.map((l) => [l.diffId, l.size, l.wastedBytes])).toEqual(reports.engine.layers.map((l) => [l.diffId, l.size, l.wastedBytes]));
  }

  // Compressed sizes: exact from manifests, estimated where the source has none.
  expect(engine.compressedSizeSource).toBe('estimate');
  expect(reports['docker-archive'].image!.compressedSizeSource).toBe('estimate');
  for (const name of ['registry', 'oci-layout', 'oci-archive'])
    expect({ name, src: reports[name].image!.compressedSizeSource }).toEqual({ name, src: 'manifest' });
  const manifest = await registry.request('GET', '/v2/one-number/app/manifests/1', undefined, {
    Accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json'
  });
  const layerSizes = (JSON.parse(manifest.body.toString()).layers as { size: number }[]).map((l) => l.size);
  expect(reports.registry.image!.compressedSize).toBe(layerSizes.reduce((a, b) => a + b, 0));
  expect(reports.registry.layers.map((l) => l.compressedSize)).toEqual(layerSizes);
}, 180_000);

test('without a reachable engine the registry, layout and archives still work (DOCKER_HOST at a dead socket)', async () => {
  const saved = process.env.DOCKER_HOST;
  process.env.DOCKER_HOST = `unix://${path.join(work, 'no-such.sock')}`;
  try {
    const env = { ...process.env };
    expect(execFileSync('sh', ['-c', 'docker info >/dev/null 2>&1 && echo up || echo down'], { encoding: 'utf8', env }).trim()).toBe('down');
    const sizes: number[] = [];
    for (const image of [
      `registry://${registry.host}/one-number/app:1`,
      `oci-layout://${path.join(work, 'layout')}:v1`,
      `docker-archive://${path.join(work, 'image.docker.tar')}`,
      `oci-archive://${path.join(work, 'image.oci.tar')}`,
      `${registry.host}/one-number/app:1` // bare: no engine, so the registry
    ]) {
      sizes.push((await audit(image)).image!.size);
    }
    expect(new Set(sizes).size).toBe(1);
  } finally {
    if (saved === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = saved;
  }
}, 120_000);

test('baseline-image: registry://… is analysed from the registry without pulling it into the engine', async () => {
  const image = `registry://${registry.host}/one-number/app:1`;
  const withCreds: AuditFn = (o, rt) => runAudit({ ...o, env: { ...process.env, DOCKER_CONFIG: registry.dockerConfig } }, rt);
  const baseline = await resolveBaseline({ mode: 'image', baselineImage: image, config: defaultConfig(), cwd: work }, quiet, withCreds);
  expect(baseline?.label).toBe(image);
  expect(baseline?.report.image?.size).toBe(inspect(TAG).Size);
  expect(baseline?.report.image?.compressedSizeSource).toBe('manifest');
  const pulled = execFileSync('sh', ['-c', 'docker image inspect "$0" >/dev/null 2>&1 && echo yes || echo no', `${registry.host}/one-number/app:1`], {
    encoding: 'utf8'
  });
  expect(pulled.trim()).toBe('no');
});
