// The GitHub REST side: the sticky PR comment, the tracking issue and the check run. One Octokit client, built
// from GITHUB_API_URL by the caller. Everything is paginated and idempotent: rerunning a job never creates a
// second comment or issue, and leaves them alone when nothing changed.
import type { Octokit } from './api.js';
import { describeApiError } from './api.js';

export type { Octokit } from './api.js';
export interface RepoRef {
  owner: string;
  repo: string;
}

/** Hidden digest of the content (without run-specific links), so an unchanged report is not re-posted. */
export const digestComment = (digest: string) => `<!-- image-audit-digest:${digest} -->`;

/**
 * True when `body` carries `digest` where we put it: alone on the line right after the marker. A digest line
 * anywhere else (copied into a report field, quoted by someone) does not count.
 */
export function hasDigest(body: string, digest: string | undefined): boolean {
  if (digest === undefined) return false;
  return body.split('\n', 2)[1] === digestComment(digest);
}

/**
 * Who the token acts as, in the `user.login` form REST shows on comments and issues: `github-actions[bot]` for
 * the workflow's GITHUB_TOKEN, `<app>[bot]` for another app's installation token, the user's login for a
 * personal or OAuth token.
 */
export interface TokenIdentity {
  login: string;
  /** How it was found, for the log. */
  via: string;
}

export const WORKFLOW_TOKEN_LOGIN = 'github-actions[bot]';

/**
 * GET /user answers for user tokens. Installation tokens (GITHUB_TOKEN is one) get 403 "Resource not
 * accessible by integration" there, so the GraphQL `viewer` names the app's bot instead. When neither
 * answers, the token is taken to be the workflow's GITHUB_TOKEN (the input's default): the only effect of a
 * wrong guess is a new comment, never an edit of someone else's.
 */
export async function resolveTokenIdentity(octokit: Octokit): Promise<TokenIdentity> {
  try {
    const { data } = await octokit.rest.users.getAuthenticated();
    if (data?.login) return { login: data.login, via: 'GET /user' };
  } catch (e) {
    const status = describeApiError(e)?.status;
    if (status !== 401 && status !== 403) throw e;
  }
  try {
    const data = await octokit.graphql<{ viewer?: { login?: string; __typename?: string } }>('query { viewer { login __typename } }');
    const login = data?.viewer?.login;
    if (login) {
      // GraphQL names a bot without the `[bot]` suffix REST shows on its comments.
      const rest = data.viewer?.__typename === 'Bot' && !login.endsWith('[bot]') ? `${login}[bot]` : login;
      return { login: rest, via: 'GraphQL viewer' };
    }
  } catch (e) {
    if (describeApiError(e) === undefined && !isGraphqlError(e)) throw e;
  }
  return { login: WORKFLOW_TOKEN_LOGIN, via: 'assumed: the workflow GITHUB_TOKEN' };
}

const isGraphqlError = (e: unknown) => e instanceof Error && (e.name === 'GraphqlResponseError' || 'errors' in e);

/** The identity, looked up once and only when a candidate comment or issue needs checking. */
export type IdentitySource = () => Promise<TokenIdentity>;

export type UpsertResult = { action: 'created' | 'updated' | 'unchanged'; id: number; url: string };

/**
 * Finds our comment by its marker (the body must START with it: a person quoting it in a reply does not
 * count) AND its author (the token's identity: a comment anyone else wrote is never edited, whatever it
 * contains), updates it in place, and creates it only when we have none.
 */
export async function upsertStickyComment(
  octokit: Octokit,
  repo: RepoRef,
  issueNumber: number,
  opts: { marker: string; body: string; digest?: string; identity: IdentitySource }
): Promise<UpsertResult> {
  const comments = await octokit.paginate(octokit.rest.issues.listComments, { ...repo, issue_number: issueNumber, per_page: 100 });
  const marked = comments.filter((c) => (c.body ?? '').startsWith(opts.marker));
  // The identity costs a request or two: only asked for when there is a candidate.
  const me = marked.length ? (await opts.identity()).login : undefined;
  const existing = marked.find((c) => c.user?.login === me);
  if (existing) {
    const sameContent = existing.body === opts.body || hasDigest(existing.body ?? '', opts.digest);
    if (sameContent) return { action: 'unchanged', id: existing.id, url: existing.html_url };
    const { data } = await octokit.rest.issues.updateComment({ ...repo, comment_id: existing.id, body: opts.body });
    return { action: 'updated', id: data.id, url: data.html_url };
  }
  const { data } = await octokit.rest.issues.createComment({ ...repo, issue_number: issueNumber, body: opts.body });
  return { action: 'created', id: data.id, url: data.html_url };
}

export type TrackingResult = { action: 'opened' | 'updated' | 'unchanged' | 'closed'; number: number; url: string } | { action: 'none' };

/**
 * One tracking issue per image (found by marker among open issues): opened or updated while thresholds fail,
 * closed with a comment once they pass.
 */
export async function syncTrackingIssue(
  octokit: Octokit,
  repo: RepoRef,
  opts: { marker: string; failing: boolean; title: string; body: string; digest?: string; passedComment: string; identity: IdentitySource }
): Promise<TrackingResult> {
  const open = await octokit.paginate(octokit.rest.issues.listForRepo, { ...repo, state: 'open', per_page: 100 });
  const marked = open.filter((i) => !i.pull_request && (i.body ?? '').startsWith(opts.marker));
  // Only an issue the token's identity opened is ours: one a person opened with a copy of the marker is left alone.
  const me = marked.length ? (await opts.identity()).login : undefined;
  const existing = marked.find((i) => i.user?.login === me);
  if (!opts.failing) {
    if (!existing) return { action: 'none' };
    await octokit.rest.issues.createComment({ ...repo, issue_number: existing.number, body: opts.passedComment });
    await octokit.rest.issues.update({ ...repo, issue_number: existing.number, state: 'closed', state_reason: 'completed' });
    return { action: 'closed', number: existing.number, url: existing.html_url };
  }
  if (existing) {
    const same = existing.body === opts.body || hasDigest(existing.body ?? '', opts.digest);
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

/** HTTP status GitHub answered, when the error is an answer from GitHub. */
export const httpStatus = (e: unknown): number | undefined => describeApiError(e)?.status;
