// The action's behaviour: inputs → audit (head, then baseline) → compare → gate → every report written
// (JSON, SARIF, outputs, job summary, annotations, PR comment, check run, tracking issue) → only then fail.
// Host services are injected (ActionHost, Runtime, Octokit factory) so tests run this in-process too.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { getOctokit } from '@actions/github';
import { applyThresholdInput, loadConfig } from '../config/load.js';
import { runAudit } from '../pipeline/audit.js';
import { resolveBaseline, type AuditFn, type Baseline } from '../baseline/index.js';
import { compareReports, metric } from '../compare/index.js';
import type { ReportDiff } from '../compare/types.js';
import { evaluateThresholds } from '../gate/index.js';
import { renderComment, renderSummary } from '../render/markdown.js';
import { htmlCommentMarker } from '../render/escape.js';
import { renderSarif } from '../render/sarif.js';
import { renderSbom } from '../render/sbom.js';
import { parseReport } from '../report/read.js';
import type { Finding, Report } from '../report/types.js';
import { describeError, isUserError, UserError } from '../util/errors.js';
import type { Runtime } from '../util/runtime.js';
import { readInputs, type ActionInputs } from './inputs.js';
import type { ActionHost } from './host.js';
import {
  digestComment,
  httpStatus,
  publishCheckRun,
  syncTrackingIssue,
  upsertStickyComment,
  type CheckAnnotation,
  type Octokit,
  type RepoRef
} from './github.js';

/** What the workflow run tells us, read from the environment GitHub sets (not from a module-level singleton). */
export interface ActionContext {
  eventName: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  payload: any;
  repo?: RepoRef;
  workflow: string;
  job: string;
  runId?: string;
  serverUrl: string;
  apiUrl: string;
  sha?: string;
  tempDir: string;
}

export function contextFromEnv(env: NodeJS.ProcessEnv): ActionContext {
  let payload: unknown = {};
  const eventPath = env.GITHUB_EVENT_PATH;
  if (eventPath && existsSync(eventPath)) {
    try {
      payload = JSON.parse(readFileSync(eventPath, 'utf8'));
    } catch {
      payload = {};
    }
  }
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
  return {
    eventName: env.GITHUB_EVENT_NAME ?? '',
    payload,
    repo: owner && repo ? { owner, repo } : undefined,
    workflow: env.GITHUB_WORKFLOW ?? '',
    job: env.GITHUB_JOB ?? '',
    runId: env.GITHUB_RUN_ID,
    serverUrl: env.GITHUB_SERVER_URL ?? 'https://github.com',
    apiUrl: env.GITHUB_API_URL ?? 'https://api.github.com',
    sha: env.GITHUB_SHA,
    tempDir: env.RUNNER_TEMP || os.tmpdir()
  };
}

export interface RunDeps {
  host: ActionHost;
  runtime: Runtime;
  context: ActionContext;
  cwd: string;
  /** Defaults to runAudit. */
  audit?: AuditFn;
  /** Defaults to @actions/github's getOctokit with baseUrl = GITHUB_API_URL. */
  octokit?: (token: string, baseUrl: string) => Octokit;
}

export interface RunResult {
  report?: Report;
  diff?: ReportDiff;
  /** Exit status as the runner will see it. */
  failed: boolean;
  message?: string;
}

/** Runs the action; never throws. Bad input and failed thresholds end in host.setFailed, after every report is written. */
export async function run(deps: RunDeps): Promise<RunResult> {
  try {
    return await runUnsafe(deps);
  } catch (e) {
    const message = describeError(e);
    if (!isUserError(e) && e instanceof Error && e.stack) deps.runtime.log.debug(e.stack);
    deps.host.setFailed(message);
    return { failed: true, message };
  }
}

const SECRET_TITLE = 'Secret in image';

async function runUnsafe(deps: RunDeps): Promise<RunResult> {
  const { host, runtime, context, cwd } = deps;
  const audit = deps.audit ?? (runAudit as AuditFn);
  const inputs = readInputs((name) => host.getInput(name));
  if (inputs.githubToken) runtime.maskSecret(inputs.githubToken);

  const config = await loadConfig({ path: inputs.config, cwd });
  for (const [name, text] of Object.entries(inputs.thresholds)) applyThresholdInput(config.thresholds, name, text, `input ${name}`);

  const pr = context.payload?.pull_request;
  const prNumber: number | undefined = inputs.prNumber ?? (typeof pr?.number === 'number' ? pr.number : undefined);

  // Head first: it is the one that must succeed; the baseline is best effort.
  const head = inputs.fromReport
    ? parseReport(await readFileOrFail(path.resolve(cwd, inputs.fromReport), 'from-report'), `Input from-report (${inputs.fromReport})`)
    : await audit({ build: inputs.build, image: inputs.image, config, cwd, skipLint: !inputs.lint, htmlReport: inputs.htmlReport }, runtime);

  let baseline: Baseline | undefined;
  baseline = await resolveBaseline(
    {
      mode: inputs.fromReport && inputs.baseline !== 'report' ? 'none' : inputs.baseline,
      baseSha: pr?.base?.sha,
      baseRef: pr?.base?.ref,
      baselineImage: inputs.baselineImage,
      baselineReport: inputs.baselineReport,
      build: inputs.build,
      config,
      skipLint: !inputs.lint,
      cwd,
      tempDir: context.tempDir
    },
    runtime,
    audit
  );

  const diff = baseline ? compareReports(baseline.report, head, baseline.label) : undefined;
  head.verdict = evaluateThresholds(head, diff, config.thresholds);
  if (pr?.head?.sha) head.source = { ...head.source, commit: pr.head.sha };
  else if (context.sha && !inputs.fromReport) head.source = { ...head.source, commit: context.sha };

  const identity = imageIdentity(inputs, head);
  const markerKey = inputs.commentTag ?? [context.workflow, context.job, identity.key].join('/');
  const marker = htmlCommentMarker(markerKey);
  const summaryUrl = context.repo && context.runId ? `${context.serverUrl}/${context.repo.owner}/${context.repo.repo}/actions/runs/${context.runId}` : undefined;

  // 1. Files and outputs.
  const stem = `image-audit-${createHash('sha256').update(markerKey).digest('hex').slice(0, 12)}`;
  const reportPath = path.resolve(cwd, inputs.reportFile ?? path.join(context.tempDir, `${stem}.json`));
  await writeJson(reportPath, head);
  host.setOutput('report', reportPath);
  if (baseline) {
    const basePath = path.join(path.dirname(reportPath), `${path.basename(reportPath, '.json')}-base.json`);
    await writeJson(basePath, baseline.report);
    host.setOutput('baseline-report', basePath);
  }
  if (inputs.sarifFile) {
    const sarifPath = path.resolve(cwd, inputs.sarifFile);
    await mkdir(path.dirname(sarifPath), { recursive: true });
    await writeFile(sarifPath, renderSarif(head));
    host.setOutput('sarif', sarifPath);
  }
  if (inputs.sbomFile) {
    const sbomPath = path.resolve(cwd, inputs.sbomFile);
    await mkdir(path.dirname(sbomPath), { recursive: true });
    await writeFile(sbomPath, renderSbom(head));
    host.setOutput('sbom', sbomPath);
  }
  if (inputs.htmlReport && !inputs.fromReport) host.setOutput('html-report', path.resolve(cwd, inputs.htmlReport));
  writeOutputs(host, head, diff);

  // 2. Job summary (the full report; the place a fork PR's reader looks).
  await host.appendSummary(renderSummary(head, diff, { title: identity.title }));

  // 3. Annotations on the Dockerfile lines.
  for (const a of annotationsFor(head)) host.annotate(a.level, a.message, a.props);

  // 4. GitHub API: comment, check run, tracking issue. Failures here are warnings: the reports above stand.
  const api = lazyOctokit(deps, inputs);
  const contentDigest = (r: Report, d: ReportDiff | undefined) =>
    createHash('sha256').update(renderComment(r, d, { marker, title: identity.title })).digest('hex').slice(0, 16);

  if (inputs.comment && prNumber !== undefined) {
    const fork = pr && pr.head?.repo?.full_name !== undefined && pr.head?.repo?.full_name !== pr.base?.repo?.full_name;
    if (fork && context.eventName === 'pull_request') {
      runtime.log.warning(
        'This pull request comes from a fork, whose GITHUB_TOKEN is read-only: no PR comment is posted. The job summary has the full report; to comment on fork PRs, use the two-workflow (workflow_run) pattern in the README ("Pull requests from forks").'
      );
    } else {
      await guarded(runtime, 'post the PR comment', async () => {
        const digest = contentDigest(head, diff);
        const body = withDigest(renderComment(head, diff, { marker, title: identity.title, summaryUrl }), digest);
        const result = await upsertStickyComment(api(), requireRepo(context), prNumber, { marker, body, digest });
        runtime.log.info(`PR comment ${result.action}: ${result.url}`);
        host.setOutput('comment-url', result.url);
      });
    }
  }

  if (inputs.checkName) {
    await guarded(runtime, `create the check run '${inputs.checkName}'`, async () => {
      const headSha = pr?.head?.sha ?? context.sha;
      if (!headSha) throw new UserError('No commit to attach the check run to (GITHUB_SHA is not set).');
      const result = await publishCheckRun(api(), requireRepo(context), {
        name: inputs.checkName!,
        headSha,
        conclusion: head.verdict!.passed ? 'success' : 'failure',
        title: `${identity.title}: ${head.verdict!.summary}`.slice(0, 250),
        summary: renderComment(head, diff, { marker: '', title: identity.title, summaryUrl }),
        annotations: checkAnnotations(head)
      });
      host.setOutput('check-run-url', result.url);
    });
  }

  if (inputs.auditIssue) {
    if (prNumber !== undefined) runtime.log.info('audit-issue applies to scheduled and manual runs, not to pull requests; skipped.');
    else {
      await guarded(runtime, 'update the tracking issue', async () => {
        const issueMarker = htmlCommentMarker(`issue:${inputs.commentTag ?? identity.key}`);
        const digest = contentDigest(head, undefined);
        const result = await syncTrackingIssue(api(), requireRepo(context), {
          marker: issueMarker,
          failing: !head.verdict!.passed,
          title: `image-audit: ${identity.title} fails its thresholds`.slice(0, 250),
          body: withDigest(renderComment(head, diff, { marker: issueMarker, title: identity.title, summaryUrl }), digest),
          digest,
          passedComment: `✅ ${identity.title} passes its thresholds again${summaryUrl ? ` ([run](${summaryUrl}))` : ''}. Closing.`
        });
        if (result.action !== 'none') {
          runtime.log.info(`Tracking issue #${result.number} ${result.action}: ${result.url}`);
          host.setOutput('issue-url', result.url);
        }
      });
    }
  }

  // 5. Only now, with everything written, fail the step if a threshold failed.
  const verdict = head.verdict!;
  if (!verdict.passed) host.setFailed(`image-audit ${verdict.summary}`);
  else runtime.log.info(`image-audit ${verdict.summary}`);
  return { report: head, diff, failed: !verdict.passed, message: verdict.summary };
}

function imageIdentity(inputs: ActionInputs, report: Report): { key: string; title: string } {
  if (inputs.build && !inputs.image) {
    const t = inputs.build.target ? ` (target ${inputs.build.target})` : '';
    return { key: `${inputs.build.file}/${inputs.build.target ?? ''}`, title: `${inputs.build.file}${t}` };
  }
  if (!inputs.image && report.source?.dockerfile) {
    const t = report.source.target ? ` (target ${report.source.target})` : '';
    return { key: `${report.source.dockerfile}/${report.source.target ?? ''}`, title: `${report.source.dockerfile}${t}` };
  }
  const ref = inputs.image ?? report.image?.ref ?? report.image?.tags[0] ?? 'image';
  return { key: ref, title: ref };
}

function withDigest(body: string, digest: string): string {
  // The digest goes right after the marker line, so truncation can never cut it off.
  const nl = body.indexOf('\n');
  return nl < 0 ? `${body}\n${digestComment(digest)}` : `${body.slice(0, nl + 1)}${digestComment(digest)}\n${body.slice(nl + 1)}`;
}

function requireRepo(context: ActionContext): RepoRef {
  if (!context.repo) throw new UserError('GITHUB_REPOSITORY is not set, so the GitHub API cannot be used.');
  return context.repo;
}

function lazyOctokit(deps: RunDeps, inputs: ActionInputs): () => Octokit {
  let client: Octokit | undefined;
  return () => {
    if (!inputs.githubToken) throw new UserError('Input github-token is empty.', 'Leave it at its default (${{ github.token }}) or pass a token with the permissions the feature needs.');
    client ??= (deps.octokit ?? ((token, baseUrl) => getOctokit(token, { baseUrl })))(inputs.githubToken, deps.context.apiUrl);
    return client;
  };
}

async function guarded(runtime: Runtime, what: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    const status = httpStatus(e);
    if (status === 403 || status === 404) {
      runtime.log.warning(
        `Could not ${what}: the token lacks permission (HTTP ${status}). On fork PRs the token is read-only; otherwise grant the permission the README lists for this use. The job summary has the full report.`
      );
    } else {
      runtime.log.warning(`Could not ${what}: ${describeError(e).split('\n')[0]}`);
    }
  }
}

async function readFileOrFail(file: string, input: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    throw new UserError(`Input ${input}: cannot read ${file}.`, 'Give the path of a JSON report written by an earlier image-audit run (its `report` output).');
  }
}

async function writeJson(file: string, data: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(data, null, 2) + '\n');
}

function writeOutputs(host: ActionHost, report: Report, diff: ReportDiff | undefined): void {
  const verdict = report.verdict!;
  host.setOutput('verdict', verdict.passed ? 'passed' : 'failed');
  host.setOutput('verdict-summary', verdict.summary);
  host.setOutput('failed-thresholds', verdict.checks.filter((c) => !c.passed).map((c) => c.name).join(','));
  const img = report.image;
  if (img) {
    host.setOutput('image-id', img.id);
    host.setOutput('size', img.size);
    host.setOutput('compressed-size', img.compressedSize);
    host.setOutput('layers', img.layers);
    host.setOutput('wasted', img.wastedBytes);
    host.setOutput('efficiency', img.efficiency.toFixed(4));
  }
  if (diff) {
    const size = metric(diff, 'size');
    if (size.delta !== undefined) host.setOutput('size-delta', size.delta);
  }
  const count = (category: Finding['category']) => report.findings.filter((f) => f.category === category && !f.suppressed).length;
  host.setOutput('secrets', count('secret'));
  host.setOutput('lint-findings', count('lint'));
}

type Level = 'error' | 'warning' | 'notice';
const LEVEL: Record<Finding['severity'], Level> = { error: 'error', warning: 'warning', info: 'notice' };

/** Annotation text: a secret finding shows only its masked form and where it is. */
function annotationMessage(f: Finding): { title: string; message: string } {
  if (f.category === 'secret') {
    const where = f.path ? ` in /${f.path}` : '';
    const layer = f.layer !== undefined ? ` (layer ${f.layer})` : '';
    return { title: `${SECRET_TITLE}: ${f.rule}`, message: `${f.masked ?? 'secret'}${where}${layer}` };
  }
  return { title: `${f.rule}`, message: f.message };
}

function annotationsFor(report: Report): { level: Level; message: string; props: { title: string; file?: string; startLine?: number; endLine?: number } }[] {
  return report.findings
    // Every stage's findings: image findings carry the Dockerfile line of the step that made their layer.
    .filter((f) => !f.suppressed)
    .map((f) => {
      const { title, message } = annotationMessage(f);
      return {
        level: LEVEL[f.severity],
        message,
        props: { title, ...(f.file ? { file: f.file, startLine: f.line, endLine: f.endLine ?? f.line } : {}) }
      };
    });
}

function checkAnnotations(report: Report): CheckAnnotation[] {
  const levels = { error: 'failure', warning: 'warning', info: 'notice' } as const;
  return report.findings
    .filter((f) => !f.suppressed && f.file && f.line)
    .map((f) => {
      const { title, message } = annotationMessage(f);
      return { path: f.file!, start_line: f.line!, end_line: f.endLine ?? f.line!, annotation_level: levels[f.severity], message, title };
    });
}
