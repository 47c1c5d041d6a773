// Builds real tar archives in memory with tar-stream's packer: layer tars and whole `docker save` archives in
// the legacy and OCI layouts, so reader and model tests run on the same bytes the engine would produce.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';

export interface TestEntry {
  name: string;
  type?: 'file' | 'directory' | 'symlink' | 'link';
  content?: Buffer | string;
  linkname?: string;
  mode?: number;
}

async function packEntries(entries: { header: tar.Header | (Partial<tar.Header> & { name: string }); body?: Buffer }[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const c of pack) chunks.push(c as Buffer);
  })();
  for (const { header, body } of entries) {
    await new Promise<void>((resolve, reject) => pack.entry(header, body ?? Buffer.alloc(0), (err) => (err ? reject(err) : resolve())));
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

export async function layerTar(entries: TestEntry[]): Promise<Buffer> {
  return packEntries(
    entries.map((e) => {
      const type = e.type ?? 'file';
      const body = type === 'file' ? Buffer.from(e.content ?? '') : undefined;
      return {
        header: {
          name: e.name,
          type,
          size: body?.length ?? 0,
          linkname: e.linkname,
          mode: e.mode ?? (type === 'directory' ? 0o755 : 0o644),
          mtime: new Date(0)
        },
        body
      };
    })
  );
}

export const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

export interface ArchiveOptions {
  /** created_by per layer (defaults to `RUN step N`). */
  createdBy?: string[];
  /** Layer folder names, stack order; default: names whose alphabetical order is the reverse of the stack. */
  folders?: string[];
  /** Corrupt one layer: the config's diff id for this index is wrong. */
  badDiffIdAt?: number;
  /** Omit a member from the archive. */
  omit?: string;
}

/** A legacy `docker save` archive: `<folder>/layer.tar`…, `<config>.json`, `manifest.json`, in alphabetical order. */
export async function legacyArchive(layers: Buffer[], opts: ArchiveOptions = {}) {
  const folders = opts.folders ?? layers.map((_, i) => `${String.fromCharCode(122 - i).repeat(8)}${i}`);
  const diffIds = layers.map((l, i) => `sha256:${i === opts.badDiffIdAt ? sha256('nope') : sha256(l)}`);
  const config = {
    architecture: 'amd64',
    os: 'linux',
    config: { Env: ['PATH=/usr/bin', 'TOKEN=abc'], Cmd: ['sh'], WorkingDir: '/app', User: 'app' },
    rootfs: { type: 'layers', diff_ids: diffIds },
    history: layers.flatMap((_, i) => [{ created_by: opts.createdBy?.[i] ?? `RUN step ${i} # buildkit` }, { created_by: `ENV X=${i}`, empty_layer: true }])
  };
  const configJson = Buffer.from(JSON.stringify(config));
  const configName = `${sha256(configJson)}.json`;
  const members: { name: string; body: Buffer }[] = layers.map((l, i) => ({ name: `${folders[i]}/layer.tar`, body: l }));
  members.push({ name: configName, body: configJson });
  members.sort((a, b) => a.name.localeCompare(b.name));
  members.push({
    name: 'manifest.json',
    body: Buffer.from(JSON.stringify([{ Config: configName, RepoTags: ['test:latest'], Layers: folders.map((f) => `${f}/layer.tar`) }]))
  });
  members.push({ name: 'repositories', body: Buffer.from('{}') });
  const archive = await packEntries(
    members
      .filter((m) => m.name !== opts.omit)
      .flatMap((m) => {
        const dir = m.name.includes('/') ? [{ header: { name: m.name.split('/')[0] + '/', type: 'directory' as const, mode: 0o755 } }] : [];
        return [...dir, { header: { name: m.name, size: m.body.length, mode: 0o644 }, body: m.body }];
      })
  );
  return { archive, diffIds, configDigest: `sha256:${sha256(configJson)}`, config, folders };
}

/** An OCI-layout archive (newer engines): blobs (optionally gzip-compressed layers), index.json, no manifest.json. */
export async function ociArchive(layers: Buffer[], opts: { gzip?: boolean } = {}) {
  const diffIds = layers.map((l) => `sha256:${sha256(l)}`);
  const blobs = layers.map((l) => (opts.gzip ? gzipSync(l, { level: 6 }) : l));
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'arm64',
      os: 'linux',
      config: {},
      rootfs: { type: 'layers', diff_ids: diffIds },
      history: layers.map((_, i) => ({ created_by: `RUN oci ${i}` }))
    })
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${sha256(config)}`, size: config.length },
      layers: blobs.map((b) => ({
        mediaType: 'application/vnd.oci.image.layer.v1.tar' + (opts.gzip ? '+gzip' : ''),
        digest: `sha256:${sha256(b)}`,
        size: b.length
      }))
    })
  );
  const index = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${sha256(manifest)}`, size: manifest.length }]
    })
  );
  const members = [...blobs, config, manifest].map((b) => ({ name: `blobs/sha256/${sha256(b)}`, body: b }));
  members.push({ name: 'index.json', body: index }, { name: 'oci-layout', body: Buffer.from('{"imageLayoutVersion":"1.0.0"}') });
  const archive = await packEntries(members.map((m) => ({ header: { name: m.name, size: m.body.length }, body: m.body })));
  return { archive, diffIds, blobs, configDigest: `sha256:${sha256(config)}` };
}

/** Streams a buffer in small chunks, like a pipe would. */
export function streamOf(buf: Buffer, chunkSize = 4096): Readable {
  let pos = 0;
  return new Readable({
    read() {
      if (pos >= buf.length) return this.push(null);
      this.push(buf.subarray(pos, pos + chunkSize));
      pos += chunkSize;
    }
  });
}

/** Rewrites the name field of the header whose name is `placeholder` with raw bytes (fixing the checksum). */
export function patchRawName(archive: Buffer, placeholder: string, raw: Buffer): Buffer {
  const out = Buffer.from(archive);
  const needle = Buffer.from(placeholder + '\0');
  for (let off = 0; off + 512 <= out.length; off += 512) {
    if (out.subarray(off, off + needle.length).equals(needle)) {
      out.fill(0, off, off + 100);
      raw.copy(out, off);
      out.fill(0x20, off + 148, off + 156);
      let sum = 0;
      for (let i = off; i < off + 512; i++) sum += out[i];
      out.write(sum.toString(8).padStart(6, '0') + '\0 ', off + 148, 'latin1');
      return out;
    }
  }
  throw new Error(`placeholder ${placeholder} not found`);
}

export const mib = (n: number) => n * 1024 * 1024;
/** Deterministic incompressible-ish bytes. */
export function noise(bytes: number, seed = 1): Buffer {
  const out = Buffer.alloc(bytes);
  let x = seed * 2654435761;
  for (let i = 0; i < bytes; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/**
 * A layer tar written header by header, so names can hold any bytes: `pax: true` puts the name in a PAX `path`
 * record (raw bytes, as Go's archive/tar and so BuildKit write non-ASCII names), else in the ustar name field.
 */
export function rawLayerTar(entries: { name: Buffer; content: Buffer; pax?: boolean }[]): Buffer {
  const blocks: Buffer[] = [];
  const pad = (b: Buffer) => Buffer.concat([b, Buffer.alloc((512 - (b.length % 512)) % 512)]);
  const header = (name: Buffer, size: number, type: string) => {
    const h = Buffer.alloc(512);
    name.copy(h, 0, 0, Math.min(100, name.length));
    h.write('0000644\0', 100, 'latin1');
    h.write('0000000\0', 108, 'latin1');
    h.write('0000000\0', 116, 'latin1');
    h.write(size.toString(8).padStart(11, '0') + '\0', 124, 'latin1');
    h.write('00000000000\0', 136, 'latin1');
    h.write(type, 156, 'latin1');
    h.write('ustar\u000000', 257, 'latin1');
    h.fill(0x20, 148, 156);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
    return h;
  };
  for (const e of entries) {
    if (e.pax) {
      const rec = (len: number) => Buffer.concat([Buffer.from(`${len} path=`), e.name, Buffer.from('\n')]);
      let len = rec(0).length;
      while (rec(len).length !== len) len = rec(len).length;
      const body = rec(len);
      blocks.push(header(Buffer.from('PaxHeaders/x'), body.length, 'x'), pad(body));
      blocks.push(header(Buffer.from('placeholder'), e.content.length, '0'), pad(e.content));
    } else {
      blocks.push(header(e.name, e.content.length, '0'), pad(e.content));
    }
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}
