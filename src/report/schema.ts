// The JSON report's schema (zod), used to validate every report read from disk: `from-report` and
// `baseline-report` may come from untrusted PR code (the workflow_run fork pattern), so a report is data to check,
// never trusted. schema/report.schema.json is generated from this file (`npm run schema`).
//
// Unknown keys are accepted and stripped (z.object's default): a report written by a newer minor version still
// reads as a baseline, and nothing that was not validated here ever reaches a renderer.
//
// To add a Report field: add it to src/report/types.ts (optional, with a doc comment) AND to the matching object
// below as `.optional()`, then run `npm run schema`. The key checks at the end of this file fail to compile until
// both sides agree.
import { z } from 'zod';
import type * as T from './types.js';

/** Where written reports point their `$schema`: the published file for schemaVersion 1, by URL (see reportSchemaUrl). */
export const REPORT_SCHEMA_URL = 'https://raw.githubusercontent.com/image-audit/image-audit/v1/schema/report.schema.json';

// Bounds. Anything beyond them is not a measurement of a real image, so it is refused rather than rendered.
/** 1 PiB: no image layer or file is larger. */
export const MAX_BYTES = 2 ** 50;
const MAX_LAYERS = 10_000;
const MAX_COUNT = 1_000_000_000;
const MAX_LINE = 10_000_000;
const MAX_ITEMS = 1_000_000;
/** Identifiers: rule ids, digests, fingerprints, threshold names. */
const MAX_ID = 256;
/** Refs, tags, versions, limits. */
const MAX_SHORT = 1024;
const MAX_PATH = 4096;
/** Messages, history commands, env entries (a long RUN line is a few KiB). */
const MAX_TEXT = 65_536;

const str = (max: number) => z.string().max(max);
const bytes = z.number().int().min(0).max(MAX_BYTES);
const count = z.number().int().min(0).max(MAX_COUNT);
const layerIndex = z.number().int().min(0).max(MAX_LAYERS);
const lineNumber = z.number().int().min(1).max(MAX_LINE);
const list = <S extends z.ZodType>(item: S, max = MAX_ITEMS) => z.array(item).max(max);

export const severitySchema = z.enum(['error', 'warning', 'info']);
export const findingCategorySchema = z.enum(['lint', 'image', 'secret']);

export const findingSchema = z.object({
  rule: str(MAX_ID),
  severity: severitySchema,
  category: findingCategorySchema,
  message: str(MAX_TEXT),
  file: str(MAX_PATH).optional(),
  line: lineNumber.optional(),
  endLine: lineNumber.optional(),
  column: lineNumber.optional(),
  endColumn: lineNumber.optional(),
  layer: layerIndex.optional(),
  path: str(MAX_PATH).optional(),
  bytes: bytes.optional(),
  masked: str(MAX_ID).optional(),
  fingerprint: str(MAX_ID),
  // Free-form and never rendered; JSON values only.
  details: z.record(str(MAX_ID), z.json()).optional(),
  suppressed: z.object({ by: z.enum(['fingerprint', 'rule-path', 'allowlist', 'inline']), reason: str(MAX_TEXT).optional() }).optional(),
  mergedFrom: list(z.object({ rule: str(MAX_ID), category: findingCategorySchema, fingerprint: str(MAX_ID), message: str(MAX_TEXT) }), 100).optional(),
  places: list(
    z.object({
      rule: str(MAX_ID),
      severity: severitySchema,
      fingerprint: str(MAX_ID),
      file: str(MAX_PATH).optional(),
      line: lineNumber.optional(),
      layer: layerIndex.optional(),
      path: str(MAX_PATH).optional(),
      location: str(MAX_PATH).optional(),
      visibleInFinal: z.boolean().optional(),
      hiddenInLayer: layerIndex.optional(),
      suppressed: z.boolean().optional()
    }),
    1000
  ).optional()
  // New Finding fields go here.
});

export const stepRefSchema = z.object({
  instruction: str(MAX_TEXT),
  line: lineNumber.optional(),
  endLine: lineNumber.optional(),
  stage: str(MAX_SHORT).optional()
});

export const layerReportSchema = z.object({
  index: layerIndex,
  diffId: str(MAX_ID),
  size: bytes,
  compressedSize: bytes,
  createdBy: str(MAX_TEXT),
  fromBase: z.boolean(),
  step: stepRefSchema.optional(),
  entries: count.optional(),
  wastedBytes: bytes.optional(),
  residue: z.record(str(MAX_PATH), bytes).optional()
  // New LayerReport fields go here.
});

export const wastedFileSchema = z.object({
  path: str(MAX_PATH),
  bytes,
  addedInLayer: layerIndex,
  hiddenInLayer: layerIndex,
  how: z.enum(['overwritten', 'deleted', 'opaque']),
  fromBase: z.boolean().optional()
});

export const directoryUsageSchema = z.object({ path: str(MAX_PATH), bytes });

export const historyEntrySchema = z.object({
  createdBy: str(MAX_TEXT),
  emptyLayer: z.boolean(),
  layer: layerIndex.optional(),
  created: str(MAX_SHORT).optional(),
  comment: str(MAX_TEXT).optional()
});

export const imageReportSchema = z.object({
  id: str(MAX_ID),
  ref: str(MAX_SHORT).optional(),
  tags: list(str(MAX_SHORT), MAX_LAYERS),
  os: str(MAX_SHORT).optional(),
  architecture: str(MAX_SHORT).optional(),
  size: bytes,
  compressedSize: bytes,
  layers: layerIndex,
  wastedBytes: bytes,
  userWastedBytes: bytes,
  baseWastedBytes: bytes,
  efficiency: z.number().min(0).max(1),
  packages: count.optional(),
  executables: count.optional(),
  baseLayers: layerIndex,
  history: list(historyEntrySchema, 100 * MAX_LAYERS).optional(),
  config: z
    .object({
      user: str(MAX_SHORT).optional(),
      env: list(str(MAX_TEXT), MAX_LAYERS).optional(),
      entrypoint: list(str(MAX_TEXT), MAX_LAYERS).optional(),
      cmd: list(str(MAX_TEXT), MAX_LAYERS).optional(),
      workdir: str(MAX_PATH).optional(),
      labels: z.record(str(MAX_SHORT), str(MAX_TEXT)).optional()
    })
    .optional(),
  compressedSizeSource: z.enum(['manifest', 'estimate']).optional(),
  platform: str(MAX_ID).optional(),
  manifestDigest: str(MAX_ID).optional()
  // New ImageReport fields go here.
});

export const thresholdResultSchema = z.object({
  name: str(MAX_ID),
  limit: str(MAX_SHORT),
  actual: str(MAX_SHORT),
  passed: z.boolean(),
  skipped: str(MAX_TEXT).optional(),
  findings: list(
    z.object({ rule: str(MAX_ID), severity: severitySchema, category: findingCategorySchema, fingerprint: str(MAX_ID), where: str(MAX_PATH).optional() }),
    10_000
  ).optional()
});

export const verdictSchema = z.object({
  passed: z.boolean(),
  checks: list(thresholdResultSchema, 1000),
  summary: str(MAX_TEXT)
});

const sizeTreeNodeSchema = z.object({ path: str(MAX_PATH), bytes, depth: z.number().int().min(0).max(256), files: count, dir: z.boolean() });
const largeFileSchema = z.object({ path: str(MAX_PATH), bytes, layer: layerIndex });
const layerFilesSchema = z.object({ layer: layerIndex, files: list(z.object({ path: str(MAX_PATH), bytes }), 1000), count, bytes });
const wasteTotalSchema = z.object({ files: count, bytes });
export const spaceReportSchema = z.object({
  sizeTree: list(sizeTreeNodeSchema, 10_000),
  largestFiles: list(largeFileSchema, 1000),
  layerFiles: list(layerFilesSchema, MAX_LAYERS),
  userWaste: wasteTotalSchema.optional(),
  baseWaste: wasteTotalSchema.optional()
});
const millis = z.number().min(0).max(1e10);
export const stageTimingsSchema = z.object({
  lint: millis.optional(),
  build: millis.optional(),
  analysis: millis.optional(),
  baseline: millis.optional(),
  publishing: millis.optional(),
  total: millis.optional()
});
const metricName = z.enum(['size', 'compressedSize', 'layers', 'wastedBytes', 'efficiency', 'packages', 'executables', 'secretFindings', 'lintFindings']);
// Metric values: sizes are bytes, efficiency a ratio; one bound covers both (negative deltas allowed).
const metricValue = z.number().min(-MAX_BYTES).max(MAX_BYTES);
export const metricDeltaSchema = z.object({
  name: metricName,
  // Rendered as the row label: a closed shape (words, no markup).
  label: z.string().regex(/^[A-Za-z][A-Za-z ()%-]{0,63}$/),
  unit: z.enum(['bytes', 'count', 'ratio']),
  base: metricValue.optional(),
  head: metricValue.optional(),
  delta: metricValue.optional()
});
export const stepMatchSchema = z.object({
  instruction: str(MAX_TEXT),
  baseInstruction: str(MAX_TEXT).optional(),
  baseLine: lineNumber.optional(),
  headLine: lineNumber.optional(),
  stage: str(MAX_ID).optional(),
  fromBase: z.boolean(),
  baseLayers: list(layerIndex, MAX_LAYERS),
  headLayers: list(layerIndex, MAX_LAYERS),
  baseSize: bytes,
  headSize: bytes,
  baseCompressedSize: bytes,
  headCompressedSize: bytes,
  delta: z.number().int().min(-MAX_BYTES).max(MAX_BYTES),
  status: z.enum(['added', 'removed', 'changed', 'unchanged']),
  matchedBy: z.enum(['instruction', 'line']).optional()
});
export const comparisonSchema = z.object({
  baseLabel: str(MAX_SHORT).optional(),
  base: z.object({ ref: str(MAX_SHORT).optional(), id: str(MAX_ID).optional(), generatedAt: str(MAX_ID).optional() }).optional(),
  metrics: list(metricDeltaSchema, 100),
  steps: list(stepMatchSchema, MAX_LAYERS * 2),
  newFindings: list(str(MAX_ID)),
  existingFindings: list(str(MAX_ID)),
  fixedFindings: list(str(MAX_ID)),
  fixed: list(findingSchema)
});

export const reportSchema = z.object({
  $schema: str(MAX_SHORT).optional(),
  schemaVersion: z.literal(1),
  tool: z.object({ name: z.literal('image-audit'), version: str(MAX_ID) }),
  generatedAt: str(MAX_ID),
  source: z
    .object({
      dockerfile: str(MAX_PATH).optional(),
      context: str(MAX_PATH).optional(),
      target: str(MAX_SHORT).optional(),
      commit: str(MAX_ID).optional(),
      ref: str(MAX_SHORT).optional()
    })
    .optional(),
  image: imageReportSchema.optional(),
  layers: list(layerReportSchema, MAX_LAYERS),
  findings: list(findingSchema),
  wastedFiles: list(wastedFileSchema).optional(),
  largestDirectories: list(directoryUsageSchema).optional(),
  space: spaceReportSchema.optional(),
  comparison: comparisonSchema.optional(),
  timings: stageTimingsSchema.optional(),
  verdict: verdictSchema.optional(),
  platforms: list(
    z.object({ platform: str(MAX_ID), image: imageReportSchema, layers: list(layerReportSchema, MAX_LAYERS), findings: list(findingSchema) }),
    256
  ).optional(),
  packages: list(
    z.object({
      type: z.enum(['deb', 'apk', 'rpm', 'npm', 'python', 'go', 'maven']),
      name: str(MAX_PATH),
      version: str(MAX_SHORT),
      size: bytes.optional(),
      layer: layerIndex.optional(),
      path: str(MAX_PATH).optional(),
      dev: z.boolean().optional(),
      group: str(MAX_PATH).optional()
    })
  ).optional(),
  packageDatabasesNotRead: list(z.object({ path: str(MAX_PATH), layer: layerIndex.optional(), reason: str(MAX_TEXT) }), 1000).optional(),
  distro: z.object({ id: str(MAX_ID), versionId: str(MAX_ID).optional(), prettyName: str(MAX_SHORT).optional() }).optional(),
  // Build metadata is JSON data never rendered whole (its digest is an output).
  buildMetadata: z.record(str(MAX_SHORT), z.json()).optional()
  // New Report fields go here (optional, like the ones above).
});

// Compile-time agreement between this schema and types.ts, key by key and both ways. A new field on one side
// without the other fails here, naming the type.
type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never]
  ? true
  : { missing: Exclude<keyof A, keyof B>; extra: Exclude<keyof B, keyof A> };
type Out<S extends z.ZodType> = z.output<S>;
const keysAgree = <_ extends true>() => true;
keysAgree<SameKeys<T.Report, Out<typeof reportSchema>>>();
keysAgree<SameKeys<T.Finding, Out<typeof findingSchema>>>();
keysAgree<SameKeys<T.LayerReport, Out<typeof layerReportSchema>>>();
keysAgree<SameKeys<T.StepRef, Out<typeof stepRefSchema>>>();
keysAgree<SameKeys<T.WastedFile, Out<typeof wastedFileSchema>>>();
keysAgree<SameKeys<T.DirectoryUsage, Out<typeof directoryUsageSchema>>>();
keysAgree<SameKeys<T.HistoryEntry, Out<typeof historyEntrySchema>>>();
keysAgree<SameKeys<T.ImageReport, Out<typeof imageReportSchema>>>();
keysAgree<SameKeys<T.ThresholdResult, Out<typeof thresholdResultSchema>>>();
keysAgree<SameKeys<T.Verdict, Out<typeof verdictSchema>>>();
// And the parsed value is a Report as the stages type it (so read.ts needs no cast).
const _parsedIsReport = (r: Out<typeof reportSchema>): T.Report => r;
void _parsedIsReport;

/** JSON path of an issue, as a reader writes it: `findings[3].severity`, `image.config.labels["a b"]`. */
export function jsonPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(String(key)).slice(0, 80)}]`;
  }
  return out || '(the report)';
}

const typeOf = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' && !Number.isFinite(v) ? 'a non-finite number' : typeof v;

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = data;
  for (const key of path) v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  return v;
}

/** One short sentence per issue. Never echoes the value itself: it is untrusted and may be huge. */
function describeIssue(issue: z.core.$ZodIssue, data: unknown): string {
  const got = typeOf(valueAt(data, issue.path));
  switch (issue.code) {
    case 'invalid_type':
      if (issue.expected === 'int') return `expected an integer, got ${got === 'number' ? 'a fraction' : got}`;
      return valueAt(data, issue.path) === undefined ? `missing (expected ${issue.expected})` : `expected ${issue.expected}, got ${got}`;
    case 'invalid_value':
      return `expected ${issue.values.length === 1 ? JSON.stringify(issue.values[0]) : `one of ${issue.values.map(String).join('|')}`}`;
    case 'too_big':
      if (issue.origin === 'string') return `longer than ${issue.maximum} characters`;
      if (issue.origin === 'array') return `more than ${issue.maximum} items`;
      return `greater than ${issue.maximum === MAX_BYTES ? `${issue.maximum} (1 PiB)` : issue.maximum}`;
    case 'too_small':
      if (issue.origin === 'string' || issue.origin === 'array') return `shorter than ${issue.minimum}`;
      return `less than ${issue.minimum}`;
    case 'not_multiple_of':
      return `not a whole number`;
    default:
      return issue.message;
  }
}

export type ReportValidation = { ok: true; report: T.Report } | { ok: false; problems: string[] };

/** Validates parsed JSON; problems are `path: what is wrong`, at most `limit` of them. */
export function validateReport(data: unknown, limit = 5): ReportValidation {
  const result = reportSchema.safeParse(data);
  if (result.success) return { ok: true, report: result.data };
  const issues = result.error.issues;
  const problems = issues.slice(0, limit).map((i) => `${jsonPath(i.path)}: ${describeIssue(i, data)}`);
  if (issues.length > limit) problems.push(`and ${issues.length - limit} more`);
  return { ok: false, problems };
}

/** The JSON Schema published at schema/report.schema.json (input shape: extra keys allowed, as the reader allows). */
export function reportJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(reportSchema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    $schema: schema.$schema,
    $id: REPORT_SCHEMA_URL,
    title: 'image-audit report',
    description: 'The JSON report written by image-audit (schemaVersion 1). Generated from src/report/schema.ts by `npm run schema`.',
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema'))
  };
}
