// What the streaming image reader offers the stages that subscribe to it (analysis, waste, secrets).
// The reader walks `docker save` once. Layers arrive in archive order, which is NOT stack order (Docker
// names layer folders by id), so entries carry a `layerKey`; once the manifest is read the reader maps
// keys to stack positions and subscribers finish their work in `finish()`.

export type EntryKind = 'file' | 'directory' | 'symlink' | 'hardlink' | 'other';

export interface LayerEntry {
  /** Opaque id of the layer within this archive (its folder or blob digest); map with ImageLayout. */
  layerKey: string;
  /** Normalised path inside the image: no leading `./` or `/`, no trailing `/` (e.g. `root/.npmrc`). */
  path: string;
  kind: EntryKind;
  /** Bytes of content for regular files, 0 otherwise. */
  size: number;
  mode: number;
  /** Target for symlinks and hard links (hard links: normalised image path). */
  linkname?: string;
  /** `.wh.<name>` → the path it deletes; `.wh..wh..opq` → the directory made opaque. */
  whiteout?: { kind: 'delete' | 'opaque'; target: string };
}

/** Final layout, known after the archive's manifest has been read. */
export interface ImageLayout {
  /** layerKeys in stack order (bottom first), one per RootFS layer. */
  layerOrder: string[];
  /** RootFS diff ids, same order. */
  diffIds: string[];
}

/**
 * A stage that looks at layer entries while the archive streams. `wantContent` decides, per entry, how many
 * bytes of content the subscriber wants (0 = none); the reader buffers at most that many and calls
 * `onContent`. Content is never buffered for entries nobody wants.
 */
export interface LayerSubscriber {
  onEntry?(entry: LayerEntry): void;
  wantContent?(entry: LayerEntry): number;
  onContent?(entry: LayerEntry, content: Buffer, truncated: boolean): void;
  /** Called once, after the whole archive is read and layers are ordered. */
  finish?(layout: ImageLayout): void;
}

/** What the reader measured for one layer while streaming it (stack order in ImageArchive.layerStats). */
export interface LayerStats {
  /** 0-based position in RootFS.Layers. */
  index: number;
  layerKey: string;
  /** sha256 of the uncompressed layer tar, `sha256:…`; verified against the config's diff id. */
  diffId: string;
  /** Bytes of the uncompressed layer tar. */
  tarBytes: number;
  /**
   * Bytes as Docker counts a layer. From the stream: regular file contents (hard links once) + symlink target
   * lengths, which is what Docker 20.10 records for imported layers; BuildKit-made layers leave symlinks out, so
   * analyseImage replaces this with `docker history`'s exact numbers when they add up to the image size.
   */
  size: number;
  /** Entries in the layer tar (files, dirs, links, whiteouts). */
  entries: number;
  /** gzip -6 size of the layer tar: estimated, or exact when the archive stored it gzip-compressed. */
  compressedSize: number;
  compressedExact: boolean;
}
