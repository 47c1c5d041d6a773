// zstd layers (an OCI layout written by skopeo with --dest-compress-format zstd): read on a Node runtime that has
// zlib.createZstdDecompress (Node 24, what the action runs on), and a clear message on one that does not.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { defaultConfig } from '../../src/config/types.js';
import { runAudit } from '../../src/pipeline/audit.js';
import type { Report } from '../../src/report/types.js';
import { nodeRuntime } from '../../src/util/node-runtime.js';
import { buildFixture, inspect, repoRoot, requireEngine } from '../helpers/engine.js';
import { cliBundle, requireRegistryTools, runCli } from '../helpers/registry.js';

requireEngine();
requireRegistryTools();

const quiet = nodeRuntime({ logger: { info: () => {}, warning: () => {}, debug: () => {}, group: (_n, fn) => fn() } });
const TAG = 'registry-zstd:1';
let work: string;
let layout: string;

beforeAll(() => {
  cliBundle(); // (re)built here, not inside a test's time limit
  work = mkdtempSync(path.join(os.tmpdir(), 'image-audit-zstd-'));
  const ctx = path.join(work, 'ctx');
  mkdirSync(ctx);
  writeFileSync(path.join(ctx, 'z.txt'), 'zstandard\n'.repeat(5000));
  writeFileSync(path.join(ctx, 'Dockerfile'), 'FROM image-audit/busybox\nCOPY z.txt /z.txt\n');
  buildFixture(ctx, TAG);
  layout = path.join(work, 'layout');
  execFileSync('skopeo', ['copy', '--quiet', '--dest-compress-format', 'zstd', `docker-daemon:${TAG}`, `oci:${layout}:z`]);
}, 400_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
  execFileSync('docker', ['rmi', '-f', TAG], { stdio: 'ignore' });
});

test('the layout really has zstd layers', () => {
  const index = JSON.parse(readFileSync(path.join(layout, 'index.json'), 'utf8'));
  const manifest = JSON.parse(readFileSync(path.join(layout, 'blobs', ...index.manifests[0].digest.split(':')), 'utf8'));
  expect(manifest.layers.map((l: { mediaType: string }) => l.mediaType)).toContain('application/vnd.oci.image.layer.v1.tar+zstd');
});

test('Node 24 (the action runtime) reads zstd layers: same size as the engine', async () => {
  const node24 = process.env.IMAGE_AUDIT_NODE24 ?? execFileSync('bash', [path.join(repoRoot, 'scripts/node24.sh')], { encoding: 'utf8' }).trim();
  const r = await runCli(
    ['audit', '--image', `oci-layout://${layout}:z`, '--format', 'json'],
    { DOCKER_HOST: `unix://${path.join(work, 'dead.sock')}` },
    repoRoot,
    node24
  );
  expect(r.code).toBe(0);
  const report = JSON.parse(r.stdout) as Report;
  expect(report.image!.size).toBe(inspect(TAG).Size);
  expect(report.image!.compressedSizeSource).toBe('manifest');
}, 120_000);

test('this runtime: reads zstd when zlib has it, else says which Node versions do', async () => {
  const audit = runAudit({ image: `oci-layout://${layout}:z`, config: defaultConfig() }, quiet);
  if (typeof (zlib as unknown as Record<string, unknown>).createZstdDecompress === 'function') {
    expect((await audit).image!.size).toBe(inspect(TAG).Size);
  } else {
    await expect(audit).rejects.toThrow(
      new RegExp(
        `compressed with zstd, which this Node.js runtime \\(${process.version.replace(/\./g, '\\.')}\\) cannot decompress[\\s\\S]*Node\\.js 22\\.15\\+ / 23\\.8\\+ / 24`
      )
    );
  }
});
