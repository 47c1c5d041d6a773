// The layered filesystem model, built from one pass of the reader. While the archive streams (layers arrive in
// archive order) each layer's entries are kept as compact columns (path, kind, size, mode); once the stack
// order is known, layers are applied bottom-up to ONE tree of the final filesystem with exact whiteout
// semantics. Every copy that gets hidden is recorded as a small event; no per-layer tree and no file content
// is kept. Content is read only for the package databases (to count packages).
import type { ImageLayout, LayerEntry, LayerSubscriber } from './types.js';
import type { LargeFile, LayerFiles, SizeTreeNode, WastedFile } from '../report/types.js';
import { residueLocationOf } from './residue.js';

const enum Kind {
  File = 0,
  Dir = 1,
  Symlink = 2,
  Hardlink = 3,
  Other = 4,
  WhiteoutDelete = 5,
  WhiteoutOpaque = 6
}

const KIND_CODE: Record<LayerEntry['kind'], Kind> = {
  file: Kind.File,
  directory: Kind.Dir,
  symlink: Kind.Symlink,
  hardlink: Kind.Hardlink,
  other: Kind.Other
};

/** One layer's entries as parallel columns: far smaller than an object per entry. */
class LayerColumns {
  paths: string[] = [];
  kinds: number[] = [];
  sizes: number[] = [];
  modes: number[] = [];
  links = new Map<number, string>();
  /** Package counts read from package databases in this layer, by path. */
  packageCounts = new Map<string, number>();
}

interface Node {
  kind: Kind;
  /** Stack index of the layer the visible copy came from. */
  layer: number;
  /** Index into blob arrays (content identity; hard links share their target's), -1 for none. */
  blob: number;
  mode: number;
  children?: Map<string, Node>;
}

export type HiddenHow = 'overwritten' | 'deleted' | 'opaque';

export interface Visibility {
  visibleInFinal: boolean;
  hiddenInLayer?: number;
  how?: HiddenHow;
}

export interface FileVisibility {
  /** What became of the copy of `path` (no leading slash) that layer `layerIndex` added. */
  lookup(path: string, layerIndex: number): Visibility;
}

export interface VisibleFile {
  path: string;
  kind: 'file' | 'symlink' | 'hardlink' | 'other';
  /** Bytes this entry holds (0 for hard links: the data is counted with its target). */
  bytes: number;
  layer: number;
  mode: number;
}

export interface LayerWaste {
  /** Per stack index. */
  totalBytes: number[];
  wastedBytes: number[];
  entries: number[];
  /** Residue bytes each layer added, by location key. */
  residue: Record<string, number>[];
}

/** Package databases whose content the model reads (bounded), to count installed OS packages. */
const DPKG_STATUS = 'var/lib/dpkg/status';
const APK_INSTALLED = 'lib/apk/db/installed';
const PACKAGE_DB_MAX = 64 * 1024 * 1024;

export function countPackages(path: string, content: Buffer): number {
  const text = content.toString('utf8');
  if (path === APK_INSTALLED) return (text.match(/^P:/gm) ?? []).length;
  // dpkg: one stanza per package; only `install ok installed` ones are installed.
  return (text.match(/^Status: .*\binstalled$/gm) ?? []).filter((s) => !/not-installed|config-files/.test(s)).length;
}

export class FilesystemModel implements LayerSubscriber {
  private readonly byKey = new Map<string, LayerColumns>();
  private root: Node = { kind: Kind.Dir, layer: -1, blob: -1, mode: 0o755, children: new Map() };
  private blobSize: number[] = [];
  private blobLayer: number[] = [];
  private blobVisible: Uint8Array = new Uint8Array(0);
  /** Hidden copies: parallel columns. */
  private hPath: string[] = [];
  private hBlob: number[] = [];
  private hBytes: number[] = [];
  private hAdded: number[] = [];
  private hHidden: number[] = [];
  private hHow: HiddenHow[] = [];
  /** Directory a whiteout/opaque hid (for grouping `rm -rf dir/`), or the path itself. */
  private hGroup: string[] = [];
  private hiddenIndex = new Map<string, number>();
  private layerCount = 0;
  private finished = false;
  private packageDbCounts: { dpkg?: number; dpkgStatusD: number; apk?: number } = { dpkgStatusD: 0 };
  layerWaste: LayerWaste = { totalBytes: [], wastedBytes: [], entries: [], residue: [] };

  onEntry(e: LayerEntry): void {
    let cols = this.byKey.get(e.layerKey);
    if (!cols) this.byKey.set(e.layerKey, (cols = new LayerColumns()));
    const i = cols.paths.length;
    if (e.whiteout) {
      cols.paths.push(e.whiteout.target);
      cols.kinds.push(e.whiteout.kind === 'opaque' ? Kind.WhiteoutOpaque : Kind.WhiteoutDelete);
      cols.sizes.push(0);
      cols.modes.push(0);
      return;
    }
    cols.paths.push(e.path);
    cols.kinds.push(KIND_CODE[e.kind]);
    // Docker counts a symlink's target length as its size; keep totals consistent with image.size.
    cols.sizes.push(e.kind === 'symlink' ? Buffer.byteLength(e.linkname ?? '') : e.size);
    cols.modes.push(e.mode);
    if (e.kind === 'hardlink' && e.linkname !== undefined) cols.links.set(i, e.linkname);
  }

  wantContent(e: LayerEntry): number {
    return e.path === DPKG_STATUS || e.path === APK_INSTALLED ? PACKAGE_DB_MAX : 0;
  }

  onContent(e: LayerEntry, content: Buffer): void {
    let cols = this.byKey.get(e.layerKey);
    if (!cols) this.byKey.set(e.layerKey, (cols = new LayerColumns()));
    cols.packageCounts.set(e.path, countPackages(e.path, content));
  }

  finish(layout: ImageLayout): void {
    this.layerCount = layout.layerOrder.length;
    for (let index = 0; index < layout.layerOrder.length; index++) {
      const key = layout.layerOrder[index];
      const cols = this.byKey.get(key) ?? new LayerColumns();
      this.applyLayer(index, cols);
      // A key can sit at two stack positions (identical layers): keep its columns until the last use.
      if (layout.layerOrder.indexOf(key, index + 1) === -1) this.byKey.delete(key);
    }
    this.computeVisibility();
    this.finished = true;
  }

  private applyLayer(layer: number, cols: LayerColumns): void {
    const n = cols.paths.length;
    const residue: Record<string, number> = {};
    let total = 0;
    // Whiteouts apply to the layers below, so they go first.
    for (let i = 0; i < n; i++) {
      const kind = cols.kinds[i];
      if (kind === Kind.WhiteoutDelete) {
        const { parent, name } = this.parentOf(cols.paths[i], false);
        const node = parent?.children?.get(name);
        if (node) {
          this.hide(node, cols.paths[i], layer, 'deleted', cols.paths[i]);
          parent!.children!.delete(name);
        }
      } else if (kind === Kind.WhiteoutOpaque) {
        const node = this.find(cols.paths[i]);
        if (node?.children) {
          for (const [name, child] of node.children) this.hide(child, join(cols.paths[i], name), layer, 'opaque', cols.paths[i]);
          node.children.clear();
        }
      }
    }
    const fileBlobs = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const kind = cols.kinds[i] as Kind;
      if (kind === Kind.WhiteoutDelete || kind === Kind.WhiteoutOpaque) continue;
      const path = cols.paths[i];
      const { parent, name } = this.parentOf(path, true, layer);
      const existing = parent!.children!.get(name);
      if (kind === Kind.Dir) {
        if (existing?.kind === Kind.Dir) {
          existing.mode = cols.modes[i];
          continue;
        }
        if (existing) this.hide(existing, path, layer, 'overwritten', path);
        parent!.children!.set(name, { kind, layer, blob: -1, mode: cols.modes[i], children: new Map() });
        continue;
      }
      if (existing) this.hide(existing, path, layer, 'overwritten', path);
      let blob: number;
      if (kind === Kind.Hardlink) {
        blob = fileBlobs.get(cols.links.get(i) ?? '') ?? -1;
      } else {
        const size = cols.sizes[i];
        blob = this.blobSize.length;
        this.blobSize.push(size);
        this.blobLayer.push(layer);
        total += size;
        if (kind === Kind.File) {
          fileBlobs.set(path, blob);
          const r = size > 0 ? residueLocationOf(path) : undefined;
          if (r) residue[r.key] = (residue[r.key] ?? 0) + size;
        }
      }
      parent!.children!.set(name, { kind, layer, blob, mode: cols.modes[i] });
    }
    for (const [path, count] of cols.packageCounts) {
      // Only the copy visible at the end counts; remember which layer each count belongs to.
      this.pendingPackageCounts.push({ path, layer, count });
    }
    this.layerWaste.totalBytes[layer] = total;
    this.layerWaste.entries[layer] = n;
    this.layerWaste.residue[layer] = residue;
  }

  private pendingPackageCounts: { path: string; layer: number; count: number }[] = [];

  /** Records every non-directory copy under `node` as hidden by `layer`. */
  private hide(node: Node, path: string, layer: number, how: HiddenHow, group: string): void {
    if (node.children) {
      for (const [name, child] of node.children) this.hide(child, join(path, name), layer, how, group);
      return;
    }
    const own = node.kind !== Kind.Hardlink && node.blob >= 0;
    const i = this.hPath.length;
    this.hPath.push(path);
    this.hBlob.push(node.blob);
    this.hBytes.push(own ? this.blobSize[node.blob] : 0);
    this.hAdded.push(node.layer);
    this.hHidden.push(layer);
    this.hHow.push(how);
    this.hGroup.push(group);
    this.hiddenIndex.set(`${node.layer}\0${path}`, i);
  }

  private find(path: string): Node | undefined {
    if (path === '') return this.root;
    let node: Node | undefined = this.root;
    for (const part of path.split('/')) {
      node = node?.children?.get(part);
      if (!node) return undefined;
    }
    return node;
  }

  /** Parent directory node of `path`; with `create`, missing (or non-directory) parents become directories. */
  private parentOf(path: string, create: boolean, layer = -1): { parent: Node | undefined; name: string } {
    const parts = path.split('/');
    const name = parts.pop()!;
    let node = this.root;
    let soFar = '';
    for (const part of parts) {
      soFar = soFar ? `${soFar}/${part}` : part;
      let child = node.children!.get(part);
      if (!child || !child.children) {
        if (!create) return { parent: undefined, name };
        // A file replaced by a directory in a higher layer: the file is hidden.
        if (child) this.hide(child, soFar, layer, 'overwritten', soFar);
        child = { kind: Kind.Dir, layer, blob: -1, mode: 0o755, children: new Map() };
        node.children!.set(part, child);
      }
      node = child;
    }
    return { parent: node, name };
  }

  private computeVisibility(): void {
    this.blobVisible = new Uint8Array(this.blobSize.length);
    this.forEachNode(this.root, '', (_path, node) => {
      if (node.blob >= 0) this.blobVisible[node.blob] = 1;
    });
    const wasted = new Array<number>(this.layerCount).fill(0);
    for (let b = 0; b < this.blobSize.length; b++) {
      if (!this.blobVisible[b]) wasted[this.blobLayer[b]] += this.blobSize[b];
    }
    this.layerWaste.wastedBytes = wasted;
    for (let l = 0; l < this.layerCount; l++) {
      this.layerWaste.totalBytes[l] ??= 0;
      this.layerWaste.entries[l] ??= 0;
      this.layerWaste.residue[l] ??= {};
    }
    // Package counts: the database copies that are visible in the final filesystem.
    const counts = this.packageDbCounts;
    for (const { path, layer, count } of this.pendingPackageCounts) {
      const node = this.find(path);
      if (node?.layer !== layer) continue;
      if (path === DPKG_STATUS) counts.dpkg = count;
      else if (path === APK_INSTALLED) counts.apk = count;
    }
    const statusD = this.find('var/lib/dpkg/status.d');
    counts.dpkgStatusD = statusD?.children ? [...statusD.children.values()].filter((c) => !c.children).length : 0;
    this.pendingPackageCounts = [];
  }

  private forEachNode(node: Node, path: string, fn: (path: string, node: Node) => void): void {
    if (!node.children) return;
    for (const [name, child] of node.children) {
      const p = path ? `${path}/${name}` : name;
      fn(p, child);
      this.forEachNode(child, p, fn);
    }
  }

  private assertFinished(): void {
    if (!this.finished) throw new Error('FilesystemModel used before the archive was read');
  }

  /** Visible non-directory entries of the final filesystem. */
  forEachVisible(fn: (file: VisibleFile) => void): void {
    this.assertFinished();
    this.forEachNode(this.root, '', (path, node) => {
      if (node.children) return;
      const kind = node.kind === Kind.File ? 'file' : node.kind === Kind.Symlink ? 'symlink' : node.kind === Kind.Hardlink ? 'hardlink' : 'other';
      const bytes = node.kind === Kind.Hardlink || node.blob < 0 ? 0 : this.blobSize[node.blob];
      fn({ path, kind, bytes, layer: node.layer, mode: node.mode });
    });
  }

  /** Total bytes over all layers, bytes visible in the final filesystem, and the difference. */
  totals(): { totalBytes: number; visibleBytes: number; wastedBytes: number } {
    this.assertFinished();
    let total = 0;
    let visible = 0;
    for (let b = 0; b < this.blobSize.length; b++) {
      total += this.blobSize[b];
      if (this.blobVisible[b]) visible += this.blobSize[b];
    }
    return { totalBytes: total, visibleBytes: visible, wastedBytes: total - visible };
  }

  /** Wasted bytes split by where the hiding happened: inside the base layers, or in the user's layers. */
  wasteSplit(baseLayerCount: number): { base: number; user: number } {
    this.assertFinished();
    let base = 0;
    let user = 0;
    for (let i = 0; i < this.hPath.length; i++) {
      if (this.hBytes[i] === 0 || this.blobVisible[this.hBlob[i]]) continue;
      if (this.hHidden[i] < baseLayerCount) base += this.hBytes[i];
      else user += this.hBytes[i];
    }
    return { base, user };
  }

  /**
   * Largest wasted items. Copies hidden together by one whiteout or opaque directory (`rm -rf dir/`) are one
   * item named after the directory; overwritten files are listed one by one. With `baseLayerCount`, the
   * user's items (added by their own layers) and the base image's are ranked apart: up to `limit` of each,
   * the user's first, so the base's waste can never push the user's own out of the list.
   */
  wastedFiles(limit = 20, baseLayerCount = 0): WastedFile[] {
    const groups = this.wasteGroups(baseLayerCount);
    const rank = (list: WastedFile[]) => list.sort((a, b) => b.bytes - a.bytes || a.path.localeCompare(b.path)).slice(0, limit);
    return [...rank(groups.filter((g) => !g.fromBase)), ...rank(groups.filter((g) => g.fromBase))];
  }

  /** Wasted items (as wastedFiles groups them) and bytes: the files your steps added vs the base image's. */
  wasteTotals(baseLayerCount: number): { yours: { files: number; bytes: number }; base: { files: number; bytes: number } } {
    const yours = { files: 0, bytes: 0 };
    const base = { files: 0, bytes: 0 };
    for (const g of this.wasteGroups(baseLayerCount)) {
      const t = g.fromBase ? base : yours;
      t.files++;
      t.bytes += g.bytes;
    }
    return { yours, base };
  }

  private wasteGroups(baseLayerCount: number): WastedFile[] {
    this.assertFinished();
    const groups = new Map<string, WastedFile>();
    for (let i = 0; i < this.hPath.length; i++) {
      const bytes = this.hBytes[i];
      if (bytes === 0 || this.blobVisible[this.hBlob[i]]) continue;
      const how = this.hHow[i];
      const path = how === 'overwritten' ? this.hPath[i] : this.hGroup[i];
      const key = `${this.hAdded[i]}\0${this.hHidden[i]}\0${how}\0${path}`;
      const g = groups.get(key);
      if (g) g.bytes += bytes;
      else {
        const item: WastedFile = { path, bytes, addedInLayer: this.hAdded[i], hiddenInLayer: this.hHidden[i], how };
        // The base's = files the base image added (even when your apt-get overwrote them, e.g. debconf
        // templates): nothing to fix in this Dockerfile. Yours = files your own steps added.
        if (this.hAdded[i] < baseLayerCount) item.fromBase = true;
        groups.set(key, item);
      }
    }
    return [...groups.values()];
  }

  /**
   * Where the bytes are, as a bounded tree of the final filesystem. A directory is expanded when it holds at
   * least `expandShare` of the image, or when one child dominates it (≥ `dominantShare` of it: a chain like
   * /app → node_modules → typescript is followed down to where the bytes split). Each expanded level lists its
   * `topK` largest children that hold at least `showShare` of the image (and `minBytes`). Depth-first, at most
   * `maxLines` rows. Directory sizes are computed once, bottom-up (one small record per directory).
   */
  sizeTree(
    opts: { expandShare?: number; showShare?: number; minBytes?: number; topK?: number; maxLines?: number; dominantShare?: number } = {}
  ): SizeTreeNode[] {
    this.assertFinished();
    const { expandShare = 0.05, showShare = 0.01, minBytes = 64 * 1024, topK = 5, maxLines = 40, dominantShare = 0.5 } = opts;
    const sizes = new Map<Node, { bytes: number; files: number }>();
    const measure = (node: Node): { bytes: number; files: number } => {
      if (!node.children) {
        const own = node.kind !== Kind.Hardlink && node.blob >= 0 ? this.blobSize[node.blob] : 0;
        return { bytes: own, files: node.kind === Kind.File || node.kind === Kind.Hardlink ? 1 : 0 };
      }
      let bytes = 0;
      let files = 0;
      for (const child of node.children.values()) {
        const m = measure(child);
        bytes += m.bytes;
        files += m.files;
      }
      const m = { bytes, files };
      sizes.set(node, m);
      return m;
    };
    const total = measure(this.root).bytes;
    const out: SizeTreeNode[] = [];
    if (total === 0) return out;
    const shown = Math.max(minBytes, showShare * total);
    const expand = (dir: Node, path: string, depth: number) => {
      const children = [...dir.children!.entries()]
        .map(([name, child]) => ({ name, child, m: child.children ? sizes.get(child)! : measureLeaf(child) }))
        .filter((c) => c.m.bytes >= shown)
        .sort((a, b) => b.m.bytes - a.m.bytes || a.name.localeCompare(b.name))
        .slice(0, topK);
      for (const { name, child, m } of children) {
        if (out.length >= maxLines) return;
        const p = path ? `${path}/${name}` : name;
        out.push({ path: p, bytes: m.bytes, depth, files: m.files, dir: Boolean(child.children) });
        if (child.children && (m.bytes >= expandShare * total || dominated(child, m.bytes))) expand(child, p, depth + 1);
      }
    };
    const dominated = (dir: Node, bytes: number) => {
      let largest = 0;
      for (const c of dir.children!.values()) largest = Math.max(largest, c.children ? sizes.get(c)!.bytes : measureLeaf(c).bytes);
      return bytes > 0 && largest >= dominantShare * bytes;
    };
    const measureLeaf = (node: Node) => ({ bytes: node.kind !== Kind.Hardlink && node.blob >= 0 ? this.blobSize[node.blob] : 0, files: 1 });
    expand(this.root, '', 0);
    return out;
  }

  /**
   * One pass over the visible files: the `limit` largest overall, and per layer the `perLayer` largest it
   * added with its file count and bytes. Top-k insertion keeps memory at O(layers × perLayer).
   */
  largestFiles(limit = 20, perLayer = 10): { largest: LargeFile[]; layers: LayerFiles[] } {
    this.assertFinished();
    const largest: LargeFile[] = [];
    const layers = new Map<number, LayerFiles>();
    const insert = <T extends { bytes: number }>(list: T[], item: T, k: number) => {
      if (list.length >= k && list[list.length - 1].bytes >= item.bytes) return;
      let i = list.length;
      while (i > 0 && list[i - 1].bytes < item.bytes) i--;
      list.splice(i, 0, item);
      if (list.length > k) list.pop();
    };
    this.forEachVisible((f) => {
      if (f.kind !== 'file') return;
      let l = layers.get(f.layer);
      if (!l) layers.set(f.layer, (l = { layer: f.layer, files: [], count: 0, bytes: 0 }));
      l.count++;
      l.bytes += f.bytes;
      if (f.bytes === 0) return;
      insert(l.files, { path: f.path, bytes: f.bytes }, perLayer);
      insert(largest, { path: f.path, bytes: f.bytes, layer: f.layer }, limit);
    });
    return { largest, layers: [...layers.values()].sort((a, b) => a.layer - b.layer) };
  }

  /** Visible bytes per top-level directory (`du -s /*`), largest first. */
  largestDirectories(limit = 10): { path: string; bytes: number }[] {
    this.assertFinished();
    const out: { path: string; bytes: number }[] = [];
    for (const [name, child] of this.root.children!) {
      if (!child.children) continue;
      let bytes = 0;
      this.forEachNode(child, name, (_p, node) => {
        if (!node.children && node.kind !== Kind.Hardlink && node.blob >= 0) bytes += this.blobSize[node.blob];
      });
      out.push({ path: name, bytes });
    }
    return out.sort((a, b) => b.bytes - a.bytes || a.path.localeCompare(b.path)).slice(0, limit);
  }

  /** Installed OS packages from the visible dpkg status / apk database, undefined when there is none. */
  packages(): number | undefined {
    this.assertFinished();
    const c = this.packageDbCounts;
    if (c.dpkg === undefined && c.apk === undefined && c.dpkgStatusD === 0) return undefined;
    return (c.dpkg ?? 0) + (c.apk ?? 0) + c.dpkgStatusD;
  }

  visibility(): FileVisibility {
    this.assertFinished();
    return {
      lookup: (rawPath: string, layerIndex: number): Visibility => {
        const path = rawPath.replace(/^\.?\/+/, '').replace(/\/+$/, '');
        const h = this.hiddenIndex.get(`${layerIndex}\0${path}`);
        if (h !== undefined) return { visibleInFinal: false, hiddenInLayer: this.hHidden[h], how: this.hHow[h] };
        const node = this.find(path);
        return { visibleInFinal: node !== undefined && (node.layer === layerIndex || node.kind === Kind.Dir) };
      }
    };
  }
}

const join = (dir: string, name: string) => (dir ? `${dir}/${name}` : name);
