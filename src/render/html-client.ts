// The size map's inline stylesheet and script (no network, no framework). The script reads the JSON data block,
// draws a squarified treemap of the current directory two levels deep with absolutely positioned divs, and
// wires the layer list (filter), the breadcrumb (zoom out), clicks on directories (zoom in) and the path search.
// Every piece of image data reaches the page through textContent / title, never as markup.

export const SIZE_MAP_CSS = `
*{box-sizing:border-box}body{font:13px/1.4 system-ui,sans-serif;margin:0;color:#1b1f24;background:#f6f8fa}
header{padding:10px 16px;background:#24292f;color:#fff}header h1{font-size:16px;margin:0}header p{margin:2px 0 0;color:#c9d1d9}
main{display:grid;grid-template-columns:300px 1fr;gap:12px;padding:12px}
aside,section{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:8px}
#layers{list-style:none;margin:0;padding:0;max-height:60vh;overflow:auto}
#layers button{display:flex;gap:6px;width:100%;text-align:left;border:1px solid transparent;background:none;padding:4px;border-radius:4px;cursor:pointer;font:inherit}
#layers button:hover{background:#f3f4f6}#layers button.active{border-color:#0969da;background:#ddf4ff}
.swatch{flex:none;width:12px;height:12px;border-radius:2px;margin-top:3px}
.lsize{margin-left:auto;white-space:nowrap;color:#57606a}
#crumbs button{border:none;background:none;color:#0969da;cursor:pointer;font:inherit;padding:0 2px}
#map{position:relative;height:560px;background:#eaeef2;overflow:hidden;border-radius:4px;margin-top:6px}
.cell{position:absolute;overflow:hidden;border:1px solid rgba(255,255,255,.7);font-size:11px;color:#111;padding:1px 3px;white-space:nowrap;text-overflow:ellipsis}
.cell.dir{background:rgba(255,255,255,.35);border-color:#8c959f;cursor:zoom-in;font-weight:600}
.cell.hit{outline:3px solid #cf222e;z-index:2}
input[type=search]{width:100%;padding:5px;border:1px solid #d0d7de;border-radius:4px}
table{border-collapse:collapse;width:100%;margin-top:6px}td,th{border-bottom:1px solid #eaeef2;padding:3px 6px;text-align:left;vertical-align:top}
section.wide{grid-column:1 / -1}
td.num,th.num{text-align:right;white-space:nowrap}h2{font-size:14px;margin:4px 0}
.muted{color:#57606a}#results{max-height:200px;overflow:auto}
`;

export const SIZE_MAP_JS = `(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('size-map-data').textContent);
  var root = data.root; // node: [name, bytes, layer, children?]
  var filter = null;
  var stack = [root];
  var memo = new Map();
  function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; }
  function fmt(n) { var u = ['B', 'KiB', 'MiB', 'GiB', 'TiB']; var i = 0; while (n >= 1024 && i < u.length - 1) { n /= 1024; i++; } return (i ? n.toFixed(1) : String(n)) + ' ' + u[i]; }
  function colour(layer) { if (layer < 0) return '#d0d7de'; var h = (layer * 137.508) % 360; return 'hsl(' + h.toFixed(0) + ',62%,' + (62 + (layer % 3) * 6) + '%)'; }
  function size(node) {
    if (!node[3]) return filter === null || node[2] === filter ? node[1] : 0;
    var m = memo.get(node); if (m !== undefined) return m;
    var s = 0; for (var i = 0; i < node[3].length; i++) s += size(node[3][i]);
    memo.set(node, s); return s;
  }
  function layerOf(node) { return filter !== null ? filter : node[2]; }
  function pathOf(parts) { return '/' + parts.join('/'); }
  function worst(row, side) {
    var sum = 0, max = 0, min = Infinity;
    for (var i = 0; i < row.length; i++) { sum += row[i].a; if (row[i].a > max) max = row[i].a; if (row[i].a < min) min = row[i].a; }
    var s2 = side * side, sum2 = sum * sum; return Math.max(s2 * max / sum2, sum2 / (s2 * min));
  }
  // Squarified treemap (Bruls, Huizing, van Wijk): rows of items whose worst aspect ratio stops improving.
  function squarify(items, x, y, w, h, out) {
    var total = 0; for (var i = 0; i < items.length; i++) total += items[i].v;
    if (total <= 0 || w <= 0 || h <= 0) return;
    var scale = (w * h) / total; var rest = items.map(function (it) { return { it: it, a: it.v * scale }; });
    while (rest.length) {
      var side = Math.min(w, h), row = [], best = Infinity;
      while (rest.length) { var cand = row.concat([rest[0]]); var r = worst(cand, side); if (row.length && r > best) break; row = cand; best = r; rest.shift(); }
      var sum = 0; for (var j = 0; j < row.length; j++) sum += row[j].a;
      if (w >= h) { var cw = sum / h, cy = y; for (var k = 0; k < row.length; k++) { var ch = row[k].a / cw; out.push({ it: row[k].it, x: x, y: cy, w: cw, h: ch }); cy += ch; } x += cw; w -= cw; }
      else { var rh = sum / w, cx = x; for (var q = 0; q < row.length; q++) { var cw2 = row[q].a / rh; out.push({ it: row[q].it, x: cx, y: y, w: cw2, h: rh }); cx += cw2; } y += rh; h -= rh; }
    }
  }
  var map = document.getElementById('map');
  var query = '';
  function draw() {
    map.textContent = '';
    var node = stack[stack.length - 1];
    var parts = stack.slice(1).map(function (n) { return n[0]; });
    drawInto(node, parts, [], 0, 0, map.clientWidth, map.clientHeight, 0);
    crumbs(); document.getElementById('current').textContent = pathOf(parts) + ' — ' + fmt(size(node)) + (filter !== null ? ' added by layer ' + filter : '');
  }
  function drawInto(node, parts, chain, x, y, w, h, depth) {
    var kids = (node[3] || []).map(function (c) { return { n: c, v: size(c) }; }).filter(function (c) { return c.v > 0; });
    kids.sort(function (a, b) { return b.v - a.v; });
    var rects = []; squarify(kids, x, y, w, h, rects);
    for (var i = 0; i < rects.length; i++) {
      var r = rects[i], n = r.it.n, p = parts.concat([n[0]]);
      if (r.w < 2 || r.h < 2) continue;
      var d = el('div', 'cell' + (n[3] ? ' dir' : ''), n[0]);
      d.style.left = r.x + 'px'; d.style.top = r.y + 'px'; d.style.width = r.w + 'px'; d.style.height = r.h + 'px';
      if (!n[3] || depth >= 2) d.style.background = colour(layerOf(n));
      var lay = layerOf(n); var label = lay >= 0 && data.layers[lay] ? data.layers[lay].label : 'several layers';
      d.title = pathOf(p) + '\\n' + fmt(r.it.v) + '\\n' + label;
      d.setAttribute('data-path', pathOf(p));
      if (query && pathOf(p).toLowerCase().indexOf(query) >= 0) d.classList.add('hit');
      map.appendChild(d); // before its children, so they paint above the directory frame
      if (n[3]) {
        (function (target) { d.addEventListener('click', function (ev) { ev.stopPropagation(); stack = stack.concat(target); draw(); }); })(chain.concat([n]));
        if (depth < 2 && r.w > 30 && r.h > 30) drawInto(n, p, chain.concat([n]), r.x + 3, r.y + 16, r.w - 6, r.h - 19, depth + 1);
      }
    }
  }
  function crumbs() {
    var c = document.getElementById('crumbs'); c.textContent = '';
    stack.forEach(function (n, i) {
      var b = el('button', '', i === 0 ? '/' : n[0] + '/'); b.addEventListener('click', function () { stack = stack.slice(0, i + 1); draw(); }); c.appendChild(b);
    });
  }
  function layers() {
    var ul = document.getElementById('layers'); ul.textContent = '';
    var all = el('li'); var ab = el('button', filter === null ? 'active' : '', ''); ab.appendChild(el('span', '', 'All layers')); ab.appendChild(el('span', 'lsize', fmt(root[1])));
    ab.setAttribute('data-layer', 'all'); ab.addEventListener('click', function () { setFilter(null); }); all.appendChild(ab); ul.appendChild(all);
    data.layers.forEach(function (l) {
      var li = el('li'); var b = el('button', filter === l.index ? 'active' : '');
      var sw = el('span', 'swatch'); sw.style.background = colour(l.index); b.appendChild(sw);
      b.appendChild(el('span', '', l.index + ' · ' + l.label)); b.appendChild(el('span', 'lsize', fmt(l.visibleBytes)));
      b.title = l.label + '\\n' + fmt(l.size) + ' in the layer, ' + fmt(l.visibleBytes) + ' visible';
      b.setAttribute('data-layer', String(l.index));
      b.addEventListener('click', function () { setFilter(filter === l.index ? null : l.index); });
      li.appendChild(b); ul.appendChild(li);
    });
  }
  function setFilter(f) { filter = f; memo = new Map(); layers(); draw(); }
  function search() {
    query = document.getElementById('search').value.trim().toLowerCase();
    var out = document.getElementById('results'); out.textContent = '';
    if (query) {
      var hits = [];
      (function walk(n, parts) { for (var i = 0; i < (n[3] || []).length; i++) { var c = n[3][i], p = parts.concat([c[0]]); if (!c[3]) { if (pathOf(p).toLowerCase().indexOf(query) >= 0) hits.push([pathOf(p), c[1], c[2]]); } else walk(c, p); } })(root, []);
      hits.sort(function (a, b) { return b[1] - a[1]; });
      var t = el('table'); hits.slice(0, 100).forEach(function (h) { var tr = el('tr'); tr.appendChild(el('td', '', h[0])); tr.appendChild(el('td', 'num', fmt(h[1]))); tr.appendChild(el('td', 'num', 'layer ' + h[2])); t.appendChild(tr); });
      out.appendChild(el('p', 'muted', hits.length + ' matching path' + (hits.length === 1 ? '' : 's') + (hits.length > 100 ? ' (largest 100 shown)' : '')));
      out.appendChild(t);
    }
    draw();
  }
  function table(id, head, rows) {
    var t = document.getElementById(id); t.textContent = '';
    var tr = el('tr'); head.forEach(function (h) { tr.appendChild(el('th', h[1] ? 'num' : '', h[0])); }); t.appendChild(tr);
    rows.forEach(function (r) { var row = el('tr'); r.forEach(function (v, i) { row.appendChild(el('td', head[i][1] ? 'num' : '', v)); }); t.appendChild(row); });
    if (!rows.length) { var e = el('tr'); e.appendChild(el('td', 'muted', 'None.')); t.appendChild(e); }
  }
  table('wasted', [['Path'], ['Bytes', 1], ['Added in', 1], ['Hidden in', 1], ['How']], data.wasted.map(function (w) { return ['/' + w.path, fmt(w.bytes), String(w.addedInLayer), String(w.hiddenInLayer), w.how]; }));
  table('packages', [['Type'], ['Name'], ['Version'], ['Size', 1], ['Layer', 1]], data.packages.map(function (p) { return [p.type, p.name + (p.dev ? ' (dev)' : ''), p.version, p.size !== undefined && p.size !== null ? fmt(p.size) : '', p.layer !== undefined && p.layer !== null ? String(p.layer) : '']; }));
  document.getElementById('search').addEventListener('input', search);
  window.addEventListener('resize', draw);
  layers(); draw();
  document.body.setAttribute('data-ready', 'true');
})();`;
