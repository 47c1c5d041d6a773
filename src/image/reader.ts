// Streams a `docker save` archive once: the outer tar and each layer tar inside it are parsed by synchronous push
// parsers (layer-tar.ts), each chunk going straight from the socket through both, so neither the archive nor a
// layer ever touches the disk or sits whole in memory. Handles the legacy layout (`<v1id>/layer.tar`, `<config>.json`, `manifest.json`)
// and the OCI layout (`blobs/sha256/…`, `index.json`, optionally gzip-compressed layer blobs).
import { spawn } from 'node:child_process';
import { createHash, type Hash } from 'node:crypto';
import { posix } from 'node:path';
import { createGunzip, type Gunzip } from 'node:zlib';
import { imageNotFound } from '../docker/engine.js';
import { ExportCutShort, localEngineSocket, pushChunk, requestImageExport, type ChunkSink } from '../docker/engine-socket.js';
import { UserError, isUserError } from '../util/errors.js';
import { GzipSizeEstimator, type GzipEstimateOptions } from './gzip-estimate.js';
import { LayerTarParser, TarFormatError, TarPushParser, decodeRawName, normalisePath, type TarMember } from './layer-tar.js';
import type { ImageLayout, LayerStats, LayerSubscriber } from './types.js';

export interface ImageArchive {
  layout: ImageLayout;
  /** The image config (`RootFS`, `history`, `config`…), parsed. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  config: any;
  /** The archive's manifest entry for the image (`Config`, `RepoTags`, `Layers`), or the OCI manifest. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  manifest: any;
  /** `sha256:…` digest of the config = the image id. */
  configDigest: string;
  /** One per RootFS layer, stack order (bottom first). */
  layerStats: LayerStats[];
}

export interface ReadOptions {
  gzipEstimate?: GzipEstimateOptions;
  /** Name shown in error messages (e.g. the image ref). */
  source?: string;
  /**
   * Hash every layer and check it against the config's diff ids (default true). The engine's own `docker save`
   * is trusted to put each layer where its manifest says, so that path skips the hashing (about 0.3 CPU-s/GB).
   */
  verifyDigests?: boolean;
  /** Called with each chunk's length as it is read (progress). */
  onBytes?: (bytes: number) => void;
}

/** JSON-ish archive members (configs, manifests) are buffered; anything bigger is not what we expect. */
const MAX_JSON_BYTES = 32 * 1024 * 1024;
const LEGACY_LAYER = /^[^/]+\/layer\.tar$/;
const OCI_BLOB = /^blobs\/[^/]+\/[0-9a-f]+$/;

/**
 * Reads an image archive from `stream`, feeding every layer entry to `subscribers` as it streams.
 * Rejects with a UserError when the stream is not a complete image archive.
 */
export async function readImageArchive(
  input: NodeJS.ReadableStream | PushedArchive,
  subscribers: LayerSubscriber[],
  opts: ReadOptions = {}
): Promise<ImageArchive> {
  const state: ArchiveState = { layers: new Map(), aliases: new Map(), json: new Map(), estimates: [] };
  const archive = new ArchiveParser(state, subscribers, opts);
  // Every byte goes through synchronous parsers: no stream, iterator or promise per member or chunk, except
  // the gunzip of a compressed blob (and its backpressure). Nothing keeps a chunk past the call.
  const take = (chunk: Buffer): Promise<void> | undefined => {
    archive.write(chunk);
    opts.onBytes?.(chunk.length);
    return archive.backpressure();
  };
  try {
    if (isPushedArchive(input)) {
      await input.run(take);
      archive.end();
      // The engine's export ends when the connection closes: only its end-of-archive marker shows it is whole.
      if (!archive.ended) throw corrupt('the export ends before its end-of-archive marker (cut short)', opts.source);
    } else {
      for await (const chunk of input as AsyncIterable<Buffer | string>) {
        const wait = take(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
        if (wait) await wait;
      }
      archive.end();
    }
    await archive.settled();
  } catch (err) {
    if (isPushedArchive(input)) input.abort();
    archive.abort();
    throw asArchiveError(err instanceof TarFormatError ? corrupt(err.message, opts.source) : err, opts.source);
  }
  await Promise.all(state.estimates);
  return assemble(state, subscribers, opts.source);
}

interface ArchiveState {
  /** `digest` is undefined when digests are not verified (see ReadOptions.verifyDigests). */
  layers: Map<string, Omit<LayerStats, 'index' | 'diffId'> & { digest?: string }>;
  /** Legacy archives symlink a layer.tar already written for the same diff id. */
  aliases: Map<string, string>;
  json: Map<string, Buffer>;
  /** Size estimates whose samples are still on the deflate thread: awaited once, after the last byte. */
  estimates: Promise<void>[];
}

/** Where one member of the outer archive goes. */
interface MemberSink {
  data(chunk: Buffer): void;
  end(): void;
}

/** Enough of a blob's start to tell a tar (even an empty one: two zero blocks) from gzip, zstd or JSON. */
const SNIFF_BYTES = 1024;

/** The outer archive (`docker save`, `docker-archive`, `oci-archive`): routes each member to a sink. */
class ArchiveParser extends TarPushParser {
  private sink?: MemberSink;
  /** Gzip-compressed layers still inflating. */
  private readonly inflating: Promise<void>[] = [];
  private readonly gunzips: Gunzip[] = [];
  private failure?: unknown;
  private drained?: Promise<void>;

  constructor(
    private readonly archive: ArchiveState,
    private readonly subscribers: LayerSubscriber[],
    private readonly opts: ReadOptions
  ) {
    super('the archive');
  }

  override write(chunk: Buffer): void {
    if (this.failure) throw this.failure;
    super.write(chunk);
    if (this.failure) throw this.failure;
  }

  /** A promise to await before the next chunk when a gunzip has more input queued than it wants. */
  backpressure(): Promise<void> | undefined {
    return this.drained;
  }

  /** Resolves when every compressed layer has been inflated and parsed. */
  async settled(): Promise<void> {
    await Promise.all(this.inflating);
    if (this.failure) throw this.failure;
  }

  abort(): void {
    for (const g of this.gunzips) g.destroy();
  }

  protected onMember(m: TarMember): boolean {
    const name = normalisePath(decodeRawName(m.name));
    this.sink = undefined;
    if (m.kind === 'symlink' && LEGACY_LAYER.test(name) && m.link) {
      this.archive.aliases.set(name, normalisePath(posix.join(posix.dirname(name), decodeRawName(m.link))));
      return false;
    }
    if (m.kind !== 'file' || (m.type !== 0x30 && m.type !== 0x00 && m.type !== 0x37)) return false;
    if (LEGACY_LAYER.test(name)) this.sink = this.layerSink(name, m.size, false);
    else if (OCI_BLOB.test(name)) this.sink = this.sniffingSink(name, m.size);
    else if (!name.includes('/') && (name.endsWith('.json') || name === 'repositories') && m.size <= MAX_JSON_BYTES) this.sink = this.jsonSink(name);
    return this.sink !== undefined;
  }

  protected onMemberData(chunk: Buffer, off: number, len: number): void {
    this.sink!.data(off === 0 && len === chunk.length ? chunk : chunk.subarray(off, off + len));
  }

  protected onMemberEnd(): void {
    const sink = this.sink!;
    this.sink = undefined;
    sink.end();
  }

  private jsonSink(name: string): MemberSink {
    const parts: Buffer[] = [];
    return {
      data: (c) => parts.push(Buffer.from(c)), // copied: a pushed chunk is valid only during the call
      end: () => this.archive.json.set(name, Buffer.concat(parts))
    };
  }

  /** An OCI blob: its first bytes say whether it is a layer (tar or gzip), JSON, or something to skip. */
  private sniffingSink(name: string, size: number): MemberSink {
    const head: Buffer[] = [];
    let headBytes = 0;
    let chosen: MemberSink | null | undefined; // null: skip
    const choose = () => {
      const buffered = Buffer.concat(head);
      const kind = sniff(buffered);
      if (kind === 'zstd') {
        throw new UserError(
          `The image archive stores layer ${name} compressed with zstd, which this version cannot read.`,
          'Re-save the image with gzip or uncompressed layers (e.g. rebuild with `--output type=docker,compression=gzip`).'
        );
      }
      if (kind === 'gzip' || kind === 'tar') chosen = this.layerSink(name, size, kind === 'gzip');
      else if (kind === 'json' && size <= MAX_JSON_BYTES) chosen = this.jsonSink(name);
      else chosen = null;
      if (chosen && buffered.length > 0) chosen.data(buffered);
    };
    return {
      data: (c) => {
        if (chosen !== undefined) return chosen?.data(c);
        head.push(Buffer.from(c));
        headBytes += c.length;
        if (headBytes >= SNIFF_BYTES) choose();
      },
      end: () => {
        if (chosen === undefined) choose();
        chosen?.end();
      }
    };
  }

  /** A layer: parsed as it streams, with its hash and size estimate; a gzip blob is inflated first. */
  private layerSink(key: string, archivedBytes: number, gzipped: boolean): MemberSink {
    // With a trusted manifest (the engine's own `docker save`) the layer's place gives its diff id, so hashing
    // every byte only re-checks the engine; archives from elsewhere are verified.
    const hash = this.opts.verifyDigests === false ? undefined : createHash('sha256');
    // The estimator never holds up the parse: when the deflate thread's slots are all taken it deflates a sample
    // itself, and the layer's last samples finish while the next layer streams.
    const estimator = gzipped ? undefined : new GzipSizeEstimator(archivedBytes, { offThread: true, ...this.opts.gzipEstimate });
    const feed = new LayerFeed(key, this.subscribers, hash, estimator);
    const done = () => {
      const counts = feed.end();
      const stats = {
        layerKey: key,
        digest: hash ? `sha256:${hash.digest('hex')}` : undefined,
        ...counts,
        compressedSize: archivedBytes,
        compressedExact: gzipped
      };
      this.archive.layers.set(key, stats);
      if (estimator) {
        const settled = estimator.settle().then(() => {
          stats.compressedSize = estimator.finish();
        });
        settled.catch(() => {});
        this.archive.estimates.push(settled);
      }
    };
    const guarded = (step: () => void) => {
      try {
        step();
      } catch (err) {
        this.failure ??= err instanceof TarFormatError ? corrupt(`layer ${key}: ${err.message}`, this.opts.source) : err;
        this.abort();
      }
    };
    if (!gzipped) {
      return {
        data: (c) => guarded(() => feed.write(c)),
        end: () => guarded(done)
      };
    }
    const gunzip = createGunzip();
    this.gunzips.push(gunzip);
    gunzip.on('data', (c: Buffer) => guarded(() => feed.write(c)));
    this.inflating.push(
      new Promise<void>((resolve) => {
        gunzip.on('end', () => {
          guarded(done);
          resolve();
        });
        gunzip.on('error', (err) => {
          this.failure ??= corrupt(`layer ${key} is not valid gzip (${err.message})`, this.opts.source);
          resolve();
        });
        gunzip.on('close', () => resolve());
      })
    );
    return {
      data: (c) => {
        if (this.failure) return;
        if (!gunzip.write(Buffer.from(c)) && !this.drained) {
          // No 'drain' comes once the blob's end() has been called: 'finish' (or 'close') then ends the wait.
          this.drained = new Promise<void>((resolve) => {
            const events = ['drain', 'finish', 'close'] as const;
            const done = () => {
              for (const e of events) gunzip.off(e, done);
              this.drained = undefined;
              resolve();
            };
            for (const e of events) gunzip.on(e, done);
          });
        }
      },
      end: () => {
        gunzip.end();
      }
    };
  }
}

/** One layer tar's bytes: counted, hashed and sampled (when asked), and parsed, in that order. */
class LayerFeed {
  private readonly parser: LayerTarParser;
  private tarBytes = 0;

  constructor(
    layerKey: string,
    subscribers: readonly LayerSubscriber[],
    private readonly hash?: Hash,
    private readonly estimator?: GzipSizeEstimator
  ) {
    this.parser = new LayerTarParser(layerKey, subscribers);
  }

  write(chunk: Buffer): void {
    this.tarBytes += chunk.length;
    this.hash?.update(chunk);
    this.estimator?.update(chunk);
    this.parser.write(chunk);
  }

  end(): { tarBytes: number; size: number; entries: number } {
    this.parser.end();
    return { tarBytes: this.tarBytes, size: this.parser.counts.size, entries: this.parser.counts.entries };
  }
}

function sniff(b: Buffer): 'gzip' | 'zstd' | 'tar' | 'json' | 'unknown' {
  if (b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b) return 'gzip';
  if (b.length >= 4 && b.readUInt32LE(0) === 0xfd2fb528) return 'zstd';
  if (b.length >= 512 && b.toString('latin1', 257, 262) === 'ustar') return 'tar';
  if (b.length >= 1024 && b.subarray(0, 1024).every((x) => x === 0)) return 'tar'; // empty layer: end blocks only
  const first = b.toString('utf8', 0, Math.min(b.length, 64)).trimStart()[0];
  if (first === '{' || first === '[') return 'json';
  return 'unknown';
}

/** `./a//b/../c/` → `a/c` (re-exported: other stages normalise image paths the same way). */
export { normalisePath };

function parseJson(state: ArchiveState, name: string, source?: string): unknown {
  const buf = state.json.get(name);
  if (!buf) throw corrupt(`it has no ${name}`, source);
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch {
    throw corrupt(`${name} is not valid JSON`, source);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function resolveManifest(state: ArchiveState, source?: string): { configName: string; layerNames: string[]; manifest: any } {
  if (state.json.has('manifest.json')) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const list = parseJson(state, 'manifest.json', source) as any[];
    const m = Array.isArray(list) ? list[0] : undefined;
    if (!m || typeof m.Config !== 'string' || !Array.isArray(m.Layers)) throw corrupt('manifest.json has no image entry', source);
    return { configName: normalisePath(m.Config), layerNames: m.Layers.map((l: string) => normalisePath(l)), manifest: m };
  }
  if (state.json.has('index.json')) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    let node: any = parseJson(state, 'index.json', source);
    for (let depth = 0; depth < 4 && Array.isArray(node?.manifests); depth++) {
      const d = node.manifests[0]?.digest;
      if (typeof d !== 'string') break;
      node = parseJson(state, blobName(d), source);
    }
    if (!node?.config?.digest || !Array.isArray(node.layers)) throw corrupt('index.json does not lead to an image manifest', source);
    return {
      configName: blobName(node.config.digest),
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      layerNames: node.layers.map((l: any) => blobName(l.digest)),
      manifest: node
    };
  }
  throw corrupt('it has neither manifest.json nor index.json (is it a `docker save` archive?)', source);
}

const blobName = (digest: string) => `blobs/${digest.replace(':', '/')}`;

function assemble(state: ArchiveState, subscribers: LayerSubscriber[], source?: string): ImageArchive {
  const { configName, layerNames, manifest } = resolveManifest(state, source);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const config: any = parseJson(state, configName, source);
  const diffIds: string[] = config?.rootfs?.diff_ids;
  if (!Array.isArray(diffIds)) throw corrupt('the image config has no rootfs.diff_ids', source);
  if (diffIds.length !== layerNames.length) {
    throw corrupt(`the manifest lists ${layerNames.length} layers but the config ${diffIds.length}`, source);
  }
  const configDigest = `sha256:${createHash('sha256').update(state.json.get(configName)!).digest('hex')}`;

  const layerOrder: string[] = [];
  const layerStats: LayerStats[] = layerNames.map((name, index) => {
    const key = state.aliases.get(name) ?? name;
    const seen = state.layers.get(key);
    if (!seen) throw corrupt(`layer ${index} (${name}) is missing`, source);
    if (seen.digest !== undefined && seen.digest !== diffIds[index]) {
      throw corrupt(`layer ${index} (${name}) has digest ${seen.digest}, but the config expects ${diffIds[index]}`, source);
    }
    layerOrder.push(key);
    const { digest: _digest, ...rest } = seen;
    return { ...rest, index, diffId: diffIds[index] };
  });
  const layout: ImageLayout = { layerOrder, diffIds: [...diffIds] };
  for (const sub of subscribers) sub.finish?.(layout);
  return { layout, config, manifest, configDigest, layerStats };
}

function corrupt(what: string, source?: string): UserError {
  return new UserError(
    `The image archive${source ? ` of ${source}` : ''} is not usable: ${what}.`,
    'It may be truncated or not a `docker save` archive; re-run the audit, and if it persists check the Docker engine (`docker save IMAGE | tar t` should list it).'
  );
}

function asArchiveError(err: unknown, source?: string): UserError {
  if (isUserError(err)) return err;
  const msg = err instanceof Error ? err.message : String(err);
  return corrupt(`reading it failed (${msg})`, source);
}

/**
 * An archive whose bytes are pushed to one synchronous sink, as `docker save` delivers them: each chunk is valid
 * only during the call (the socket reads into one reused buffer), so nothing may keep it.
 */
export interface PushedArchive {
  readonly kind: 'pushed';
  /** Starts the flow; resolves after the last byte, rejects with a UserError (or what the sink threw). */
  run(sink: ChunkSink): Promise<void>;
  /** Stops the flow (the reader gave up): no export keeps running for nobody. */
  abort(): void;
}

export const isPushedArchive = (input: NodeJS.ReadableStream | PushedArchive): input is PushedArchive => (input as PushedArchive).kind === 'pushed';

/**
 * `docker save REF`: from the Engine API socket when the CLI would use that socket itself, else from the CLI.
 * run() resolves only after the whole archive arrived (docker exited 0, or the engine closed the connection;
 * the reader checks the archive's own end marker); a failure (unknown image, no engine, an export cut short)
 * rejects with a UserError carrying the engine's message. `socketPath` '' always uses the CLI.
 */
export function streamDockerSave(
  ref: string,
  dockerCommand = 'docker',
  socketPath = dockerCommand === 'docker' ? localEngineSocket() : undefined
): PushedArchive {
  let stop: (() => void) | undefined;
  let aborted = false;
  return {
    kind: 'pushed',
    abort: () => {
      aborted = true;
      stop?.();
    },
    run: async (sink) => {
      if (socketPath) {
        const answer = await requestImageExport(socketPath, ref, sink);
        if (answer.kind === 'refused') {
          throw answer.status === 404
            ? imageNotFound(ref, answer.message && `The engine said: ${answer.message}`)
            : new UserError(`The engine refused to export ${ref} (HTTP ${answer.status}${answer.message ? `: ${answer.message}` : ''}).`, ENGINE_HINT);
        }
        if (answer.kind === 'archive') {
          stop = answer.abort;
          if (aborted) answer.abort();
          return answer.done.catch((err: unknown) => {
            if (!(err instanceof ExportCutShort) || aborted) throw err;
            throw new UserError(`The engine stopped sending the export of ${ref} before its end (${err.message}).`, ENGINE_HINT);
          });
        }
      }
      if (aborted) return;
      return saveWithCli(ref, dockerCommand, sink, (kill) => (stop = kill));
    }
  };
}

const ENGINE_HINT = 'Check that the Docker engine is running (`docker info`), then re-run the audit.';

function saveWithCli(ref: string, dockerCommand: string, sink: ChunkSink, onStart: (kill: () => void) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    // `--`: a name is never read as an option.
    const child = spawn(dockerCommand, ['save', '--', ref], { stdio: ['ignore', 'pipe', 'pipe'] });
    let failure: unknown;
    // A reader that gives up (corrupt data, error in a subscriber) must not leave docker writing into a pipe.
    const kill = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill();
    };
    onStart(kill);
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      if (stderr.length < 8192) stderr += c;
    });
    child.stdout.on('data', (chunk: Buffer) => {
      if (failure) return;
      try {
        pushChunk(sink, chunk, child.stdout);
      } catch (err) {
        failure = err;
        kill();
      }
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      failure ??=
        err.code === 'ENOENT'
          ? new UserError(`The \`${dockerCommand}\` CLI was not found on PATH.`, 'Install Docker (with buildx) or add it to PATH, then re-run.')
          : new UserError(`Could not run \`${dockerCommand} save ${ref}\`: ${err.message}.`);
    });
    child.on('close', (code, signal) => {
      if (failure) return reject(failure);
      if (code === 0) return resolve();
      const detail = stderr.trim();
      if (/no such image|reference does not exist|not found/i.test(detail)) {
        return reject(imageNotFound(ref, detail && `docker said: ${detail}`));
      }
      reject(
        new UserError(
          `\`${dockerCommand} save ${ref}\` failed (${signal ? `signal ${signal}` : `exit ${code}`})${detail ? `: ${detail}` : ''}.`,
          'Check that the Docker engine is running (`docker info`).'
        )
      );
    });
  });
}

/** What parseLayerTar measured for one uncompressed layer tar. */
export interface LayerTarStats {
  /** sha256 of the uncompressed tar, `sha256:…` (the diff id). */
  diffId: string;
  tarBytes: number;
  size: number;
  entries: number;
}

/**
 * Parses one uncompressed layer tar from `source`, feeding its entries to `subscribers` under `layerKey`, exactly
 * as a layer inside `docker save` is parsed. For image sources other than `docker save` (registry, OCI layout):
 * the caller decompresses and verifies the blob; this measures the tar.
 */
export async function parseLayerTar(layerKey: string, source: AsyncIterable<Buffer>, subscribers: LayerSubscriber[]): Promise<LayerTarStats> {
  const hash = createHash('sha256');
  const tar = await streamLayerTar(layerKey, source, subscribers, { hash });
  return { diffId: `sha256:${hash.digest('hex')}`, ...tar };
}

/** The loop over a layer tar's bytes from an async source (registry blobs, OCI layouts). */
async function streamLayerTar(
  layerKey: string,
  source: AsyncIterable<Buffer>,
  subscribers: LayerSubscriber[],
  opts: { hash?: Hash; source?: string }
): Promise<Omit<LayerTarStats, 'diffId'>> {
  const feed = new LayerFeed(layerKey, subscribers, opts.hash);
  try {
    for await (const chunk of source) feed.write(chunk);
    return feed.end();
  } catch (err) {
    if (err instanceof TarFormatError) throw corrupt(`layer ${layerKey}: ${err.message}`, opts.source);
    throw err;
  }
}
