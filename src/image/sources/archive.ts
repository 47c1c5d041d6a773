// docker-archive://FILE (`docker save` output) and oci-archive://FILE (an OCI layout in a tar, e.g. `skopeo copy
// … oci-archive:FILE`, `docker buildx build --output type=oci,dest=FILE`): streamed once through the same reader
// as `docker save`, so layers arrive in archive order and are ordered by the manifest at the end.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../../util/errors.js';
import { readImageArchive } from '../reader.js';
import type { ImageSource, SourceKind, SourceOptions } from './types.js';

export function archiveSource(kind: Extract<SourceKind, 'docker-archive' | 'oci-archive'>, text: string, opts: SourceOptions = {}): ImageSource {
  const file = path.resolve(opts.cwd ?? process.cwd(), text);
  const display = `${kind}://${text}`;
  return {
    kind,
    display,
    async resolve(platform) {
      const s = await stat(file).catch(() => undefined);
      if (!s?.isFile()) {
        throw new UserError(
          `${display}: ${file} is not a file.`,
          kind === 'docker-archive'
            ? 'Write one with `docker save IMAGE -o FILE`.'
            : 'Write one with `skopeo copy docker://IMAGE oci-archive:FILE` or buildx `--output type=oci,dest=FILE`.'
        );
      }
      return [
        {
          platform: undefined,
          async read(subscribers) {
            const archive = await readImageArchive(createReadStream(file, { highWaterMark: 1024 * 1024 }), subscribers, { source: display });
            const os = archive.config?.os;
            const arch = archive.config?.architecture;
            const have = os && arch ? `${os}/${arch}${archive.config?.variant ? `/${archive.config.variant}` : ''}` : undefined;
            if (platform && platform !== 'all' && have && !have.startsWith(platform) && !platform.startsWith(have)) {
              throw new UserError(`${display} holds one image, for ${have}, not ${platform}.`, 'Drop --platform or pass the archive of that platform.');
            }
            const exact = archive.layerStats.length > 0 && archive.layerStats.every((l) => l.compressedExact);
            return { ...archive, compressedSizeSource: exact ? 'manifest' : 'estimate' };
          }
        }
      ];
    }
  };
}
