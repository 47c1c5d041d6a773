// The Bearer-token challenge flow (as Docker Hub, GHCR, ECR… use it): a loopback registry front that answers 401
// with a Bearer challenge, a token endpoint that takes Basic credentials (GET) or an identity token (POST
// refresh_token grant), and serves an OCI layout written by skopeo. Distribution's htpasswd mode only does Basic.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { defaultConfig } from '../../src/config/types.js';
import { runAudit } from '../../src/pipeline/audit.js';
import { nodeRuntime } from '../../src/util/node-runtime.js';
import { buildFixture, inspect, requireEngine } from '../helpers/engine.js';
import { requireRegistryTools } from '../helpers/registry.js';

requireEngine();
requireRegistryTools();

const quiet = nodeRuntime({ logger: { info: () => {}, warning: () => {}, debug: () => {}, group: (_n, fn) => fn() } });
const TAG = 'registry-bearer:1';
let work: string;
let server: http.Server;
let host: string;
const seen: string[] = [];

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'image-audit-bearer-'));
  const ctx = path.join(work, 'ctx');
  mkdirSync(ctx);
  writeFileSync(path.join(ctx, 'x.txt'), 'bearer\n'.repeat(1000));
  writeFileSync(path.join(ctx, 'Dockerfile'), 'FROM image-audit/busybox\nCOPY x.txt /x.txt\n');
  buildFixture(ctx, TAG);
  const layout = path.join(work, 'layout');
  execFileSync('skopeo', ['copy', '--quiet', `docker-daemon:${TAG}`, `oci:${layout}:1`]);
  const index = JSON.parse(readFileSync(path.join(layout, 'index.json'), 'utf8'));
  const blob = (d: string) => readFileSync(path.join(layout, 'blobs', ...d.split(':')));

  server = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    if (url.pathname === '/token') {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const form = new URLSearchParams(body);
        const basicOk = req.headers.authorization === `Basic ${Buffer.from('robot:s3cret').toString('base64')}`;
        const refreshOk = req.method === 'POST' && form.get('grant_type') === 'refresh_token' && form.get('refresh_token') === 'refresh-abc';
        const scope = url.searchParams.get('scope') ?? form.get('scope');
        seen.push(`${req.method} token ${scope} ${basicOk ? 'basic' : refreshOk ? 'refresh' : 'anonymous'}`);
        const denied = req.headers.authorization === `Basic ${Buffer.from('intern:pw').toString('base64')}`;
        if (denied) return void res.writeHead(403).end(); // a valid account without pull rights
        if (!basicOk && !refreshOk) return void res.writeHead(401).end();
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(req.method === 'POST' ? { access_token: 'tok-1' } : { token: 'tok-1' }));
      });
      return;
    }
    if (req.headers.authorization !== 'Bearer tok-1') {
      const realm = `http://${host}/token`;
      res.writeHead(401, { 'WWW-Authenticate': `Bearer realm="${realm}",service="fake-registry",scope="repository:team/app:pull"` }).end();
      return;
    }
    const m = /^\/v2\/team\/app\/(manifests|blobs)\/(.+)$/.exec(url.pathname);
    if (!m) return void res.writeHead(404).end();
    if (m[1] === 'manifests') {
      const d = m[2] === '1' ? index.manifests[0] : { digest: m[2], mediaType: 'application/vnd.oci.image.manifest.v1+json' };
      return void res.writeHead(200, { 'Content-Type': d.mediaType }).end(blob(d.digest));
    }
    res.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(blob(m[2]));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 180_000);

afterAll(async () => {
  await new Promise((r) => server?.close(r));
  if (work) rmSync(work, { recursive: true, force: true });
  execFileSync('docker', ['rmi', '-f', TAG], { stdio: 'ignore' });
});

function dockerConfig(name: string, entry: object): string {
  const dir = path.join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ auths: { [host]: entry } }));
  return dir;
}

test('Bearer challenge: token fetched with Basic credentials for the pull scope, then used for manifests and blobs', async () => {
  seen.length = 0;
  const cfg = dockerConfig('basic', { auth: Buffer.from('robot:s3cret').toString('base64') });
  const report = await runAudit({ image: `registry://${host}/team/app:1`, config: defaultConfig(), env: { ...process.env, DOCKER_CONFIG: cfg } }, quiet);
  expect(report.image!.size).toBe(inspect(TAG).Size);
  expect(seen).toEqual(['GET token repository:team/app:pull basic']); // one token, reused
});

test('identitytoken: exchanged with the refresh_token grant', async () => {
  seen.length = 0;
  const cfg = dockerConfig('identity', { identitytoken: 'refresh-abc' });
  const report = await runAudit({ image: `registry://${host}/team/app:1`, config: defaultConfig(), env: { ...process.env, DOCKER_CONFIG: cfg } }, quiet);
  expect(report.image!.layers).toBe(inspect(TAG).RootFS.Layers.length);
  expect(seen).toEqual(['POST token repository:team/app:pull refresh']);
});

test('a token endpoint that refuses: 401 with the credentials tried', async () => {
  const cfg = dockerConfig('wrong', { auth: Buffer.from('robot:wrong').toString('base64') });
  await expect(
    runAudit({ image: `registry://${host}/team/app:1`, config: defaultConfig(), env: { ...process.env, DOCKER_CONFIG: cfg } }, quiet)
  ).rejects.toThrow(
    new RegExp(
      `refused access to team/app \\(401 Unauthorized\\)\\. Credentials tried: auths\\["${host.replace(/\./g, '\\.')}"\\] in .*config\\.json \\(user 'robot'\\)`
    )
  );
});

test('403: an account without pull rights is told so, with the credentials tried', async () => {
  const cfg = dockerConfig('denied', { auth: Buffer.from('intern:pw').toString('base64') });
  await expect(
    runAudit({ image: `registry://${host}/team/app:1`, config: defaultConfig(), env: { ...process.env, DOCKER_CONFIG: cfg } }, quiet)
  ).rejects.toThrow(/refused access to team\/app \(403 Forbidden\)\. Credentials tried: .*\(user 'intern'\)[\s\S]*check that this account may pull team\/app/);
});
