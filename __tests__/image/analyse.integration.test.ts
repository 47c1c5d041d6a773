// Real images built from fixtures/image/*: every expected number is known by construction (file sizes written
// by the Dockerfile) or read independently from the engine (`docker image inspect`, `docker save | tar`).
import { beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { analyseImage } from '../../src/image/analyse.js';
import { readImageArchive, streamDockerSave } from '../../src/image/reader.js';
import { defaultConfig } from '../../src/config/types.js';
import { nodeRuntime } from '../../src/util/node-runtime.js';
import { UserError } from '../../src/util/errors.js';
import { buildFixture, fixture, inspect, requireEngine } from '../helpers/engine.js';

requireEngine();

const MiB = 1024 * 1024;
const runtime = nodeRuntime();
const tag = (name: string) => `ia-test-image-${name}`;
const built = new Set<string>();
function build(name: string): string {
  if (!built.has(name)) {
    buildFixture(fixture('image', name), tag(name));
    built.add(name);
  }
  return tag(name);
}
const analyse = (ref: string, baseLayerCount = 1) => analyseImage({ ref, runtime, config: defaultConfig(), baseLayerCount });

/** `tar -tv` of one layer of a saved image, read by GNU tar (independent of tar-stream). */
function listLayer(ref: string, layerIndex: number): { path: string; size: number; type: string }[] {
  const manifest = JSON.parse(execFileSync('sh', ['-c', `docker save "$1" | tar -xO manifest.json`, 'sh', ref], { encoding: 'utf8' }));
  const member = manifest[0].Layers[layerIndex] as string;
  const out = execFileSync('sh', ['-c', `docker save "$1" | tar -xO "$2" | tar -tv --numeric-owner`, 'sh', ref, member], {
    encoding: 'utf8',
    maxBuffer: 256 * MiB
  });
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const parts = line.trim().split(/\s+/);
      return {
        type: parts[0][0],
        size: Number(parts[2]),
        path: parts
          .slice(5)
          .join(' ')
          .replace(/^\.\//, '')
          .replace(/ -> .*$| link to .*$/, '')
      };
    });
}

describe('image measurements equal the engine’s', () => {
  it.each(['waste', 'rmdir', 'opaque', 'hardlink'])('%s: size and layers equal docker image inspect', async (name) => {
    const ref = build(name);
    const a = await analyse(ref);
    const ins = inspect(ref);
    expect(a.image.size).toBe(ins.Size);
    expect(a.image.layers).toBe(ins.RootFS.Layers.length);
    expect(a.layers.map((l) => l.diffId)).toEqual(ins.RootFS.Layers);
    expect(a.image.id).toBe(ins.Id);
    expect(a.image.tags).toEqual(ins.RepoTags);
    expect(a.layers.reduce((n, l) => n + l.size, 0)).toBe(ins.Size);
  });

  it('reads the imported Debian base: stream-counted size equals inspect (symlinks included)', async () => {
    const ref = 'image-audit/debian:bookworm';
    const ins = inspect(ref);
    const read = await readImageArchive(streamDockerSave(ref), []);
    expect(read.layerStats.reduce((n, s) => n + s.size, 0)).toBe(ins.Size);
    expect(read.layout.diffIds).toEqual(ins.RootFS.Layers);
  });
});

describe('waste model on real builds', () => {
  it('20 MiB overwritten by 5 MiB + 10 MiB deleted → exactly 30 MiB wasted', async () => {
    const a = await analyse(build('waste'));
    expect(a.image.wastedBytes).toBe(30 * MiB);
    expect(a.image.userWastedBytes).toBe(30 * MiB);
    expect(a.image.baseWastedBytes).toBe(0);
    expect(a.image.efficiency).toBeCloseTo((a.image.size - 30 * MiB) / a.image.size, 6);
    expect(a.wastedFiles).toEqual([
      { path: 'data/big.bin', bytes: 20 * MiB, addedInLayer: 1, hiddenInLayer: 2, how: 'overwritten' },
      { path: 'data/deleted.bin', bytes: 10 * MiB, addedInLayer: 1, hiddenInLayer: 2, how: 'deleted' }
    ]);
    expect(a.layers[1].wastedBytes).toBe(30 * MiB);
    expect(a.layers[1].createdBy).toContain('head -c 20971520');
    expect(a.layers[0].fromBase).toBe(true);
    const w = a.findings.find((f) => f.rule === 'wasted-space');
    expect(w).toMatchObject({ category: 'image', bytes: 30 * MiB, layer: 2, path: 'data/big.bin' });
    expect(w?.message).toContain('rm /data/deleted.bin');
    expect(a.files.lookup('data/deleted.bin', 1)).toEqual({ visibleInFinal: false, hiddenInLayer: 2, how: 'deleted' });
    expect(a.files.lookup('data/big.bin', 2)).toEqual({ visibleInFinal: true });
  });

  it('rm -rf dir/ counts the whole directory (one whiteout)', async () => {
    const ref = build('rmdir');
    expect(listLayer(ref, 2).map((e) => e.path)).toContain('.wh.build');
    const a = await analyse(ref);
    expect(a.image.wastedBytes).toBe(4 * MiB);
    expect(a.wastedFiles).toEqual([{ path: 'build', bytes: 4 * MiB, addedInLayer: 1, hiddenInLayer: 2, how: 'deleted' }]);
  });

  it('rm -rf d && mkdir d: BuildKit emits an opaque directory, the old content is waste', async () => {
    const ref = build('opaque');
    expect(listLayer(ref, 2).map((e) => e.path)).toContain('d/.wh..wh..opq');
    const a = await analyse(ref);
    const keepTxt = 'keep\n'.length;
    expect(a.image.wastedBytes).toBe(2 * MiB + keepTxt);
    expect(a.wastedFiles).toEqual([{ path: 'd', bytes: 2 * MiB + keepTxt, addedInLayer: 1, hiddenInLayer: 2, how: 'opaque' }]);
    expect(a.files.lookup('d/new.bin', 2)).toEqual({ visibleInFinal: true });
    expect(a.largestDirectories.find((d) => d.path === 'd')).toEqual({ path: 'd', bytes: 1024 });
  });

  it('a deleted name of a hard-linked file wastes nothing while another name remains', async () => {
    const a = await analyse(build('hardlink'));
    expect(a.image.wastedBytes).toBe(0);
    expect(a.image.efficiency).toBe(1);
  });
});

describe('findings on real builds', () => {
  it('apt-get install without cleanup → package-cache-in-image with the lists’ size read independently', async () => {
    const ref = build('apt-cache');
    const listed = listLayer(ref, 1);
    const listsBytes = listed
      .filter((e) => e.type === '-' && e.path.startsWith('var/lib/apt/lists/') && e.path !== 'var/lib/apt/lists/lock')
      .reduce((n, e) => n + e.size, 0);
    const cacheBytes = listed.filter((e) => e.type === '-' && /^var\/cache\/apt\/(archives\/.*\.deb|[^/]+\.bin)$/.test(e.path)).reduce((n, e) => n + e.size, 0);
    expect(listsBytes).toBeGreaterThan(MiB);
    const a = await analyse(ref);
    const lists = a.findings.find((f) => f.rule === 'package-cache-in-image' && f.path === 'var/lib/apt/lists');
    expect(lists).toMatchObject({ bytes: listsBytes, layer: 1, severity: 'warning', category: 'image' });
    expect(lists?.message).toContain('apt-get update && apt-get install -y --no-install-recommends jq');
    const cache = a.findings.find((f) => f.rule === 'package-cache-in-image' && f.path === 'var/cache/apt');
    expect(cache?.bytes).toBe(cacheBytes);
    expect(a.layers[1].residue).toEqual({ 'var/lib/apt/lists': listsBytes, 'var/cache/apt': cacheBytes });
    // dpkg status of the final image, counted independently.
    const status = execFileSync('docker', ['run', '--rm', ref, 'dpkg-query', '-W', '-f', '${Status}\\n'], { encoding: 'utf8' });
    expect(a.image.packages).toBe(status.split('\n').filter((s) => s === 'install ok installed').length);
  });

  it('a single-stage gcc build → toolchain-in-image naming the install step', async () => {
    const a = await analyse(build('toolchain'));
    const gcc = a.findings.find((f) => f.rule === 'toolchain-in-image' && (f.details?.toolchains as { id: string }[]).some((t) => t.id === 'gcc'));
    expect(gcc).toBeDefined();
    expect(gcc?.layer).toBe(1);
    expect(gcc?.message).toContain('apt-get install -y --no-install-recommends gcc libc6-dev');
    const cc1 = listLayer(tag('toolchain'), 1).find((e) => /^usr\/(lib|libexec)\/gcc\/[^/]+\/[^/]+\/cc1$/.test(e.path));
    expect(cc1).toBeDefined();
    expect(gcc?.bytes).toBeGreaterThan(cc1!.size);
    expect(a.findings.some((f) => f.rule === 'package-cache-in-image')).toBe(false);
  });
});

describe('errors on real input', () => {
  it('a missing image is a UserError naming it', async () => {
    const err = await analyse('ia-test-image-does-not-exist:nope').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(/ia-test-image-does-not-exist:nope not found locally; build it or check the name/);
    const err2 = await readImageArchive(streamDockerSave('ia-test-image-does-not-exist:nope'), []).catch((e: unknown) => e);
    expect(err2).toBeInstanceOf(UserError);
    expect((err2 as Error).message).toMatch(/not found locally/);
  });

  it('a truncated docker save is a UserError, not a hang', async () => {
    const ref = build('waste');
    const full = execFileSync('docker', ['save', ref], { maxBuffer: 512 * MiB });
    for (const cut of [Math.floor(full.length / 3), full.length - 4096]) {
      const err = await readImageArchive(Readable.from([full.subarray(0, cut)]), []).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UserError);
    }
  });

  it('a docker save killed mid-stream is a UserError', async () => {
    const ref = build('waste');
    const child = spawn('docker', ['save', ref], { stdio: ['ignore', 'pipe', 'ignore'] });
    let seen = 0;
    child.stdout.on('data', (c: Buffer) => {
      seen += c.length;
      if (seen > 4 * MiB) child.stdout.destroy(new Error('docker save was interrupted'));
    });
    const err = await readImageArchive(child.stdout, []).catch((e: unknown) => e);
    child.kill();
    expect(err).toBeInstanceOf(UserError);
  });
});

beforeAll(() => {
  for (const name of ['waste', 'rmdir', 'opaque', 'hardlink']) build(name);
});
