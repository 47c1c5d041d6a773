// The action's behaviour: inputs → audit (head, then baseline) → compare → gate → every report written
// (JSON, SARIF, outputs, job summary, annotations, PR comment, check run, tracking issue) → only then fail.
// Host services are injected (ActionHost, Runtime with its cancellation, API tuning) so tests run this in-process too.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { applyThresholdInput, loadConfig } from '../config/load.js';
import { applyIgnore } from '../config/ignore.js';
import { runAudit } from '../pipeline/audit.js';
import { resolveBaseline, type AuditFn, type Baseline } from '../baseline/index.js';
import { compareReports, metric, toComparison } from '../compare/index.js';
import type { ReportDiff } from '../compare/types.js';
import { evaluateThresholds } from '../gate/index.js';
import { renderComment, renderSummary } from '../render/markdown.js';
import { code, escapeMarkdown, htmlCommentMarker, plainText, shorten } from '../render/escape.js';
import { BuildFailedError } from '../build/run.js';
import { checkOutputPath, fsReason, writeFileIn } from '../util/fs.js';
import { renderSarif } from '../render/sarif.js';
import { renderSbom } from '../render/sbom.js';
import { parseReport, serializeReport } from '../report/read.js';
import type { Finding, Report } from '../report/types.js';
import { describeError, isCancelledError, isUserError, UserError } from '../util/errors.js';
import { cancellationOf } from '../util/runtime.js';
import { ruleDocsUrl } from '../version.js';
import { allRuleMetas } from '../report/rule-catalog.js';
import type { Runtime } from '../util/runtime.js';
import { readInputs, type ActionInputs } from './inputs.js';
import type { ActionHost } from './host.js';
import { createOctokit, describeApiError, type ApiOptions } from './api.js';
import {
  digestComment,
  publishCheckRun,
  resolveTokenIdentity,
  syncTrackingIssue,
  upsertStickyComment,
  type CheckAnnotation,
  type IdentitySource,
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
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
  return {
    eventName: env.GITHUB_EVENT_NAME ?? '',
    payload: readEventPayload(env.GITHUB_EVENT_PATH),
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

/**
 * The event payload the runner wrote. Unset means "not on a runner" (an empty payload); set but missing or
 * not JSON means the job is broken, and going on would post to the wrong place or nowhere: a clear error.
 */
function readEventPayload(eventPath: string | undefined): unknown {
  if (!eventPath) return {};
  let text: string;
  try {
    text = readFileSync(eventPath, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(
      `GITHUB_EVENT_PATH is ${eventPath}, which cannot be read (${code === 'ENOENT' ? 'it does not exist' : (code ?? String(e))}).`,
      'The runner writes the event payload there; if a step before this one changed or removed it, leave it alone. Outside GitHub Actions, unset GITHUB_EVENT_PATH.'
    );
  }
  try {
    const payload: unknown = JSON.parse(text);
    if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) throw new Error('not a JSON object');
    return payload;
  } catch (e) {
    throw new UserError(
      `GITHUB_EVENT_PATH (${eventPath}) does not hold the event payload: it is not a JSON object (${e instanceof Error ? e.message : String(e)}).`,
      'The runner writes the event payload there; if a step before this one changed it, leave it alone.'
    );
  }
}

export interface RunDeps {
  host: ActionHost;
  runtime: Runtime;
  /** The run's context, or how to read it (then a broken event payload is reported like any other error). */
  context: ActionContext | (() => ActionContext);
  cwd: string;
  /** Defaults to runAudit. */
  audit?: AuditFn;
  /** Tuning of the API client (timeouts, backoff unit, write spacing); tests make the waits small. */
  api?: Partial<Omit<ApiOptions, 'baseUrl' | 'log'>>;
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
    // Cancelled: the signal handler reports it (after the cleanups) and sets the exit status.
    if (deps.runtime.cancel?.cancelled || isCancelledError(e)) return { failed: true, message: 'cancelled' };
    const message = describeError(e);
    if (!isUserError(e) && e instanceof Error && e.stack) deps.runtime.log.debug(e.stack);
    deps.host.setFailed(message);
    return { failed: true, message };
  }
}

const SECRET_TITLE = 'Secret in image';

async function runUnsafe(deps: RunDeps): Promise<RunResult> {
  const { runtime, cwd } = deps;
  const context = typeof deps.context === 'function' ? deps.context() : deps.context;
  const host = tolerantHost(deps.host, runtime);
  const inner = deps.audit ?? (runAudit as AuditFn);
  const cancel = cancellationOf(runtime);
  const inputs = readInputs((name) => host.getInput(name));
  // Head and baseline images alike: registry access and platform choice come from the inputs.
  const audit: AuditFn = (o, rt) =>
    (inner as unknown as typeof runAudit)({ platform: inputs.imagePlatform, insecureRegistries: inputs.insecureRegistries, ...o }, rt);
  const headAudit: AuditFn = (o, rt) => (audit as unknown as typeof runAudit)({ publish: inputs.publish, ...o }, rt);
  if (inputs.githubToken) runtime.maskSecret(inputs.githubToken);
  // Output paths are checked before minutes of building, not after.
  if (inputs.reportFile) checkOutputPath('report-file', path.resolve(cwd, inputs.reportFile));
  if (inputs.sarifFile) checkOutputPath('sarif-file', path.resolve(cwd, inputs.sarifFile));

  const config = await loadConfig({ path: inputs.config, cwd });
  for (const [name, text] of Object.entries(inputs.thresholds)) applyThresholdInput(config.thresholds, name, text, `input ${name}`);
  const ignored = applyIgnore(config.rules, inputs.ignore, 'Input ignore');
  if (ignored.unmapped.length)
    runtime.log.info(`ignore: hadolint rule(s) ${ignored.unmapped.join(', ')} have no image-audit equivalent (docs/hadolint-mapping.md); nothing to turn off.`);
  for (const w of new Set(config.thresholds.warnings ?? [])) runtime.log.warning(w);

  const pr = context.payload?.pull_request;
  const prNumber: number | undefined = inputs.prNumber ?? (typeof pr?.number === 'number' ? pr.number : undefined);
  const commit = commitOf(pr?.head?.sha ?? (inputs.fromReport ? undefined : context.sha));
  const summaryUrl =
    context.repo && context.runId ? `${context.serverUrl}/${context.repo.owner}/${context.repo.repo}/actions/runs/${context.runId}` : undefined;
  const api = lazyOctokit(deps, inputs, context);
  const identity = lazyIdentity(api, runtime);
  const markerOf = (image: { key: string }) => inputs.commentTag ?? [context.workflow, context.job, image.key].join('/');

  /** Upserts the sticky PR comment (when enabled and possible); failures are warnings. */
  const postComment = async (marker: string, render: () => string, digestSource: string) => {
    if (!inputs.comment || prNumber === undefined) return;
    cancel.throwIfCancelled();
    const fork = pr && pr.head?.repo?.full_name !== undefined && pr.head?.repo?.full_name !== pr.base?.repo?.full_name;
    if (fork && context.eventName === 'pull_request') {
      runtime.log.warning(
        'This pull request comes from a fork, whose GITHUB_TOKEN is read-only: no PR comment is posted. The job summary has the full report; to comment on fork PRs, use the two-workflow (workflow_run) pattern in the README ("Pull requests from forks").'
      );
      return;
    }
    await guarded(runtime, 'post the PR comment', async () => {
      const digest = createHash('sha256').update(digestSource).digest('hex').slice(0, 16);
      const body = withDigest(render(), digest);
      const result = await upsertStickyComment(api(), requireRepo(context), prNumber, { marker, body, digest, identity });
      runtime.log.info(`PR comment ${result.action}: ${result.url}`);
      host.setOutput('comment-url', result.url);
    });
  };

  // Head first: it is the one that must succeed; the baseline is best effort.
  let head: Report;
  try {
    head = inputs.fromReport
      ? parseReport(await readFileOrFail(path.resolve(cwd, inputs.fromReport), 'from-report'), `Input from-report (${inputs.fromReport})`)
      : await headAudit({ build: inputs.build, image: inputs.image, config, cwd, skipLint: !inputs.lint, htmlReport: inputs.htmlReport }, runtime);
  } catch (e) {
    // A failed build must not leave an earlier run's "Passed" standing on the PR (or a green check run).
    if (!inputs.fromReport && isUserError(e) && !cancel.cancelled) {
      const image = imageIdentity(inputs, undefined);
      const marker = htmlCommentMarker(markerOf(image));
      const text = failureMarkdown(e, image.title, summaryUrl);
      await postComment(marker, () => `${marker}\n${text}${commitLine(commit)}`, `${text}\n${commit ?? ''}`);
      if (inputs.checkName) {
        await guarded(runtime, `create the check run '${inputs.checkName}'`, async () => {
          const headSha = pr?.head?.sha ?? context.sha;
          if (!headSha) return;
          const result = await publishCheckRun(api(), requireRepo(context), {
            name: inputs.checkName!,
            headSha,
            conclusion: 'failure',
            title: `${image.title}: ${e instanceof BuildFailedError ? 'the image build failed' : 'the audit could not run'}`.slice(0, 250),
            summary: text,
            annotations: []
          });
          host.setOutput('check-run-url', result.url);
        });
      }
    }
    throw e;
  }

  cancel.throwIfCancelled();
  const baselineStarted = Date.now();
  const baseline: Baseline | undefined = await resolveBaseline(
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

  if (baseline && inputs.baseline !== 'report') head.timings = { ...head.timings, baseline: Date.now() - baselineStarted };
  const diff = baseline ? compareReports(baseline.report, head, baseline.label) : undefined;
  if (diff) head.comparison = toComparison(diff, baseline!.report);
  head.verdict = evaluateThresholds(head, diff, config.thresholds);
  if (pr?.head?.sha) head.source = { ...head.source, commit: pr.head.sha };
  else if (context.sha && !inputs.fromReport) head.source = { ...head.source, commit: context.sha };
  const reportCommit = commit ?? commitOf(head.source?.commit);

  const image = imageIdentity(inputs, head);
  const markerKey = markerOf(image);
  const marker = htmlCommentMarker(markerKey);

  // Nothing is written or posted once the run is cancelled (a half-done report must not look like a result).
  cancel.throwIfCancelled();
  // 1. Files and outputs. A file that cannot be written is a warning: the comment and check run still go out.
  const stem = `image-audit-${createHash('sha256').update(markerKey).digest('hex').slice(0, 12)}`;
  const reportPath = path.resolve(cwd, inputs.reportFile ?? path.join(context.tempDir, `${stem}.json`));
  if (await writeOrWarn(runtime, 'report file', reportPath, serializeReport(head))) host.setOutput('report', reportPath);
  if (baseline) {
    const basePath = path.join(path.dirname(reportPath), `${path.basename(reportPath, '.json')}-base.json`);
    if (await writeOrWarn(runtime, 'baseline report file', basePath, serializeReport(baseline.report))) host.setOutput('baseline-report', basePath);
  }
  if (inputs.sarifFile) {
    const sarifPath = path.resolve(cwd, inputs.sarifFile);
    if (await writeOrWarn(runtime, 'SARIF file', sarifPath, renderSarif(head))) host.setOutput('sarif', sarifPath);
  }
  if (inputs.sbomFile) {
    const sbomPath = path.resolve(cwd, inputs.sbomFile);
    if (await writeOrWarn(runtime, 'SBOM file', sbomPath, renderSbom(head))) host.setOutput('sbom', sbomPath);
  }
  if (inputs.htmlReport && !inputs.fromReport) host.setOutput('html-report', path.resolve(cwd, inputs.htmlReport));
  writeOutputs(host, head, diff);

  // 2. Job summary (the full report; the place a fork PR's reader looks).
  await host.appendSummary(renderSummary(head, diff, { title: image.title, allWaste: config.report.allWaste }));

  // 3. Annotations on the Dockerfile lines.
  for (const a of annotationsFor(head)) host.annotate(a.level, a.message, a.props);

  cancel.throwIfCancelled();
  // 4. GitHub API: comment, check run, tracking issue. Failures here are warnings: the reports above stand.
  // The digest covers the content and the commit, not run links: a re-run of the same commit changes nothing.
  const contentOf = (r: Report, d: ReportDiff | undefined) => renderComment(r, d, { marker, title: image.title });

  await postComment(
    marker,
    () => renderComment(head, diff, { marker, title: image.title, summaryUrl }) + commitLine(reportCommit),
    `${contentOf(head, diff)}\n${reportCommit ?? ''}`
  );

  if (inputs.checkName) {
    await guarded(runtime, `create the check run '${inputs.checkName}'`, async () => {
      const headSha = pr?.head?.sha ?? context.sha;
      if (!headSha) throw new UserError('No commit to attach the check run to (GITHUB_SHA is not set).');
      const result = await publishCheckRun(api(), requireRepo(context), {
        name: inputs.checkName!,
        headSha,
        conclusion: head.verdict!.passed ? 'success' : 'failure',
        title: plainText(`${image.title}: ${head.verdict!.summary}`, 250),
        summary: renderComment(head, diff, { marker: '', title: image.title, summaryUrl }),
        annotations: checkAnnotations(head)
      });
      host.setOutput('check-run-url', result.url);
    });
  }

  if (inputs.auditIssue) {
    if (prNumber !== undefined) runtime.log.info('audit-issue applies to scheduled and manual runs, not to pull requests; skipped.');
    else {
      await guarded(runtime, 'update the tracking issue', async () => {
        const issueMarker = htmlCommentMarker(`issue:${inputs.commentTag ?? image.key}`);
        const digest = createHash('sha256')
          .update(`${contentOf(head, undefined)}\n${reportCommit ?? ''}`)
          .digest('hex')
          .slice(0, 16);
        const result = await syncTrackingIssue(api(), requireRepo(context), {
          marker: issueMarker,
          failing: !head.verdict!.passed,
          title: plainText(`image-audit: ${image.title} fails its thresholds`, 250),
          body: withDigest(renderComment(head, diff, { marker: issueMarker, title: image.title, summaryUrl }) + commitLine(reportCommit), digest),
          digest,
          identity,
          passedComment: `✅ ${escapeMarkdown(image.title)} passes its thresholds again${summaryUrl ? ` ([run](${summaryUrl}))` : ''}. Closing.`
        });
        if (result.action !== 'none') {
          runtime.log.info(`Tracking issue #${result.number} ${result.action}: ${result.url}`);
          host.setOutput('issue-url', result.url);
        }
      });
    }
  }

  cancel.throwIfCancelled();
  // 5. Only now, with everything written, fail the step if a threshold failed.
  const verdict = head.verdict!;
  // no-fail (report-only): every report above is written; the step passes and the verdict output says failed.
  const fail = !verdict.passed && !inputs.noFail;
  if (fail) host.setFailed(`image-audit ${verdict.summary}`);
  else if (!verdict.passed) runtime.log.warning(`image-audit ${verdict.summary} (no-fail: the step passes)`);
  else runtime.log.info(`image-audit ${verdict.summary}`);
  return { report: head, diff, failed: fail, message: verdict.summary };
}

/** A commit id as printed in comments (hex only: the payload is not trusted to be well-formed). */
const commitOf = (sha: unknown): string | undefined => (typeof sha === 'string' && /^[0-9a-f]{7,64}$/i.test(sha) ? sha : undefined);

/** The line every comment ends with: which commit it describes (GitHub links a bare SHA). */
const commitLine = (sha: string | undefined) => (sha ? `\n<sub>Commit ${sha}</sub>\n` : '');

/** Comment text for a head audit that could not finish: what failed, where, and where the log is. */
function failureMarkdown(e: UserError, title: string, runUrl: string | undefined): string {
  const heading = `### 🐳 image-audit: ${escapeMarkdown(shorten(title, 120))}`;
  const log = runUrl ? `The full build log is in [the job log](${runUrl}).` : 'The full build log is in the job log.';
  if (e instanceof BuildFailedError) {
    const { step, line, error } = e.failure;
    const where = step ? `at step ${code(step, 120)}${line ? ` (${code(e.dockerfile, 60)} line ${line})` : ''}` : '';
    return [heading, `**❌ The image build failed**${where ? ' ' + where : ''}.`, `Error: ${code(error, 300)}`, log].join('\n\n');
  }
  return [heading, '**❌ The audit could not run.**', `Error: ${code(e.message.split('\n')[0], 300)}`, log].join('\n\n');
}

function imageIdentity(inputs: ActionInputs, report: Report | undefined): { key: string; title: string } {
  if (inputs.build && !inputs.image) {
    const t = inputs.build.target ? ` (target ${inputs.build.target})` : '';
    return { key: `${inputs.build.file}/${inputs.build.target ?? ''}`, title: `${inputs.build.file}${t}` };
  }
  if (!inputs.image && report?.source?.dockerfile) {
    const t = report.source.target ? ` (target ${report.source.target})` : '';
    return { key: `${report.source.dockerfile}/${report.source.target ?? ''}`, title: `${report.source.dockerfile}${t}` };
  }
  const ref = inputs.image ?? report?.image?.ref ?? report?.image?.tags[0] ?? 'image';
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

function lazyOctokit(deps: RunDeps, inputs: ActionInputs, context: ActionContext): () => Octokit {
  let client: Octokit | undefined;
  return () => {
    if (!inputs.githubToken)
      throw new UserError(
        'Input github-token is empty.',
        'Leave it at its default (${{ github.token }}) or pass a token with the permissions the feature needs.'
      );
    client ??= createOctokit(inputs.githubToken, { signal: deps.runtime.cancel?.signal, ...deps.api, baseUrl: context.apiUrl, log: deps.runtime.log });
    return client;
  };
}

/** Who the token acts as, asked at most once per run. */
function lazyIdentity(api: () => Octokit, runtime: Runtime): IdentitySource {
  let pending: ReturnType<IdentitySource> | undefined;
  return () =>
    (pending ??= resolveTokenIdentity(api()).then((id) => {
      runtime.log.debug(`The token acts as ${id.login} (${id.via}); only its comments and issues are updated.`);
      return id;
    }));
}

async function guarded(runtime: Runtime, what: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    const failure = describeApiError(e);
    if (!failure) {
      // Not an answer from GitHub: a bug (describeError asks for a report) or a UserError (says what to do).
      runtime.log.warning(`Could not ${what}: ${describeError(e)}`);
      return;
    }
    const why =
      failure.status === 403
        ? ' The token lacks permission: on fork PRs it is read-only; otherwise grant the permission the README lists for this use.'
        : failure.status === 404
          ? " The token cannot see the repository, or the pull request or issue does not exist (check pr-number and the token's repository access)."
          : failure.status === 401
            ? ' The token is not valid (expired or revoked?).'
            : '';
    runtime.log.warning(`Could not ${what}: ${failure.message}.${why} The job summary has the full report.`);
  }
}

async function readFileOrFail(file: string, input: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    throw new UserError(`Input ${input}: cannot read ${file}.`, 'Give the path of a JSON report written by an earlier image-audit run (its `report` output).');
  }
}

/** Writes one of the run's files; a failure is a warning (the other reports still go out), not the end of the run. */
async function writeOrWarn(runtime: Runtime, what: string, file: string, data: string): Promise<boolean> {
  try {
    await writeFileIn(file, data);
    return true;
  } catch (e) {
    runtime.log.warning(`Could not write the ${what} ${file} (${fsReason(e)}); the other reports and the exit status are not affected.`);
    return false;
  }
}

/**
 * The host, with step outputs and the job summary made best effort: GITHUB_OUTPUT or GITHUB_STEP_SUMMARY
 * that cannot be written (a full disk, a path that is not a file) gives one warning each, and the run goes on.
 */
function tolerantHost(host: ActionHost, runtime: Runtime): ActionHost {
  let outputsWarned = false;
  return {
    ...host,
    getInput: (name) => host.getInput(name),
    annotate: (level, message, props) => host.annotate(level, message, props),
    setFailed: (message) => host.setFailed(message),
    setOutput(name, value) {
      try {
        host.setOutput(name, value);
      } catch (e) {
        if (outputsWarned) return;
        outputsWarned = true;
        runtime.log.warning(
          `Could not write the step outputs to GITHUB_OUTPUT (${fsReason(e)}); later steps will not see them. The reports, comment and exit status are not affected.`
        );
      }
    },
    async appendSummary(markdown) {
      try {
        await host.appendSummary(markdown);
      } catch (e) {
        runtime.log.warning(
          `Could not write the job summary to GITHUB_STEP_SUMMARY (${fsReason(e)}); the comment, check run and exit status are not affected.`
        );
      }
    }
  };
}

function writeOutputs(host: ActionHost, report: Report, diff: ReportDiff | undefined): void {
  const verdict = report.verdict!;
  host.setOutput('verdict', verdict.passed ? 'passed' : 'failed');
  host.setOutput('verdict-summary', verdict.summary);
  host.setOutput(
    'failed-thresholds',
    verdict.checks
      .filter((c) => !c.passed)
      .map((c) => c.name)
      .join(',')
  );
  const img = report.image;
  if (img) {
    // build-push-action's names; image-id stays as an alias.
    host.setOutput('imageid', img.id);
    host.setOutput('image-id', img.id);
    host.setOutput('size', img.size);
    host.setOutput('compressed-size', img.compressedSize);
    host.setOutput('layers', img.layers);
    host.setOutput('wasted', img.wastedBytes);
    host.setOutput('efficiency', img.efficiency.toFixed(4));
  }
  if (report.buildMetadata) {
    const digest = report.buildMetadata['containerimage.digest'];
    if (typeof digest === 'string') host.setOutput('digest', digest);
    host.setOutput('metadata', JSON.stringify(report.buildMetadata));
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

/** Annotation text: a secret finding shows only its masked form and where it is. Plain text, neutralised (escape.ts). */
function annotationMessage(f: Finding): { title: string; message: string } {
  if (f.category === 'secret') {
    const where = f.path ? ` in /${f.path}` : '';
    const layer = f.layer !== undefined ? ` (layer ${f.layer})` : '';
    return { title: plainText(`${SECRET_TITLE}: ${f.rule}`, 250), message: plainText(`${f.masked ?? 'secret'}${where}${layer}`) };
  }
  return { title: plainText(`${f.rule}`, 250), message: plainText(f.message) };
}

export function annotationsFor(
  report: Report
): { level: Level; message: string; props: { title: string; file?: string; startLine?: number; endLine?: number } }[] {
  return (
    report.findings
      // Every stage's findings: image findings carry the Dockerfile line of the step that made their layer.
      .filter((f) => !f.suppressed)
      .map((f) => {
        const { title, message } = annotationMessage(f);
        return {
          level: LEVEL[f.severity],
          // The rule's page (docs/rules/<id>.md): what it checks, why, and how to fix it.
          message: `${message}${ruleLink(f.rule, '\n\n')}`,
          props: { title, ...(f.file ? { file: f.file, startLine: f.line, endLine: f.endLine ?? f.line } : {}) }
        };
      })
  );
}

/** Only rules this version knows get a docs link: a report read from disk may name any rule. */
const KNOWN_RULES = new Set(allRuleMetas().map((m) => m.id));
const ruleLink = (rule: string, before: string): string => (KNOWN_RULES.has(rule) ? `${before}Rule: ${ruleDocsUrl(rule)}` : '');

export function checkAnnotations(report: Report): CheckAnnotation[] {
  const levels = { error: 'failure', warning: 'warning', info: 'notice' } as const;
  return report.findings
    .filter((f) => !f.suppressed && f.file && f.line)
    .map((f) => {
      const { title, message } = annotationMessage(f);
      return {
        path: f.file!,
        start_line: f.line!,
        end_line: f.endLine ?? f.line!,
        annotation_level: levels[f.severity],
        message,
        title,
        raw_details: ruleLink(f.rule, '').trim()
      };
    });
}
