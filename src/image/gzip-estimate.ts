// Estimates the gzip -6 size of a byte stream without compressing all of it.
//
// The stream is cut into fixed units; every k-th unit is deflated at level 6 with the 32 KiB that precede it in
// the stream as a preset dictionary, which is exactly the history a continuous gzip would have had at that
// point, so the sampled unit compresses as it would inside the real stream. The sampled ratio is scaled to the
// whole stream. Units that are one byte value repeated (zero-filled, sparse files) are costed at gzip's ratio for
// long runs and kept out of the sampled ratio. Small streams are compressed whole (exact up to block boundaries).
import { deflateRaw, deflateRawSync } from 'node:zlib';

/** Deflate's history window: what a continuous compressor can refer back to. */
const WINDOW = 32 * 1024;
/**
 * Sampled unit. Measured on the bench image's layers against real `gzip -6`: 32 KiB units at 1/32 (at least 8 MiB
 * per layer) stay within ±2.5 % per layer for about two thirds of the CPU of 16 KiB units at 1/16: the preset
 * dictionary is half the work of a sample, so fewer, larger samples are cheaper for the same accuracy.
 */
export const UNIT = 32 * 1024;
/**
 * gzip -6 shrinks a long run of one byte value (zero-filled or sparse files) about 1030:1 (measured: 256 MiB of
 * zeros → 260,534 bytes). A sampled unit deflated alone pays block overhead that such runs cannot amortise
 * (it estimated +95 % on a 2 GiB sparse file), so run units are costed at the continuous-stream ratio instead.
 */
const RUN_RATIO = 1030.4;
/** Runs shorter than this are left to deflate (its own overhead is then small against the rest). */
const MIN_RUN = 2048;
/** Non-run units at the start of a stream that are always compressed (a cheap floor on the sample count). */
const HEAD_UNITS = 8;
/** gzip member header (10) + CRC32 and ISIZE trailer (8). */
const GZIP_FRAMING = 18;

/**
 * gzip -6 bytes of one sampled unit: long leading/trailing runs at the run ratio, the rest deflated with its
 * history. `deflate` is sync, or async on libuv's thread pool (then the result comes through `add`).
 */
function costOf(input: Buffer, history: Buffer | undefined, add: (bytes: number) => void, pool?: Pool): void {
  const n = input.length;
  if (n > 1 && input[0] === input[n - 1] && input.subarray(1).equals(input.subarray(0, -1))) return add(n / RUN_RATIO);
  let lead = 0;
  while (lead < n && input[lead] === input[0]) lead++;
  let trail = 0;
  while (trail < n - lead && input[n - 1 - trail] === input[n - 1]) trail++;
  const start = lead >= MIN_RUN ? lead : 0;
  const end = trail >= MIN_RUN ? n - trail : n;
  const body = start === 0 && end === n ? input : input.subarray(start, end);
  const dictionary = start > 0 ? input.subarray(Math.max(0, start - WINDOW), start) : history;
  const runs = (start + (n - end)) / RUN_RATIO;
  if (!pool) return add(runs + deflateRawSync(body, { level: 6, dictionary }).length);
  // The pool works on copies: the caller reuses its unit buffers.
  const copy = Buffer.from(body);
  const dict = dictionary ? Buffer.from(dictionary) : undefined;
  pool.inFlight++;
  deflateRaw(copy, { level: 6, dictionary: dict }, (err, out) => {
    pool.inFlight--;
    if (err) pool.error ??= err;
    else add(runs + out.length);
    pool.wake?.();
  });
}

interface Pool {
  inFlight: number;
  error?: Error;
  wake?: () => void;
}

export interface GzipEstimateOptions {
  /** Streams up to this many bytes are compressed whole. */
  exactBelow?: number;
  /** Fraction of the stream to compress for larger streams (at least `minSampledBytes`). */
  sampleFraction?: number;
  minSampledBytes?: number;
  /** Deflate samples on libuv's thread pool instead of the calling thread; `settle()` before `finish()`. */
  offThread?: boolean;
}

export const defaultGzipEstimate: Required<GzipEstimateOptions> = {
  exactBelow: 2 * 1024 * 1024,
  sampleFraction: 1 / 32,
  minSampledBytes: 8 * 1024 * 1024,
  offThread: false
};

export class GzipSizeEstimator {
  private readonly every: number;
  /**
   * Which unit of each `every` is sampled: the middle one. Unit 0 holds the layer's first tar headers, and
   * sampling it on every layer weighted their one-off cost by `every` (+3.5 % on a layer of zeros).
   */
  private readonly phase: number;
  private offset = 0;
  /** The unit being filled and the one before it (its history: UNIT equals deflate's window). */
  private cur = Buffer.allocUnsafe(UNIT);
  private prev = Buffer.allocUnsafe(UNIT);
  private fill = 0;
  private havePrev = false;
  /** Units that are one byte value repeated are costed exactly and kept out of the sampled ratio. */
  private runBytes = 0;
  private otherBytes = 0;
  private otherUnits = 0;
  /** gzip bytes of the first HEAD_UNITS non-run units, all compressed. */
  private headOut = 0;
  private restBytes = 0;
  private sampledIn = 0;
  private sampledOut = 0;
  private readonly pool?: Pool;

  /** `expectedBytes` (when known) picks the sampling rate; unknown → sample at the default fraction. */
  constructor(expectedBytes: number | undefined, opts: GzipEstimateOptions = {}) {
    const o = { ...defaultGzipEstimate, ...opts };
    if (expectedBytes !== undefined && expectedBytes <= o.exactBelow) {
      this.every = 1;
    } else {
      const total = expectedBytes ?? o.minSampledBytes / o.sampleFraction;
      const sampled = Math.max(o.minSampledBytes, total * o.sampleFraction);
      this.every = Math.max(1, Math.floor(total / sampled));
    }
    this.phase = this.every >> 1;
    if (o.offThread) this.pool = { inFlight: 0 };
  }

  /** Samples still being deflated on the thread pool (0 when sync). */
  get inFlight(): number {
    return this.pool?.inFlight ?? 0;
  }

  /** Resolves once at most `max` samples are in flight; with no argument the stream has ended: all done. */
  async settle(max = 0): Promise<void> {
    const pool = this.pool;
    if (!pool) return;
    if (max === 0 && this.fill > 0) this.endUnit();
    while (pool.inFlight > max) await new Promise<void>((resolve) => (pool.wake = resolve));
    pool.wake = undefined;
    if (pool.error) throw pool.error;
  }

  update(chunk: Buffer): void {
    let pos = 0;
    while (pos < chunk.length) {
      const take = Math.min(UNIT - this.fill, chunk.length - pos);
      chunk.copy(this.cur, this.fill, pos, pos + take);
      this.fill += take;
      pos += take;
      this.offset += take;
      if (this.fill === UNIT) this.endUnit();
    }
  }

  private endUnit(): void {
    const unit = this.fill === UNIT ? this.cur : this.cur.subarray(0, this.fill);
    const n = unit.length;
    if (n > 1 && unit[0] === unit[n - 1] && unit.subarray(1).equals(unit.subarray(0, -1))) {
      this.runBytes += n;
    } else {
      // Runs are excluded from the ratio, so a small incompressible region among zeros is sampled as itself.
      // The first non-run units are all compressed (a layer of zeros has just its headers there); the rest
      // are sampled systematically and scaled by their own ratio.
      const history = this.havePrev ? this.prev : undefined;
      if (this.otherUnits < HEAD_UNITS) {
        costOf(unit, history, (b) => (this.headOut += b), this.pool);
      } else {
        if ((this.otherUnits - HEAD_UNITS) % this.every === this.phase) {
          this.sampledIn += n;
          costOf(unit, history, (b) => (this.sampledOut += b), this.pool);
        }
        this.restBytes += n;
      }
      this.otherUnits++;
      this.otherBytes += n;
    }
    const done = this.cur;
    this.cur = this.prev;
    this.prev = done;
    this.havePrev = true;
    this.fill = 0;
  }

  /** Bytes seen so far. */
  get bytes(): number {
    return this.offset;
  }

  /** Estimated size of `gzip -6` of everything passed to update(). */
  finish(): number {
    if (this.fill > 0) this.endUnit();
    if (this.inFlight > 0) throw new Error('GzipSizeEstimator.finish() before settle()');
    if (this.offset === 0) return 20; // gzip of empty input
    const headBytes = this.otherBytes - this.restBytes;
    const ratio = this.sampledIn > 0 ? this.sampledOut / this.sampledIn : headBytes > 0 ? this.headOut / headBytes : 1;
    return Math.round(this.runBytes / RUN_RATIO + this.headOut + this.restBytes * ratio) + GZIP_FRAMING;
  }
}
