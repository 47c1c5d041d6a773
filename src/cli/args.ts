// argv → a typed command. Pure: no I/O, so every usage error is unit-tested.
// Every flag is one row of FLAGS (name, type, value placeholder, help, commands): parsing, `--help` and
// did-you-mean all come from that table, so adding a flag is one entry (plus reading it where it is used).
import { parseArgs } from 'node:util';
import { UserError } from '../util/errors.js';
import { THRESHOLD_NAMES } from '../config/load.js';

export type OutputFormat = 'text' | 'json' | 'markdown' | 'sarif';
export type CommandName = 'audit' | 'lint';

export interface FlagSpec {
  name: string;
  short?: string;
  type: 'string' | 'boolean';
  multiple?: boolean;
  /** Placeholder shown in help, e.g. `FILE`. */
  value?: string;
  help: string;
  commands: CommandName[];
  /** Help section. */
  group?: 'build' | 'output' | 'baseline' | 'gate';
}

/** Raw flag values by flag name, for flags without a typed field (new flags can read them here). */
export type FlagValues = Record<string, string | string[] | boolean | undefined>;

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
  baselineImage?: string;
  baselineBuild?: string;
  /** Show the base image's wasted files one by one (they collapse to a total by default). */
  allWaste: boolean;
  /** `true` forces colour, `false` disables it, undefined: on a TTY unless NO_COLOR is set. */
  color?: boolean;
  /** Threshold flags by input name (`max-size` → `200MB`). */
  thresholds: Record<string, string>;
  /** `--insecure-registry HOST[:PORT]` (repeatable): plain HTTP / unverified TLS allowed for these registries. */
  insecureRegistries: string[];
  /** `--push`: push the build (tags name the registry) and analyse it from there instead of --load. */
  push: boolean;
  /** `--build-output type=oci,dest=…`: write the build there and analyse that instead of --load. */
  buildOutput?: string;
  /** `--ignore` values (rule ids or hadolint ids, comma separated or repeated). */
  ignore: string[];
  /** `--no-fail`: exit 0 when a threshold fails (report only). */
  noFail: boolean;
  flags: FlagValues;
}

export interface LintCommand {
  command: 'lint';
  dockerfile: string;
  context?: string;
  target?: string;
  format: OutputFormat;
  output?: string;
  config?: string;
  failOn?: string;
  color?: boolean;
  flags: FlagValues;
}

export type Command = AuditCommand | LintCommand | { command: 'help'; topic?: CommandName } | { command: 'version' };

// Threshold flags are the config file's threshold keys (one list, one parser: config/load.ts).
export const THRESHOLD_FLAGS = THRESHOLD_NAMES;

const THRESHOLD_HELP: Record<string, [string, string]> = {
  'max-size': ['SIZE', 'Fail when the image is larger, e.g. 200MiB'],
  'max-compressed-size': ['SIZE', 'Fail when the estimated pull size is larger'],
  'max-layers': ['N', 'Fail when the image has more layers'],
  'max-size-increase': ['SIZE|%', 'Fail when the image grew more than this over the baseline, e.g. 10% or 20MiB'],
  'max-layers-increase': ['N', 'Fail when the image has more than N layers over the baseline'],
  'max-wasted': ['SIZE|%', 'Fail when more bytes than this are wasted, e.g. 5% or 10MiB'],
  'min-efficiency': ['RATIO', 'Fail when efficiency is below, e.g. 0.9 or 90%'],
  'max-user-wasted': ['SIZE|%', "Fail when the bytes wasted in your own layers (the base image's excluded) exceed this, e.g. 10%"],
  'fail-on': ['LEVEL', 'Lowest finding severity (lint, image, secret) that fails: error|warning|info|none (default error)'],
  'fail-on-secrets': ['BOOL', 'Any unsuppressed secret fails, whatever its severity (default true)'],
  'fail-on-lint': ['LEVEL', 'Deprecated alias of --fail-on']
};

export const FLAGS: FlagSpec[] = [
  {
    name: 'file',
    short: 'f',
    type: 'string',
    value: 'FILE',
    help: 'Dockerfile to build (default <context>/Dockerfile)',
    commands: ['audit', 'lint'],
    group: 'build'
  },
  { name: 'context', short: 'c', type: 'string', value: 'DIR', help: 'Build context (default .)', commands: ['audit', 'lint'], group: 'build' },
  { name: 'target', type: 'string', value: 'STAGE', help: 'Build (or lint) up to this stage', commands: ['audit', 'lint'], group: 'build' },
  { name: 'build-arg', type: 'string', multiple: true, value: 'K=V', help: 'Build argument (repeatable)', commands: ['audit'], group: 'build' },
  {
    name: 'secret',
    type: 'string',
    multiple: true,
    value: 'id=ID,env=VAR',
    help: 'Build secret from an environment variable or src=FILE (repeatable)',
    commands: ['audit'],
    group: 'build'
  },
  {
    name: 'image',
    type: 'string',
    value: 'REF',
    help: 'Analyse an existing image instead of building: REF (local engine, else its registry), registry://HOST[:PORT]/REPO[:TAG|@DIGEST], oci-layout://DIR[:TAG|@DIGEST], docker-archive://FILE, oci-archive://FILE',
    commands: ['audit'],
    group: 'build'
  },
  { name: 'tag', short: 't', type: 'string', multiple: true, value: 'TAG', help: 'Tag for the built image (repeatable)', commands: ['audit'], group: 'build' },
  {
    name: 'platform',
    type: 'string',
    value: 'PLATFORM',
    help: 'Target platform, e.g. linux/amd64; with --image: one platform of a multi-platform image, or all',
    commands: ['audit'],
    group: 'build'
  },
  {
    name: 'insecure-registry',
    type: 'string',
    multiple: true,
    value: 'HOST[:PORT]',
    help: 'Allow plain HTTP / unverified TLS for this registry (repeatable)',
    commands: ['audit'],
    group: 'build'
  },
  {
    name: 'push',
    type: 'boolean',
    help: 'Push the build (tags name the registry) and analyse it from there instead of --load',
    commands: ['audit'],
    group: 'build'
  },
  {
    name: 'build-output',
    type: 'string',
    value: 'SPEC',
    help: 'Write the build (type=oci,dest=F) and analyse that instead of --load',
    commands: ['audit'],
    group: 'build'
  },
  { name: 'builder', type: 'string', value: 'NAME', help: 'buildx builder', commands: ['audit'], group: 'build' },
  { name: 'no-cache', type: 'boolean', help: 'Build without the layer cache', commands: ['audit'], group: 'build' },
  { name: 'no-lint', type: 'boolean', help: 'Skip the Dockerfile lint', commands: ['audit'], group: 'build' },
  { name: 'format', type: 'string', value: 'FORMAT', help: 'text|json|markdown|sarif (lint: text|json|sarif)', commands: ['audit', 'lint'], group: 'output' },
  {
    name: 'output',
    short: 'o',
    type: 'string',
    value: 'FILE',
    help: 'Write the selected format to FILE instead of stdout',
    commands: ['audit', 'lint'],
    group: 'output'
  },
  { name: 'sarif', type: 'string', value: 'FILE', help: 'Also write a SARIF report to FILE', commands: ['audit'], group: 'output' },
  {
    name: 'html',
    type: 'string',
    value: 'FILE',
    help: 'Also write the interactive size map (one self-contained HTML file)',
    commands: ['audit'],
    group: 'output'
  },
  { name: 'sbom', type: 'string', value: 'FILE', help: 'Also write the package inventory as a CycloneDX 1.5 SBOM', commands: ['audit'], group: 'output' },
  { name: 'all-waste', type: 'boolean', help: "List the base image's wasted files too (default: one total line)", commands: ['audit'], group: 'output' },
  { name: 'color', type: 'boolean', help: 'Colour the text report even when stdout is not a terminal', commands: ['audit', 'lint'], group: 'output' },
  { name: 'no-color', type: 'boolean', help: 'Never colour (NO_COLOR=1 does the same)', commands: ['audit', 'lint'], group: 'output' },
  { name: 'config', type: 'string', value: 'FILE', help: 'Config file (default .image-audit.yml)', commands: ['audit', 'lint'], group: 'gate' },
  {
    name: 'ignore',
    type: 'string',
    multiple: true,
    value: 'RULE[,RULE…]',
    help: "Turn rules off (ours or hadolint's DL ids; repeatable)",
    commands: ['audit'],
    group: 'gate'
  },
  { name: 'no-fail', type: 'boolean', help: 'Report only: exit 0 even when a threshold fails', commands: ['audit'], group: 'gate' },
  {
    name: 'baseline-report',
    type: 'string',
    value: 'FILE',
    help: 'Compare with a JSON report saved earlier (--format json)',
    commands: ['audit'],
    group: 'baseline'
  },
  { name: 'baseline-image', type: 'string', value: 'REF', help: 'Compare with a local image (analysed the same way)', commands: ['audit'], group: 'baseline' },
  {
    name: 'baseline-build',
    type: 'string',
    value: 'GIT_REF',
    help: 'Compare with the same Dockerfile built at a git commit/branch (in a temporary worktree)',
    commands: ['audit'],
    group: 'baseline'
  },
  ...THRESHOLD_FLAGS.map((name): FlagSpec => ({
    name,
    type: 'string',
    value: THRESHOLD_HELP[name]?.[0] ?? 'VALUE',
    help: THRESHOLD_HELP[name]?.[1] ?? `Threshold ${name}`,
    commands: name === 'fail-on' ? ['audit', 'lint'] : ['audit'],
    group: 'gate'
  }))
];

const flagsOf = (command: CommandName) => FLAGS.filter((f) => f.commands.includes(command));

const SYNOPSIS: Record<CommandName, string> = {
  audit: 'image-audit audit [--file Dockerfile] [--context DIR] [--image REF] [--baseline-report FILE] [options]',
  lint: 'image-audit lint <Dockerfile> [--context DIR] [--format text|json|sarif] [options]'
};

const GROUP_TITLE: Record<NonNullable<FlagSpec['group']>, string> = {
  build: 'What to audit',
  output: 'Output',
  baseline: 'Compare with a baseline',
  gate: 'Gate (exit 1 when a limit fails)'
};

export const USAGE = `Usage:
  ${SYNOPSIS.audit}
  ${SYNOPSIS.lint}
  image-audit <command> --help | --version

Commands:
  audit   Build (or read) an image, measure it, scan it for secrets, lint its Dockerfile, gate and report
  lint    Lint a Dockerfile only (no engine needed)

Exit codes: 0 passed, 1 a threshold failed, 2 bad input or the audit could not run.
Run 'image-audit audit --help' for every flag.`;

/** `image-audit <command> --help`, generated from FLAGS. */
export function commandHelp(command: CommandName): string {
  const lines = [`Usage: ${SYNOPSIS[command]}`, ''];
  const flags = flagsOf(command);
  const label = (f: FlagSpec) => `${f.short ? `-${f.short}, ` : '    '}--${f.name}${f.value ? ` ${f.value}` : ''}`;
  const width = Math.max(...flags.map((f) => label(f).length)) + 2;
  for (const group of Object.keys(GROUP_TITLE) as (keyof typeof GROUP_TITLE)[]) {
    const inGroup = flags.filter((f) => (f.group ?? 'output') === group);
    if (!inGroup.length) continue;
    lines.push(`${GROUP_TITLE[group]}:`);
    for (const f of inGroup) lines.push(`  ${label(f).padEnd(width)}${f.help}${f.multiple ? '' : ''}`);
    lines.push('');
  }
  lines.push('Sizes take IEC (KiB, MiB, GiB = 1024ⁿ) or SI (kB, MB, GB = 1000ⁿ) units; output is always IEC.');
  lines.push('Exit codes: 0 passed, 1 a threshold failed, 2 bad input or the audit could not run.');
  return lines.join('\n');
}

/** Edit distance, for did-you-mean on unknown flags. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

function suggest(unknown: string, command: CommandName): string | undefined {
  const names = flagsOf(command).map((f) => f.name);
  const ranked = names
    .map((n) => ({ n, d: n.startsWith(unknown) || unknown.startsWith(n) ? 1 : editDistance(unknown, n) }))
    .sort((a, b) => a.d - b.d || a.n.localeCompare(b.n));
  const best = ranked[0];
  return best && best.d <= Math.max(2, Math.floor(unknown.length / 3)) ? best.n : undefined;
}

/** Unknown `--flags` get a did-you-mean before node:util sees them. */
function checkFlagNames(argv: string[], command: CommandName): void {
  const known = flagsOf(command);
  for (const arg of argv) {
    if (arg === '--') break;
    if (!arg.startsWith('--')) continue;
    const name = arg.slice(2).split('=')[0];
    if (known.some((f) => f.name === name)) continue;
    const hint = suggest(name, command);
    throw new UserError(
      `Unknown option '--${name}' for image-audit ${command}.${hint ? ` Did you mean --${hint}?` : ''}`,
      `Run 'image-audit ${command} --help' for every flag.`
    );
  }
}

const FORMATS: OutputFormat[] = ['text', 'json', 'markdown', 'sarif'];

function format(value: string | undefined, allowed: OutputFormat[]): OutputFormat {
  const f = (value ?? 'text').toLowerCase() as OutputFormat;
  if (!allowed.includes(f)) throw new UserError(`--format ${value} is not supported.`, `Use one of: ${allowed.join(', ')}.`);
  return f;
}

const isHelp = (a: string) => a === '--help' || a === '-h';

export function parseCommand(argv: string[]): Command {
  const [command, ...rest] = argv;
  if (!command || isHelp(command)) return { command: 'help' };
  if (command === 'help') {
    const topic = rest[0];
    if (topic === 'audit' || topic === 'lint') return { command: 'help', topic };
    return { command: 'help' };
  }
  if (command === '--version' || command === '-v' || command === 'version') return { command: 'version' };
  if (command !== 'audit' && command !== 'lint') {
    const near = ['audit', 'lint'].find((c) => editDistance(c, command) <= 2);
    throw new UserError(`Unknown command '${command}'.${near ? ` Did you mean '${near}'?` : ''}`, USAGE);
  }
  if (rest.some(isHelp)) return { command: 'help', topic: command };
  checkFlagNames(rest, command);
  let parsed: { values: FlagValues; positionals: string[] };
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: Object.fromEntries(
        flagsOf(command).map((f) => [f.name, { type: f.type, ...(f.short ? { short: f.short } : {}), ...(f.multiple ? { multiple: true } : {}) }])
      )
    }) as { values: FlagValues; positionals: string[] };
  } catch (e) {
    // node:util parseArgs errors (unknown short flag, missing value) are usage errors.
    throw new UserError(`${(e as Error).message.replace(/\. To specify.*$/s, '')}.`, `Run 'image-audit ${command} --help' for every flag.`);
  }
  return command === 'audit' ? toAudit(parsed.values, parsed.positionals) : toLint(parsed.values, parsed.positionals);
}

const str = (v: FlagValues, k: string) => (typeof v[k] === 'string' ? (v[k] as string) : undefined);
const list = (v: FlagValues, k: string) => (Array.isArray(v[k]) ? (v[k] as string[]) : []);

function colorOf(v: FlagValues): boolean | undefined {
  if (v['no-color']) return false;
  if (v.color) return true;
  return undefined;
}

function toAudit(v: FlagValues, positionals: string[]): AuditCommand {
  if (positionals.length) {
    throw new UserError(`Unexpected argument '${positionals[0]}'.`, 'audit takes flags only, e.g. image-audit audit --file Dockerfile --context .');
  }
  const baselines = ['baseline-report', 'baseline-image', 'baseline-build'].filter((k) => str(v, k) !== undefined);
  if (baselines.length > 1) throw new UserError(`--${baselines[0]} and --${baselines[1]} both name a baseline.`, 'Give one baseline.');
  const thresholds: Record<string, string> = {};
  for (const t of THRESHOLD_FLAGS) if (typeof v[t] === 'string') thresholds[t] = v[t] as string;
  return {
    command: 'audit',
    file: str(v, 'file'),
    context: str(v, 'context'),
    target: str(v, 'target'),
    buildArgs: list(v, 'build-arg'),
    secrets: list(v, 'secret'),
    image: str(v, 'image'),
    tags: list(v, 'tag'),
    platform: str(v, 'platform'),
    builder: str(v, 'builder'),
    noCache: Boolean(v['no-cache']),
    noLint: Boolean(v['no-lint']),
    format: format(str(v, 'format'), FORMATS),
    output: str(v, 'output'),
    sarif: str(v, 'sarif'),
    html: str(v, 'html'),
    sbom: str(v, 'sbom'),
    config: str(v, 'config'),
    baselineReport: str(v, 'baseline-report'),
    baselineImage: str(v, 'baseline-image'),
    baselineBuild: str(v, 'baseline-build'),
    allWaste: Boolean(v['all-waste']),
    color: colorOf(v),
    thresholds,
    insecureRegistries: list(v, 'insecure-registry').flatMap((r) =>
      r
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean)
    ),
    push: Boolean(v.push),
    buildOutput: str(v, 'build-output'),
    ignore: list(v, 'ignore')
      .flatMap((s) => s.split(','))
      .map((s) => s.trim())
      .filter(Boolean),
    noFail: Boolean(v['no-fail']),
    flags: v
  };
}

function toLint(v: FlagValues, positionals: string[]): LintCommand {
  const dockerfile = positionals[0] ?? str(v, 'file');
  if (!dockerfile) throw new UserError('lint needs a Dockerfile.', 'Example: image-audit lint Dockerfile --context .');
  if (positionals.length > 1) throw new UserError(`Unexpected argument '${positionals[1]}'.`, 'lint takes one Dockerfile.');
  return {
    command: 'lint',
    dockerfile,
    context: str(v, 'context'),
    target: str(v, 'target'),
    format: format(str(v, 'format'), ['text', 'json', 'sarif']),
    output: str(v, 'output'),
    config: str(v, 'config'),
    failOn: str(v, 'fail-on'),
    color: colorOf(v),
    flags: v
  };
}
