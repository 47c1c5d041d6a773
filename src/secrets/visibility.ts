// Whether a file a layer added is still visible at the top of the stack, and which layer hid it. The image
// analysis computes this for every path (`files.lookup`); this small tracker is the scanner's own fallback
// when it runs without that index (it keeps each layer's paths and whiteouts while the archive streams).
import type { ImageLayout, LayerEntry } from '../image/types.js';

export type HideHow = 'overwritten' | 'deleted' | 'opaque';

export interface FileVisibility {
  visibleInFinal: boolean;
  hiddenInLayer?: number;
  how?: HideHow;
}

export interface VisibilityLookup {
  lookup(path: string, layerIndex: number): FileVisibility | undefined;
}

interface LayerPaths {
  paths: Set<string>;
  deleted: Set<string>;
  opaque: Set<string>;
}

export class VisibilityTracker implements VisibilityLookup {
  private readonly byKey = new Map<string, LayerPaths>();
  private order: LayerPaths[] = [];

  onEntry(entry: LayerEntry): void {
    let layer = this.byKey.get(entry.layerKey);
    if (!layer) this.byKey.set(entry.layerKey, (layer = { paths: new Set(), deleted: new Set(), opaque: new Set() }));
    if (entry.whiteout?.kind === 'delete') layer.deleted.add(entry.whiteout.target);
    else if (entry.whiteout?.kind === 'opaque') layer.opaque.add(entry.whiteout.target);
    else layer.paths.add(entry.path);
  }

  finish(layout: ImageLayout): void {
    this.order = layout.layerOrder.map((k) => this.byKey.get(k) ?? { paths: new Set(), deleted: new Set(), opaque: new Set() });
  }

  lookup(path: string, layerIndex: number): FileVisibility | undefined {
    if (layerIndex < 0 || layerIndex >= this.order.length) return undefined;
    const ancestors = path.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
    for (let i = layerIndex + 1; i < this.order.length; i++) {
      const layer = this.order[i];
      // A later layer can delete the file or a parent, make a parent opaque, or write the same path.
      if (ancestors.some((a) => layer.deleted.has(a))) return { visibleInFinal: false, hiddenInLayer: i, how: 'deleted' };
      if (ancestors.slice(0, -1).some((a) => layer.opaque.has(a))) return { visibleInFinal: false, hiddenInLayer: i, how: 'opaque' };
      if (layer.paths.has(path)) return { visibleInFinal: false, hiddenInLayer: i, how: 'overwritten' };
    }
    return { visibleInFinal: true };
  }
}
