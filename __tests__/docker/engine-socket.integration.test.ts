// The image export read straight from the Engine API socket must be byte for byte what `docker save` gives, fail
// the same clear way, and step aside for the CLI wherever the CLI would not use that socket.
import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { localEngineSocket } from '../../src/docker/engine-socket.js';
import { streamDockerSave } from '../../src/image/reader.js';
import { UserError } from '../../src/util/errors.js';
import { buildFixture, fixture, inspect, requireEngine } from '../helpers/engine.js';

requireEngine();

async function digestOf(stream: NodeJS.ReadableStream): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
  }
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
    const stream = streamDockerSave(id, 'docker', '/var/run/docker.sock') as NodeJS.ReadableStream & { destroy(): void };
    for await (const _chunk of stream as AsyncIterable<Buffer>) break; // async iteration's return() destroys it
    expect(await digestOf(streamDockerSave(id, 'docker', '/var/run/docker.sock'))).toEqual(await digestOf(streamDockerSave(id, 'docker', '')));
  });
});
