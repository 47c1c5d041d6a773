// Every action input, read once and validated: a bad value is a UserError naming the input.
import { parseBuildInputs, type BuildInputs, type RawBuildInputs } from '../build/inputs.js';
import { parseBaselineMode, type BaselineMode } from '../baseline/index.js';
import { UserError } from '../util/errors.js';
import { THRESHOLD_NAMES } from '../config/load.js';

export const BUILD_INPUTS = ['context', 'file', 'target', 'build-args', 'secrets', 'builder', 'cache-from', 'cache-to', 'no-cache', 'platform', 'tags'] as const;
// The threshold inputs are the config file's threshold keys: one list, one parser (config/load.ts).
export const THRESHOLD_INPUTS = THRESHOLD_NAMES;

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
  /** `html-report`: write the interactive size map here. */
  htmlReport?: string;
  /** `sbom-file`: write the CycloneDX SBOM here. */
  sbomFile?: string;
}

export function parseBooleanInput(name: string, text: string, fallback: boolean): boolean {
  const v = text.trim().toLowerCase();
  if (v === '') return fallback;
  if (['true', 'yes', 'on', '1'].includes(v)) return true;
  if (['false', 'no', 'off', '0'].includes(v)) return false;
  throw new UserError(`Input ${name}: '${text}' is not a boolean.`, `Use true or false.`);
}

export function readInputs(getInput: (name: string) => string): ActionInputs {
  const opt = (name: string) => getInput(name).trim() || undefined;
  const raw: RawBuildInputs = {};
  for (const name of BUILD_INPUTS) raw[name] = getInput(name);
  const image = opt('image');
  const fromReport = opt('from-report');
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
    htmlReport: opt('html-report'),
    sbomFile: opt('sbom-file')
  };
}
