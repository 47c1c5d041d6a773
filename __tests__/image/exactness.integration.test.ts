// The odd cases, on real images: names that are not UTF-8, zero-filled and sparse files, an image with no
// layers. Expected numbers are known by construction (the Dockerfiles write exact sizes) or measured here
// independently (real `gzip -6` of each layer tar that `docker save` exports).
import { beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analyseImage } from '../../src/image/analyse.js';
import { readImageArchive, streamDockerSave } from '../../src/image/reader.js';
import { displayName, displayRawNamesDeep } from '../../src/image/layer-tar.js';
import { defaultConfig } from '../../src/config/types.js';
import { nodeRuntime } from '../../src/util/node-runtime.js';
import { UserError } from '../../src/util/errors.js';
import { buildFixture, fixture, inspect, repoRoot, requireEngine } from '../helpers/engine.js';

requireEngine();

const runtime = nodeRuntime();
const MiB = 1024 * 1024;
const tag = (name: string) => `ia-test-exact-${name}`;

describe('names are their bytes', () => {
  beforeAll(() => {
    buildFixture(fixture('image', 'raw-names'), tag('raw-names'));
  });

  it('two names that differ only in invalid bytes stay two files: only the deleted one is wasted', async () => {
    const a = await analyseImage({ ref: tag('raw-names'), runtime, config: defaultConfig(), baseLayerCount: 1 });
    // x\377 (2 MiB) stays, x\376 (3 MiB) is deleted: 3 MiB wasted, not 5 MiB.
    expect(a.image.wastedBytes).toBe(3 * MiB);
    expect(a.image.size).toBe(inspect(tag('raw-names')).Size);
    const shown = displayRawNamesDeep(a.wastedFiles);
    expect(shown.map((w) => [w.path, w.bytes, w.how])).toEqual([['d/x\\xfe', 3 * MiB, 'deleted']]);
    expect(a.files.lookup('d/x\udcff', 1).visibleInFinal).toBe(true);
    expect(a.files.lookup('d/x\udcfe', 1)).toMatchObject({ visibleInFinal: false, how: 'deleted' });
  });

  it('the report and the CLI show the names escaped', () => {
    const res = spawnSync(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), 'audit', '--image', tag('raw-names'), '--format', 'json'], {
      encoding: 'utf8',
      maxBuffer: 64 * MiB
    });
    const report = JSON.parse(res.stdout);
    expect(report.wastedFiles.map((w: { path: string }) => w.path)).toEqual(['d/x\\xfe']);
    expect(res.stdout).not.toMatch(/\\udc[89a-f][0-9a-f]/i);
    expect(displayName(report.wastedFiles[0].path)).toBe('d/x\\xfe');
  });
});

describe('compressed-size estimate on zero-filled and sparse files', () => {
  beforeAll(() => {
    buildFixture(fixture('image', 'zeros'), tag('zeros'));
  });

  it('is within ±3 % of real gzip -6 on every layer', async () => {
    const ref = tag('zeros');
    const archive = await readImageArchive(streamDockerSave(ref), [], { verifyDigests: true });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ia-zeros-'));
    try {
      execFileSync('sh', ['-c', 'docker save "$1" | tar -x -C "$2"', 'sh', ref, dir]);
      for (const layer of archive.layerStats) {
        const real = Number(execFileSync('sh', ['-c', 'gzip -6 -c "$1" | wc -c', 'sh', path.join(dir, layer.layerKey)], { encoding: 'utf8' }).trim());
        const error = (layer.compressedSize - real) / real;
        expect({ layer: layer.index, error: Math.abs(error) <= 0.03 }).toEqual({ layer: layer.index, error: true });
      }
      // The sparse file really is 256 MiB of zeros in the exported layer.
      expect(archive.layerStats.some((l) => l.size === 256 * MiB)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('an image with no layers', () => {
  beforeAll(() => {
    buildFixture(fixture('image', 'empty'), tag('empty'));
  });

  it('gives a clear message, not "empty export" or "check that the engine is running"', async () => {
    const err = await analyseImage({ ref: tag('empty'), runtime, config: defaultConfig() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(String((err as Error).message)).toMatch(/has no filesystem layers.*FROM scratch/);
    expect(`${(err as Error).message} ${(err as UserError).hint ?? ''}`).not.toMatch(/empty export|engine is running/);
  });
});
