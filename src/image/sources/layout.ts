// oci-layout://DIR[:TAG|@DIGEST]: an OCI image layout directory (oci-layout, index.json, blobs/ALG/HEX), as
// written by `skopeo copy … oci:DIR:TAG`, `docker buildx build --output type=oci,tar=false`, buildah, kaniko.
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { UserError } from '../../util/errors.js';
import { MEDIA, resolveImages, type BlobStore } from './oci.js';
import type { Descriptor, ImageSource, SourceOptions } from './types.js';

const REF_NAME = 'org.opencontainers.image.ref.name';
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/** `DIR`, `DIR:TAG`, `DIR@sha256:…` (a `:` followed by a path separator stays part of DIR). */
export function splitLayoutReference(text: string): { dir: string; tag?: string; digest?: string } {
  const at = text.lastIndexOf('@');
  if (at > 0 && /^sha256:[0-9a-f]{64}$/.test(text.slice(at + 1))) return { dir: text.slice(0, at), digest: text.slice(at + 1) };
  const colon = text.lastIndexOf(':');
  if (colon > 0 && !/[/\\]/.test(text.slice(colon + 1)) && text.slice(colon + 1)) return { dir: text.slice(0, colon), tag: text.slice(colon + 1) };
  return { dir: text };
}

export function ociLayoutSource(text: string, opts: SourceOptions = {}): ImageSource {
  const { dir: rel, tag, digest } = splitLayoutReference(text);
  const dir = path.resolve(opts.cwd ?? process.cwd(), rel);
  const display = `oci-layout://${text}`;
  const blobPath = (d: string) => {
    const [alg, hex] = d.split(':');
    if (!/^[a-z0-9]+$/.test(alg ?? '') || !/^[a-f0-9]+$/.test(hex ?? '')) throw new UserError(`${display}: '${d}' is not a digest.`);
    return path.join(dir, 'blobs', alg, hex);
  };
  const readBlob = async (d: string) => {
    try {
      return await readFile(blobPath(d));
    } catch {
      throw new UserError(`${display} has no blob ${d}.`, 'The layout is incomplete; write it again (e.g. skopeo copy … oci:DIR:TAG).');
    }
  };

  const store: BlobStore = {
    name: display,
    async getManifest(reference) {
      if (reference.startsWith('sha256:')) {
        const bytes = await readBlob(reference);
        if (bytes.length > MAX_MANIFEST_BYTES) throw new UserError(`${display}: the manifest ${reference} is too large.`);
        return { mediaType: '', digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`, bytes };
      }
      // The root: index.json, narrowed to the tag when one is given.
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      let index: any;
      try {
        index = JSON.parse(await readFile(path.join(dir, 'index.json'), 'utf8'));
      } catch {
        const exists = await stat(dir).then(
          (s) => s.isDirectory(),
          () => false
        );
        throw new UserError(
          exists
            ? `${display} is not an OCI image layout: ${path.join(dir, 'index.json')} is missing or not JSON.`
            : `${display}: the directory ${dir} does not exist.`,
          'Write one with `skopeo copy docker://IMAGE oci:DIR:TAG` or `docker buildx build --output type=oci,tar=false,dest=DIR`.'
        );
      }
      const all: Descriptor[] = Array.isArray(index.manifests) ? index.manifests : [];
      const picked = tag ? all.filter((d) => d.annotations?.[REF_NAME] === tag) : all;
      if (tag && !picked.length) {
        const tags = all.map((d) => d.annotations?.[REF_NAME]).filter(Boolean);
        throw new UserError(
          `${display}: the layout has no image tagged '${tag}'.`,
          tags.length ? `Its tags: ${tags.join(', ')}.` : 'Its index.json names no tags; drop the :TAG.'
        );
      }
      // One entry: that manifest or index itself; several: treat index.json as the index.
      if (picked.length === 1) {
        const bytes = await readBlob(picked[0].digest);
        return { mediaType: picked[0].mediaType ?? '', digest: picked[0].digest, bytes };
      }
      return { mediaType: MEDIA.ociIndex, digest: '', bytes: Buffer.from(JSON.stringify({ ...index, manifests: picked })) };
    },
    async openBlob(desc) {
      const file = blobPath(desc.digest);
      await stat(file).catch(() => {
        throw new UserError(`${display} has no blob ${desc.digest}.`, 'The layout is incomplete; write it again (e.g. skopeo copy … oci:DIR:TAG).');
      });
      return createReadStream(file, { highWaterMark: 1024 * 1024 });
    }
  };
  return { kind: 'oci-layout', display, resolve: (platform) => resolveImages(store, digest ?? 'root', platform) };
}
