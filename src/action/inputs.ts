// Every action input, read once and validated: a bad value is a UserError naming the input.
import { parseBuildInputs, splitLines, type BuildInputs, type RawBuildInputs } from '../build/inputs.js';
import type { PublishInputs } from '../build/publish.js';
import { parseBaselineMode, type BaselineMode } from '../baseline/index.js';
import { UserError } from '../util/errors.js';
import { parseBoolean } from '../util/boolean.js';
import { THRESHOLD_NAMES } from '../config/load.js';
import { splitIgnoreList } from '../config/ignore.js';

export const BUILD_INPUTS = [
  'context',
  'file',
  'target',
  'build-args',
  'secrets',
  'secret-envs',
  'secret-files',
  'builder',
  'cache-from',
  'cache-to',
  'no-cache',
  'platforms',
  'platform',
  'tags'
] as const;
// The threshold inputs are the config file's threshold keys: one list, one parser (config/load.ts).
export const THRESHOLD_INPUTS = THRESHOLD_NAMES;
/** Every input readInputs may read; action.yml must declare exactly these (__tests__/action/contract.test.ts). */
export const ACTION_INPUTS = [
  ...BUILD_INPUTS,
  'push',
  'outputs',
  'insecure-registries',
  'ignore',
  'no-fail',
  'html-report',
  'sbom-file',
  'image',
  'from-report',
  'config',
  'lint',
  'baseline',
  'baseline-image',
  'baseline-report',
  ...THRESHOLD_INPUTS,
  'comment',
  'comment-tag',
  'pr-number',
  'github-token',
  'check-name',
  'audit-issue',
  'sarif-file',
  'report-file'
] as const;
export type ActionInputName = (typeof ACTION_INPUTS)[number];

export interface ActionInputs {
  /** Undefined when only `image` (or `from-report`) is given. */
  build?: BuildInputs;
  image?: string;
  fromReport?: string;
  config?: string;
  lint: boolean;
  baseline: BaselineMode;
  baselineImage?: string;
  baselineReport?: string;
  /** Threshold inputs that were set, by input name, as typed. */
  thresholds: Partial<Record<(typeof THRESHOLD_INPUTS)[number], string>>;
  comment: boolean;
  commentTag?: string;
  prNumber?: number;
  githubToken?: string;
  checkName?: string;
  auditIssue: boolean;
  sarifFile?: string;
  reportFile?: string;
  /** With `image`: the platform(s) to read from an index (`platforms`/`platform` input; `all` = every one). */
  imagePlatform?: string;
  /** `insecure-registries`: registries reachable over plain HTTP or with an unverified certificate. */
  insecureRegistries: string[];
  /** `push` / `outputs` / several `platforms` when building: analyse what was pushed or written, not --load. */
  publish?: PublishInputs;
  /** Rule ids (ours or hadolint's) to turn off, from `ignore`. */
  ignore: string[];
  /** Report-only (`no-fail`, as hadolint-action): failed thresholds do not fail the step. */
  noFail: boolean;
  /** `html-report`: write the interactive size map here. */
  htmlReport?: string;
  /** `sbom-file`: write the CycloneDX SBOM here. */
  sbomFile?: string;
}

/** The one boolean parser (util/boolean.ts), naming the input in its error. */
export const parseBooleanInput = (name: string, text: string, fallback: boolean): boolean => parseBoolean(`Input ${name}`, text, fallback);

// Typed by ActionInputName: reading an input that is not in ACTION_INPUTS does not compile.
export function readInputs(getInput: (name: ActionInputName) => string): ActionInputs {
  const opt = (name: ActionInputName) => getInput(name).trim() || undefined;
  const raw: RawBuildInputs = {};
  for (const name of BUILD_INPUTS) raw[name] = getInput(name);
  const image = opt('image');
  const fromReport = opt('from-report');
  // With an image nothing is built, so the platform input picks platforms of that image instead (`all` allowed).
  const imagePlatform = image ? (opt('platforms') ?? opt('platform')) : undefined;
  if (image) raw.platform = raw.platforms = '';
  const push = parseBooleanInput('push', getInput('push'), false);
  const outputs = splitLines(getInput('outputs'));
  const buildPlatforms = (opt('platforms') ?? opt('platform') ?? '').split(/[\s,]+/).filter(Boolean);
  const publish = !image && (push || outputs.length > 0 || buildPlatforms.length > 1) ? { platforms: buildPlatforms, push, outputs } : undefined;
  // The build's one-platform check does not apply there: publish.platforms carries the list.
  if (publish) raw.platform = raw.platforms = '';
  // With only `image`, nothing is built; a Dockerfile given next to it is still linted and used for attribution.
  const wantsBuild = !fromReport && (!image || !!opt('file') || !!opt('context'));
  const build = wantsBuild ? parseBuildInputs(raw) : undefined;

  const thresholds: ActionInputs['thresholds'] = {};
  for (const name of THRESHOLD_INPUTS) {
    const v = opt(name);
    if (v !== undefined) thresholds[name] = v;
  }

  const prText = opt('pr-number');
  let prNumber: number | undefined;
  if (prText !== undefined) {
    if (!/^[1-9]\d{0,9}$/.test(prText)) throw new UserError(`Input pr-number: '${prText}' is not a pull request number.`, 'Give the number only, e.g. 42.');
    prNumber = Number(prText);
  }

  let baseline = parseBaselineMode(getInput('baseline'));
  const baselineImage = opt('baseline-image');
  const baselineReport = opt('baseline-report');
  // Giving baseline-image or baseline-report is enough to choose that mode.
  if (baseline === 'auto' && baselineReport) baseline = 'report';
  else if (baseline === 'auto' && baselineImage) baseline = 'image';

  return {
    build,
    image,
    fromReport,
    config: opt('config'),
    lint: parseBooleanInput('lint', getInput('lint'), true),
    baseline,
    baselineImage,
    baselineReport,
    thresholds,
    comment: parseBooleanInput('comment', getInput('comment'), true),
    commentTag: opt('comment-tag'),
    prNumber,
    githubToken: opt('github-token'),
    checkName: opt('check-name'),
    auditIssue: parseBooleanInput('audit-issue', getInput('audit-issue'), false),
    sarifFile: opt('sarif-file'),
    reportFile: opt('report-file'),
    imagePlatform,
    publish,
    insecureRegistries: (getInput('insecure-registries') ?? '')
      .split(/[\s,]+/)
      .map((r) => r.trim())
      .filter(Boolean),
    ignore: splitIgnoreList(getInput('ignore')),
    noFail: parseBooleanInput('no-fail', getInput('no-fail'), false),
    htmlReport: opt('html-report'),
    sbomFile: opt('sbom-file')
  };
}
