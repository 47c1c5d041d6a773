// The GitHub REST side: the sticky PR comment, the tracking issue and the check run. One Octokit client, built
// from GITHUB_API_URL by the caller. Everything is paginated and idempotent: rerunning a job never creates a
// second comment or issue, and leaves them alone when nothing changed.
import type { getOctokit } from '@actions/github';

export type Octokit = ReturnType<typeof getOctokit>;
export interface RepoRef {
  owner: string;
  repo: string;
}

/** Hidden digest of the content (without run-specific links), so an unchanged report is not re-posted. */
export const digestComment = (digest: string) => `<!-- image-audit-digest:${digest} -->`;

export type UpsertResult = { action: 'created' | 'updated' | 'unchanged'; id: number; url: string };

/**
 * Finds our comment by its marker (the body must START with it: a person quoting it in a reply does not
 * count) and updates it in place; creates it only when none exists.
 */
export async function upsertStickyComment(
  octokit: Octokit,
  repo: RepoRef,
  issueNumber: number,
  opts: { marker: string; body: string; digest?: string }
): Promise<UpsertResult> {
  const comments = await octokit.paginate(octokit.rest.issues.listComments, { ...repo, issue_number: issueNumber, per_page: 100 });
  const ours = comments.filter((c) => (c.body ?? '').startsWith(opts.marker));
  // Prefer the bot's own comment if a person ever pasted a copy of the marker at the start of theirs.
  const existing = ours.find((c) => c.user?.type === 'Bot') ?? ours[0];
  if (existing) {
    const sameContent = existing.body === opts.body || (opts.digest !== undefined && (existing.body ?? '').includes(digestComment(opts.digest)));
    if (sameContent) return { action: 'unchanged', id: existing.id, url: existing.html_url };
    const { data } = await octokit.rest.issues.updateComment({ ...repo, comment_id: existing.id, body: opts.body });
    return { action: 'updated', id: data.id, url: data.html_url };
  }
  const { data } = await octokit.rest.issues.createComment({ ...repo, issue_number: issueNumber, body: opts.body });
  return { action: 'created', id: data.id, url: data.html_url };
}

export type TrackingResult =
  | { action: 'opened' | 'updated' | 'unchanged' | 'closed'; number: number; url: string }
  | { action: 'none' };

/**
 * One tracking issue per image (found by marker among open issues): opened or updated while thresholds fail,
 * closed with a comment once they pass.
 */
export async function syncTrackingIssue(
  octokit: Octokit,
  repo: RepoRef,
  opts: { marker: string; failing: boolean; title: string; body: string; digest?: string; passedComment: string }
): Promise<TrackingResult> {
  const open = await octokit.paginate(octokit.rest.issues.listForRepo, { ...repo, state: 'open', per_page: 100 });
  const existing = open.find((i) => !i.pull_request && (i.body ?? '').startsWith(opts.marker));
  if (!opts.failing) {
    if (!existing) return { action: 'none' };
    await octokit.rest.issues.createComment({ ...repo, issue_number: existing.number, body: opts.passedComment });
    await octokit.rest.issues.update({ ...repo, issue_number: existing.number, state: 'closed', state_reason: 'completed' });
    return { action: 'closed', number: existing.number, url: existing.html_url };
  }
  if (existing) {
    const same = existing.body === opts.body || (opts.digest !== undefined && (existing.body ?? '').includes(digestComment(opts.digest)));
    if (same && existing.title === opts.title) return { action: 'unchanged', number: existing.number, url: existing.html_url };
    await octokit.rest.issues.update({ ...repo, issue_number: existing.number, title: opts.title, body: opts.body });
    return { action: 'updated', number: existing.number, url: existing.html_url };
  }
  const { data } = await octokit.rest.issues.create({ ...repo, title: opts.title, body: opts.body });
  return { action: 'opened', number: data.number, url: data.html_url };
}

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  message: string;
  title?: string;
  /** Shown under the message when expanded: the link to the rule's page. */
  raw_details?: string;
}

/** The API takes at most 50 annotations per request: create with the first 50, append the rest by update. */
export const ANNOTATIONS_PER_REQUEST = 50;

export async function publishCheckRun(
  octokit: Octokit,
  repo: RepoRef,
  opts: { name: string; headSha: string; conclusion: 'success' | 'failure' | 'neutral'; title: string; summary: string; annotations: CheckAnnotation[] }
): Promise<{ id: number; url: string; requests: number }> {
  const batches: CheckAnnotation[][] = [];
  for (let i = 0; i < opts.annotations.length; i += ANNOTATIONS_PER_REQUEST) batches.push(opts.annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
  const output = (annotations: CheckAnnotation[]) => ({ title: opts.title, summary: opts.summary, annotations });
  const { data } = await octokit.rest.checks.create({
    ...repo,
    name: opts.name,
    head_sha: opts.headSha,
    status: 'completed',
    conclusion: opts.conclusion,
    output: output(batches[0] ?? [])
  });
  for (const batch of batches.slice(1)) {
    await octokit.rest.checks.update({ ...repo, check_run_id: data.id, output: output(batch) });
  }
  return { id: data.id, url: data.html_url ?? '', requests: Math.max(1, batches.length) };
}

/** HTTP status of an Octokit RequestError, if it is one. */
export const httpStatus = (e: unknown): number | undefined =>
  typeof e === 'object' && e !== null && typeof (e as { status?: unknown }).status === 'number' ? (e as { status: number }).status : undefined;
