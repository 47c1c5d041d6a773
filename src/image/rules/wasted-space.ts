// Bytes that ship but are invisible: deleted or overwritten in a later layer (`RUN rm` does not remove data).
import { formatBinaryBytes, formatBytes } from '../../util/bytes.js';
import { layerLabel } from './describe.js';
import type { ImageRule } from './types.js';

export const wastedSpace: ImageRule = {
  meta: {
    id: 'wasted-space',
    category: 'image',
    defaultSeverity: 'warning',
    shortDescription: "Bytes in the user's layers are hidden by a later layer",
    fullDescription:
      "Files added in one layer and deleted, overwritten or hidden by an opaque directory in a later one still ship in the image: every layer is pulled whole, and `RUN rm` does not remove data from the layer below. The rule judges the user's own layers (the base image's waste cannot be fixed in this Dockerfile) and fires above `waste.min-bytes` / `waste.min-percent` (default 1 MB or 5 % of the image, whichever is larger).",
    help: 'Delete temporary files in the same `RUN` that creates them, avoid `COPY` of files a later step replaces, and set ownership in the copy (`COPY --chown=app:app`) instead of a later `RUN chown -R` that rewrites every file into a new layer.',
    tags: ['size'],
    examples: {
      bad: 'FROM debian:bookworm-slim\nCOPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz -C /opt\nRUN rm /tmp/app.tar.gz',
      good: 'FROM debian:bookworm-slim\nRUN --mount=type=bind,source=app.tar.gz,target=/tmp/app.tar.gz \\\n    tar -xzf /tmp/app.tar.gz -C /opt'
    },
    hadolint: []
  },
  check({ image, layers, wastedFiles, config }) {
    // The base image's own waste cannot be fixed in this Dockerfile: judge the user's layers.
    const wasted = image.userWastedBytes;
    const limit = Math.max(config.waste.minBytes, (config.waste.minPercent / 100) * image.size);
    if (wasted <= limit || wasted === 0) return [];
    const mine = wastedFiles.filter((w) => w.hiddenInLayer >= image.baseLayers);
    const top = mine.slice(0, 3).map((w) => {
      const verb = w.how === 'overwritten' ? 'overwritten' : w.how === 'deleted' ? 'deleted' : 'hidden (opaque directory)';
      return `/${w.path} (${formatBinaryBytes(w.bytes)}, added by ${layerLabel(layers, w.addedInLayer)}, ${verb} by ${layerLabel(layers, w.hiddenInLayer)})`;
    });
    const pct = image.size > 0 ? ((wasted / image.size) * 100).toFixed(1) : '0';
    return [
      {
        key: 'image',
        message: `${formatBytes(wasted)} (${pct} % of the image) ships but is not visible in the final filesystem${top.length ? `; largest: ${top.join('; ')}` : ''}.`,
        layer: mine[0]?.hiddenInLayer,
        path: mine[0]?.path,
        bytes: wasted,
        details: { limitBytes: Math.round(limit), baseWastedBytes: image.baseWastedBytes, top: mine.slice(0, 10) }
      }
    ];
  }
};
