// `--html FILE`: one self-contained page (no network request: a CSP forbids any, and nothing is linked) with a
// zoomable treemap of the final filesystem coloured by the layer that added each file, a layer list that
// filters the map, the wasted files and packages, and a path search. Big images stay small: per directory,
// files below 1/20,000 of the image are merged into one entry per layer, so the page holds at most a few
// ten thousand nodes whatever the file count. File names are untrusted: the data travels as JSON inside a
// <script type="application/json"> block with `<` escaped, and the page script only ever sets textContent.
import type { VisibleEntry } from '../inventory/index.js';
import type { Report } from '../report/types.js';
import { stepText } from '../image/rules/describe.js';
import { SIZE_MAP_CSS, SIZE_MAP_JS } from './html-client.js';

/** [name, bytes, layer (dominant one for directories, -1 when none), children (directories only)]. */
export type MapNode = [string, number, number, MapNode[]?];

interface Dir {
  files: [string, number, number][];
  dirs: Map<string, Dir>;
}

const newDir = (): Dir => ({ files: [], dirs: new Map() });

/** The final filesystem as a size tree, small files merged per directory and layer. */
export function buildSizeTree(visible: ReadonlyMap<string, VisibleEntry>, maxLeaves = 20_000): MapNode {
  const top = newDir();
  let total = 0;
  for (const [path, e] of visible) {
    if (e.bytes <= 0) continue;
    total += e.bytes;
    const parts = path.split('/');
    let d = top;
    for (let i = 0; i < parts.length - 1; i++) {
      let next = d.dirs.get(parts[i]);
      if (!next) d.dirs.set(parts[i], (next = newDir()));
      d = next;
    }
    d.files.push([parts[parts.length - 1], e.bytes, e.layer]);
  }
  const minBytes = total / maxLeaves;
  const toNode = (name: string, d: Dir): MapNode => {
    const children: MapNode[] = [];
    const small = new Map<number, { bytes: number; count: number }>();
    for (const [n, bytes, layer] of d.files) {
      if (bytes >= minBytes) children.push([n, bytes, layer]);
      else {
        const s = small.get(layer) ?? { bytes: 0, count: 0 };
        s.bytes += bytes;
        s.count++;
        small.set(layer, s);
      }
    }
    for (const [n, sub] of d.dirs) {
      const node = toNode(n, sub);
      if (node[1] >= minBytes || !node[3]) children.push(node);
      else
        for (const leaf of flattenByLayer(node))
          small.set(leaf.layer, { bytes: (small.get(leaf.layer)?.bytes ?? 0) + leaf.bytes, count: (small.get(leaf.layer)?.count ?? 0) + leaf.count });
    }
    for (const [layer, s] of small) children.push([`(${s.count} small file${s.count === 1 ? '' : 's'})`, s.bytes, layer]);
    const bytes = children.reduce((n, c) => n + c[1], 0);
    return [name, bytes, dominantLayer(children), children];
  };
  return toNode('', top);
}

function flattenByLayer(node: MapNode): { layer: number; bytes: number; count: number }[] {
  const by = new Map<number, { layer: number; bytes: number; count: number }>();
  const walk = (n: MapNode) => {
    if (!n[3]) {
      const e = by.get(n[2]) ?? { layer: n[2], bytes: 0, count: 0 };
      e.bytes += n[1];
      e.count += /^\((\d+) small/.test(n[0]) ? Number(/^\((\d+)/.exec(n[0])![1]) : 1;
      by.set(n[2], e);
    } else n[3].forEach(walk);
  };
  walk(node);
  return [...by.values()];
}

function dominantLayer(children: MapNode[]): number {
  const by = new Map<number, number>();
  const walk = (n: MapNode) => (n[3] ? n[3].forEach(walk) : by.set(n[2], (by.get(n[2]) ?? 0) + n[1]));
  children.forEach(walk);
  let best = -1;
  let bytes = -1;
  for (const [l, b] of by) if (b > bytes) [best, bytes] = [l, b];
  return best;
}

/** JSON safe inside a <script> element: `<`, U+2028/2029 escaped so no `</script>` or line break can end it. */
export const scriptJson = (value: unknown) =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function renderHtml(report: Report, visible: ReadonlyMap<string, VisibleEntry>): string {
  const root = buildSizeTree(visible);
  const visibleByLayer = new Map<number, number>();
  for (const e of visible.values()) visibleByLayer.set(e.layer, (visibleByLayer.get(e.layer) ?? 0) + e.bytes);
  const layers = report.layers.map((l) => ({
    index: l.index,
    label: `${l.step?.line ? `line ${l.step.line}: ` : l.fromBase ? 'base: ' : ''}${stepText(l.step?.instruction ?? l.createdBy, 70)}`,
    size: l.size,
    visibleBytes: visibleByLayer.get(l.index) ?? 0
  }));
  const data = {
    root,
    layers,
    wasted: report.wastedFiles ?? [],
    packages: (report.packages ?? []).map(({ type, name, version, size, layer, dev }) => ({ type, name, version, size, layer, dev }))
  };
  const title = `image-audit size map: ${report.image?.ref ?? report.image?.id ?? 'image'}`;
  const sizes = report.image ? `${(report.image.size / 1e6).toFixed(1)} MB, ${report.image.layers} layers, ${visible.size} files` : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${SIZE_MAP_CSS}</style>
</head>
<body>
<header><h1>${escapeHtml(title)}</h1><p>${escapeHtml(sizes)} · generated ${escapeHtml(report.generatedAt)} by image-audit ${escapeHtml(report.tool.version)}</p></header>
<main>
<aside>
<h2>Layers</h2>
<p class="muted">Click a layer to show only the files it added.</p>
<ul id="layers"></ul>
<h2>Search</h2>
<input type="search" id="search" placeholder="path contains…" aria-label="Search by path">
<div id="results"></div>
</aside>
<section>
<div id="crumbs"></div>
<div id="current" class="muted"></div>
<div id="map" role="img" aria-label="Treemap of the final filesystem"></div>
<p class="muted">Areas are bytes in the final filesystem; colours are the layer that added each file. Click a directory to zoom in, a path segment above to zoom out.</p>
</section>
<section class="wide"><h2>Largest wasted files</h2><table id="wasted"></table></section>
<section class="wide"><h2>Packages</h2><table id="packages"></table></section>
</main>
<script type="application/json" id="size-map-data">${scriptJson(data)}</script>
<script>${SIZE_MAP_JS}</script>
</body>
</html>
`;
}
