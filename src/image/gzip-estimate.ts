// Estimates the gzip -6 size of a byte stream without compressing all of it.
//
// The stream is cut into fixed units; every k-th unit is deflated at level 6 with the 32 KiB that precede it in
// the stream as a preset dictionary, which is exactly the history a continuous gzip would have had at that
// point, so the sampled unit compresses as it would inside the real stream. The sampled ratio is scaled to the
// whole stream. Small streams are compressed whole (exact up to deflate block boundaries).
import { deflateRawSync } from 'node:zlib';

/** Deflate's history window: what a continuous compressor can refer back to. */
const WINDOW = 32 * 1024;
/** Sampled unit: small units mean many samples (low variance); their deflate block overhead stays ~1 %. */
export const UNIT = 16 * 1024;
/** gzip member header (10) + CRC32 and ISIZE trailer (8). */
const GZIP_FRAMING = 18;

export interface GzipEstimateOptions {
  /** Streams up to this many bytes are compressed whole. */
  exactBelow?: number;
  /** Fraction of the stream to compress for larger streams (at least `minSampledBytes`). */
  sampleFraction?: number;
  minSampledBytes?: number;
}

export const defaultGzipEstimate: Required<GzipEstimateOptions> = {
  exactBelow: 2 * 1024 * 1024,
  sampleFraction: 1 / 16,
  minSampledBytes: 4 * 1024 * 1024
};

export class GzipSizeEstimator {
  private readonly every: number;
  private offset = 0;
  private sampledIn = 0;
  private sampledOut = 0;
  /** Pieces of the unit being collected (only for sampled units). */
  private unitParts: Buffer[] = [];
  private unitLength = 0;
  /** Last WINDOW bytes before the current sampled unit. */
  private dictParts: Buffer[] = [];
  private dictLength = 0;
  /** History of the sampled unit being collected. */
  private unitDict: Buffer | undefined;

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
  }

  update(chunk: Buffer): void {
    let pos = 0;
    while (pos < chunk.length) {
      const unit = Math.floor(this.offset / UNIT);
      const unitEnd = (unit + 1) * UNIT;
      const take = Math.min(chunk.length - pos, unitEnd - this.offset);
      const piece = chunk.subarray(pos, pos + take);
      if (unit % this.every === 0) {
        if (this.unitLength === 0) {
          // The bytes gathered so far are this unit's history.
          this.unitDict = this.dictLength > 0 ? Buffer.concat(this.dictParts).subarray(-WINDOW) : undefined;
          this.dictParts = [];
          this.dictLength = 0;
        }
        // Copy: the caller's chunk may be a view into a larger buffer we must not retain.
        this.unitParts.push(Buffer.from(piece));
        this.unitLength += take;
      }
      const nextSampledStart = (Math.floor(unit / this.every) + 1) * this.every * UNIT;
      const from = Math.max(0, nextSampledStart - WINDOW - this.offset);
      if (from < take) {
        this.dictParts.push(Buffer.from(piece.subarray(from)));
        this.dictLength += take - from;
        if (this.dictLength > 4 * WINDOW) {
          this.dictParts = [Buffer.concat(this.dictParts).subarray(-WINDOW)];
          this.dictLength = WINDOW;
        }
      }
      pos += take;
      this.offset += take;
      if (unit % this.every === 0 && this.offset === unitEnd) this.flushUnit();
    }
  }

  private flushUnit(): void {
    if (this.unitLength === 0) return;
    const input = this.unitParts.length === 1 ? this.unitParts[0] : Buffer.concat(this.unitParts, this.unitLength);
    const out = deflateRawSync(input, { level: 6, dictionary: this.unitDict });
    this.sampledIn += this.unitLength;
    this.sampledOut += out.length;
    this.unitParts = [];
    this.unitLength = 0;
    this.unitDict = undefined;
  }

  /** Bytes seen so far. */
  get bytes(): number {
    return this.offset;
  }

  /** Estimated size of `gzip -6` of everything passed to update(). */
  finish(): number {
    this.flushUnit();
    if (this.offset === 0) return 20; // gzip of empty input
    if (this.sampledIn === 0) return Math.round(this.offset) + GZIP_FRAMING;
    return Math.round((this.sampledOut * this.offset) / this.sampledIn) + GZIP_FRAMING;
  }
}
