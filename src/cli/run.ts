// The CLI's behaviour, with its outputs injected so tests run it in-process as well as through the bundle.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Report } from '../report/types.js';
import type { Runtime } from '../util/runtime.js';
import { UserError, describeError, isUserError } from '../util/errors.js';
import { parseBuildInputs, type BuildInputs, type BuildSecret } from '../build/inputs.js';
import { loadConfig, applyThresholdInput } from '../config/load.js';
import { runAudit, runLint } from '../pipeline/audit.js';
import { compareReports } from '../compare/index.js';
import type { ReportDiff } from '../compare/types.js';
import { evaluateThresholds } from '../gate/index.js';
import { renderSummary } from '../render/markdown.js';
import { renderSarif } from '../render/sarif.js';
import { renderSbom } from '../render/sbom.js';
import { renderText } from '../render/text.js';
import { readReportFile } from '../report/read.js';
import { parseCommand, USAGE, type AuditCommand, type LintCommand, type OutputFormat } from './args.js';
import { TOOL_VERSION } from '../version.js';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  runtime: Runtime;
}

/** Runs one CLI invocation; resolves with the exit code (0 pass, 1 threshold failed, 2 error). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    const cmd = parseCommand(argv);
    switch (cmd.command) {
      case 'help':
        io.stdout(USAGE + '\n');
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
    io.stderr(`image-audit: ${describeError(e)}\n`);
    if (!isUserError(e) && io.env.IMAGE_AUDIT_DEBUG) io.stderr(String((e as Error).stack) + '\n');
    return 2;
  }
}

async function readSecretFlag(spec: string, io: CliIo): Promise<BuildSecret> {
  const parts = Object.fromEntries(spec.split(',').map((p) => {
    const i = p.indexOf('=');
    return [p.slice(0, i).trim(), p.slice(i + 1)];
  }));
  const id = parts.id;
  if (!id || (!parts.env && !parts.src)) {
    throw new UserError(`--secret '${spec}' must be id=ID,env=VAR or id=ID,src=FILE.`, 'Secret values are read from the environment or a file, never from the command line.');
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

  let build: BuildInputs | undefined;
  if (!cmd.image || cmd.file || cmd.context) {
    build = parseBuildInputs({
      context: cmd.context,
      file: cmd.file,
      target: cmd.target,
      'build-args': cmd.buildArgs.join('\n'),
      builder: cmd.builder,
      platform: cmd.platform,
      'no-cache': String(cmd.noCache),
      tags: cmd.tags.join('\n')
    });
    build.secrets = await Promise.all(cmd.secrets.map((s) => readSecretFlag(s, io)));
  }

  const baseline = cmd.baselineReport ? await readReportFile(path.resolve(io.cwd, cmd.baselineReport)) : undefined;
  const report = await runAudit({ build, image: cmd.image, config, cwd: io.cwd, skipLint: cmd.noLint, htmlReport: cmd.html }, io.runtime);
  const diff = baseline ? compareReports(baseline, report) : undefined;
  report.verdict = evaluateThresholds(report, diff, config.thresholds);
  await writeOutputs(report, cmd, io, diff);
  return report.verdict.passed ? 0 : 1;
}

async function lintCommand(cmd: LintCommand, io: CliIo): Promise<number> {
  const config = await loadConfig({ path: cmd.config, cwd: io.cwd });
  if (cmd.failOn) applyThresholdInput(config.thresholds, 'fail-on-lint', cmd.failOn, '--fail-on');
  const report = await runLint({ dockerfile: cmd.dockerfile, context: cmd.context, target: cmd.target, config, cwd: io.cwd });
  report.verdict = evaluateThresholds(report, undefined, config.thresholds);
  io.stdout(render(report, cmd.format, undefined));
  return report.verdict.passed ? 0 : 1;
}

async function writeOutputs(report: Report, cmd: AuditCommand, io: CliIo, diff: ReportDiff | undefined): Promise<void> {
  if (cmd.output) await writeFile(path.resolve(io.cwd, cmd.output), JSON.stringify(report, null, 2) + '\n');
  if (cmd.sarif) await writeFile(path.resolve(io.cwd, cmd.sarif), renderSarif(report));
  if (cmd.sbom) await writeFile(path.resolve(io.cwd, cmd.sbom), renderSbom(report));
  io.stdout(render(report, cmd.format, diff));
}

function render(report: Report, format: OutputFormat, diff: ReportDiff | undefined): string {
  switch (format) {
    case 'json':
      return JSON.stringify(report, null, 2) + '\n';
    case 'markdown':
      return renderSummary(report, diff);
    case 'sarif':
      return renderSarif(report);
    default:
      return renderText(report, diff);
  }
}
