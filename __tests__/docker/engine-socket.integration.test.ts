// The image export read straight from the Engine API socket must be byte for byte what `docker save` gives, fail
// the same clear way, and step aside for the CLI wherever the CLI would not use that socket.
import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { localEngineSocket } from '../../src/docker/engine-socket.js';
import { readImageArchive, streamDockerSave, type PushedArchive } from '../../src/image/reader.js';
import { UserError } from '../../src/util/errors.js';
import { buildFixture, fixture, inspect, requireEngine } from '../helpers/engine.js';

requireEngine();

async function digestOf(archive: PushedArchive): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  await archive.run((chunk) => {
    hash.update(chunk);
    bytes += chunk.length;
  });
  return { sha256: hash.digest('hex'), bytes };
}

describe('localEngineSocket: only where the docker CLI would use the default socket itself', () => {
  const noConfig = mkdtempSync(path.join(tmpdir(), 'ia-docker-config-'));
  it.each([
    [{}, '/var/run/docker.sock'],
    [{ DOCKER_HOST: 'unix:///run/user/1000/docker.sock' }, '/run/user/1000/docker.sock'],
    [{ DOCKER_HOST: 'tcp://10.0.0.5:2376' }, undefined],
    [{ DOCKER_HOST: 'ssh://builder@host' }, undefined],
    [{ DOCKER_CONTEXT: 'remote' }, undefined],
    [{ DOCKER_CONTEXT: 'default' }, '/var/run/docker.sock'],
    [{ DOCKER_TLS_VERIFY: '1' }, undefined]
  ])('%j → %s', (env, expected) => {
    expect(localEngineSocket({ DOCKER_CONFIG: noConfig, ...env })).toBe(expected);
  });

  it('a current context in the CLI config (docker context use) leaves the export to the CLI', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ia-docker-config-'));
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ currentContext: 'colima' }));
    expect(localEngineSocket({ DOCKER_CONFIG: dir })).toBeUndefined();
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ auths: {}, currentContext: 'default' }));
    expect(localEngineSocket({ DOCKER_CONFIG: dir })).toBe('/var/run/docker.sock');
    writeFileSync(path.join(dir, 'config.json'), '{ not json');
    expect(localEngineSocket({ DOCKER_CONFIG: dir })).toBeUndefined();
  });
});

describe('streamDockerSave from the socket', () => {
  const ref = 'ia-test-image-waste';
  buildFixture(fixture('image', 'waste'), ref);
  const id = inspect(ref).Id as string;

  it('gives the same bytes as the CLI, by image id and by name', async () => {
    const viaCli = await digestOf(streamDockerSave(id, 'docker', ''));
    expect(viaCli.bytes).toBeGreaterThan(1024 * 1024);
    expect(await digestOf(streamDockerSave(id, 'docker', '/var/run/docker.sock'))).toEqual(viaCli);
    const byName = await digestOf(streamDockerSave(ref, 'docker', '/var/run/docker.sock'));
    expect(byName.bytes).toBeGreaterThan(1024 * 1024);
  });

  it('falls back to the CLI when nothing listens at the socket', async () => {
    const dead = path.join(mkdtempSync(path.join(tmpdir(), 'ia-dead-')), 'docker.sock');
    expect(await digestOf(streamDockerSave(id, 'docker', dead))).toEqual(await digestOf(streamDockerSave(id, 'docker', '')));
  });

  it('an image the engine does not have is a UserError naming it', async () => {
    const err = await digestOf(streamDockerSave('ia-test-image-does-not-exist:nope', 'docker', '/var/run/docker.sock')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(/ia-test-image-does-not-exist:nope not found locally/);
  });

  it('a reader that gives up midway leaves no export running (the next one starts at once)', async () => {
    const archive = streamDockerSave(id, 'docker', '/var/run/docker.sock');
    const gaveUp = await archive
      .run(() => {
        throw new Error('reader gave up');
      })
      .catch((e: unknown) => e);
    expect((gaveUp as Error).message).toBe('reader gave up');
    expect(await digestOf(streamDockerSave(id, 'docker', '/var/run/docker.sock'))).toEqual(await digestOf(streamDockerSave(id, 'docker', '')));
  });

  it.each([
    ['inside a member', () => 1024 * 1024],
    ['exactly before the end-of-archive marker', (total: number) => total - 1024]
  ])('an export cut short %s (the engine closes early) is a UserError, not a short archive', async (_where, cutAt) => {
    const total = (await digestOf(streamDockerSave(id, 'docker', ''))).bytes;
    const limit = cutAt(total);
    // The real engine socket behind a proxy that passes the answer's head and then `limit` bytes of its body.
    const dir = mkdtempSync(path.join(tmpdir(), 'ia-cut-'));
    const proxyPath = path.join(dir, 'docker.sock');
    const server = net.createServer((client) => {
      const upstream = net.connect('/var/run/docker.sock');
      client.pipe(upstream);
      let answer = Buffer.alloc(0);
      upstream.on('data', (c: Buffer) => {
        answer = Buffer.concat([answer, c]);
        const head = answer.indexOf('\r\n\r\n');
        if (head >= 0 && answer.length >= head + 4 + limit) {
          upstream.destroy();
          client.end(answer.subarray(0, head + 4 + limit));
        }
      });
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((r) => server.listen(proxyPath, r));
    try {
      const err = await readImageArchive(streamDockerSave(id, 'docker', proxyPath), [], { source: ref }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UserError);
      expect((err as Error).message).toMatch(/ia-test-image-waste .*(cut short|truncated)/);
    } finally {
      server.close();
    }
    expect((await readImageArchive(streamDockerSave(id, 'docker', '/var/run/docker.sock'), [], { source: ref })).layerStats.length).toBeGreaterThan(0);
  });
});
