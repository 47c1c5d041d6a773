// Estimates the gzip -6 size of a byte stream without compressing all of it.
//
// The stream is cut into fixed units. Every k-th unit is sampled: deflated at level 1, cheaply (about a third of
// level 6's CPU), and every CALIBRATE-th sample also at level 6 with the 32 KiB that precede it in the stream as
// a preset dictionary, which is exactly the history a continuous gzip would have had at that point. The stream's
// level-1 ratio, corrected by the level-6/level-1 ratio of the calibrated samples, is scaled to the whole
// stream: the two levels' sizes track each other far more closely than either tracks the content, so a few
// level-6 samples correct many level-1 ones. Units that are one byte value repeated (zero-filled, sparse files)
// are costed at gzip's ratio for long runs and kept out of the sampled ratio. Small streams are compressed
// whole at level 6 (exact up to block boundaries).
import { Worker } from 'node:worker_threads';
import { deflateRawSync } from 'node:zlib';

/** Deflate's history window: what a continuous compressor can refer back to. */
const WINDOW = 32 * 1024;
/**
 * Sampled unit. Measured on the bench image's layers against real `gzip -6`: 32 KiB units at 1/32 (at least 8 MiB
 * per layer) stay within ±2.5 % per layer for about two thirds of the CPU of 16 KiB units at 1/16: the preset
 * dictionary is half the work of a level-6 sample, so fewer, larger samples are cheaper for the same accuracy.
 */
export const UNIT = 32 * 1024;
/**
 * One sample in this many is also deflated at level 6. Measured on the bench image's four large layers: 1 in 4
 * gives −1.8…+0.1 % per layer for 55 % of the CPU of sampling at level 6 alone (−2.0…+2.9 %); 1 in 8 let one
 * layer drift to −3.7 %.
 */
const CALIBRATE = 2;
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

/** A sampled unit, split as deflate sees it: runs costed at RUN_RATIO, the body, and its history. */
function splitUnit(input: Buffer, history: Buffer | undefined): { runs: number; body?: Buffer; dictionary?: Buffer } {
  const n = input.length;
  if (n > 1 && input[0] === input[n - 1] && input.subarray(1).equals(input.subarray(0, -1))) return { runs: n / RUN_RATIO };
  let lead = 0;
  while (lead < n && input[lead] === input[0]) lead++;
  let trail = 0;
  while (trail < n - lead && input[n - 1 - trail] === input[n - 1]) trail++;
  const start = lead >= MIN_RUN ? lead : 0;
  const end = trail >= MIN_RUN ? n - trail : n;
  const body = start === 0 && end === n ? input : input.subarray(start, end);
  const dictionary = start > 0 ? input.subarray(Math.max(0, start - WINDOW), start) : history;
  return { runs: (start + (n - end)) / RUN_RATIO, body, dictionary };
}

/** What a unit is deflated for: the level-6 size (head, small streams), a level-1 sample, or a calibrated sample. */
const enum Job {
  Level6,
  Level1,
  Both
}

interface Deflated {
  /** gzip -6 bytes (with the history), for Level6 and Both. */
  level6: number;
  /** Level-1 bytes (no history), for Level1 and Both. */
  level1: number;
}

function deflateJob(job: Job, body: Buffer, dictionary: Buffer | undefined): Deflated {
  return {
    level6: job === Job.Level1 ? 0 : deflateRawSync(body, { level: 6, dictionary }).length,
    level1: job === Job.Level6 ? 0 : deflateRawSync(body, { level: 1 }).length
  };
}

// The deflate thread: a sample is deflated there while the main thread parses the next bytes of the archive
// (during `docker save`'s streaming phase the engine has done its work and the second core is free). Samples
// travel through a fixed set of slots in shared memory, so at most SLOTS of them are in flight and none is
// copied into a message. Eval'd CommonJS, so the bundles need no separate worker file.
const SLOT_BYTES = 2 * UNIT;
const SLOTS = 64;
//
// Each deflateRawSync leaves ~50 KB of output buffers that only a GC frees, and a thread whose heap holds almost
// nothing is seldom collected: 1,500 samples grew the process by 45 MB. A young-generation collection every 16
// samples (about 0.1 ms each) keeps it flat. V8 hands out its gc() only to contexts made after --expose-gc.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { deflateRawSync } = require('node:zlib');
require('node:v8').setFlagsFromString('--expose-gc');
const collect = require('node:vm').runInNewContext('gc');
const shared = Buffer.from(workerData.shared);
let count = 0;
parentPort.on('message', (m) => {
  const at = m.slot * workerData.slotBytes;
  const body = shared.subarray(at, at + m.bodyLength);
  const dictionary = m.dictLength > 0 ? shared.subarray(at + m.bodyLength, at + m.bodyLength + m.dictLength) : undefined;
  const level6 = m.job === ${Job.Level1} ? 0 : deflateRawSync(body, { level: 6, dictionary }).length;
  const level1 = m.job === ${Job.Level6} ? 0 : deflateRawSync(body, { level: 1 }).length;
  parentPort.postMessage({ slot: m.slot, level6, level1 });
  if (++count % 16 === 0) collect({ type: 'minor' });
});
`;

/** One deflate thread for the process, referenced only while samples are in flight (it never holds exit). */
class DeflateThread {
  private worker?: Worker;
  private broken = false;
  private readonly shared = new SharedArrayBuffer(SLOT_BYTES * SLOTS);
  private readonly view = Buffer.from(this.shared);
  private readonly free: number[] = Array.from({ length: SLOTS }, (_, i) => SLOTS - 1 - i);
  private readonly pending = new Map<number, { job: Job; bodyLength: number; dictLength: number; done: (out: Deflated) => void }>();
  private readonly waiters: (() => void)[] = [];

  get inFlight(): number {
    return this.pending.size;
  }

  /** Deflates body (with its history) off the main thread; `done` gets the sizes. Sync when all slots are busy. */
  deflate(kind: Job, body: Buffer, dictionary: Buffer | undefined, done: (out: Deflated) => void): void {
    const worker = this.ensure();
    const slot = worker ? this.free.pop() : undefined;
    if (!worker || slot === undefined) return done(deflateJob(kind, body, dictionary));
    // One copy into the slot: the caller reuses its unit buffers. Level 1 alone needs no history.
    const at = slot * SLOT_BYTES;
    body.copy(this.view, at);
    const dictLength = kind === Job.Level1 || !dictionary ? 0 : dictionary.copy(this.view, at + body.length);
    const job = { job: kind, bodyLength: body.length, dictLength, done };
    this.pending.set(slot, job);
    if (this.pending.size === 1) worker.ref();
    worker.postMessage({ slot, job: kind, bodyLength: job.bodyLength, dictLength });
  }

  private finish(slot: number, out: Deflated): void {
    const job = this.pending.get(slot);
    if (!job) return;
    this.pending.delete(slot);
    this.free.push(slot);
    job.done(out);
  }

  private ensure(): Worker | undefined {
    if (this.worker || this.broken) return this.worker;
    try {
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { shared: this.shared, slotBytes: SLOT_BYTES },
        // It holds no data of its own: a small heap keeps the process within its memory budget.
        resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 32 }
      });
      worker.unref();
      worker.on('message', (m: { slot: number; level6: number; level1: number }) => {
        this.finish(m.slot, { level6: m.level6, level1: m.level1 });
        if (this.pending.size === 0) worker.unref();
        this.wake();
      });
      // A thread that fails (it should not) is replaced by deflating on the main thread, results unchanged.
      const fail = () => this.fail(worker);
      worker.on('error', fail);
      worker.on('exit', fail);
      this.worker = worker;
    } catch {
      this.broken = true;
    }
    return this.worker;
  }

  private fail(worker: Worker): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.broken = true;
    for (const [slot, job] of [...this.pending]) {
      const at = slot * SLOT_BYTES;
      const body = this.view.subarray(at, at + job.bodyLength);
      const dictionary = job.dictLength > 0 ? this.view.subarray(at + job.bodyLength, at + job.bodyLength + job.dictLength) : undefined;
      this.finish(slot, deflateJob(job.job, body, dictionary));
    }
    this.wake();
  }

  private wake(): void {
    for (const resolve of this.waiters.splice(0)) resolve();
  }

  /** Resolves once at most `max` samples (of anyone's) are in flight. */
  async drain(max: number): Promise<void> {
    while (this.pending.size > max) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }
}

let deflateThread: DeflateThread | undefined;

export interface GzipEstimateOptions {
  /** Streams up to this many bytes are compressed whole. */
  exactBelow?: number;
  /** Fraction of the stream to compress for larger streams (at least `minSampledBytes`). */
  sampleFraction?: number;
  minSampledBytes?: number;
  /** Deflate samples on the process's deflate thread instead of the calling one; `settle()` before `finish()`. */
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
  /** Samples' output: runs costed and level-6 bodies (small streams), level-1 bodies (to be corrected). */
  private sampledOut = 0;
  private sampledLevel1 = 0;
  private samples = 0;
  /** Level-1 and level-6 bytes of the calibrated samples' bodies. */
  private calibrated1 = 0;
  private calibrated6 = 0;
  private readonly thread?: DeflateThread;
  /** This estimator's samples still on the deflate thread. */
  private mine = 0;

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
    if (o.offThread) this.thread = deflateThread ??= new DeflateThread();
  }

  /** Samples of this stream still being deflated on the deflate thread (0 when sync). */
  get inFlight(): number {
    return this.mine;
  }

  /** Resolves once at most `max` samples are in flight; with no argument the stream has ended: all done. */
  async settle(max = 0): Promise<void> {
    if (!this.thread) return;
    if (max === 0 && this.fill > 0) this.endUnit();
    while (this.mine > max) await this.thread.drain(this.thread.inFlight - 1);
  }

  /** Deflates one unit's body for `job`; `add` gets its runs' cost and the sizes, now or when the thread answers. */
  private cost(job: Job, unit: Buffer, history: Buffer | undefined, add: (runs: number, out: Deflated) => void): void {
    const { runs, body, dictionary } = splitUnit(unit, history);
    if (!body) return add(runs, { level6: 0, level1: 0 });
    if (!this.thread) return add(runs, deflateJob(job, body, dictionary));
    this.mine++;
    this.thread.deflate(job, body, dictionary, (out) => {
      this.mine--;
      add(runs, out);
    });
  }

  private addSample = (runs: number, out: Deflated): void => {
    this.sampledOut += runs;
    if (out.level1 === 0) {
      this.sampledOut += out.level6;
      return;
    }
    this.sampledLevel1 += out.level1;
    if (out.level6 > 0) {
      this.calibrated1 += out.level1;
      this.calibrated6 += out.level6;
    }
  };

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
        this.cost(Job.Level6, unit, history, (runs, out) => (this.headOut += runs + out.level6));
      } else {
        if ((this.otherUnits - HEAD_UNITS) % this.every === this.phase) {
          this.sampledIn += n;
          // Small streams (every unit sampled) stay exact at level 6; the first sample is always calibrated.
          const job = this.every === 1 ? Job.Level6 : this.samples++ % CALIBRATE === 0 ? Job.Both : Job.Level1;
          this.cost(job, unit, history, this.addSample);
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
    const corrected = this.sampledLevel1 > 0 ? this.sampledLevel1 * (this.calibrated6 / this.calibrated1) : 0;
    const ratio = this.sampledIn > 0 ? (this.sampledOut + corrected) / this.sampledIn : headBytes > 0 ? this.headOut / headBytes : 1;
    return Math.round(this.runBytes / RUN_RATIO + this.headOut + this.restBytes * ratio) + GZIP_FRAMING;
  }
}
