// The CLI bundle against a TLS registry with htpasswd auth, as a separate process (NODE_EXTRA_CA_CERTS is read
// at process start), with no engine at all (DOCKER_HOST at a dead socket): trust, credentials, their failures.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Report } from '../../src/report/types.js';
import { buildFixture, inspect, requireEngine } from '../helpers/engine.js';
import { cliBundle, requireRegistryTools, runCli, startRegistry, type TestRegistry } from '../helpers/registry.js';

requireEngine();
requireRegistryTools();

const TAG = 'registry-tls-auth:1';
let registry: TestRegistry;
let work: string;
let ref: string;
let noEngine: Record<string, string>;

beforeAll(async () => {
  cliBundle(); // (re)built here, not inside a test's time limit
  work = mkdtempSync(path.join(os.tmpdir(), 'image-audit-tls-'));
  const ctx = path.join(work, 'ctx');
  mkdirSync(ctx);
  writeFileSync(path.join(ctx, 'app.txt'), 'tls and auth\n'.repeat(100));
  writeFileSync(path.join(ctx, 'Dockerfile'), 'FROM image-audit/busybox\nCOPY app.txt /app/\n');
  buildFixture(ctx, TAG);
  registry = await startRegistry({ tls: true });
  registry.push(`docker-daemon:${TAG}`, 'tls/app:1');
  ref = `registry://${registry.host}/tls/app:1`;
  noEngine = { DOCKER_HOST: `unix://${path.join(work, 'dead.sock')}` };
}, 400_000);

afterAll(async () => {
  await registry?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
  execFileSync('docker', ['rmi', '-f', TAG], { stdio: 'ignore' });
});

test('TLS with a custom CA through NODE_EXTRA_CA_CERTS, credentials from DOCKER_CONFIG, no engine', async () => {
  const r = await runCli(['audit', '--image', ref, '--format', 'json'], {
    ...noEngine,
    NODE_EXTRA_CA_CERTS: registry.caFile!,
    DOCKER_CONFIG: registry.dockerConfig
  });
  expect(r.stderr).not.toContain(registry.password);
  expect(r.code).toBe(0);
  const report = JSON.parse(r.stdout) as Report;
  expect(report.image!.size).toBe(inspect(TAG).Size);
  expect(report.image!.compressedSizeSource).toBe('manifest');
}, 120_000);

test('an untrusted certificate says how to trust it', async () => {
  const r = await runCli(['audit', '--image', ref], { ...noEngine, DOCKER_CONFIG: registry.dockerConfig });
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/TLS certificate of the registry 127\.0\.0\.1:\d+ is not trusted/);
  expect(r.stderr).toContain('NODE_EXTRA_CA_CERTS');
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
});

test('401: the message names the credentials tried and how to log in, never the password', async () => {
  const wrong = path.join(work, 'wrong-config');
  mkdirSync(wrong, { recursive: true });
  writeFileSync(
    path.join(wrong, 'config.json'),
    JSON.stringify({ auths: { [registry.host]: { auth: Buffer.from(`${registry.user}:not-the-password`).toString('base64') } } })
  );
  const r = await runCli(['audit', '--image', ref], { ...noEngine, NODE_EXTRA_CA_CERTS: registry.caFile!, DOCKER_CONFIG: wrong });
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('(401 Unauthorized)');
  expect(r.stderr).toContain(`auths["${registry.host}"] in ${path.join(wrong, 'config.json')} (user '${registry.user}')`);
  expect(r.stderr).toContain(`docker login ${registry.host}`);
  expect(r.stderr).not.toContain('not-the-password');

  const none = await runCli(['audit', '--image', ref], { ...noEngine, NODE_EXTRA_CA_CERTS: registry.caFile!, DOCKER_CONFIG: path.join(work, 'empty') });
  expect(none.code).toBe(2);
  expect(none.stderr).toContain(`Credentials tried: none (${path.join(work, 'empty', 'config.json')} does not exist)`);
});

test('credentials from a credential helper (credsStore), run as docker-credential-NAME get', async () => {
  const bin = path.join(work, 'bin');
  mkdirSync(bin, { recursive: true });
  const helper = path.join(bin, 'docker-credential-iatest');
  // The helper reads the server URL on stdin, as docker's helpers do, and answers only for this registry.
  writeFileSync(
    helper,
    `#!/bin/sh\n[ "$1" = get ] || exit 1\nread -r server\n[ "$server" = "${registry.host}" ] || { echo "credentials not found in native keychain"; exit 1; }\n` +
      `printf '{"ServerURL":"%s","Username":"%s","Secret":"%s"}' "$server" '${registry.user}' '${registry.password}'\n`
  );
  chmodSync(helper, 0o755);
  const cfg = path.join(work, 'helper-config');
  mkdirSync(cfg, { recursive: true });
  writeFileSync(path.join(cfg, 'config.json'), JSON.stringify({ credsStore: 'iatest' }));
  const r = await runCli(['audit', '--image', ref, '--format', 'json'], {
    ...noEngine,
    NODE_EXTRA_CA_CERTS: registry.caFile!,
    DOCKER_CONFIG: cfg,
    PATH: `${bin}:${process.env.PATH}`
  });
  expect(r.stderr).toBe(r.stderr.replace(registry.password, ''));
  expect(r.code).toBe(0);
  expect((JSON.parse(r.stdout) as Report).image!.size).toBe(inspect(TAG).Size);
});
