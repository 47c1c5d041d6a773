// One reader interface for every place an image can come from, so the analysis never cares where bytes come
// from: the local engine (`docker save`), a `docker save` file, an OCI layout directory or archive, a registry.
import type { ImageArchive } from '../reader.js';
import type { LayerSubscriber } from '../types.js';

export type SourceKind = 'engine' | 'docker-archive' | 'oci-layout' | 'oci-archive' | 'registry';

/** An OCI content descriptor (manifest, config or layer). */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { os?: string; architecture?: string; variant?: string };
  annotations?: Record<string, string>;
}

/** One image (one platform) a source resolved to, ready to be streamed once. */
export interface SourceImage {
  /** `linux/arm64`, `linux/arm/v7`; undefined when the source does not say. */
  platform?: string;
  /** Digest of the image manifest, when the source has one (registry, OCI). */
  manifestDigest?: string;
  /**
   * Streams every layer through `subscribers` (bottom first for registries and layouts; archive order for
   * archives, as today) and returns what was read, layers in stack order, diff ids verified.
   */
  read(subscribers: LayerSubscriber[]): Promise<SourceRead>;
}

export interface SourceRead extends ImageArchive {
  /** `manifest`: layer sizes are the manifest's (what a pull transfers); `estimate`: gzip -6 of each layer tar. */
  compressedSizeSource: 'manifest' | 'estimate';
}

export interface ImageSource {
  kind: SourceKind;
  /** How the user wrote it (for messages and `image.ref`). */
  display: string;
  /**
   * The images to analyse: one, or for an index one per platform. `platform` is `os/arch[/variant]`, `all`, or
   * undefined (the default platform: linux/amd64 when present, else the first).
   */
  resolve(platform?: string): Promise<SourceImage[]>;
}

export interface SourceOptions {
  /** Registries reachable over plain HTTP or with an unverified certificate. */
  insecureRegistries?: string[];
  env?: NodeJS.ProcessEnv;
  /** Folder relative paths are resolved against. */
  cwd?: string;
}
