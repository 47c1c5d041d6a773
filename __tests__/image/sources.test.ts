// The pure parts of the image sources: references, layout references, scheme dispatch, Bearer challenges, the
// docker credential lookup (auths, identitytoken, credHelpers), and the inputs/flags that feed them.
import { describe, expect, test } from '@jest/globals';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseSourceText } from '../../src/image/sources/index.js';
import { splitLayoutReference } from '../../src/image/sources/layout.js';
import { parseChallenge } from '../../src/registry/client.js';
import { findCredentials } from '../../src/registry/credentials.js';
import { isLoopbackHost, parseRegistryReference } from '../../src/registry/reference.js';
import { parseCommand } from '../../src/cli/args.js';
import { readInputs } from '../../src/action/inputs.js';

describe('registry references', () => {
  test.each([
    ['127.0.0.1:5000/app:1', { host: '127.0.0.1:5000', repository: 'app', tag: '1' }],
    ['ghcr.io/acme/app', { host: 'ghcr.io', repository: 'acme/app', tag: 'latest' }],
    ['debian:bookworm', { host: 'docker.io', repository: 'library/debian', tag: 'bookworm' }],
    ['localhost/team/app@sha256:' + 'a'.repeat(64), { host: 'localhost', repository: 'team/app', digest: 'sha256:' + 'a'.repeat(64) }],
    ['acme/app:1.2', { host: 'docker.io', repository: 'acme/app', tag: '1.2' }]
  ])('%s', (text, want) => {
    expect(parseRegistryReference(text)).toEqual({ tag: undefined, digest: undefined, ...want });
  });

  test('malformed references say how to write one', () => {
    expect(() => parseRegistryReference('ghcr.io/Acme/App:1')).toThrow(/not a valid image reference[\s\S]*HOST\[:PORT\]\/REPOSITORY/);
    expect(() => parseRegistryReference('app@sha256:short')).toThrow(/digest 'sha256:short' is malformed/);
  });

  test('loopback names', () => {
    for (const h of ['localhost:5000', '127.0.0.1', '127.0.0.1:443', '[::1]:5000']) expect({ h, ok: isLoopbackHost(h) }).toEqual({ h, ok: true });
    for (const h of ['0.0.0.0:5000', 'ghcr.io', '10.0.0.1:5000', 'localhost.example.com']) expect({ h, ok: isLoopbackHost(h) }).toEqual({ h, ok: false });
  });
});

test('source schemes', () => {
  expect(parseSourceText('registry://ghcr.io/a/b:1')).toEqual({ kind: 'registry', rest: 'ghcr.io/a/b:1' });
  expect(parseSourceText('oci-layout://./out:v1')).toEqual({ kind: 'oci-layout', rest: './out:v1' });
  expect(parseSourceText('docker-archive://img.tar')).toEqual({ kind: 'docker-archive', rest: 'img.tar' });
  expect(parseSourceText('oci-archive://img.oci')).toEqual({ kind: 'oci-archive', rest: 'img.oci' });
  expect(parseSourceText('app:1')).toEqual({ kind: 'bare', rest: 'app:1' });
});

test('layout references: DIR, DIR:TAG, DIR@DIGEST', () => {
  const d = 'sha256:' + 'b'.repeat(64);
  expect(splitLayoutReference('./out')).toEqual({ dir: './out' });
  expect(splitLayoutReference('/tmp/out:v1')).toEqual({ dir: '/tmp/out', tag: 'v1' });
  expect(splitLayoutReference(`out@${d}`)).toEqual({ dir: 'out', digest: d });
  expect(splitLayoutReference('C:/x/out')).toEqual({ dir: 'C:/x/out' }); // a ':' before a path separator is part of DIR
});

test('Bearer challenge parameters', () => {
  expect(parseChallenge(' realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/debian:pull"')).toEqual({
    realm: 'https://auth.docker.io/token',
    service: 'registry.docker.io',
    scope: 'repository:library/debian:pull'
  });
});

describe('docker credentials', () => {
  const withConfig = async (config: object, fn: (env: NodeJS.ProcessEnv, dir: string) => Promise<void>) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ia-creds-'));
    try {
      writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
      await fn({ ...process.env, DOCKER_CONFIG: dir }, dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  test('auths: user and password from `auth`, identitytoken preferred, origin never holds the secret', async () => {
    await withConfig(
      { auths: { 'reg.example:5000': { auth: Buffer.from('ann:pw1').toString('base64') }, 'tok.example': { identitytoken: 'rt-1', auth: 'x' } } },
      async (env, dir) => {
        const c = await findCredentials('reg.example:5000', env);
        expect(c).toMatchObject({ username: 'ann', password: 'pw1', origin: `auths["reg.example:5000"] in ${path.join(dir, 'config.json')} (user 'ann')` });
        expect(c.origin).not.toContain('pw1');
        expect(await findCredentials('tok.example', env)).toMatchObject({ identityToken: 'rt-1' });
        expect((await findCredentials('other.example', env)).origin).toContain('no entry for other.example');
      }
    );
  });

  test('Docker Hub is looked up under its legacy key', async () => {
    await withConfig({ auths: { 'https://index.docker.io/v1/': { auth: Buffer.from('hub:pw').toString('base64') } } }, async (env) => {
      expect(await findCredentials('docker.io', env)).toMatchObject({ username: 'hub', password: 'pw' });
    });
  });

  test('credHelpers win over auths; `<token>` answers are identity tokens', async () => {
    await withConfig(
      { credHelpers: { 'reg.example': 'iaunit' }, auths: { 'reg.example': { auth: Buffer.from('a:b').toString('base64') } } },
      async (env, dir) => {
        const bin = path.join(dir, 'bin');
        mkdirSync(bin);
        writeFileSync(path.join(bin, 'docker-credential-iaunit'), '#!/bin/sh\nread -r s\nprintf \'{"Username":"<token>","Secret":"rt-%s"}\' "$s"\n');
        chmodSync(path.join(bin, 'docker-credential-iaunit'), 0o755);
        const c = await findCredentials('reg.example', { ...env, PATH: `${bin}:${env.PATH}` });
        expect(c).toMatchObject({ identityToken: 'rt-reg.example', origin: 'docker-credential-iaunit for reg.example (identity token)' });
      }
    );
  });

  test('a missing or broken config means anonymous, with the reason', async () => {
    expect((await findCredentials('x.example', { DOCKER_CONFIG: '/nonexistent-ia' })).origin).toBe('none (/nonexistent-ia/config.json does not exist)');
  });
});

test('CLI: --insecure-registry is repeatable and takes commas; --platform all with an image', () => {
  const cmd = parseCommand(['audit', '--image', 'registry://r:5000/a:1', '--platform', 'all', '--insecure-registry', 'r:5000,s', '--insecure-registry', 't']);
  expect(cmd).toMatchObject({ command: 'audit', platform: 'all', insecureRegistries: ['r:5000', 's', 't'] });
});

test('action: platforms/platform pick the image platforms; insecure-registries is a list', () => {
  const inputs = (values: Record<string, string>) => readInputs((n) => values[n] ?? '');
  expect(inputs({ image: 'registry://r/a:1', platforms: 'all', 'insecure-registries': 'r:5000\ns, t' })).toMatchObject({
    imagePlatform: 'all',
    insecureRegistries: ['r:5000', 's', 't']
  });
  // With a Dockerfile next to the image (lint + attribution), `all` does not reach the build inputs' one-platform check.
  expect(inputs({ image: 'registry://r/a:1', platform: 'all', file: 'Dockerfile' }).imagePlatform).toBe('all');
});

test('action: push / outputs / several platforms when building make a publish plan (and skip the one-platform check)', () => {
  const inputs = (values: Record<string, string>) => readInputs((n) => values[n] ?? '');
  expect(inputs({ context: '.', platforms: 'linux/amd64,linux/arm64', push: 'true', tags: 'r/a:1' }).publish).toEqual({
    platforms: ['linux/amd64', 'linux/arm64'],
    push: true,
    outputs: []
  });
  expect(inputs({ context: '.', outputs: 'type=oci,dest=img.tar' }).publish).toEqual({ platforms: [], push: false, outputs: ['type=oci,dest=img.tar'] });
  expect(inputs({ context: '.', platform: 'linux/amd64' }).publish).toBeUndefined();
  expect(inputs({ context: '.', platform: 'linux/amd64' }).build?.platform).toBe('linux/amd64');
});
