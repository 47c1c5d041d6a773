// Image analysis: `docker image inspect` for identity, then ONE streaming pass over `docker save` shared by the
// filesystem model (size, waste, residue, packages) and any other subscribers (the secret scanner).
import type { AuditConfig } from '../config/types.js';
import type { DirectoryUsage, Finding, HistoryEntry, ImageReport, LayerReport, SpaceReport, WastedFile } from '../report/types.js';
import { imageNotFound } from '../docker/engine.js';
import { UserError } from '../util/errors.js';
import type { Runtime } from '../util/runtime.js';
import { FilesystemModel, type FileVisibility } from './fs-model.js';
import { isPushedArchive, readImageArchive, streamDockerSave, type ImageArchive, type PushedArchive } from './reader.js';
import { runImageRules } from './rules/index.js';
import type { LayerSubscriber } from './types.js';
import type { SourceImage } from './sources/types.js';

export type { FileVisibility, Visibility } from './fs-model.js';

export interface ImageAnalysis {
  image: ImageReport;
  layers: LayerReport[];
  findings: Finding[];
  wastedFiles: WastedFile[];
  largestDirectories: DirectoryUsage[];
  /** Size tree, largest files, files per layer, the base's waste total. */
  space: SpaceReport;
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
  /** Where the archive comes from; defaults to `docker save <ref>`. Tests and benches inject streams. */
  openArchive?: (ref: string) => NodeJS.ReadableStream | PushedArchive;
  /** Read from this source (registry, OCI layout, archive) instead of the engine: no `docker` call at all. */
  source?: SourceImage;
  /** Called as the archive streams (often: throttle in the callee) and once more with `done` at the end. */
  onProgress?: (p: ReadProgress) => void;
}

export interface ReadProgress {
  /** Layers whose entries have started to arrive, of `layers`. */
  layersSeen: number;
  layers: number;
  /** Archive bytes read so far, and the image size (`docker image inspect .Size`) the ETA is based on. */
  bytesRead: number;
  totalBytes: number;
  elapsedMs: number;
  done: boolean;
}

/** Counts the archive's bytes (as the reader reads them) and layers (as their entries arrive). */
function watchProgress(totals: { layers: number; bytes: number }, onProgress: (p: ReadProgress) => void) {
  const started = Date.now();
  const seen = new Set<string>();
  let bytesRead = 0;
  // The totals come from `inspect`, which answers while the export is being prepared (before any byte).
  const report = (done: boolean) =>
    onProgress({
      layersSeen: Math.min(seen.size, totals.layers || seen.size),
      layers: totals.layers || seen.size,
      bytesRead,
      totalBytes: totals.bytes,
      elapsedMs: Date.now() - started,
      done
    });
  const subscriber: LayerSubscriber = {
    onEntry: (e) => {
      seen.add(e.layerKey);
    }
  };
  const onBytes = (n: number) => {
    bytesRead += n;
    report(false);
  };
  return { onBytes, subscriber, finish: () => report(true) };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export async function analyseImage(opts: AnalyseOptions): Promise<ImageAnalysis> {
  const { ref, runtime, config } = opts;
  if (opts.source) return analyseSourceImage(opts, opts.source);
  const model = new FilesystemModel();
  const started = Date.now();
  // The export starts first, by name: docker 20.10 spends most of a save preparing it before its first byte, and
  // `inspect` and `history` run meanwhile. A tag that moves in between is caught below: the archive's config
  // digest must be the inspected id.
  const source = (opts.openArchive ?? streamDockerSave)(ref);
  const totals = { layers: 0, bytes: 0 };
  const progress = opts.onProgress ? watchProgress(totals, opts.onProgress) : undefined;
  const reading = readImageArchive(
    source,
    [model, ...(opts.subscribers ?? []), ...(progress ? [progress.subscriber] : [])],
    // The engine's own export: a layer's place in its manifest gives its diff id (no re-hashing).
    { source: ref, verifyDigests: opts.openArchive !== undefined, onBytes: progress?.onBytes }
  );
  reading.catch(() => {});
  let inspected: Json;
  try {
    inspected = await inspectImage(ref, runtime);
    if (inspected?.RootFS && !(Array.isArray(inspected.RootFS.Layers) && inspected.RootFS.Layers.length > 0)) {
      // The engine cannot export such an image at all (`docker save`: "empty export - not implemented").
      throw new UserError(
        `Image ${ref} has no filesystem layers (an empty \`FROM scratch\` image): there are no files to measure or scan.`,
        'Audit the image your Dockerfile ships (add its COPY/ADD/RUN steps, or pick the right --target), or lint the Dockerfile alone with `image-audit lint`.'
      );
    }
  } catch (err) {
    // What inspect says (not found, empty image) is the clearer message; the export is stopped.
    if (isPushedArchive(source)) source.abort();
    else (source as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
    throw err;
  }
  totals.layers = Array.isArray(inspected.RootFS?.Layers) ? inspected.RootFS.Layers.length : 0;
  totals.bytes = Number(inspected.Size) || 0;
  const historySizes = dockerLayerSizes(inspected.Id, runtime);
  historySizes.catch(() => {});
  const archive = await reading;
  progress?.finish();
  applyDockerSizes(archive, await historySizes.catch(() => undefined), inspected.Size);
  runtime.log.debug(`read ${ref}: ${archive.layerStats.length} layers in ${Date.now() - started} ms`);
  if (archive.configDigest !== inspected.Id) {
    throw new UserError(
      `Image ${ref} changed while it was being read (expected ${inspected.Id}, read ${archive.configDigest}).`,
      'Re-run the audit once the build has finished.'
    );
  }
  return buildAnalysis(ref, inspected, archive, model, config, opts.baseLayerCount ?? 0);
}

/** The same analysis from a non-engine source: sizes from the stream (as Docker counts a pulled image). */
async function analyseSourceImage(opts: AnalyseOptions, source: SourceImage): Promise<ImageAnalysis> {
  const model = new FilesystemModel();
  const started = Date.now();
  const read = await source.read([model, ...(opts.subscribers ?? [])]);
  opts.runtime.log.debug(`read ${opts.ref}: ${read.layerStats.length} layers in ${Date.now() - started} ms`);
  const analysis = buildAnalysis(opts.ref, {}, read, model, opts.config, opts.baseLayerCount ?? 0);
  analysis.image.compressedSizeSource = read.compressedSizeSource;
  if (source.platform) analysis.image.platform = source.platform;
  if (source.manifestDigest) analysis.image.manifestDigest = source.manifestDigest;
  return analysis;
}

async function inspectImage(ref: string, runtime: Runtime): Promise<Json> {
  const res = await runtime.exec.run('docker', ['image', 'inspect', '--', ref], { silent: true });
  if (res.exitCode !== 0) {
    if (/no such (image|object)/i.test(res.stderr)) {
      throw imageNotFound(ref, `docker said: ${res.stderr.trim()}`);
    }
    throw new UserError(
      `\`docker image inspect ${ref}\` failed: ${res.stderr.trim() || `exit ${res.exitCode}`}.`,
      'Check that the Docker engine is running (`docker info`).'
    );
  }
  const parsed = JSON.parse(res.stdout) as Json[];
  if (!parsed[0]?.Id) throw imageNotFound(ref);
  return parsed[0];
}

/** `docker history` rows, oldest first, with exact byte sizes (Docker's own per-layer accounting). */
async function dockerLayerSizes(id: string, runtime: Runtime): Promise<number[] | undefined> {
  const res = await runtime.exec.run('docker', ['history', '--no-trunc', '-H=false', '--format', '{{json .}}', id], { silent: true });
  if (res.exitCode !== 0) return undefined;
  const rows = res.stdout
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Json);
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
    compressedSizeSource: layerCount > 0 && layerStats.every((s) => s.compressedExact) ? 'manifest' : 'estimate',
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
  const wastedFiles = model.wastedFiles(20, baseLayers);
  const findings = runImageRules({ image, layers, model, wastedFiles, config });
  const { largest, layers: layerFiles } = model.largestFiles(20, 10);
  const wasteTotals = model.wasteTotals(baseLayers);
  const space: SpaceReport = { sizeTree: model.sizeTree(), largestFiles: largest, layerFiles, userWaste: wasteTotals.yours, baseWaste: wasteTotals.base };
  return { image, layers, findings, wastedFiles, largestDirectories: model.largestDirectories(10), space, files: model.visibility(), model };
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
