// What registries and OCI layouts share: manifest and index parsing (Docker v2 schema 2, manifest list, OCI
// manifest, OCI index), platform choice, and the layer pass: each blob streamed once, bottom first, its digest
// and size verified while it is decompressed (gzip, zstd where Node has it) into the same layer-tar parser
// `docker save` uses. Nothing is written to disk; at most one layer's stream buffers are in memory.
import { createHash } from 'node:crypto';
import { PassThrough, type Transform } from 'node:stream';
import zlib from 'node:zlib';
import { UserError } from '../../util/errors.js';
import { parseLayerTar } from '../reader.js';
import type { ImageLayout, LayerStats, LayerSubscriber } from '../types.js';
import type { Descriptor, SourceImage, SourceRead } from './types.js';

export const MEDIA = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json'
} as const;

const INDEX_TYPES = new Set<string>([MEDIA.ociIndex, MEDIA.dockerList]);
const MANIFEST_TYPES = new Set<string>([MEDIA.ociManifest, MEDIA.dockerManifest]);
const CONFIG_TYPES = new Set<string>([MEDIA.ociConfig, MEDIA.dockerConfig]);
const MAX_CONFIG_BYTES = 32 * 1024 * 1024;

/** Where manifests and blobs come from (a registry repository, an OCI layout directory). */
export interface BlobStore {
  /** For messages: `127.0.0.1:5000/app`, `oci-layout://./out`. */
  name: string;
  /** A manifest or index by tag or digest (layouts: the root reference is resolved through index.json). */
  getManifest(reference: string): Promise<{ mediaType: string; digest: string; bytes: Buffer }>;
  /** A blob's bytes as they arrive; the caller verifies them. */
  openBlob(desc: Descriptor): Promise<AsyncIterable<Buffer>>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export function formatPlatform(p: Descriptor['platform'] | undefined): string | undefined {
  if (!p?.os || !p.architecture) return undefined;
  return `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`;
}

/** `linux/arm64` matches `linux/arm64/v8`; `linux/arm/v7` needs the variant. */
function platformMatches(wanted: string, have: string): boolean {
  if (wanted === have) return true;
  const [wo, wa, wv] = wanted.split('/');
  const [ho, ha, hv] = have.split('/');
  if (wo !== ho || wa !== ha) return false;
  return !wv || !hv ? (wv ?? hv ?? '') === '' || (wa === 'arm64' && (wv ?? hv) === 'v8') : wv === hv;
}

export function hostPlatform(): string {
  const arch = ({ x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', s390x: 's390x', ppc64: 'ppc64le' } as Record<string, string>)[process.arch];
  return `linux/${arch ?? process.arch}`;
}

function parseJson(bytes: Buffer, what: string): Json {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new UserError(`${what} is not valid JSON.`, 'The source is corrupt or not an image.');
  }
}

function kindOf(mediaType: string, json: Json): 'index' | 'manifest' | string {
  const type = (mediaType && mediaType !== 'application/json' && mediaType !== 'application/octet-stream' ? mediaType : json?.mediaType) ?? '';
  if (INDEX_TYPES.has(type)) return 'index';
  if (MANIFEST_TYPES.has(type)) return 'manifest';
  if (!type && Array.isArray(json?.manifests)) return 'index';
  if (!type && json?.config && Array.isArray(json?.layers)) return 'manifest';
  return type || 'no media type';
}

function unknownMediaType(type: string, where: string): UserError {
  const schema1 = /manifest\.v1\+(pretty)?jws|manifest\.v1\+json/.test(type);
  return new UserError(
    `${where} has the media type ${type}, which is not an image manifest or index image-audit can read.`,
    schema1
      ? 'Docker schema 1 manifests are deprecated: re-push the image with a current docker or skopeo.'
      : 'Supported: Docker v2 schema 2 manifests and manifest lists, OCI image manifests and OCI indexes.'
  );
}

const isAttestation = (d: Descriptor) =>
  d.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest' || d.platform?.os === 'unknown' || d.platform?.architecture === 'unknown';

/** Resolves `reference` in `store` to one image per chosen platform. */
export async function resolveImages(store: BlobStore, reference: string, platform: string | undefined): Promise<SourceImage[]> {
  const root = await store.getManifest(reference);
  const json = parseJson(root.bytes, `The manifest of ${store.name}`);
  const kind = kindOf(root.mediaType, json);
  if (kind === 'manifest') return [manifestImage(store, json, root.digest, undefined)];
  if (kind !== 'index') throw unknownMediaType(kind, `${store.name}`);

  const entries = (Array.isArray(json.manifests) ? (json.manifests as Descriptor[]) : []).filter((d) => !isAttestation(d));
  const named = entries.map((d) => ({ d, platform: formatPlatform(d.platform) }));
  let chosen: typeof named;
  if (platform === 'all') chosen = named;
  else {
    const wanted = platform ?? hostPlatform();
    const match = named.find((e) => e.platform && platformMatches(wanted, e.platform));
    if (!match && platform) {
      throw new UserError(
        `The image index ${store.name} has no platform ${platform}.`,
        `It has: ${named.map((e) => e.platform ?? 'unnamed').join(', ') || 'no image manifests'}. Pass one of them to --platform (action: platform), or --platform all.`
      );
    }
    chosen = [match ?? named[0]].filter(Boolean);
  }
  if (!chosen.length) throw new UserError(`The image index ${store.name} lists no image manifests (attestations only).`);

  const images: SourceImage[] = [];
  for (const { d, platform: p } of chosen) {
    const child = await store.getManifest(d.digest);
    if (child.digest !== d.digest) throw digestMismatch(`manifest for ${p ?? d.digest}`, d.digest, child.digest, store.name);
    const childJson = parseJson(child.bytes, `The ${p ?? ''} manifest of ${store.name}`);
    const childKind = kindOf(child.mediaType || d.mediaType, childJson);
    if (childKind !== 'manifest') throw unknownMediaType(childKind, `The ${p ?? d.digest} entry of ${store.name}`);
    images.push(manifestImage(store, childJson, child.digest, p));
  }
  return images;
}

function manifestImage(store: BlobStore, manifest: Json, manifestDigest: string, platform: string | undefined): SourceImage {
  return {
    platform,
    manifestDigest,
    read: async (subscribers) => {
      const read = await readManifestImage(store, manifest, subscribers);
      return read;
    }
  };
}

type Compression = 'gzip' | 'zstd' | 'none';

function layerCompression(mediaType: string, where: string): Compression {
  const t = mediaType ?? '';
  if (/^application\/vnd\.docker\.image\.rootfs\.(foreign\.)?diff\.tar\.gzip$/.test(t)) return 'gzip';
  const oci = /^application\/vnd\.oci\.image\.layer\.(nondistributable\.)?v1\.tar(\+gzip|\+zstd)?$/.exec(t);
  if (oci) return oci[2] === '+gzip' ? 'gzip' : oci[2] === '+zstd' ? 'zstd' : 'none';
  throw new UserError(
    `${where} has the media type ${t || '(none)'}, which is not a filesystem layer image-audit can read.`,
    'Layers must be tar, tar+gzip or tar+zstd (Docker or OCI media types); is this an artifact rather than a container image?'
  );
}

function decompressor(c: Compression, where: string): Transform {
  if (c === 'gzip') return zlib.createGunzip();
  if (c === 'none') return new PassThrough();
  const create = (zlib as unknown as { createZstdDecompress?: () => Transform }).createZstdDecompress;
  if (typeof create !== 'function') {
    throw new UserError(
      `${where} is compressed with zstd, which this Node.js runtime (${process.version}) cannot decompress.`,
      'Run image-audit on Node.js 22.15+ / 23.8+ / 24 (the action runs on node24), or push the image with gzip layers (`--output type=registry,compression=gzip`).'
    );
  }
  return create();
}

function digestMismatch(what: string, expected: string, actual: string, where: string): UserError {
  return new UserError(
    `The ${what} from ${where} is corrupt: its digest is ${actual}, but the manifest says ${expected}.`,
    'The stored blob was damaged or altered; push the image again (and check the registry storage).'
  );
}

async function readConfig(store: BlobStore, desc: Descriptor): Promise<{ config: Json; bytes: Buffer }> {
  if (desc?.mediaType && !CONFIG_TYPES.has(desc.mediaType)) {
    throw new UserError(
      `${store.name} is not a container image: its config has the media type ${desc.mediaType}.`,
      'image-audit reads images whose config is application/vnd.oci.image.config.v1+json or application/vnd.docker.container.image.v1+json.'
    );
  }
  if (typeof desc?.digest !== 'string') throw new UserError(`The manifest of ${store.name} has no config descriptor.`);
  if (desc.size > MAX_CONFIG_BYTES) throw new UserError(`The image config of ${store.name} is ${desc.size} bytes, larger than any real image config.`);
  const parts: Buffer[] = [];
  for await (const c of await store.openBlob(desc)) parts.push(c);
  const bytes = Buffer.concat(parts);
  const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  if (digest !== desc.digest) throw digestMismatch('image config', desc.digest, digest, store.name);
  return { config: parseJson(bytes, `The image config of ${store.name}`), bytes };
}

export async function readManifestImage(store: BlobStore, manifest: Json, subscribers: LayerSubscriber[]): Promise<SourceRead> {
  const { config } = await readConfig(store, manifest.config);
  const layers: Descriptor[] = Array.isArray(manifest.layers) ? manifest.layers : [];
  const diffIds: string[] = config?.rootfs?.diff_ids;
  if (!Array.isArray(diffIds)) throw new UserError(`The image config of ${store.name} has no rootfs.diff_ids.`);
  if (diffIds.length !== layers.length) {
    throw new UserError(
      `The manifest of ${store.name} lists ${layers.length} layers but its config ${diffIds.length}.`,
      'The image is malformed; rebuild and push it again.'
    );
  }
  const layerStats: LayerStats[] = [];
  for (let index = 0; index < layers.length; index++) {
    const desc = layers[index];
    const where = `Layer ${index} (${desc.digest}) of ${store.name}`;
    const key = `${index}:${desc.digest}`;
    const stats = await readLayerBlob(store, desc, key, subscribers, where);
    if (stats.diffId !== diffIds[index]) {
      throw new UserError(`${where} unpacks to ${stats.diffId}, but the config expects ${diffIds[index]}.`, 'The image is corrupt; push it again.');
    }
    layerStats.push({
      index,
      layerKey: key,
      diffId: stats.diffId,
      tarBytes: stats.tarBytes,
      size: stats.size,
      entries: stats.entries,
      compressedSize: desc.size,
      compressedExact: true
    });
  }
  const layout: ImageLayout = { layerOrder: layerStats.map((l) => l.layerKey), diffIds: [...diffIds] };
  for (const sub of subscribers) sub.finish?.(layout);
  return {
    layout,
    config,
    manifest,
    configDigest: manifest.config.digest,
    layerStats,
    compressedSizeSource: 'manifest'
  };
}

/**
 * One layer: the blob is read to its end even when decompression or tar parsing fails, so a damaged blob is
 * reported as what it is (truncated, or not matching its digest) rather than as a gzip error.
 */
async function readLayerBlob(store: BlobStore, desc: Descriptor, key: string, subscribers: LayerSubscriber[], where: string) {
  const compression = layerCompression(desc.mediaType, where);
  const unpack = decompressor(compression, where);
  const raw = await store.openBlob(desc);
  const hash = createHash('sha256');
  let received = 0;
  let parseError: unknown;
  const parsing = parseLayerTar(key, unpack as unknown as AsyncIterable<Buffer>, subscribers).catch((e: unknown) => {
    parseError = e;
    return undefined;
  });
  const unpackFailed = new Promise<void>((resolve) =>
    unpack.once('error', (e) => {
      parseError ??= e;
      resolve();
    })
  );
  let cutShort = '';
  try {
    for await (const chunk of raw) {
      hash.update(chunk);
      received += chunk.length;
      if (parseError || unpack.destroyed) continue; // keep reading: the digest decides what went wrong
      if (received > desc.size) continue;
      if (!unpack.write(chunk)) {
        await Promise.race([new Promise<void>((r) => unpack.once('drain', () => r())), unpackFailed, parsing.then(() => undefined)]);
      }
    }
  } catch (e) {
    // A stalled source is a timeout; a connection that ends early is a truncated blob.
    if (received >= desc.size || /did not answer within/.test(String((e as Error)?.message))) {
      unpack.destroy();
      throw e;
    }
    cutShort = ' before the connection ended';
  }
  if (received < desc.size) {
    unpack.destroy();
    throw new UserError(
      `${where} is truncated: the source sent ${received} of ${desc.size} bytes${cutShort}.`,
      'The stored blob is incomplete; push the image again.'
    );
  }
  const digest = `sha256:${hash.digest('hex')}`;
  if (received > desc.size || digest !== desc.digest) {
    unpack.destroy();
    throw digestMismatch(`layer ${key.split(':')[0]}`, desc.digest, digest, store.name);
  }
  if (!parseError && !unpack.destroyed) unpack.end();
  const stats = await parsing;
  if (parseError || !stats) {
    unpack.destroy();
    const msg = parseError instanceof Error ? parseError.message : String(parseError);
    if (parseError instanceof UserError) throw parseError;
    throw new UserError(
      `${where} matches its digest but is not a valid ${compression === 'none' ? '' : `${compression} `}layer tar (${msg}).`,
      'The image was built or pushed with a broken tool; rebuild it.'
    );
  }
  return stats;
}
