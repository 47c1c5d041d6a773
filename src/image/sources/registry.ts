// registry://HOST[:PORT]/REPO[:TAG|@DIGEST]: manifests and blobs from an OCI Distribution registry.
import { RegistryClient } from '../../registry/client.js';
import { formatReference, parseRegistryReference } from '../../registry/reference.js';
import { resolveImages, type BlobStore } from './oci.js';
import type { ImageSource, SourceOptions } from './types.js';

export function registrySource(text: string, opts: SourceOptions = {}): ImageSource {
  const ref = parseRegistryReference(text);
  const client = new RegistryClient(ref.host, { insecureRegistries: opts.insecureRegistries, env: opts.env });
  const name = formatReference(ref);
  const store: BlobStore = {
    name,
    getManifest: (reference) => client.getManifest(ref.repository, reference),
    openBlob: (desc) => client.openBlob(ref.repository, desc.digest)
  };
  return {
    kind: 'registry',
    display: `registry://${name}`,
    resolve: (platform) => resolveImages(store, ref.digest ?? ref.tag ?? 'latest', platform)
  };
}
