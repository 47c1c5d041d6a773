// The compressed-size estimate against zlib's real gzip at level 6 on the inputs that fool sampling: zero-filled
// and sparse files (gzip shrinks runs ~1000:1, so any per-sample overhead dominates) and runs next to random data.
import { describe, expect, it } from '@jest/globals';
import { gzipSync } from 'node:zlib';
import { GzipSizeEstimator } from '../../src/image/gzip-estimate.js';
import { noise } from './archive-helpers.js';

const MiB = 1024 * 1024;

function estimate(input: Buffer, chunk = 65536): number {
  const e = new GzipSizeEstimator(input.length);
  for (let o = 0; o < input.length; o += chunk) e.update(input.subarray(o, o + chunk));
  return e.finish();
}

/** A 512-byte tar-like header in front of `body`, as every file in a layer tar has. */
const withHeader = (body: Buffer) => Buffer.concat([Buffer.from('zeros.bin'.padEnd(512, '\0')), body]);

describe('GzipSizeEstimator', () => {
  it.each([
    ['64 MiB of zeros', () => withHeader(Buffer.alloc(64 * MiB))],
    ['a sparse file: 48 MiB of zeros after 1 MiB of data', () => withHeader(Buffer.concat([noise(MiB, 3), Buffer.alloc(48 * MiB)]))],
    ['runs of 0xff', () => withHeader(Buffer.alloc(40 * MiB, 0xff))],
    ['zeros and random halves', () => withHeader(Buffer.concat([Buffer.alloc(16 * MiB), noise(16 * MiB, 5)]))]
  ])('%s: within ±3 %% of gzip -6', (_name, make) => {
    const input = make();
    const real = gzipSync(input, { level: 6 }).length;
    const est = estimate(input);
    expect(Math.abs(est - real) / real).toBeLessThanOrEqual(0.03);
  });

  it('does not depend on how the stream is chunked', () => {
    const input = withHeader(Buffer.concat([noise(3 * MiB, 9), Buffer.alloc(20 * MiB)]));
    expect(estimate(input, 1000)).toBe(estimate(input, 65536));
  });
});

describe('GzipSizeEstimator on the deflate thread', () => {
  it('gives the same estimate as the synchronous path', async () => {
    const input = withHeader(Buffer.concat([noise(6 * MiB, 2), Buffer.alloc(4 * MiB), Buffer.from('abc\n'.repeat(2 * MiB))]));
    const pooled = new GzipSizeEstimator(input.length, { offThread: true });
    for (let o = 0; o < input.length; o += 65536) pooled.update(input.subarray(o, o + 65536));
    await pooled.settle();
    expect(pooled.finish()).toBe(estimate(input));
  });

  it('keeps several streams apart when their samples share the thread', async () => {
    const a = withHeader(Buffer.concat([noise(5 * MiB, 7), Buffer.from('xyz\n'.repeat(MiB))]));
    const b = withHeader(Buffer.concat([Buffer.from('0123456789\n'.repeat(MiB)), noise(3 * MiB, 8)]));
    const ea = new GzipSizeEstimator(a.length, { offThread: true });
    const eb = new GzipSizeEstimator(b.length, { offThread: true });
    for (let o = 0; o < Math.max(a.length, b.length); o += 65536) {
      if (o < a.length) ea.update(a.subarray(o, o + 65536));
      if (o < b.length) eb.update(b.subarray(o, o + 65536));
      if (ea.inFlight > 8) await ea.settle(4);
    }
    await Promise.all([ea.settle(), eb.settle()]);
    expect([ea.inFlight, eb.inFlight]).toEqual([0, 0]);
    expect([ea.finish(), eb.finish()]).toEqual([estimate(a), estimate(b)]);
  });
});
