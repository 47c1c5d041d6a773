// Feeds real tar archives, packed in-test with tar-stream, to a LayerSubscriber the way the image reader does:
// entries in archive order with a layerKey, content only when wanted, `finish` with the stack order last.
// Used by unit tests that must not need Docker; integration tests go through the real reader.
import { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import type { LayerEntry, LayerSubscriber } from '../../src/image/types.js';

export type FileSpec = { path: string; content?: string | Buffer; type?: 'file' | 'directory' | 'symlink'; linkname?: string; mode?: number };

export async function packLayer(files: FileSpec[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const f of files) {
    const type = f.type ?? 'file';
    if (type === 'file') pack.entry({ name: f.path, mode: f.mode ?? 0o644 }, f.content ?? '');
    else pack.entry({ name: f.path, type, linkname: f.linkname, mode: f.mode ?? 0o755 });
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack as unknown as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}

function normalise(name: string): string {
  return name.replace(/^\.?\/+/, '').replace(/\/+$/, '');
}

async function feedLayer(layerKey: string, archive: Buffer, subscriber: LayerSubscriber): Promise<void> {
  const extract = tar.extract();
  Readable.from([archive]).pipe(extract);
  for await (const e of extract) {
    const path = normalise(e.header.name);
    const base = path.slice(path.lastIndexOf('/') + 1);
    const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
    const kind =
      e.header.type === 'file'
        ? 'file'
        : e.header.type === 'directory'
          ? 'directory'
          : e.header.type === 'symlink'
            ? 'symlink'
            : e.header.type === 'link'
              ? 'hardlink'
              : 'other';
    const entry: LayerEntry = { layerKey, path, kind, size: e.header.size ?? 0, mode: e.header.mode ?? 0, linkname: e.header.linkname ?? undefined };
    if (base === '.wh..wh..opq') entry.whiteout = { kind: 'opaque', target: dir };
    else if (base.startsWith('.wh.')) entry.whiteout = { kind: 'delete', target: (dir ? dir + '/' : '') + base.slice(4) };
    subscriber.onEntry?.(entry);
    const want = kind === 'file' ? (subscriber.wantContent?.(entry) ?? 0) : 0;
    const chunks: Buffer[] = [];
    for await (const c of e as AsyncIterable<Buffer>) if (want > 0) chunks.push(c);
    if (want > 0) {
      const all = Buffer.concat(chunks);
      subscriber.onContent?.(entry, all.subarray(0, want), all.length > want);
    }
  }
}

/**
 * Streams `layers` (bottom first) through the subscriber in a shuffled archive order, like `docker save`'s
 * alphabetical folders, then calls finish with the real stack order.
 */
export async function feedLayers(layers: FileSpec[][], subscriber: LayerSubscriber): Promise<string[]> {
  const keys = layers.map((_, i) => `layer-${String.fromCharCode(122 - i)}${i}`); // reverse alphabetical vs stack
  const archives = await Promise.all(layers.map(packLayer));
  const archiveOrder = keys.map((k, i) => ({ k, i })).sort((a, b) => a.k.localeCompare(b.k));
  for (const { k, i } of archiveOrder) await feedLayer(k, archives[i], subscriber);
  subscriber.finish?.({ layerOrder: keys, diffIds: keys.map((k) => `sha256:${k}`) });
  return keys;
}
