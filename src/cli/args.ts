// argv → a typed command. Pure: no I/O, so every usage error is unit-tested.
import { parseArgs } from 'node:util';
import { UserError } from '../util/errors.js';
import { THRESHOLD_NAMES } from '../config/load.js';

export type OutputFormat = 'text' | 'json' | 'markdown' | 'sarif';

export interface AuditCommand {
  command: 'audit';
  file?: string;
  context?: string;
  target?: string;
  buildArgs: string[];
  /** `id=ID,env=VAR` or `id=ID,src=FILE` (values are never taken from argv, where `ps` would show them). */
  secrets: string[];
  image?: string;
  tags: string[];
  platform?: string;
  builder?: string;
  noCache: boolean;
  noLint: boolean;
  format: OutputFormat;
  output?: string;
  sarif?: string;
  /** Interactive size map (self-contained HTML). */
  html?: string;
  /** CycloneDX 1.5 JSON SBOM of the package inventory. */
  sbom?: string;
  config?: string;
  baselineReport?: string;
  /** Threshold flags by input name (`max-size` → `200MB`). */
  thresholds: Record<string, string>;
}

export interface LintCommand {
  command: 'lint';
  dockerfile: string;
  context?: string;
  target?: string;
  format: OutputFormat;
  config?: string;
  failOn?: string;
}

export type Command = AuditCommand | LintCommand | { command: 'help' } | { command: 'version' };

// Threshold flags are the config file's threshold keys (one list, one parser: config/load.ts).
export const THRESHOLD_FLAGS = THRESHOLD_NAMES;

export const USAGE = `Usage:
  image-audit audit [--file F] [--context DIR] [--target T] [--build-arg K=V]… [--image REF]
                    [--format text|json|markdown|sarif] [--output FILE] [--sarif FILE] [--config FILE]
                    [--html FILE] [--sbom FILE]
                    [--tag T]… [--platform P] [--builder B] [--no-cache] [--no-lint]
                    [--secret id=ID,env=VAR | --secret id=ID,src=FILE]… [--baseline-report FILE]
                    [--max-size 200MB] [--max-compressed-size S] [--max-layers N] [--max-size-increase 10%]
                    [--max-layers-increase N] [--max-wasted 5%] [--min-efficiency 0.9]
                    [--fail-on-secrets true|false] [--fail-on-lint error|warning|info|none]
  image-audit lint <Dockerfile> [--context DIR] [--target T] [--format text|json|sarif] [--config FILE]
  image-audit --help | --version

Exit codes: 0 passed, 1 a threshold failed, 2 bad input or the audit could not run.`;

const FORMATS: OutputFormat[] = ['text', 'json', 'markdown', 'sarif'];

function format(value: string | undefined, allowed: OutputFormat[]): OutputFormat {
  const f = (value ?? 'text').toLowerCase() as OutputFormat;
  if (!allowed.includes(f)) throw new UserError(`--format ${value} is not supported.`, `Use one of: ${allowed.join(', ')}.`);
  return f;
}

export function parseCommand(argv: string[]): Command {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') return { command: 'help' };
  if (command === '--version' || command === '-v') return { command: 'version' };
  try {
    if (command === 'audit') return parseAudit(rest);
    if (command === 'lint') return parseLint(rest);
  } catch (e) {
    if (e instanceof UserError) throw e;
    // node:util parseArgs errors (unknown flag, missing value) are usage errors.
    throw new UserError(`${(e as Error).message.replace(/\. To specify.*$/s, '')}.`, USAGE);
  }
  throw new UserError(`Unknown command '${command}'.`, USAGE);
}

function parseAudit(argv: string[]): AuditCommand {
  const thresholdOptions = Object.fromEntries(THRESHOLD_FLAGS.map((t) => [t, { type: 'string' as const }]));
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      file: { type: 'string', short: 'f' },
      context: { type: 'string', short: 'c' },
      target: { type: 'string' },
      'build-arg': { type: 'string', multiple: true },
      secret: { type: 'string', multiple: true },
      image: { type: 'string' },
      tag: { type: 'string', short: 't', multiple: true },
      platform: { type: 'string' },
      builder: { type: 'string' },
      'no-cache': { type: 'boolean' },
      'no-lint': { type: 'boolean' },
      format: { type: 'string' },
      output: { type: 'string', short: 'o' },
      sarif: { type: 'string' },
      html: { type: 'string' },
      sbom: { type: 'string' },
      config: { type: 'string' },
      'baseline-report': { type: 'string' },
      ...thresholdOptions
    }
  });
  if (positionals.length) {
    throw new UserError(`Unexpected argument '${positionals[0]}'.`, 'audit takes flags only, e.g. image-audit audit --file Dockerfile --context .');
  }
  const v = values as Record<string, string | string[] | boolean | undefined>;
  const thresholds: Record<string, string> = {};
  for (const t of THRESHOLD_FLAGS) if (typeof v[t] === 'string') thresholds[t] = v[t] as string;
  return {
    command: 'audit',
    file: v.file as string | undefined,
    context: v.context as string | undefined,
    target: v.target as string | undefined,
    buildArgs: (v['build-arg'] as string[] | undefined) ?? [],
    secrets: (v.secret as string[] | undefined) ?? [],
    image: v.image as string | undefined,
    tags: (v.tag as string[] | undefined) ?? [],
    platform: v.platform as string | undefined,
    builder: v.builder as string | undefined,
    noCache: Boolean(v['no-cache']),
    noLint: Boolean(v['no-lint']),
    format: format(v.format as string | undefined, FORMATS),
    output: v.output as string | undefined,
    sarif: v.sarif as string | undefined,
    html: v.html as string | undefined,
    sbom: v.sbom as string | undefined,
    config: v.config as string | undefined,
    baselineReport: v['baseline-report'] as string | undefined,
    thresholds
  };
}

function parseLint(argv: string[]): LintCommand {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      context: { type: 'string', short: 'c' },
      target: { type: 'string' },
      format: { type: 'string' },
      config: { type: 'string' },
      'fail-on': { type: 'string' },
      file: { type: 'string', short: 'f' }
    }
  });
  const dockerfile = positionals[0] ?? values.file;
  if (!dockerfile) throw new UserError('lint needs a Dockerfile.', 'Example: image-audit lint Dockerfile --context .');
  if (positionals.length > 1) throw new UserError(`Unexpected argument '${positionals[1]}'.`, 'lint takes one Dockerfile.');
  return {
    command: 'lint',
    dockerfile,
    context: values.context,
    target: values.target,
    format: format(values.format, ['text', 'json', 'sarif']),
    config: values.config,
    failOn: values['fail-on']
  };
}
