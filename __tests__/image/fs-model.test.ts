import { describe, expect, it } from '@jest/globals';
import { buildAnalysis } from '../../src/image/analyse.js';
import { FilesystemModel } from '../../src/image/fs-model.js';
import { readImageArchive } from '../../src/image/reader.js';
import { defaultConfig, type AuditConfig } from '../../src/config/types.js';
import { layerTar, legacyArchive, mib, noise, streamOf, type TestEntry } from './archive-helpers.js';

async function analyse(layers: TestEntry[][], opts: { base?: number; config?: AuditConfig; createdBy?: string[] } = {}) {
  const tars = await Promise.all(layers.map((l) => layerTar(l)));
  const { archive } = await legacyArchive(tars, { createdBy: opts.createdBy });
  const model = new FilesystemModel();
  const read = await readImageArchive(streamOf(archive, 64 * 1024), [model]);
  const analysis = buildAnalysis('test:latest', { RepoTags: ['test:latest'] }, read, model, opts.config ?? defaultConfig(), opts.base ?? 0);
  return { ...analysis, read, model };
}

describe('filesystem model: whiteouts, overwrites and waste', () => {
  it('counts an overwritten and a deleted file as waste, never the kept copy', async () => {
    const a = await analyse([
      [
        { name: 'data/', type: 'directory' },
        { name: 'data/big', content: noise(mib(2)) },
        { name: 'data/gone', content: noise(mib(1), 2) }
      ],
      [{ name: 'data/big', content: noise(512 * 1024, 3) }, { name: 'data/.wh.gone' }]
    ]);
    expect(a.image.wastedBytes).toBe(mib(3));
    expect(a.image.size).toBe(mib(3) + 512 * 1024);
    expect(a.image.efficiency).toBeCloseTo((512 * 1024) / (mib(3) + 512 * 1024), 12);
    expect(a.layers.map((l) => l.wastedBytes)).toEqual([mib(3), 0]);
    expect(a.wastedFiles).toEqual([
      { path: 'data/big', bytes: mib(2), addedInLayer: 0, hiddenInLayer: 1, how: 'overwritten' },
      { path: 'data/gone', bytes: mib(1), addedInLayer: 0, hiddenInLayer: 1, how: 'deleted' }
    ]);
    expect(a.files.lookup('data/big', 0)).toEqual({ visibleInFinal: false, hiddenInLayer: 1, how: 'overwritten' });
    expect(a.files.lookup('/data/big', 1)).toEqual({ visibleInFinal: true });
    expect(a.files.lookup('data/gone', 0)).toEqual({ visibleInFinal: false, hiddenInLayer: 1, how: 'deleted' });
    expect(a.files.lookup('data/never', 0)).toEqual({ visibleInFinal: false });
  });

  it('deletes a whole directory subtree with one whiteout and groups it as one wasted item', async () => {
    const a = await analyse([
      [
        { name: 'build/a', content: noise(3000) },
        { name: 'build/sub/b', content: noise(2000, 2) },
        { name: 'build/sub/deeper/c', content: noise(1000, 3) },
        { name: 'keep', content: 'k' }
      ],
      [{ name: '.wh.build' }]
    ]);
    expect(a.image.wastedBytes).toBe(6000);
    expect(a.wastedFiles).toEqual([{ path: 'build', bytes: 6000, addedInLayer: 0, hiddenInLayer: 1, how: 'deleted' }]);
    expect(a.files.lookup('build/sub/deeper/c', 0)).toEqual({ visibleInFinal: false, hiddenInLayer: 1, how: 'deleted' });
    expect(a.files.lookup('keep', 0)).toEqual({ visibleInFinal: true });
  });

  it('hides everything below an opaque directory from lower layers, but not the same layer’s new entries', async () => {
    const a = await analyse([
      [
        { name: 'd/old', content: noise(4000) },
        { name: 'd/x/y', content: noise(1000, 2) }
      ],
      [{ name: 'd/', type: 'directory' }, { name: 'd/.wh..wh..opq' }, { name: 'd/new', content: noise(100, 3) }]
    ]);
    expect(a.image.wastedBytes).toBe(5000);
    expect(a.wastedFiles).toEqual([{ path: 'd', bytes: 5000, addedInLayer: 0, hiddenInLayer: 1, how: 'opaque' }]);
    expect(a.files.lookup('d/new', 1)).toEqual({ visibleInFinal: true });
    expect(a.files.lookup('d/x/y', 0)).toEqual({ visibleInFinal: false, hiddenInLayer: 1, how: 'opaque' });
    expect(a.largestDirectories).toEqual([{ path: 'd', bytes: 100 }]);
  });

  it('keeps hard-linked data visible while any name of it is, and counts it once', async () => {
    const a = await analyse([
      [
        { name: 'h/a', content: noise(10_000) },
        { name: 'h/b', type: 'link', linkname: 'h/a' },
        { name: 'h/c', type: 'link', linkname: 'h/a' }
      ],
      [{ name: 'h/.wh.a' }, { name: 'h/.wh.b' }]
    ]);
    expect(a.read.layerStats[0].size).toBe(10_000);
    expect(a.image.wastedBytes).toBe(0);
    expect(a.image.efficiency).toBe(1);
    const b = await analyse([
      [
        { name: 'h/a', content: noise(10_000) },
        { name: 'h/b', type: 'link', linkname: 'h/a' }
      ],
      [{ name: 'h/.wh.a' }, { name: 'h/.wh.b' }]
    ]);
    expect(b.image.wastedBytes).toBe(10_000);
  });

  it('replaces a directory by a file (and back) with the lower copies hidden', async () => {
    const a = await analyse([
      [
        { name: 'p/q', content: noise(700) },
        { name: 'f', content: noise(300, 2) }
      ],
      [
        { name: 'p', content: 'now a file' },
        { name: 'f/inner', content: 'x' }
      ]
    ]);
    expect(a.image.wastedBytes).toBe(1000);
    expect(a.files.lookup('p/q', 0)).toEqual({ visibleInFinal: false, hiddenInLayer: 1, how: 'overwritten' });
    expect(a.files.lookup('f', 0)).toEqual({ visibleInFinal: false, hiddenInLayer: 1, how: 'overwritten' });
  });

  it('splits waste hidden inside the base from waste the user’s layers cause', async () => {
    const a = await analyse(
      [
        [
          { name: 'base1', content: noise(100) },
          { name: 'base2', content: noise(200, 2) }
        ],
        [{ name: '.wh.base1' }],
        [{ name: '.wh.base2' }, { name: 'tmp/t', content: noise(50, 3) }],
        [{ name: 'tmp/.wh.t' }]
      ],
      { base: 2 }
    );
    expect(a.image.baseLayers).toBe(2);
    expect(a.layers.map((l) => l.fromBase)).toEqual([true, true, false, false]);
    expect(a.image.baseWastedBytes).toBe(100);
    expect(a.image.userWastedBytes).toBe(250);
    expect(a.image.wastedBytes).toBe(350);
  });

  it('counts executables, installed dpkg packages of the visible status file, and residue per layer', async () => {
    const stanza = (p: string, status = 'install ok installed') => `Package: ${p}\nStatus: ${status}\nVersion: 1\n\n`;
    const a = await analyse(
      [
        [
          { name: 'var/lib/dpkg/status', content: stanza('a') },
          { name: 'bin/sh', content: 'x', mode: 0o755 }
        ],
        [
          { name: 'var/lib/dpkg/status', content: stanza('a') + stanza('b') + stanza('c', 'deinstall ok config-files') + stanza('d') },
          { name: 'var/lib/apt/lists/deb.debian.org_dists_bookworm_InRelease', content: noise(5000) },
          { name: 'var/lib/apt/lists/lock', content: '' },
          { name: 'usr/bin/tool', content: 'y', mode: 0o750 },
          { name: 'usr/bin/lib.so', content: 'z', mode: 0o644 }
        ]
      ],
      { createdBy: ['FROM scratch', 'RUN apt-get update && apt-get install -y a b d # buildkit'] }
    );
    expect(a.image.packages).toBe(3);
    expect(a.image.executables).toBe(2);
    expect(a.layers[1].residue).toEqual({ 'var/lib/apt/lists': 5000 });
    const f = a.findings.find((x) => x.rule === 'package-cache-in-image');
    expect(f).toMatchObject({ category: 'image', severity: 'warning', layer: 1, path: 'var/lib/apt/lists', bytes: 5000 });
    expect(f?.message).toContain('RUN apt-get update && apt-get install -y a b d');
    expect(f?.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it('honours config.rules: off and severity overrides', async () => {
    const layers: TestEntry[][] = [
      [
        { name: 'root/.cache/pip/http/x', content: noise(4096) },
        { name: 'usr/bin/make', content: 'm', mode: 0o755 }
      ]
    ];
    const on = await analyse(layers);
    expect(on.findings.map((f) => [f.rule, f.severity, f.path])).toEqual([
      ['package-cache-in-image', 'warning', 'root/.cache/pip'],
      ['toolchain-in-image', 'warning', 'usr/bin/make']
    ]);
    const config = defaultConfig();
    config.rules = { 'package-cache-in-image': 'off', 'toolchain-in-image': 'error' };
    const off = await analyse(layers, { config });
    expect(off.findings.map((f) => [f.rule, f.severity])).toEqual([['toolchain-in-image', 'error']]);
    expect(off.findings[0].fingerprint).toBe(on.findings[1].fingerprint);
  });

  it('emits wasted-space only above max(minBytes, minPercent of the image)', async () => {
    const layers: TestEntry[][] = [
      [
        { name: 'keep', content: noise(mib(1)) },
        { name: 'tmp', content: noise(300_000, 2) }
      ],
      [{ name: '.wh.tmp' }]
    ];
    const config = defaultConfig();
    config.waste = { minBytes: 100_000, minPercent: 5 };
    const hit = await analyse(layers, { config });
    const w = hit.findings.find((f) => f.rule === 'wasted-space');
    expect(w).toMatchObject({ bytes: 300_000, layer: 1, path: 'tmp' });
    config.waste = { minBytes: 100_000, minPercent: 30 }; // 30 % of 1.35 MB > 300 kB
    expect((await analyse(layers, { config })).findings.some((f) => f.rule === 'wasted-space')).toBe(false);
  });
});
