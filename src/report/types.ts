// The one contract every stage shares, and the JSON report's schema. A saved report is a valid baseline,
// so everything the comment or summary shows must be derivable from this type alone.

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
  /** Stable identity across runs: sha256 hex. For secrets: sha256(rule:path:value). */
  fingerprint: string;
  /** Free-form, JSON-safe extra data (never a secret value). */
  details?: Record<string, unknown>;
  /** Set when a suppression matched; suppressed findings stay in the report but never fail the run. */
  suppressed?: { by: 'fingerprint' | 'rule-path' | 'allowlist' | 'inline'; reason?: string };
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
  verdict?: Verdict;
  /** Installed packages of the final filesystem (OS databases, npm, Python, Go build info, jars), sorted by type and name. */
  packages?: Package[];
  /** Package databases present but not read (e.g. BerkeleyDB rpm): their packages are missing from `packages`. */
  packageDatabasesNotRead?: UnreadDatabase[];
  /** The final filesystem's OS (/etc/os-release), when it has one; names the purl namespace of OS packages in the SBOM. */
  distro?: Distro;
}
