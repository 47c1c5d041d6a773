// Streams a `docker save` archive once: the outer tar is parsed with tar-stream, each layer tar is parsed by a
// nested tar-stream extract fed from the outer entry, so neither the archive nor a layer ever touches the disk
// or sits whole in memory. Handles the legacy layout (`<v1id>/layer.tar`, `<config>.json`, `manifest.json`)
// and the OCI layout (`blobs/sha256/…`, `index.json`, optionally gzip-compressed layer blobs).
import { spawn } from 'node:child_process';
import { createHash, type Hash } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { posix } from 'node:path';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import { localEngineSocket, requestImageExport } from '../docker/engine-socket.js';
import { UserError, isUserError } from '../util/errors.js';
import { GzipSizeEstimator, type GzipEstimateOptions } from './gzip-estimate.js';
import { LayerTarParser, TarFormatError, normalisePath } from './layer-tar.js';
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
}

/** JSON-ish archive members (configs, manifests) are buffered; anything bigger is not what we expect. */
const MAX_JSON_BYTES = 32 * 1024 * 1024;
const LEGACY_LAYER = /^[^/]+\/layer\.tar$/;
const OCI_BLOB = /^blobs\/[^/]+\/[0-9a-f]+$/;

/**
 * Reads an image archive from `stream`, feeding every layer entry to `subscribers` as it streams.
 * Rejects with a UserError when the stream is not a complete image archive.
 */
export async function readImageArchive(stream: NodeJS.ReadableStream, subscribers: LayerSubscriber[], opts: ReadOptions = {}): Promise<ImageArchive> {
  const state: ArchiveState = { layers: new Map(), aliases: new Map(), json: new Map(), estimates: [] };
  const outer = tar.extract();
  let failure: unknown;
  const failed = new Promise<never>((_, reject) => {
    outer.on('error', (err: unknown) => {
      failure ??= err;
      reject(failure);
    });
  });
  failed.catch(() => {});

  outer.on('entry', (header, entryStream, next) => {
    readOuterEntry(header as TarHeader, entryStream as unknown as EntryStream, state, subscribers, opts).then(
      () => next(),
      (err: unknown) => {
        failure ??= err;
        outer.destroy(err instanceof Error ? err : new Error(String(err)));
      }
    );
  });
  const finished = new Promise<void>((resolve) => outer.on('finish', () => resolve()));

  try {
    for await (const chunk of stream as AsyncIterable<Buffer | string>) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      if (!outer.write(buf)) await Promise.race([new Promise<void>((r) => outer.once('drain', () => r())), failed]);
    }
    outer.end(null);
    await Promise.race([finished, failed]);
  } catch (err) {
    throw asArchiveError(failure ?? err, opts.source);
  } finally {
    if (!outer.destroyed) outer.destroy();
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

type TarHeader = Omit<tar.Header, 'pax'> & { pax?: Record<string, string> | null };
/** The parts of a tar-stream (streamx) entry stream used here. */
interface EntryStream extends AsyncIterable<Buffer> {
  resume(): unknown;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  on(event: string, listener: (...args: any[]) => void): unknown;
}

async function readOuterEntry(
  header: TarHeader,
  entryStream: EntryStream,
  state: ArchiveState,
  subscribers: LayerSubscriber[],
  opts: ReadOptions
): Promise<void> {
  const name = normalisePath(header.name);
  if (header.type === 'symlink' && LEGACY_LAYER.test(name) && header.linkname) {
    state.aliases.set(name, normalisePath(posix.join(posix.dirname(name), header.linkname)));
    return drain(entryStream);
  }
  if (header.type !== 'file' && header.type !== 'contiguous-file') return drain(entryStream);

  if (LEGACY_LAYER.test(name)) {
    const it = entryStream[Symbol.asyncIterator]();
    const head = await peek(it, 512);
    return readLayer(name, head, it, header.size ?? 0, state, subscribers, opts);
  }
  if (OCI_BLOB.test(name)) {
    const it = entryStream[Symbol.asyncIterator]();
    const head = await peek(it, 512);
    const kind = sniff(head.buffered);
    if (kind === 'zstd') {
      throw new UserError(
        `The image archive stores layer ${name} compressed with zstd, which this version cannot read.`,
        'Re-save the image with gzip or uncompressed layers (e.g. rebuild with `--output type=docker,compression=gzip`).'
      );
    }
    if (kind === 'gzip' || kind === 'tar') return readLayer(name, head, it, header.size ?? 0, state, subscribers, opts);
    if (kind === 'json' && (header.size ?? 0) <= MAX_JSON_BYTES) {
      state.json.set(name, await collect(head, it));
      return;
    }
    return drainIterator(it);
  }
  if (!name.includes('/') && (name.endsWith('.json') || name === 'repositories') && (header.size ?? 0) <= MAX_JSON_BYTES) {
    const it = entryStream[Symbol.asyncIterator]();
    state.json.set(name, await collect({ buffered: Buffer.alloc(0), done: false }, it));
    return;
  }
  return drain(entryStream);
}

interface Peeked {
  buffered: Buffer;
  done: boolean;
}

async function peek(it: AsyncIterator<Buffer>, bytes: number): Promise<Peeked> {
  const parts: Buffer[] = [];
  let length = 0;
  while (length < bytes) {
    const r = await it.next();
    if (r.done) return { buffered: Buffer.concat(parts), done: true };
    parts.push(r.value);
    length += r.value.length;
  }
  return { buffered: Buffer.concat(parts), done: false };
}

async function* rest(head: Peeked, it: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  if (head.buffered.length > 0) yield head.buffered;
  if (head.done) return;
  for (;;) {
    const r = await it.next();
    if (r.done) return;
    yield r.value;
  }
}

async function collect(head: Peeked, it: AsyncIterator<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of rest(head, it)) parts.push(c);
  return Buffer.concat(parts);
}

async function drain(s: AsyncIterable<Buffer>): Promise<void> {
  for await (const _ of s) {
    // discard
  }
}

async function drainIterator(it: AsyncIterator<Buffer>): Promise<void> {
  while (!(await it.next()).done) {
    // discard
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

async function readLayer(
  key: string,
  head: Peeked,
  it: AsyncIterator<Buffer>,
  archivedBytes: number,
  state: ArchiveState,
  subscribers: LayerSubscriber[],
  opts: ReadOptions
): Promise<void> {
  const gzipped = sniff(head.buffered) === 'gzip';
  let source: AsyncIterable<Buffer> = rest(head, it);
  let feeding: Promise<void> | undefined;
  if (gzipped) {
    const gunzip = createGunzip();
    feeding = pipeline(Readable.from(source), gunzip);
    feeding.catch(() => {});
    source = gunzip;
  }

  // With a trusted manifest (the engine's own `docker save`) the layer's place gives its diff id, so hashing
  // every byte only re-checks the engine; archives from elsewhere are verified.
  const hash = opts.verifyDigests === false ? undefined : createHash('sha256');
  const estimator = gzipped ? undefined : new GzipSizeEstimator(archivedBytes, { offThread: true, ...opts.gzipEstimate });
  // The estimator never holds up the parse: when the deflate thread's slots are all taken it deflates a sample
  // itself, and the layer's last samples finish while the next layer streams.
  const tar = await streamLayerTar(key, source, subscribers, {
    hash,
    source: opts.source,
    onChunk: estimator ? (chunk) => estimator.update(chunk) : undefined
  });
  if (feeding) await feeding;

  const stats = {
    layerKey: key,
    digest: hash ? `sha256:${hash.digest('hex')}` : undefined,
    tarBytes: tar.tarBytes,
    size: tar.size,
    entries: tar.entries,
    compressedSize: archivedBytes,
    compressedExact: gzipped
  };
  state.layers.set(key, stats);
  if (estimator) {
    const settled = estimator.settle().then(() => {
      stats.compressedSize = estimator.finish();
    });
    settled.catch(() => {});
    state.estimates.push(settled);
  }
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
 * `docker save REF` as a stream: from the Engine API socket when the CLI would use that socket itself, else from
 * the CLI. The stream ends only after the whole archive arrived (docker exited 0); a failure (unknown image, no
 * engine, an export cut short) destroys it with a UserError carrying the engine's message, so readers never
 * mistake it for a short archive. `socketPath` '' always uses the CLI.
 */
export function streamDockerSave(
  ref: string,
  dockerCommand = 'docker',
  socketPath = dockerCommand === 'docker' ? localEngineSocket() : undefined
): NodeJS.ReadableStream {
  const out = new PassThrough({ highWaterMark: 1024 * 1024 });
  if (!socketPath) {
    saveWithCli(ref, dockerCommand, out);
    return out;
  }
  void requestImageExport(socketPath, ref).then((answer) => {
    if (answer.kind === 'unreachable') return out.destroyed ? undefined : saveWithCli(ref, dockerCommand, out);
    if (answer.kind === 'refused') {
      out.destroy(
        answer.status === 404
          ? new UserError(`Image ${ref} not found locally; build it or check the name.`, answer.message ? `The engine said: ${answer.message}` : undefined)
          : new UserError(`The engine refused to export ${ref} (HTTP ${answer.status}${answer.message ? `: ${answer.message}` : ''}).`, ENGINE_HINT)
      );
      return;
    }
    const { body, abort } = answer;
    const cutShort = () => {
      if (!out.destroyed) out.destroy(new UserError(`The engine stopped sending the export of ${ref} before its end.`, ENGINE_HINT));
    };
    body.on('aborted', cutShort);
    body.on('error', cutShort);
    body.on('end', () => (body.complete ? out.end() : cutShort()));
    body.pipe(out, { end: false });
    // A reader that gives up must not leave the engine exporting into a socket nobody reads.
    out.on('close', () => {
      if (!body.complete) abort();
    });
  });
  return out;
}

const ENGINE_HINT = 'Check that the Docker engine is running (`docker info`), then re-run the audit.';

function saveWithCli(ref: string, dockerCommand: string, out: PassThrough): void {
  const child = spawn(dockerCommand, ['save', ref], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    if (stderr.length < 8192) stderr += c;
  });
  child.stdout.pipe(out, { end: false });
  child.on('error', (err: NodeJS.ErrnoException) => {
    out.destroy(
      err.code === 'ENOENT'
        ? new UserError(`The \`${dockerCommand}\` CLI was not found on PATH.`, 'Install Docker (with buildx) or add it to PATH, then re-run.')
        : new UserError(`Could not run \`${dockerCommand} save ${ref}\`: ${err.message}.`)
    );
  });
  child.on('close', (code, signal) => {
    if (code === 0) {
      out.end();
      return;
    }
    const detail = stderr.trim();
    if (/no such image|reference does not exist|not found/i.test(detail)) {
      out.destroy(new UserError(`Image ${ref} not found locally; build it or check the name.`, detail ? `docker said: ${detail}` : undefined));
    } else if (!out.destroyed) {
      out.destroy(
        new UserError(
          `\`${dockerCommand} save ${ref}\` failed (${signal ? `signal ${signal}` : `exit ${code}`})${detail ? `: ${detail}` : ''}.`,
          'Check that the Docker engine is running (`docker info`).'
        )
      );
    }
  });
  // A reader that gives up (corrupt data, error in a subscriber) must not leave docker writing into a pipe.
  out.on('close', () => {
    if (child.exitCode === null && child.signalCode === null) child.kill();
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

/** The one loop over a layer tar's bytes: hash them (when asked), hand them on, parse the entries. */
async function streamLayerTar(
  layerKey: string,
  source: AsyncIterable<Buffer>,
  subscribers: LayerSubscriber[],
  opts: { hash?: Hash; source?: string; onChunk?: (chunk: Buffer) => void }
): Promise<Omit<LayerTarStats, 'diffId'>> {
  const parser = new LayerTarParser(layerKey, subscribers);
  let tarBytes = 0;
  try {
    for await (const chunk of source) {
      tarBytes += chunk.length;
      opts.hash?.update(chunk);
      opts.onChunk?.(chunk);
      parser.write(chunk);
    }
    parser.end();
  } catch (err) {
    if (err instanceof TarFormatError) throw corrupt(`layer ${layerKey}: ${err.message}`, opts.source);
    throw err;
  }
  return { tarBytes, size: parser.counts.size, entries: parser.counts.entries };
}
