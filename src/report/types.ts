// The one contract every stage shares, and the JSON report's schema. A saved report is a valid baseline,
// so everything the comment or summary shows must be derivable from this type alone.

import type { MetricDelta, StepMatch } from '../compare/types.js';

export type Severity = 'error' | 'warning' | 'info';

/** Where a finding came from: the Dockerfile linter, the image analysis, or the secret scanner. */
export type FindingCategory = 'lint' | 'image' | 'secret';

export interface Finding {
  /** Stable rule id, part of the report contract (e.g. `deps-after-source`, `secret-file`). */
  rule: string;
  severity: Severity;
  category: FindingCategory;
  /** One sentence for a person; never contains a secret value whole. */
  message: string;
  /** Dockerfile (or other repository file) the finding points at, relative to the working directory. */
  file?: string;
  line?: number;
  endLine?: number;
  column?: number;
  endColumn?: number;
  /** Index into Report.layers when the finding is about a layer. */
  layer?: number;
  /** Path inside the image (no leading slash), for image and secret findings. */
  path?: string;
  /** Bytes involved, for size findings. */
  bytes?: number;
  /** Secret findings only: masked form (known prefix + `…` + at most the last 2 chars). */
  masked?: string;
  /**
   * Stable identity across runs: sha256 hex. For secrets: sha256(rule:location:masked:length), never a hash of
   * the value. A merged secret finding keeps the fingerprint of its primary place.
   */
  fingerprint: string;
  /**
   * Secret findings only: every place the same secret value was found (a file in a layer, the history, the
   * config, a Dockerfile line the linter flagged), when there is more than one. The finding itself is the
   * primary place (highest severity); its severity is the highest of all places.
   */
  places?: FindingPlace[];
  /** Free-form, JSON-safe extra data (never a secret value). */
  details?: Record<string, unknown>;
  /**
   * Findings of other stages with the same cause on the same Dockerfile line, merged into this one (e.g. the
   * lint rule `package-cache-not-cleaned` into the measured `package-cache-in-image`). Their fingerprints still
   * match this finding in baselines.
   */
  mergedFrom?: { rule: string; category: FindingCategory; fingerprint: string; message: string }[];
  /** Set when a suppression matched; suppressed findings stay in the report but never fail the run. */
  suppressed?: { by: 'fingerprint' | 'rule-path' | 'allowlist' | 'inline'; reason?: string };
}

/** One place of a merged secret finding: the finding that place would have been on its own, in brief. */
export interface FindingPlace {
  rule: string;
  severity: Severity;
  fingerprint: string;
  file?: string;
  line?: number;
  layer?: number;
  path?: string;
  /** Scanner location (`history:arg:NPM_TOKEN`, `config:Env:API_KEY`), for history and config places. */
  location?: string;
  /** File places: whether the file is still visible in the final filesystem, else the layer that hid it. */
  visibleInFinal?: boolean;
  hiddenInLayer?: number;
  suppressed?: boolean;
}

/** A Dockerfile instruction a layer (or empty history step) is attributed to. */
export interface StepRef {
  /** e.g. `RUN apt-get install -y gcc` (normalised, as in the Dockerfile, continuation lines joined). */
  instruction: string;
  /** 1-based line numbers in the Dockerfile, when known. */
  line?: number;
  endLine?: number;
  /** Stage name or index (`0`, `1`…) the instruction belongs to. */
  stage?: string;
}

export interface LayerReport {
  /** 0-based position in RootFS.Layers. */
  index: number;
  /** RootFS diff id (sha256 of the uncompressed layer tar). */
  diffId: string;
  /** Uncompressed size in bytes, as Docker counts it (sum of regular file sizes in the layer). */
  size: number;
  /** Estimated gzip size of the layer tar (what a registry stores). */
  compressedSize: number;
  /** `created_by` of the history entry that made this layer. */
  createdBy: string;
  /** True when the layer belongs to the final stage's base image (FROM …), not to the user's own steps. */
  fromBase: boolean;
  /** Dockerfile step attribution, when the Dockerfile is known and the step could be matched. */
  step?: StepRef;
  /** Files in this layer: count of entries (files, dirs, links). */
  entries?: number;
  /** Bytes added by this layer that are not visible in the final filesystem. */
  wastedBytes?: number;
  /** Package-manager residue bytes per location added by this layer (e.g. `/var/lib/apt/lists`: 48e6). */
  residue?: Record<string, number>;
}

export interface WastedFile {
  path: string;
  bytes: number;
  /** Layer that added the copy that is wasted. */
  addedInLayer: number;
  /** Layer that hid it (overwrote, deleted or made an opaque dir). */
  hiddenInLayer: number;
  how: 'overwritten' | 'deleted' | 'opaque';
  /** True when the base image added the file (its waste is not yours to fix), even if your step hid it. */
  fromBase?: boolean;
}

export interface DirectoryUsage {
  path: string;
  bytes: number;
}

export interface ImageReport {
  /** Image id (`sha256:…`, the config digest). */
  id: string;
  /** What was analysed: the tag(s) or reference given. */
  ref?: string;
  tags: string[];
  os?: string;
  architecture?: string;
  /** Uncompressed bytes; equals `docker image inspect .Size`. */
  size: number;
  /** Estimated pull size: the gzip size of each layer tar, as a registry stores them (±3 %). */
  compressedSize: number;
  /**
   * Where compressedSize comes from: `manifest` = the sum of the manifest's layer sizes (exact pull size; registry,
   * OCI layout/archive), `estimate` = gzip -6 of each layer tar (engine, docker-archive).
   */
  compressedSizeSource?: 'manifest' | 'estimate';
  /** `os/arch[/variant]` the image was chosen for, when read from an index (multi-platform image). */
  platform?: string;
  /** Digest of the image manifest, when read from a registry or OCI source. */
  manifestDigest?: string;
  /** Number of filesystem layers (RootFS.Layers). */
  layers: number;
  /** Bytes present in some layer but not visible in the final filesystem. */
  wastedBytes: number;
  /** wastedBytes split: in the user's own layers vs in the base image's layers. */
  userWastedBytes: number;
  baseWastedBytes: number;
  /** Visible bytes / total layer bytes (1 when nothing is wasted). */
  efficiency: number;
  /** Installed OS packages (dpkg status / apk installed db), when a database is present. */
  packages?: number;
  /** Executable regular files visible in the final filesystem. */
  executables?: number;
  /** Number of base-image layers at the bottom of the stack (see LayerReport.fromBase). */
  baseLayers: number;
  /** Docker history, including empty (metadata-only) steps. */
  history?: HistoryEntry[];
  /** Environment, labels etc. as recorded in the image config, secrets masked. */
  config?: { user?: string; env?: string[]; entrypoint?: string[]; cmd?: string[]; workdir?: string; labels?: Record<string, string> };
}

export interface HistoryEntry {
  createdBy: string;
  emptyLayer: boolean;
  /** Index into Report.layers when the entry made a layer. */
  layer?: number;
  created?: string;
  comment?: string;
}

export interface ThresholdResult {
  /** Threshold name as the input spells it (e.g. `max-size`, `fail-on-secrets`). */
  name: string;
  /** Human-readable limit and measured value, e.g. `200 MB` and `245.3 MB`. */
  limit: string;
  actual: string;
  passed: boolean;
  /** Set when the threshold could not be evaluated (e.g. an increase limit without a baseline): why. passed is true then. */
  skipped?: string;
  /** `fail-on` / `fail-on-secrets`: the findings that failed the check (secret ones carry no value, only the mask). */
  findings?: FailedFinding[];
}

/** A finding named in a failed check: enough to find it in `findings` (by fingerprint) and to show it. */
export interface FailedFinding {
  rule: string;
  severity: Severity;
  category: FindingCategory;
  fingerprint: string;
  /** `Dockerfile:7`, `/root/.npmrc`, `layer 3`… */
  where?: string;
}

export interface Verdict {
  passed: boolean;
  /** Every threshold that was evaluated (failed ones have passed=false). */
  checks: ThresholdResult[];
  /** One line: `passed` or `failed: max-size (245.3 MB > 200 MB), fail-on-secrets (2 secrets)`. */
  summary: string;
}

// ---- Package inventory (src/inventory): read from the image's files, never by running it.
/** `deb` dpkg, `apk` Alpine, `rpm` RPM db, `npm` node_modules, `python` dist-info/egg-info, `go` build info, `maven` jars. */
export type PackageType = 'deb' | 'apk' | 'rpm' | 'npm' | 'python' | 'go' | 'maven';

export interface Package {
  type: PackageType;
  name: string;
  version: string;
  /** Installed bytes: from the package database, or the bytes of the package's files. Absent when unknown. */
  size?: number;
  /** Index into Report.layers of the layer that added (this version of) the package. */
  layer?: number;
  /** Where it was found, no leading slash: the database, manifest, binary or jar. */
  path?: string;
  /** npm devDependency / Python dev extra, per the app's package.json, lockfile or metadata. */
  dev?: boolean;
  /** Maven group id; Go: module path is the name. */
  group?: string;
}

/** A package database that exists but was not read (e.g. a BerkeleyDB rpm `Packages`): reported, never guessed. */
export interface UnreadDatabase {
  path: string;
  layer?: number;
  reason: string;
}

/** The OS of the final filesystem, from /etc/os-release. */
export interface Distro {
  /** `ID`, e.g. `debian`, `alpine`, `fedora`. */
  id: string;
  versionId?: string;
  prettyName?: string;
}

export interface Report {
  /** JSON Schema of this file (REPORT_SCHEMA_URL in schema.ts); set when the report is written (serializeReport). */
  $schema?: string;
  schemaVersion: 1;
  tool: { name: 'image-audit'; version: string };
  generatedAt: string;
  /** The Dockerfile and build settings the image came from, when built here. */
  source?: { dockerfile?: string; context?: string; target?: string; commit?: string; ref?: string };
  /** Absent when only lint ran. */
  image?: ImageReport;
  layers: LayerReport[];
  findings: Finding[];
  wastedFiles?: WastedFile[];
  largestDirectories?: DirectoryUsage[];
  /** Where the bytes are: size tree, largest files, files per step (see SpaceReport). */
  space?: SpaceReport;
  /** The difference from a baseline (saved report, image or git ref), when one was given. */
  comparison?: Comparison;
  /** Wall-clock milliseconds per stage. */
  timings?: StageTimings;
  verdict?: Verdict;
  /**
   * Every analysed platform of a multi-platform image (`--platform all`), in index order. The top-level image,
   * layers and findings are those of the first entry.
   */
  platforms?: PlatformReport[];
  /**
   * When built here: buildx's `--metadata-file` result, as build-push-action's `metadata` output has it (its
   * `digest` output is `containerimage.digest`). Provenance (`buildx.build.provenance`, which records build
   * arguments) is left out.
   */
  buildMetadata?: Record<string, unknown>;
  /** Installed packages of the final filesystem (OS databases, npm, Python, Go build info, jars), sorted by type and name. */
  packages?: Package[];
  /** Package databases present but not read (e.g. BerkeleyDB rpm): their packages are missing from `packages`. */
  packageDatabasesNotRead?: UnreadDatabase[];
  /** The final filesystem's OS (/etc/os-release), when it has one; names the purl namespace of OS packages in the SBOM. */
  distro?: Distro;
}

/** One platform of a multi-platform image. */
export interface PlatformReport {
  /** `linux/arm64`, `linux/arm/v7`. */
  platform: string;
  image: ImageReport;
  layers: LayerReport[];
  findings: Finding[];
}

/** Milliseconds per pipeline stage; a stage that did not run is absent. */
export interface StageTimings {
  lint?: number;
  build?: number;
  /** Reading the image once (size, waste, secrets). */
  analysis?: number;
  /** Getting the baseline report (reading, analysing or building it). */
  baseline?: number;
  /** Writing comments, summaries, check runs (the action). */
  publishing?: number;
  total?: number;
}

/**
 * Report(base) × Report(this) in JSON form: everything the markdown and text comparison render from. Finding
 * lists are fingerprints into this report's `findings`; `fixed` holds the base's findings that are gone
 * (they exist nowhere else in this report).
 */
export interface Comparison {
  /** What the base was: `main@abc1234`, an image ref or a report file name. */
  baseLabel?: string;
  base?: { ref?: string; id?: string; generatedAt?: string };
  metrics: MetricDelta[];
  /** Every step of both sides, in head order, removed steps last. */
  steps: StepMatch[];
  newFindings: string[];
  existingFindings: string[];
  fixedFindings: string[];
  fixed: Finding[];
}

/** A directory or file of the final filesystem with its visible bytes. */
export interface SizeTreeNode {
  /** No leading slash, e.g. `usr/lib/node_modules/typescript`. */
  path: string;
  bytes: number;
  /** 0 for top-level entries; children follow their parent (depth-first). */
  depth: number;
  /** Regular files under it (1 for a file). */
  files: number;
  /** True when the entry is a directory. */
  dir: boolean;
}

export interface LargeFile {
  path: string;
  bytes: number;
  /** Layer that added the visible copy (Report.layers index; its `step` names the Dockerfile line). */
  layer: number;
}

export interface LayerFiles {
  layer: number;
  /** Visible files this layer added, largest first (at most a few). */
  files: { path: string; bytes: number }[];
  /** All visible files this layer added, and their bytes. */
  count: number;
  bytes: number;
}

export interface SpaceReport {
  /**
   * Largest paths at every depth: a directory is expanded while it holds a large share of the image, each
   * level shows its largest children, chains of single dominant children are followed (see fs-model.sizeTree).
   */
  sizeTree: SizeTreeNode[];
  /** The largest visible files (20). */
  largestFiles: LargeFile[];
  /** Per layer, the visible files it added, largest first. */
  layerFiles: LayerFiles[];
  /** Wasted items and bytes among the files your steps added (listed first in wastedFiles). */
  userWaste?: { files: number; bytes: number };
  /** The same for files the base image added (wastedFiles with fromBase); shown as one total unless `all-waste`. */
  baseWaste?: { files: number; bytes: number };
}
