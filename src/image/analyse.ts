// Image analysis: `docker image inspect` for identity, then ONE streaming pass over `docker save` shared by the
// filesystem model (size, waste, residue, packages) and any other subscribers (the secret scanner).
import type { AuditConfig } from '../config/types.js';
import type { DirectoryUsage, Finding, HistoryEntry, ImageReport, LayerReport, WastedFile } from '../report/types.js';
import { UserError } from '../util/errors.js';
import type { Runtime } from '../util/runtime.js';
import { FilesystemModel, type FileVisibility } from './fs-model.js';
import { readImageArchive, streamDockerSave, type ImageArchive } from './reader.js';
import { runImageRules } from './rules/index.js';
import type { LayerSubscriber } from './types.js';

export type { FileVisibility, Visibility } from './fs-model.js';

export interface ImageAnalysis {
  image: ImageReport;
  layers: LayerReport[];
  findings: Finding[];
  wastedFiles: WastedFile[];
  largestDirectories: DirectoryUsage[];
  files: FileVisibility;
  /** The final filesystem, for stages that look at files after the pass (inventory, size map). */
  model: FilesystemModel;
}

export interface AnalyseOptions {
  ref: string;
  runtime: Runtime;
  config: AuditConfig;
  subscribers?: LayerSubscriber[];
  /** Layers at the bottom of the stack that belong to the final stage's base image. */
  baseLayerCount?: number;
  /** Where the archive comes from; defaults to `docker save <image id>`. Tests and benches inject streams. */
  openArchive?: (imageId: string) => NodeJS.ReadableStream;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export async function analyseImage(opts: AnalyseOptions): Promise<ImageAnalysis> {
  const { ref, runtime, config } = opts;
  const inspected = await inspectImage(ref, runtime);
  const model = new FilesystemModel();
  const started = Date.now();
  const historySizes = dockerLayerSizes(inspected.Id, runtime);
  historySizes.catch(() => {});
  const archive = await readImageArchive(
    (opts.openArchive ?? streamDockerSave)(inspected.Id),
    [model, ...(opts.subscribers ?? [])],
    { source: ref }
  );
  applyDockerSizes(archive, await historySizes.catch(() => undefined), inspected.Size);
  runtime.log.debug(`read ${ref}: ${archive.layerStats.length} layers in ${Date.now() - started} ms`);
  if (archive.configDigest !== inspected.Id) {
    throw new UserError(`Image ${ref} changed while it was being read (expected ${inspected.Id}, read ${archive.configDigest}).`, 'Re-run the audit once the build has finished.');
  }
  return buildAnalysis(ref, inspected, archive, model, config, opts.baseLayerCount ?? 0);
}

async function inspectImage(ref: string, runtime: Runtime): Promise<Json> {
  const res = await runtime.exec.run('docker', ['image', 'inspect', '--', ref], { silent: true });
  if (res.exitCode !== 0) {
    if (/no such (image|object)/i.test(res.stderr)) {
      throw new UserError(`Image ${ref} not found locally; build it or check the name.`, `docker said: ${res.stderr.trim()}`);
    }
    throw new UserError(`\`docker image inspect ${ref}\` failed: ${res.stderr.trim() || `exit ${res.exitCode}`}.`, 'Check that the Docker engine is running (`docker info`).');
  }
  const parsed = JSON.parse(res.stdout) as Json[];
  if (!parsed[0]?.Id) throw new UserError(`Image ${ref} not found locally; build it or check the name.`);
  return parsed[0];
}

/** `docker history` rows, oldest first, with exact byte sizes (Docker's own per-layer accounting). */
async function dockerLayerSizes(id: string, runtime: Runtime): Promise<number[] | undefined> {
  const res = await runtime.exec.run('docker', ['history', '--no-trunc', '-H=false', '--format', '{{json .}}', id], { silent: true });
  if (res.exitCode !== 0) return undefined;
  const rows = res.stdout.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Json);
  return rows.reverse().map((r) => Number(r.Size));
}

/**
 * Docker does not count every layer alike (imported layers include symlink target lengths, BuildKit-made ones
 * only regular file bytes), so where the engine's own numbers map cleanly onto the layers they win over the
 * stream count; the check is that they add up to `docker image inspect .Size`.
 */
export function applyDockerSizes(archive: ImageArchive, historySizes: number[] | undefined, inspectSize: unknown): void {
  const history: Json[] = Array.isArray(archive.config?.history) ? archive.config.history : [];
  if (!historySizes || historySizes.length !== history.length) return;
  const sizes = history.flatMap((h, i) => (h?.empty_layer ? [] : [historySizes[i]]));
  if (sizes.length !== archive.layerStats.length || sizes.some((n) => !Number.isFinite(n))) return;
  if (typeof inspectSize === 'number' && sizes.reduce((a, b) => a + b, 0) !== inspectSize) return;
  sizes.forEach((size, i) => {
    archive.layerStats[i].size = size;
  });
}

/** Pure assembly of the report parts from what the stream pass gathered (exported for tests on synthetic archives). */
export function buildAnalysis(
  ref: string,
  inspected: Json,
  archive: ImageArchive,
  model: FilesystemModel,
  config: AuditConfig,
  baseLayerCount: number
): ImageAnalysis {
  const { layerStats } = archive;
  const layerCount = layerStats.length;
  const baseLayers = Math.min(Math.max(0, baseLayerCount), layerCount);
  const history = mapHistory(archive.config?.history, layerCount);

  const waste = model.layerWaste;
  const layers: LayerReport[] = layerStats.map((s, i) => ({
    index: i,
    diffId: s.diffId,
    size: s.size,
    compressedSize: s.compressedSize,
    createdBy: history.find((h) => h.layer === i)?.createdBy ?? '',
    fromBase: i < baseLayers,
    entries: s.entries,
    wastedBytes: waste.wastedBytes[i] ?? 0,
    residue: waste.residue[i] ?? {}
  }));

  const totals = model.totals();
  const split = model.wasteSplit(baseLayers);
  const size = layerStats.reduce((n, s) => n + s.size, 0);
  let executables = 0;
  model.forEachVisible((f) => {
    if ((f.kind === 'file' || f.kind === 'hardlink') && (f.mode & 0o111) !== 0) executables++;
  });
  const cfg = archive.config?.config ?? {};
  const image: ImageReport = {
    id: archive.configDigest,
    ref,
    tags: Array.isArray(inspected?.RepoTags) ? inspected.RepoTags : (archive.manifest?.RepoTags ?? []),
    os: archive.config?.os ?? inspected?.Os,
    architecture: archive.config?.architecture ?? inspected?.Architecture,
    size,
    compressedSize: layerStats.reduce((n, s) => n + s.compressedSize, 0),
    layers: layerCount,
    wastedBytes: totals.wastedBytes,
    userWastedBytes: split.user,
    baseWastedBytes: split.base,
    efficiency: totals.totalBytes > 0 ? totals.visibleBytes / totals.totalBytes : 1,
    packages: model.packages(),
    executables,
    baseLayers,
    history,
    config: {
      user: cfg.User || undefined,
      env: Array.isArray(cfg.Env) ? [...cfg.Env] : undefined,
      entrypoint: Array.isArray(cfg.Entrypoint) ? [...cfg.Entrypoint] : undefined,
      cmd: Array.isArray(cfg.Cmd) ? [...cfg.Cmd] : undefined,
      workdir: cfg.WorkingDir || undefined,
      labels: cfg.Labels ? { ...cfg.Labels } : undefined
    }
  };
  const wastedFiles = model.wastedFiles(20);
  const findings = runImageRules({ image, layers, model, wastedFiles, config });
  return { image, layers, findings, wastedFiles, largestDirectories: model.largestDirectories(10), files: model.visibility(), model };
}

/** Config history → HistoryEntry[]; entries that made a layer are matched to layers in order. */
export function mapHistory(raw: Json, layerCount: number): HistoryEntry[] {
  const entries: Json[] = Array.isArray(raw) ? raw : [];
  const nonEmpty = entries.filter((h) => !h?.empty_layer).length;
  // Imported or squashed images can record fewer layer-making steps than layers: those align at the top.
  let layer = Math.max(0, layerCount - nonEmpty);
  const out: HistoryEntry[] = entries.map((h) => {
    const e: HistoryEntry = { createdBy: String(h?.created_by ?? ''), emptyLayer: Boolean(h?.empty_layer) };
    if (h?.created) e.created = String(h.created);
    if (h?.comment) e.comment = String(h.comment);
    if (!e.emptyLayer && layer < layerCount) e.layer = layer++;
    return e;
  });
  return out;
}
