// The CLI's behaviour, with its outputs injected so tests run it in-process as well as through the bundle.
import { readFile, realpath, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Report } from '../report/types.js';
import type { Runtime } from '../util/runtime.js';
import { UserError, describeError, isUserError } from '../util/errors.js';
import { parseBuildInputs, type BuildInputs, type BuildSecret } from '../build/inputs.js';
import { loadConfig, applyThresholdInput } from '../config/load.js';
import { applyIgnore } from '../config/ignore.js';
import { runAudit, runLint } from '../pipeline/audit.js';
import { progressReporter } from '../pipeline/progress.js';
import { compareReports, toComparison } from '../compare/index.js';
import { resolveBaseline, type Baseline } from '../baseline/index.js';
import type { AuditConfig } from '../config/types.js';
import type { ReportDiff } from '../compare/types.js';
import { evaluateThresholds } from '../gate/index.js';
import { renderSummary } from '../render/markdown.js';
import { renderSarif } from '../render/sarif.js';
import { renderSbom } from '../render/sbom.js';
import { renderText, type TextOptions } from '../render/text.js';
import { readReportFile, serializeReport } from '../report/read.js';
import { commandHelp, parseCommand, USAGE, type AuditCommand, type LintCommand, type OutputFormat } from './args.js';
import { TOOL_VERSION } from '../version.js';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  runtime: Runtime;
  /** stdout is a terminal (colour by default unless NO_COLOR). */
  stdoutIsTTY?: boolean;
  /** stderr is a terminal (a live progress line instead of one every 5 s). */
  stderrIsTTY?: boolean;
}

/** --color forces, --no-color and NO_COLOR (any value, https://no-color.org) disable; otherwise a TTY decides. */
export function useColor(flag: boolean | undefined, io: Pick<CliIo, 'env' | 'stdoutIsTTY'>): boolean {
  if (flag !== undefined) return flag;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0') return true;
  return Boolean(io.stdoutIsTTY) && io.env.TERM !== 'dumb';
}

/** Runs one CLI invocation; resolves with the exit code (0 pass, 1 threshold failed, 2 error). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    const cmd = parseCommand(argv);
    switch (cmd.command) {
      case 'help':
        io.stdout((cmd.topic ? commandHelp(cmd.topic) : USAGE) + '\n');
        return 0;
      case 'version':
        io.stdout(TOOL_VERSION + '\n');
        return 0;
      case 'lint':
        return await lintCommand(cmd, io);
      case 'audit':
        return await auditCommand(cmd, io);
    }
  } catch (e) {
    // Cancelled: the signal handler reports it once the cleanups are done.
    if (io.runtime.cancel?.cancelled) return 130;
    io.stderr(`image-audit: ${describeError(e)}\n`);
    if (!isUserError(e) && io.env.IMAGE_AUDIT_DEBUG) io.stderr(String((e as Error).stack) + '\n');
    return 2;
  }
}

async function readSecretFlag(spec: string, io: CliIo): Promise<BuildSecret> {
  const parts = Object.fromEntries(
    spec.split(',').map((p) => {
      const i = p.indexOf('=');
      return [p.slice(0, i).trim(), p.slice(i + 1)];
    })
  );
  const id = parts.id;
  if (!id || (!parts.env && !parts.src)) {
    throw new UserError(
      `--secret '${spec}' must be id=ID,env=VAR or id=ID,src=FILE.`,
      'Secret values are read from the environment or a file, never from the command line.'
    );
  }
  if (parts.env) {
    const value = io.env[parts.env];
    if (value === undefined) throw new UserError(`--secret ${id}: the environment variable ${parts.env} is not set.`);
    return { id, value };
  }
  try {
    return { id, value: await readFile(path.resolve(io.cwd, parts.src), 'utf8') };
  } catch {
    throw new UserError(`--secret ${id}: cannot read ${parts.src}.`);
  }
}

async function auditCommand(cmd: AuditCommand, io: CliIo): Promise<number> {
  const config = await loadConfig({ path: cmd.config, cwd: io.cwd });
  for (const [name, text] of Object.entries(cmd.thresholds)) applyThresholdInput(config.thresholds, name, text, `--${name}`);
  const ignored = applyIgnore(config.rules, cmd.ignore, '--ignore');
  if (ignored.unmapped.length) io.stderr(`image-audit: hadolint rule(s) ${ignored.unmapped.join(', ')} have no image-audit equivalent; nothing to turn off.\n`);
  if (cmd.allWaste) config.report.allWaste = true;
  warnAboutSettings(config.thresholds.warnings, io);

  let build: BuildInputs | undefined;
  const buildPlatforms = (cmd.platform ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  const publish =
    !cmd.image && (cmd.push || cmd.buildOutput || buildPlatforms.length > 1)
      ? { platforms: buildPlatforms, push: cmd.push, outputs: cmd.buildOutput ? [cmd.buildOutput] : [] }
      : undefined;
  if (!cmd.image || cmd.file || cmd.context) {
    build = parseBuildInputs({
      context: cmd.context,
      file: cmd.file,
      target: cmd.target,
      'build-args': cmd.buildArgs.join('\n'),
      builder: cmd.builder,
      platform: cmd.image || publish ? undefined : cmd.platform,
      'no-cache': String(cmd.noCache),
      tags: cmd.tags.join('\n')
    });
    build.secrets = await Promise.all(cmd.secrets.map((s) => readSecretFlag(s, io)));
  }
  // Checked before any work: a run that would overwrite its own inputs stops at once.
  await refuseToOverwrite(cmd, io, build);

  const savedBaseline = cmd.baselineReport ? await readReportFile(path.resolve(io.cwd, cmd.baselineReport)) : undefined;
  const onProgress = io.stderrIsTTY ? progressReporter({ mode: 'tty', write: io.stderr }) : undefined;
  const report = await runAudit(
    {
      build,
      image: cmd.image,
      config,
      cwd: io.cwd,
      skipLint: cmd.noLint,
      onProgress,
      htmlReport: cmd.html,
      platform: cmd.image ? cmd.platform : undefined,
      insecureRegistries: cmd.insecureRegistries,
      env: io.env,
      publish
    },
    io.runtime
  );
  const baseline = await cliBaseline(cmd, io, config, build, savedBaseline, report);
  const diff = baseline ? compareReports(baseline.report, report, baseline.label) : undefined;
  if (diff) report.comparison = toComparison(diff, baseline!.report);
  report.verdict = evaluateThresholds(report, diff, config.thresholds);
  await writeOutputs(report, cmd, io, diff, config);
  return report.verdict.passed || cmd.noFail ? 0 : 1;
}

/** The CLI's three baselines: a saved report, a local image, or the same Dockerfile built at a git ref. */
async function cliBaseline(
  cmd: AuditCommand,
  io: CliIo,
  config: AuditConfig,
  build: BuildInputs | undefined,
  saved: Report | undefined,
  head: Report
): Promise<Baseline | undefined> {
  const started = Date.now();
  let baseline: Baseline | undefined;
  if (saved) {
    baseline = { report: saved, label: saved.source?.ref ?? saved.source?.commit?.slice(0, 7) ?? path.basename(cmd.baselineReport!) };
  } else if (cmd.baselineImage) {
    baseline = await resolveBaseline({ mode: 'image', baselineImage: cmd.baselineImage, config, cwd: io.cwd }, io.runtime, runAudit);
    if (!baseline)
      throw new UserError(
        `--baseline-image ${cmd.baselineImage} could not be analysed (see the warning above).`,
        'Build or pull that image first, or check the name with `docker image ls`.'
      );
  } else if (cmd.baselineBuild) {
    if (!build)
      throw new UserError('--baseline-build needs a Dockerfile to build (--file/--context), not only --image.', 'Use --baseline-image to compare two images.');
    const sha = await resolveGitRef(cmd.baselineBuild, io);
    baseline = await resolveBaseline(
      { mode: 'build', baseSha: sha, baseRef: cmd.baselineBuild, build, config, cwd: io.cwd, skipLint: cmd.noLint },
      io.runtime,
      runAudit
    );
    if (!baseline) throw new UserError(`--baseline-build ${cmd.baselineBuild} could not be built (see the warning above).`);
  }
  if (baseline && !saved) head.timings = { ...head.timings, baseline: Date.now() - started, total: (head.timings?.total ?? 0) + Date.now() - started };
  return baseline;
}

async function resolveGitRef(ref: string, io: CliIo): Promise<string> {
  if (ref.startsWith('-')) throw new UserError(`--baseline-build '${ref}' is not a git ref.`);
  const res = await io.runtime.exec.run('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: io.cwd, silent: true });
  if (res.exitCode !== 0) {
    throw new UserError(
      `--baseline-build: '${ref}' is not a commit in the git checkout at ${io.cwd}.`,
      'Give a branch, tag or commit id, e.g. --baseline-build main or --baseline-build HEAD~1.'
    );
  }
  return res.stdout.trim();
}

function warnAboutSettings(warnings: string[] | undefined, io: CliIo): void {
  for (const w of new Set(warnings ?? [])) io.stderr(`image-audit: warning: ${w}\n`);
}

async function canonical(file: string): Promise<string> {
  return realpath(file).catch(() => path.resolve(file));
}

/** --output/--sarif must never replace the Dockerfile, the baseline report or the config they were given. */
async function refuseToOverwrite(
  cmd: { output?: string; sarif?: string; baselineReport?: string; config?: string },
  io: CliIo,
  build?: BuildInputs,
  dockerfile?: string
): Promise<void> {
  const inputs: [string, string][] = [];
  if (build) inputs.push(['the Dockerfile', path.resolve(io.cwd, build.file)]);
  if (dockerfile) inputs.push(['the Dockerfile', path.resolve(io.cwd, dockerfile)]);
  if (cmd.baselineReport) inputs.push(['the baseline report', path.resolve(io.cwd, cmd.baselineReport)]);
  if (cmd.config) inputs.push(['the config file', path.resolve(io.cwd, cmd.config)]);
  for (const [flag, target] of [
    ['--output', cmd.output],
    ['--sarif', cmd.sarif]
  ] as const) {
    if (!target) continue;
    const out = await canonical(path.resolve(io.cwd, target));
    for (const [what, file] of inputs) {
      if (out === (await canonical(file))) {
        throw new UserError(
          `${flag} ${target} is ${what}; refusing to overwrite it.`,
          `Write the report somewhere else, e.g. ${flag} report.${flag === '--sarif' ? 'sarif' : 'json'}.`
        );
      }
    }
  }
}

async function lintCommand(cmd: LintCommand, io: CliIo): Promise<number> {
  const config = await loadConfig({ path: cmd.config, cwd: io.cwd });
  if (cmd.failOn) applyThresholdInput(config.thresholds, 'fail-on', cmd.failOn, '--fail-on');
  warnAboutSettings(config.thresholds.warnings, io);
  await refuseToOverwrite({ output: cmd.output, config: cmd.config }, io, undefined, cmd.dockerfile);
  const report = await runLint({ dockerfile: cmd.dockerfile, context: cmd.context, target: cmd.target, config, cwd: io.cwd });
  report.verdict = evaluateThresholds(report, undefined, config.thresholds);
  await emit(render(report, cmd.format, undefined, { color: useColor(cmd.color, io) && !cmd.output }), cmd.format, cmd.output, io);
  return report.verdict.passed ? 0 : 1;
}

async function writeOutputs(report: Report, cmd: AuditCommand, io: CliIo, diff: ReportDiff | undefined, config: AuditConfig): Promise<void> {
  if (cmd.sarif) await writeFile(path.resolve(io.cwd, cmd.sarif), renderSarif(report));
  if (cmd.sbom) await writeFile(path.resolve(io.cwd, cmd.sbom), renderSbom(report));
  const text = render(report, cmd.format, diff, { color: useColor(cmd.color, io) && !cmd.output, allWaste: config.report.allWaste });
  await emit(text, cmd.format, cmd.output, io);
}

/** --output FILE gets the selected format (stdout then stays empty, so `> file` and `-o file` agree). */
async function emit(text: string, format: OutputFormat, output: string | undefined, io: CliIo): Promise<void> {
  if (!output) return io.stdout(text);
  await writeFile(path.resolve(io.cwd, output), text);
  io.stderr(`image-audit: wrote the ${format} report to ${output}\n`);
}

function render(report: Report, format: OutputFormat, diff: ReportDiff | undefined, opts: TextOptions = {}): string {
  switch (format) {
    case 'json':
      return serializeReport(report);
    case 'markdown':
      return renderSummary(report, diff, { allWaste: opts.allWaste });
    case 'sarif':
      return renderSarif(report);
    default:
      return renderText(report, { ...opts, diff });
  }
}
