// Where the base report comes from (input `baseline`): `auto` builds the PR's base commit from a git worktree
// with the same build inputs (same builder, so the layer cache is shared); `build` does so on any event that
// names a base commit; `image` analyses a published image; `report` reads a saved JSON report; `none` skips.
// A baseline that cannot be had is a warning, not a failure: the run goes on without a diff.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { BuildInputs } from '../build/inputs.js';
import type { AuditConfig } from '../config/types.js';
import type { Report } from '../report/types.js';
import { parseReport } from '../report/read.js';
import { readFile } from 'node:fs/promises';
import { UserError, describeError } from '../util/errors.js';
import { cancellationOf, tempRootOf, type CommandRunner, type Runtime } from '../util/runtime.js';
import type { Cancellation } from '../util/cancel.js';

export type BaselineMode = 'auto' | 'build' | 'image' | 'report' | 'none';
export const BASELINE_MODES: BaselineMode[] = ['auto', 'build', 'image', 'report', 'none'];

export function parseBaselineMode(text: string | undefined, inputName = 'baseline'): BaselineMode {
  const v = (text ?? '').trim().toLowerCase() || 'auto';
  if ((BASELINE_MODES as string[]).includes(v)) return v as BaselineMode;
  throw new UserError(`Input ${inputName}: '${text}' is not a baseline mode.`, `Use one of ${BASELINE_MODES.join(', ')}.`);
}

/** The audit to run on the base side; the action passes runAudit. */
export type AuditFn = (
  opts: { build?: BuildInputs; image?: string; config: AuditConfig; cwd?: string; skipLint?: boolean; htmlReport?: string },
  runtime: Runtime
) => Promise<Report>;

export interface BaselineRequest {
  mode: BaselineMode;
  /** The base commit (pull_request.base.sha), when the event has one. */
  baseSha?: string;
  /** Human label for the base, e.g. `main`. */
  baseRef?: string;
  baselineImage?: string;
  baselineReport?: string;
  /** Head build inputs, reused for the base build. */
  build?: BuildInputs;
  config: AuditConfig;
  skipLint?: boolean;
  /** Working directory of the head audit (inside the repository). */
  cwd: string;
  /** Where the worktree goes (RUNNER_TEMP in the action). */
  tempDir?: string;
}

export interface Baseline {
  report: Report;
  label: string;
}

/** git with an argument array; `cancel` makes it killable (not given for the cleanup commands themselves). */
async function git(exec: CommandRunner, cwd: string, args: string[], cancel?: Cancellation) {
  return exec.run('git', args, { cwd, silent: true, cancel });
}

/** Resolves the baseline, or undefined (with a warning saying why) when there is none. */
export async function resolveBaseline(req: BaselineRequest, runtime: Runtime, audit: AuditFn): Promise<Baseline | undefined> {
  switch (req.mode) {
    case 'none':
      return undefined;
    case 'report':
      return readBaselineReport(req, runtime);
    case 'image':
      return auditBaselineImage(req, runtime, audit);
    case 'auto':
    case 'build':
      if (!req.baseSha) {
        if (req.mode === 'build') runtime.log.warning('baseline: build needs a base commit (pull_request.base.sha); this event has none, so there is no diff.');
        return undefined;
      }
      if (!req.build) {
        runtime.log.info('No Dockerfile to build the base commit from (only an image was given); set baseline-image to compare with a published image.');
        return undefined;
      }
      return buildBaseCommit(req as BaselineRequest & { baseSha: string; build: BuildInputs }, runtime, audit);
  }
}

async function readBaselineReport(req: BaselineRequest, runtime: Runtime): Promise<Baseline | undefined> {
  if (!req.baselineReport)
    throw new UserError(
      'Input baseline is `report` but baseline-report is empty.',
      'Set baseline-report to the path of a JSON report saved by an earlier run (the `report` output).'
    );
  const file = path.resolve(req.cwd, req.baselineReport);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    // A cache miss (actions/cache restored nothing) must not fail the PR: say so and go on.
    runtime.log.warning(`baseline-report ${req.baselineReport} does not exist (cache miss?); going on without a diff.`);
    return undefined;
  }
  const report = parseReport(text, `Input baseline-report (${req.baselineReport})`);
  return { report, label: report.source?.ref ?? report.source?.commit?.slice(0, 7) ?? path.basename(req.baselineReport) };
}

async function auditBaselineImage(req: BaselineRequest, runtime: Runtime, audit: AuditFn): Promise<Baseline | undefined> {
  if (!req.baselineImage)
    throw new UserError('Input baseline is `image` but baseline-image is empty.', 'Set baseline-image to an image reference, e.g. ghcr.io/OWNER/APP:main.');
  try {
    const report = await runtime.log.group(`Baseline: analyse ${req.baselineImage}`, () =>
      audit({ image: req.baselineImage, config: req.config, cwd: req.cwd, skipLint: true }, runtime)
    );
    return { report, label: req.baselineImage };
  } catch (e) {
    runtime.log.warning(`baseline-image ${req.baselineImage} could not be analysed (${describeError(e).split('\n')[0]}); going on without a diff.`);
    return undefined;
  }
}

/** Maps a path of the head checkout into the worktree (absolute paths inside the repository only). */
function intoWorktree(p: string, repoRoot: string, worktree: string): string {
  if (!path.isAbsolute(p)) return p;
  const rel = path.relative(repoRoot, p);
  return rel.startsWith('..') || path.isAbsolute(rel) ? p : path.join(worktree, rel);
}

async function buildBaseCommit(
  req: BaselineRequest & { baseSha: string; build: BuildInputs },
  runtime: Runtime,
  audit: AuditFn
): Promise<Baseline | undefined> {
  const { exec, log } = runtime;
  const cancel = cancellationOf(runtime);
  const sha = req.baseSha;
  if (!/^[0-9a-f]{7,64}$/i.test(sha)) {
    log.warning(`The base commit '${sha}' is not a commit id; going on without a diff.`);
    return undefined;
  }
  const top = await git(exec, req.cwd, ['rev-parse', '--show-toplevel']);
  if (top.exitCode !== 0) {
    log.warning(
      `${req.cwd} is not a git checkout, so the base commit cannot be built; going on without a diff. (Use actions/checkout, or baseline: image/report.)`
    );
    return undefined;
  }
  const repoRoot = top.stdout.trim();
  const short = sha.slice(0, 7);
  const have = async () => (await git(exec, repoRoot, ['cat-file', '-e', `${sha}^{commit}`])).exitCode === 0;
  if (!(await have())) {
    log.info(`Fetching base commit ${short} (shallow checkout)…`);
    const fetched = await git(exec, repoRoot, ['fetch', '--no-tags', '--depth=1', 'origin', sha], cancel);
    if (fetched.exitCode !== 0 || !(await have())) {
      log.warning(
        `The base commit ${short} is not in the checkout and could not be fetched (${fetched.stderr.trim().split('\n').pop() ?? 'git fetch failed'}); going on without a diff. Use fetch-depth: 0 in actions/checkout, or baseline: report.`
      );
      return undefined;
    }
  }

  cancel.throwIfCancelled();
  const endPhase = cancel.enter('the baseline build');
  const parent = await mkdtemp(path.join(req.tempDir ?? tempRootOf(runtime), 'image-audit-base-'));
  const worktree = path.join(parent, 'src');
  // Registered before `git worktree add`, so a signal at any point removes and prunes it.
  const removeWorktree = cancel.defer('removed and pruned the baseline git worktree', async () => {
    const removed = await git(exec, repoRoot, ['worktree', 'remove', '--force', worktree]);
    if (removed.exitCode !== 0) await git(exec, repoRoot, ['worktree', 'prune']);
    await rm(parent, { recursive: true, force: true });
    await git(exec, repoRoot, ['worktree', 'prune']);
  });
  try {
    const added = await git(exec, repoRoot, ['worktree', 'add', '--detach', worktree, sha], cancel);
    if (added.exitCode !== 0) {
      log.warning(`git worktree add for the base commit ${short} failed (${added.stderr.trim()}); going on without a diff.`);
      return undefined;
    }
    const cwd = path.join(worktree, path.relative(repoRoot, req.cwd));
    const build: BuildInputs = {
      ...req.build,
      context: intoWorktree(req.build.context, repoRoot, worktree),
      file: intoWorktree(req.build.file, repoRoot, worktree),
      // The base image is only measured: no tags (it must not replace the PR's image) and no cache export
      // (it would overwrite the PR's); cache-from and the builder stay the same so layers are reused.
      tags: [],
      cacheTo: []
    };
    const dockerfileExists = await stat(path.resolve(cwd, build.file)).then(
      () => true,
      () => false
    );
    if (!dockerfileExists) {
      log.warning(`${req.build.file} does not exist on the base commit ${short} (new Dockerfile?); going on without a diff.`);
      return undefined;
    }
    try {
      const report = await log.group(`Baseline: build base commit ${short}`, () => audit({ build, config: req.config, cwd, skipLint: req.skipLint }, runtime));
      report.source = { ...report.source, commit: sha, ...(req.baseRef ? { ref: req.baseRef } : {}) };
      return { report, label: req.baseRef ? `${req.baseRef}@${short}` : short };
    } catch (e) {
      if (cancel.cancelled) throw e; // not a base that did not build: the run is stopping
      log.warning(`The base commit ${short} did not build (${describeError(e).split('\n')[0]}); going on without a diff.`);
      return undefined;
    }
  } finally {
    await removeWorktree();
    endPhase();
  }
}
