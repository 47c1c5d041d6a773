import { describe, expect, it } from '@jest/globals';
import { gunzipSync } from 'node:zlib';
import { readImageArchive, normalisePath, type PushedArchive } from '../../src/image/reader.js';
import { decodeRawName, displayName, displayRawNamesDeep } from '../../src/image/layer-tar.js';
import type { LayerEntry, LayerSubscriber, ImageLayout } from '../../src/image/types.js';
import { UserError } from '../../src/util/errors.js';
import tar from 'tar-stream';
import { layerTar, legacyArchive, ociArchive, patchRawName, rawLayerTar, sha256, streamOf, noise } from './archive-helpers.js';

function recorder() {
  const entries: LayerEntry[] = [];
  let layout: ImageLayout | undefined;
  const sub: LayerSubscriber = {
    onEntry: (e) => entries.push(e),
    finish: (l) => {
      layout = l;
    }
  };
  return { sub, entries, layout: () => layout };
}

describe('readImageArchive (legacy docker save layout)', () => {
  it('orders layers by the manifest, verifies diff ids and normalises entries', async () => {
    const l0 = await layerTar([
      { name: 'etc/', type: 'directory' },
      { name: 'etc/passwd', content: 'root:x:0:0\n' },
      { name: './bin/sh', content: 'ELF', mode: 0o755 },
      { name: 'bin/busybox', type: 'link', linkname: './bin/sh' },
      { name: 'bin/ls', type: 'symlink', linkname: 'busybox' }
    ]);
    const l1 = await layerTar([{ name: 'etc/.wh.passwd' }, { name: 'var/lib/', type: 'directory' }, { name: 'var/lib/.wh..wh..opq' }, { name: '.wh.tmp' }]);
    const { archive, diffIds, configDigest, folders } = await legacyArchive([l0, l1]);
    // Folder names sort in reverse stack order, like docker's ids often do.
    expect([...folders].sort()).toEqual([...folders].reverse());
    const rec = recorder();
    const res = await readImageArchive(streamOf(archive, 1000), [rec.sub]);

    expect(res.layout.layerOrder).toEqual(folders.map((f) => `${f}/layer.tar`));
    expect(res.layout.diffIds).toEqual(diffIds);
    expect(rec.layout()).toEqual(res.layout);
    expect(res.configDigest).toBe(configDigest);
    expect(res.layerStats.map((s) => s.diffId)).toEqual(diffIds);
    expect(res.layerStats.map((s) => s.tarBytes)).toEqual([l0.length, l1.length]);
    // Docker's size: regular file bytes (hard link once) + symlink target length ("busybox" = 7).
    expect(res.layerStats[0].size).toBe('root:x:0:0\n'.length + 3 + 7);
    expect(res.layerStats[1].size).toBe(0);
    expect(res.manifest.RepoTags).toEqual(['test:latest']);

    const byPath = new Map(rec.entries.map((e) => [e.path, e]));
    expect(byPath.get('bin/sh')).toMatchObject({ kind: 'file', size: 3, mode: 0o755, layerKey: res.layout.layerOrder[0] });
    expect(byPath.get('bin/busybox')).toMatchObject({ kind: 'hardlink', linkname: 'bin/sh', size: 0 });
    expect(byPath.get('bin/ls')).toMatchObject({ kind: 'symlink', linkname: 'busybox' });
    expect(byPath.get('etc')).toMatchObject({ kind: 'directory' });
    expect(byPath.get('etc/.wh.passwd')?.whiteout).toEqual({ kind: 'delete', target: 'etc/passwd' });
    expect(byPath.get('var/lib/.wh..wh..opq')?.whiteout).toEqual({ kind: 'opaque', target: 'var/lib' });
    expect(byPath.get('.wh.tmp')?.whiteout).toEqual({ kind: 'delete', target: 'tmp' });
  });

  it('delivers content only to subscribers that ask, truncated to what each wants', async () => {
    const body = noise(10_000);
    const l0 = await layerTar([
      { name: 'a.bin', content: body },
      { name: 'b.txt', content: 'hello' }
    ]);
    const { archive } = await legacyArchive([l0]);
    const got: { who: string; path: string; length: number; truncated: boolean; head: string }[] = [];
    const mk = (who: string, want: number): LayerSubscriber => ({
      wantContent: (e) => (e.path === 'a.bin' ? want : 0),
      onContent: (e, c, truncated) => got.push({ who, path: e.path, length: c.length, truncated, head: c.subarray(0, 4).toString('hex') })
    });
    await readImageArchive(streamOf(archive), [mk('small', 100), mk('all', 1e6), mk('none', 0)]);
    expect(got).toEqual([
      { who: 'small', path: 'a.bin', length: 100, truncated: true, head: body.subarray(0, 4).toString('hex') },
      { who: 'all', path: 'a.bin', length: 10_000, truncated: false, head: body.subarray(0, 4).toString('hex') }
    ]);
  });

  it('keeps non-UTF-8 names distinct and printable instead of crashing', async () => {
    let l0 = await layerTar([
      { name: 'data/PLACEHOLDER1', content: 'x' },
      { name: 'data/caf\u00e9', content: 'y' }
    ]);
    l0 = patchRawName(l0, 'data/PLACEHOLDER1', Buffer.from([0x64, 0x61, 0x74, 0x61, 0x2f, 0xff, 0xfe, 0x41]));
    const { archive } = await legacyArchive([l0]);
    const rec = recorder();
    await readImageArchive(streamOf(archive), [rec.sub]);
    // The raw bytes are the identity (lone surrogates, PEP 383); people and JSON see them escaped.
    expect(rec.entries.map((e) => displayName(e.path))).toEqual(['data/\\xff\\xfeA', 'data/caf\u00e9']);
  });

  it('keeps names that differ only in invalid bytes distinct, in ustar and PAX headers alike', async () => {
    // BuildKit writes non-ASCII names as PAX `path` records holding the raw bytes.
    const raw = (s: string) => Buffer.from(s, 'latin1');
    const l0 = rawLayerTar([
      { name: raw('d/x\xff'), content: Buffer.from('a') },
      { name: raw('d/x\xfe'), content: Buffer.from('bb') },
      { name: raw('d/p\xff'), content: Buffer.from('ccc'), pax: true },
      { name: raw('d/p\xfe'), content: Buffer.from('dddd'), pax: true }
    ]);
    const { archive } = await legacyArchive([l0]);
    const rec = recorder();
    await readImageArchive(streamOf(archive, 777), [rec.sub]);
    const names = rec.entries.map((e) => e.path);
    expect(new Set(names).size).toBe(4);
    expect(names.map(displayName)).toEqual(['d/x\\xff', 'd/x\\xfe', 'd/p\\xff', 'd/p\\xfe']);
    expect(rec.entries.map((e) => e.size)).toEqual([1, 2, 3, 4]);
  });

  it('decodes and displays names: valid UTF-8 as is, each invalid byte as \\xNN, one-to-one', () => {
    expect(decodeRawName(Buffer.from('caf\u00e9 \u{1F600}'))).toBe('caf\u00e9 \u{1F600}');
    const mixed = Buffer.concat([Buffer.from('\u00e9'), Buffer.from([0xc3]), Buffer.from('x'), Buffer.from([0xe2, 0x82])]);
    expect(displayName(decodeRawName(mixed))).toBe('\u00e9\\xc3x\\xe2\\x82');
    expect(decodeRawName(Buffer.from([0x78, 0xff]))).not.toBe(decodeRawName(Buffer.from([0x78, 0xfe])));
    // An astral character whose low surrogate falls in the escape range is not mistaken for an escape.
    expect(displayName('\u{1F080}')).toBe('\u{1F080}');
    expect(displayRawNamesDeep({ a: ['x\udcff'], ['k\udcfe']: 1 })).toEqual({ a: ['x\\xff'], 'k\\xfe': 1 });
  });

  it('rejects a layer whose tar is cut inside an entry or has a bad header checksum', async () => {
    const good = await layerTar([{ name: 'a.bin', content: noise(5000) }]);
    const cut = good.subarray(0, 2048);
    const { archive: a1 } = await legacyArchive([cut]);
    await expect(readImageArchive(streamOf(a1), [])).rejects.toThrow(/truncated/);
    const bad = Buffer.from(good);
    bad[10] ^= 0x55; // inside the name: the checksum no longer matches
    const { archive: a2 } = await legacyArchive([bad]);
    await expect(readImageArchive(streamOf(a2), [])).rejects.toThrow(/checksum/);
  });

  it('maps a symlinked layer.tar (same diff id twice) to the layer it points at', async () => {
    const l0 = await layerTar([{ name: 'a', content: '1' }]);
    const same = await layerTar([{ name: 'same', content: 'x' }]);
    const { archive: base, folders } = await legacyArchive([l0, same, same], { folders: ['aaa', 'bbb', 'ccc'] });
    // Rebuild with ccc/layer.tar as a symlink to ../bbb/layer.tar, as docker save does for repeated layers.
    const extract = tar.extract();
    const pack = tar.pack();
    const out: Buffer[] = [];
    const collected = (async () => {
      for await (const c of pack) out.push(c as Buffer);
    })();
    for await (const entry of streamOf(base).pipe(extract as unknown as NodeJS.WritableStream) as unknown as AsyncIterable<
      AsyncIterable<Buffer> & { header: { name: string; size: number } }
    >) {
      const parts: Buffer[] = [];
      for await (const c of entry) parts.push(c);
      if (entry.header.name === 'ccc/layer.tar') {
        pack.entry({ name: 'ccc/layer.tar', type: 'symlink', linkname: '../bbb/layer.tar' });
      } else {
        pack.entry({ ...entry.header }, Buffer.concat(parts));
      }
    }
    pack.finalize();
    await collected;
    const rec = recorder();
    const res = await readImageArchive(streamOf(Buffer.concat(out)), [rec.sub]);
    expect(folders).toEqual(['aaa', 'bbb', 'ccc']);
    expect(res.layout.layerOrder).toEqual(['aaa/layer.tar', 'bbb/layer.tar', 'bbb/layer.tar']);
    expect(res.layerStats.map((s) => s.index)).toEqual([0, 1, 2]);
    expect(rec.entries.filter((e) => e.path === 'same')).toHaveLength(1);
  });
});

describe('readImageArchive (OCI layout)', () => {
  it('reads gzip-compressed blobs, orders layers through index.json and reports the stored size', async () => {
    const l0 = await layerTar([{ name: 'usr/bin/tool', content: noise(50_000), mode: 0o755 }]);
    const l1 = await layerTar([{ name: 'usr/bin/.wh.tool' }, { name: 'etc/conf', content: 'a=1\n'.repeat(1000) }]);
    const { archive, diffIds, blobs, configDigest } = await ociArchive([l0, l1], { gzip: true });
    const rec = recorder();
    const res = await readImageArchive(streamOf(archive), [rec.sub]);
    expect(res.layout.diffIds).toEqual(diffIds);
    expect(res.layout.layerOrder).toEqual(blobs.map((b) => `blobs/sha256/${sha256(b)}`));
    expect(res.configDigest).toBe(configDigest);
    expect(res.config.architecture).toBe('arm64');
    expect(res.layerStats.map((s) => s.compressedSize)).toEqual(blobs.map((b) => b.length));
    expect(res.layerStats.every((s) => s.compressedExact)).toBe(true);
    expect(res.layerStats.map((s) => s.tarBytes)).toEqual(blobs.map((b) => gunzipSync(b).length));
    expect(res.layerStats.map((s) => s.size)).toEqual([50_000, 4000]);
    expect(rec.entries.find((e) => e.whiteout)?.whiteout).toEqual({ kind: 'delete', target: 'usr/bin/tool' });
  });

  it('reads uncompressed OCI blobs and estimates their gzip size', async () => {
    const l0 = await layerTar([{ name: 'a.txt', content: 'line of text\n'.repeat(5000) }]);
    const { archive } = await ociArchive([l0]);
    const res = await readImageArchive(streamOf(archive), []);
    expect(res.layerStats[0].compressedExact).toBe(false);
    expect(res.layerStats[0].tarBytes).toBe(l0.length);
  });
});

describe('readImageArchive on broken input', () => {
  const expectUserError = async (p: Promise<unknown>, pattern: RegExp) => {
    const err = await p.then(
      () => undefined,
      (e: unknown) => e
    );
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(pattern);
  };

  it('rejects truncated archives at any cut with a UserError, never hanging', async () => {
    const l0 = await layerTar([
      { name: 'big.bin', content: noise(200_000) },
      { name: 'x', content: 'y' }
    ]);
    const { archive } = await legacyArchive([l0, await layerTar([{ name: 'z', content: 'z' }])]);
    const cuts = [100, 512, 1536, 50_000, Math.floor(archive.length / 2), archive.length - 3000, archive.length - 1100];
    for (const cut of cuts) {
      await expectUserError(readImageArchive(streamOf(archive.subarray(0, cut)), [recorder().sub]), /not usable/);
    }
  });

  it('rejects garbage and empty input', async () => {
    await expectUserError(readImageArchive(streamOf(noise(100_000, 7)), []), /not usable/);
    await expectUserError(readImageArchive(streamOf(Buffer.alloc(0)), []), /neither manifest\.json nor index\.json/);
  });

  it('rejects a layer whose digest does not match the config', async () => {
    const l0 = await layerTar([{ name: 'a', content: '1' }]);
    const { archive } = await legacyArchive([l0], { badDiffIdAt: 0 });
    await expectUserError(readImageArchive(streamOf(archive), []), /has digest sha256:[0-9a-f]{64}, but the config expects/);
  });

  it('rejects an archive with a layer missing', async () => {
    const l0 = await layerTar([{ name: 'a', content: '1' }]);
    const { archive } = await legacyArchive([l0], { folders: ['f0'], omit: 'f0/layer.tar' });
    await expectUserError(readImageArchive(streamOf(archive), []), /layer 0 \(f0\/layer.tar\) is missing/);
  });

  it('surfaces a failing source stream as a UserError', async () => {
    const l0 = await layerTar([{ name: 'a', content: noise(100_000) }]);
    const { archive } = await legacyArchive([l0]);
    const src = streamOf(archive);
    let sent = 0;
    src.on('data', (c: Buffer) => {
      sent += c.length;
      if (sent > 30_000) src.destroy(new Error('pipe broke'));
    });
    await expectUserError(readImageArchive(src, []), /pipe broke/);
  });

  it('passes through a subscriber error', async () => {
    const l0 = await layerTar([{ name: 'a', content: 'x' }]);
    const { archive } = await legacyArchive([l0]);
    const boom: LayerSubscriber = {
      wantContent: () => 10,
      onContent: () => {
        throw new Error('subscriber failed');
      }
    };
    await expect(readImageArchive(streamOf(archive), [boom])).rejects.toThrow(/subscriber failed/);
  });
});

describe('normalisePath', () => {
  it.each([
    ['./a/b/', 'a/b'],
    ['/a//b/./c', 'a/b/c'],
    ['../../etc/passwd', 'etc/passwd'],
    ['./', '']
  ])('%s → %s', (input, expected) => {
    expect(normalisePath(input)).toBe(expected);
  });
});

/** An archive pushed the way the engine socket pushes it: every chunk in ONE buffer, overwritten by the next. */
function pushedOf(archive: Buffer, chunkSize: number): PushedArchive {
  let aborted = false;
  return {
    kind: 'pushed',
    abort: () => {
      aborted = true;
    },
    run: async (sink) => {
      const reused = Buffer.alloc(chunkSize);
      for (let off = 0; off < archive.length && !aborted; off += chunkSize) {
        const n = archive.copy(reused, 0, off, Math.min(archive.length, off + chunkSize));
        const wait = sink(reused.subarray(0, n));
        reused.fill(0xee); // what a kept chunk would now hold
        if (wait) await wait;
      }
    }
  };
}

describe('readImageArchive from a pushed archive (chunks valid only during the call)', () => {
  it('reads legacy and OCI archives (plain and gzip blobs) exactly as from a stream', async () => {
    const l0 = await layerTar([
      { name: 'etc/conf', content: 'a=1\n'.repeat(3000) },
      { name: 'bin/tool', content: noise(40_000), mode: 0o755 }
    ]);
    const l1 = await layerTar([{ name: 'etc/.wh.conf' }, { name: 'srv/data', content: noise(20_000, 4) }]);
    for (const archive of [
      (await legacyArchive([l0, l1])).archive,
      (await ociArchive([l0, l1])).archive,
      (await ociArchive([l0, l1], { gzip: true })).archive
    ]) {
      const fromStream = recorder();
      const expected = await readImageArchive(streamOf(archive, 777), [fromStream.sub]);
      for (const chunk of [100, 777, 65536]) {
        const pushed = recorder();
        const got = await readImageArchive(pushedOf(archive, chunk), [pushed.sub]);
        expect(got.layerStats).toEqual(expected.layerStats);
        expect(got.configDigest).toBe(expected.configDigest);
        expect(pushed.entries).toEqual(fromStream.entries);
      }
    }
  });

  it('requires the end-of-archive marker: an export that stops between members is cut short', async () => {
    const l0 = await layerTar([{ name: 'a.txt', content: 'x' }]);
    const { archive } = await legacyArchive([l0]);
    // Every member is whole, only the two zero blocks at the end are missing.
    expect(archive.subarray(archive.length - 1024).every((b) => b === 0)).toBe(true);
    const cut = archive.subarray(0, archive.length - 1024);
    expect(cut.subarray(cut.length - 1024).some((b) => b !== 0)).toBe(true);
    const err = await readImageArchive(pushedOf(cut, 4096), [], { source: 'img' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(/img is not usable: the export ends before its end-of-archive marker/);
  });
});
