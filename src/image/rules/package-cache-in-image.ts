// Package-manager caches and indexes visible in the final filesystem: they ship with every pull and no running
// container needs them.
import { formatBytes } from '../../util/bytes.js';
import { residueLocationOf, type ResidueLocation } from '../residue.js';
import { layerLabel } from './describe.js';
import type { ImageRule, RawImageFinding } from './types.js';

/** Below this a location is noise (empty lock files, a stray marker). */
const MIN_BYTES = 1024;

export const packageCacheInImage: ImageRule = {
  meta: {
    id: 'package-cache-in-image',
    category: 'image',
    defaultSeverity: 'warning',
    shortDescription: 'Package-manager caches or indexes ship in the final image',
    fullDescription:
      'Package-manager caches and indexes (apt lists, .deb archives, apk, pip, npm, yarn, Go, Maven…) are only needed while installing. Visible in the final filesystem, they add megabytes to every pull and no running container reads them. This rule measures the built image, so it also catches caches a base image or an install script leaves behind.',
    help: 'Clean the cache in the same `RUN` that fills it (`rm -rf /var/lib/apt/lists/*`, `pip install --no-cache-dir`, `apk add --no-cache`, `npm ci && npm cache clean --force`), or keep it out of the image with a cache mount:\n\n```dockerfile\nRUN --mount=type=cache,target=/var/cache/apt --mount=type=cache,target=/var/lib/apt/lists \\\n    apt-get update && apt-get install -y --no-install-recommends curl\n```',
    tags: ['size'],
    examples: {
      bad: 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl',
      good: 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl \\\n && rm -rf /var/lib/apt/lists/*'
    },
    hadolint: ['DL3009', 'DL3019', 'DL3032', 'DL3036', 'DL3040', 'DL3042', 'DL3060']
  },
  check({ model, layers }) {
    const found = new Map<string, { location: ResidueLocation; bytes: number; byLayer: Map<number, number> }>();
    model.forEachVisible((f) => {
      if (f.kind !== 'file' || f.bytes === 0) return;
      const r = residueLocationOf(f.path);
      if (!r) return;
      let entry = found.get(r.key);
      if (!entry) found.set(r.key, (entry = { location: r.location, bytes: 0, byLayer: new Map() }));
      entry.bytes += f.bytes;
      entry.byLayer.set(f.layer, (entry.byLayer.get(f.layer) ?? 0) + f.bytes);
    });
    const findings: RawImageFinding[] = [];
    for (const [key, { location, bytes, byLayer }] of found) {
      if (bytes < MIN_BYTES) continue;
      const [topLayer] = [...byLayer.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0];
      const others = byLayer.size > 1 ? ` (and ${byLayer.size - 1} more layer${byLayer.size > 2 ? 's' : ''})` : '';
      findings.push({
        key,
        message: `/${key} (${location.label}) ships ${formatBytes(bytes)} in the final image, added by ${layerLabel(layers, topLayer)}${others}; ${location.fix}.`,
        layer: topLayer,
        path: key,
        bytes,
        details: { location: location.id, bytesByLayer: Object.fromEntries(byLayer) }
      });
    }
    return findings.sort((a, b) => (b.bytes ?? 0) - (a.bytes ?? 0));
  }
};
