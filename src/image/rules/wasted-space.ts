// Bytes that ship but are invisible: deleted or overwritten in a later layer (`RUN rm` does not remove data).
import { formatBinaryBytes, formatBytes } from '../../util/bytes.js';
import { layerLabel } from './describe.js';
import type { ImageRule } from './types.js';

export const wastedSpace: ImageRule = {
  id: 'wasted-space',
  defaultSeverity: 'warning',
  description: 'Files added in one layer and deleted, overwritten or hidden by an opaque directory in a later one still ship in the image.',
  help: 'Delete temporary files in the same RUN that creates them, avoid `COPY` of files a later step replaces, and chown/chmod in the COPY (`COPY --chown`) instead of a later RUN that rewrites every file.',
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
