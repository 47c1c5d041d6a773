// Where the bytes are, on synthetic archives whose every byte is known: the size tree follows a dominant
// chain down to the entry that matters, the largest files carry their layer, each layer lists what it added,
// and the user's wasted files rank apart from the base image's.
import { describe, expect, it } from '@jest/globals';
import { buildAnalysis } from '../../src/image/analyse.js';
import { FilesystemModel } from '../../src/image/fs-model.js';
import { readImageArchive } from '../../src/image/reader.js';
import { defaultConfig } from '../../src/config/types.js';
import { layerTar, legacyArchive, mib, noise, streamOf, type TestEntry } from './archive-helpers.js';

async function analyse(layers: TestEntry[][], base = 0) {
  const tars = await Promise.all(layers.map((l) => layerTar(l)));
  const { archive } = await legacyArchive(tars);
  const model = new FilesystemModel();
  const read = await readImageArchive(streamOf(archive, 64 * 1024), [model]);
  return { ...buildAnalysis('t:1', {}, read, model, defaultConfig(), base), model };
}

describe('size tree', () => {
  it('expands large directories and follows a dominant child down to typescript', async () => {
    const a = await analyse([
      [
        { name: 'usr/lib/libbig.so', content: noise(mib(6)) },
        { name: 'usr/share/doc/a', content: noise(mib(1), 2) }
      ],
      [
        { name: 'app/node_modules/typescript/lib/typescript.js', content: noise(mib(2), 3) },
        { name: 'app/node_modules/typescript/lib/tsc.js', content: noise(mib(1), 4) },
        { name: 'app/node_modules/ms/index.js', content: noise(3000, 5) },
        { name: 'app/index.js', content: 'x' }
      ]
    ]);
    const tree = a.space.sizeTree.map((n) => [n.depth, n.path, n.bytes]);
    // /app holds 30 % of 10 MiB: expanded; node_modules and typescript dominate their parents: followed.
    expect(tree).toEqual([
      [0, 'usr', mib(7)],
      [1, 'usr/lib', mib(6)],
      [2, 'usr/lib/libbig.so', mib(6)],
      [1, 'usr/share', mib(1)],
      [2, 'usr/share/doc', mib(1)],
      [3, 'usr/share/doc/a', mib(1)],
      [0, 'app', mib(3) + 3001],
      [1, 'app/node_modules', mib(3) + 3000],
      [2, 'app/node_modules/typescript', mib(3)],
      [3, 'app/node_modules/typescript/lib', mib(3)],
      [4, 'app/node_modules/typescript/lib/typescript.js', mib(2)],
      [4, 'app/node_modules/typescript/lib/tsc.js', mib(1)]
    ]);
    expect(a.space.sizeTree.find((n) => n.path === 'app/node_modules/typescript')).toMatchObject({ dir: true, files: 2 });
  });

  it('is bounded: top-k children per level and a line budget', async () => {
    const many: TestEntry[] = Array.from({ length: 30 }, (_, i) => ({ name: `d${i}/f`, content: noise(200_000 + i * 1000, i + 1) }));
    const a = await analyse([many]);
    expect(a.space.sizeTree.filter((n) => n.depth === 0)).toHaveLength(5);
    expect(a.space.sizeTree[0].path).toBe('d29');
    const model = a.model;
    expect(model.sizeTree({ maxLines: 3 })).toHaveLength(3);
  });
});

describe('largest files and files per layer', () => {
  it('ranks visible files with the layer that added them; per layer, what it added', async () => {
    const a = await analyse([
      [
        { name: 'a', content: noise(300) },
        { name: 'b', content: noise(100, 2) }
      ],
      [
        { name: 'c', content: noise(200, 3) },
        { name: 'a', content: noise(50, 4) }
      ]
    ]);
    expect(a.space.largestFiles).toEqual([
      { path: 'c', bytes: 200, layer: 1 },
      { path: 'b', bytes: 100, layer: 0 },
      { path: 'a', bytes: 50, layer: 1 }
    ]);
    expect(a.space.layerFiles).toEqual([
      { layer: 0, files: [{ path: 'b', bytes: 100 }], count: 1, bytes: 100 },
      {
        layer: 1,
        files: [
          { path: 'c', bytes: 200 },
          { path: 'a', bytes: 50 }
        ],
        count: 2,
        bytes: 250
      }
    ]);
  });
});

describe('wasted files: yours first, the base image’s apart', () => {
  it('a large base waste never pushes your deleted file out of the list', async () => {
    const baseWaste: TestEntry[] = Array.from({ length: 25 }, (_, i) => ({ name: `var/cache/debconf/t${i}`, content: noise(50_000 + i, i + 1) }));
    const a = await analyse(
      [
        baseWaste,
        baseWaste.map((e) => ({ name: e.name, content: noise(10, 99) })), // base layer 1 rewrites its own files (25 items)
        // your apt-get rewrites a base file: the 10-byte copy is the base's waste (item 26), not yours
        [
          { name: 'root/.npmrc', content: 'registry=x\n' },
          { name: 'var/cache/debconf/t0', content: 'mine' }
        ],
        [{ name: 'root/.wh..npmrc' }]
      ],
      2
    );
    const yours = a.wastedFiles.filter((w) => !w.fromBase);
    expect(yours.map((w) => w.path)).toEqual(['root/.npmrc']);
    expect(a.wastedFiles[0].path).toBe('root/.npmrc');
    expect(a.wastedFiles.filter((w) => w.fromBase)).toHaveLength(20);
    expect(a.space.baseWaste).toEqual({ files: 26, bytes: baseWaste.reduce((n, e) => n + (e.content as Buffer).length, 0) + 10 });
    expect(a.space.userWaste).toEqual({ files: 1, bytes: 'registry=x\n'.length });
  });
});
