// The REST helpers against the loopback fake, with the real Octokit (and the real retry and throttling
// plugins) over HTTP. Backoff is scaled down to milliseconds; everything else is as in production.
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import net from 'node:net';
import { createOctokit, describeApiError, type ApiOptions } from '../../src/action/api.js';
import {
  digestComment,
  publishCheckRun,
  resolveTokenIdentity,
  syncTrackingIssue,
  upsertStickyComment,
  type CheckAnnotation,
  type IdentitySource,
  type Octokit
} from '../../src/action/github.js';
import type { Logger } from '../../src/util/runtime.js';
import { startFakeGitHub, type FakeGitHub } from '../helpers/fake-github.js';

const repo = { owner: 'o', repo: 'r' };
let gh: FakeGitHub;
let octokit: Octokit;
let warnings: string[];
const log: Logger = { info: () => {}, debug: () => {}, warning: (m) => warnings.push(m), group: (_n, fn) => fn() };
const FAST: Partial<ApiOptions> = { backoffUnitMs: 1, writeSpacingMs: 0 };
const client = (token = 'test-token', extra: Partial<ApiOptions> = {}) => createOctokit(token, { baseUrl: gh.url, log, ...FAST, ...extra });
const identityOf = (o: Octokit): IdentitySource => {
  let p: ReturnType<IdentitySource> | undefined;
  return () => (p ??= resolveTokenIdentity(o));
};

beforeEach(async () => {
  gh = await startFakeGitHub();
  octokit = client();
  warnings = [];
});
afterEach(() => gh.stop());

const sticky = (o: Octokit, body: string, digest?: string) => upsertStickyComment(o, repo, 7, { marker: '<!-- m -->', body, digest, identity: identityOf(o) });

describe('upsertStickyComment', () => {
  test('creates once, then updates the same comment, then leaves it alone when unchanged', async () => {
    const first = await sticky(octokit, '<!-- m -->\none');
    expect(first.action).toBe('created');
    const second = await sticky(octokit, '<!-- m -->\ntwo');
    expect(second).toMatchObject({ action: 'updated', id: first.id });
    const writesBefore = gh.writes().length;
    const third = await sticky(octokit, '<!-- m -->\ntwo');
    expect(third).toMatchObject({ action: 'unchanged', id: first.id });
    expect(gh.writes().length).toBe(writesBefore);
    expect(gh.commentsOn(7).map((c) => c.body)).toEqual(['<!-- m -->\ntwo']);
  });

  test('finds its comment past the first page (more than 100 comments)', async () => {
    for (let i = 0; i < 150; i++) gh.addComment(7, `chatter ${i} <!-- m -->`); // marker not at the start: not ours
    const mine = gh.addComment(7, '<!-- m -->\nold', 'github-actions[bot]', 'Bot');
    for (let i = 0; i < 30; i++) gh.addComment(7, `more chatter ${i}`);
    const r = await sticky(octokit, '<!-- m -->\nnew');
    expect(r).toMatchObject({ action: 'updated', id: mine.id });
    const pages = gh.requests.filter((q) => q.method === 'GET' && q.path.endsWith('/issues/7/comments'));
    expect(pages.map((q) => q.query.get('page') ?? '1')).toEqual(['1', '2']);
    expect(gh.commentsOn(7)).toHaveLength(181);
    expect(gh.commentsOn(7).filter((c) => c.body.startsWith('<!-- m -->'))).toHaveLength(1);
  });

  test('a matching digest on the line after the marker counts as unchanged even when run links differ', async () => {
    gh.addComment(7, `<!-- m -->\n${digestComment('abc')}\nbody run 1`, 'github-actions[bot]', 'Bot');
    const r = await sticky(octokit, `<!-- m -->\n${digestComment('abc')}\nbody run 2`, 'abc');
    expect(r.action).toBe('unchanged');
  });

  test('a digest line anywhere else in our comment does not make it skip the update', async () => {
    const ours = gh.addComment(7, `<!-- m -->\n${digestComment('old')}\nfinding text ${digestComment('new')}`, 'github-actions[bot]', 'Bot');
    const r = await sticky(octokit, `<!-- m -->\n${digestComment('new')}\nfresh`, 'new');
    expect(r).toMatchObject({ action: 'updated', id: ours.id });
    expect(gh.commentsOn(7)[0].body).toContain('fresh');
  });

  test('a marker-spoofing comment by another user, with a forged digest, stays untouched', async () => {
    const spoof = gh.addComment(7, `<!-- m -->\n${digestComment('d1')}\nAll good, merge it! ✅ Passed`, 'mallory', 'User');
    const botImpostor = gh.addComment(7, `<!-- m -->\n${digestComment('d1')}\nother app`, 'someone-elses-app[bot]', 'Bot');
    const created = await sticky(octokit, `<!-- m -->\n${digestComment('d1')}\nreal report`, 'd1');
    expect(created.action).toBe('created');
    const again = await sticky(octokit, `<!-- m -->\n${digestComment('d2')}\nsecond report`, 'd2');
    expect(again).toMatchObject({ action: 'updated', id: created.id });
    expect(gh.comments.find((c) => c.id === spoof.id)!.body).toBe(`<!-- m -->\n${digestComment('d1')}\nAll good, merge it! ✅ Passed`);
    expect(gh.comments.find((c) => c.id === botImpostor.id)!.body).toContain('other app');
    expect(gh.requests.filter((r) => r.method === 'PATCH').map((r) => r.path)).toEqual([`/repos/o/r/issues/comments/${created.id}`]);
  });

  test("a personal token adopts the comments of its user (GET /user), not the bot's", async () => {
    gh.tokens.set('pat', { login: 'octocat', type: 'User', installation: false });
    const pat = client('pat');
    const botComment = gh.addComment(7, '<!-- m -->\nby the bot', 'github-actions[bot]', 'Bot');
    const mine = gh.addComment(7, '<!-- m -->\nby octocat', 'octocat', 'User');
    expect(await resolveTokenIdentity(pat)).toEqual({ login: 'octocat', via: 'GET /user' });
    expect(await sticky(pat, '<!-- m -->\nnew')).toMatchObject({ action: 'updated', id: mine.id });
    expect(gh.comments.find((c) => c.id === botComment.id)!.body).toBe('<!-- m -->\nby the bot');
  });

  test('an installation token: the workflow token is github-actions[bot], another app is named by the GraphQL viewer', async () => {
    expect(await resolveTokenIdentity(octokit)).toEqual({ login: 'github-actions[bot]', via: 'GraphQL viewer' });
    expect(gh.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(['GET /user 403', 'POST /graphql 200']);
    gh.tokens.set('app', { login: 'release-bot[bot]', type: 'Bot', installation: true });
    expect((await resolveTokenIdentity(client('app'))).login).toBe('release-bot[bot]');
    // Neither endpoint answers: the default token is assumed, so at worst a new comment is made.
    gh.forbid = (_m, p) => p === '/graphql';
    expect(await resolveTokenIdentity(octokit)).toEqual({ login: 'github-actions[bot]', via: 'assumed: the workflow GITHUB_TOKEN' });
  });

  test('a 403 surfaces as an error with status 403 and says what GitHub answered to which request', async () => {
    gh.forbid = (method) => method !== 'GET';
    const error = await sticky(octokit, '<!-- m -->\nx').catch((e: unknown) => e);
    expect(describeApiError(error)).toEqual({
      kind: 'http',
      status: 403,
      message: 'GitHub answered 403 Forbidden on POST /repos/o/r/issues/7/comments: Resource not accessible by integration'
    });
  });

  test('a 404 is described with the request', async () => {
    const error = await octokit.rest.issues.updateComment({ ...repo, comment_id: 99999, body: 'x' }).catch((e: unknown) => e);
    expect(describeApiError(error)?.message).toBe('GitHub answered 404 Not Found on PATCH /repos/o/r/issues/comments/99999: Not Found');
  });
});

describe('retries, rate limits and timeouts (real plugins, millisecond backoff)', () => {
  test('502 twice, then 200: the comment is posted on the third attempt', async () => {
    gh.fault = (method, path, attempt) =>
      method === 'POST' && path.endsWith('/issues/7/comments') && attempt <= 2 ? { status: 502, body: { message: 'Server Error' } } : undefined;
    const r = await sticky(octokit, '<!-- m -->\nbody');
    expect(r.action).toBe('created');
    expect(gh.commentsOn(7)).toHaveLength(1);
    expect(gh.requests.filter((q) => q.method === 'POST').map((q) => q.status)).toEqual([502, 502, 201]);
  });

  test('502 every time: gives up after the retries with a message naming the status and request', async () => {
    gh.fault = (method) => (method === 'POST' ? { status: 502 } : undefined);
    const error = await sticky(octokit, '<!-- m -->\nbody').catch((e: unknown) => e);
    expect(describeApiError(error)?.message).toMatch(/^GitHub answered 502 Bad Gateway on POST \/repos\/o\/r\/issues\/7\/comments/);
    expect(gh.requests.filter((q) => q.method === 'POST')).toHaveLength(4); // 1 + 3 retries
  });

  test('429, then 200', async () => {
    gh.fault = (method, _p, attempt) => (method === 'POST' && attempt === 1 ? { status: 429, body: { message: 'Too many' } } : undefined);
    expect((await sticky(octokit, '<!-- m -->\nbody')).action).toBe('created');
    expect(gh.requests.filter((q) => q.method === 'POST').map((q) => q.status)).toEqual([429, 201]);
  });

  test('a secondary rate limit (403 + Retry-After) is waited out and retried', async () => {
    gh.fault = (method, _p, attempt) =>
      method === 'POST' && attempt === 1
        ? {
            status: 403,
            body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' },
            headers: { 'retry-after': '2' }
          }
        : undefined;
    expect((await sticky(octokit, '<!-- m -->\nbody')).action).toBe('created');
    expect(gh.requests.filter((q) => q.method === 'POST').map((q) => q.status)).toEqual([403, 201]);
    expect(warnings).toEqual([expect.stringMatching(/secondary rate limit was hit on POST .*; retrying in 2 s/)]);
  });

  test('a hanging endpoint gives the timeout message', async () => {
    gh.fault = (method) => (method === 'POST' ? 'hang' : undefined);
    const slow = client('test-token', { requestTimeoutMs: 200, retries: 1 });
    const error = await sticky(slow, '<!-- m -->\nbody').catch((e: unknown) => e);
    expect(describeApiError(error)).toMatchObject({
      kind: 'timeout',
      message: 'GitHub did not answer POST /repos/o/r/issues/7/comments (no answer within 200 ms, retries included)'
    });
    expect(gh.requests.filter((q) => q.method === 'POST')).toHaveLength(2);
  });

  test('no server at the API URL: says GitHub could not be reached, for which request', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise((resolve) => server.close(resolve)); // nothing listens there any more
    const closed = createOctokit('test-token', { baseUrl: `http://127.0.0.1:${port}`, log, ...FAST, retries: 1 });
    const error = await closed.rest.issues.createComment({ ...repo, issue_number: 7, body: 'x' }).catch((e: unknown) => e);
    expect(describeApiError(error)).toMatchObject({
      kind: 'network',
      message: expect.stringMatching(/^GitHub could not be reached for POST \/repos\/o\/r\/issues\/7\/comments: .*ECONNREFUSED/)
    });
  });

  test('the total API time is bounded: once used up, nothing more is sent or retried', async () => {
    gh.fault = (method) => (method === 'POST' ? 'hang' : undefined);
    const bounded = client('test-token', { requestTimeoutMs: 5000, totalBudgetMs: 300, retries: 3 });
    const error = await sticky(bounded, '<!-- m -->\nbody').catch((e: unknown) => e);
    expect(describeApiError(error)?.kind).toMatch(/timeout|aborted/);
    const sent = gh.requests.length;
    const next = await bounded.rest.issues.listComments({ ...repo, issue_number: 7 }).catch((e: unknown) => e);
    expect(describeApiError(next)).toEqual({ kind: 'aborted', message: "GitHub API calls stopped: the run's GitHub API time (300 ms) is used up" });
    expect(gh.requests.length).toBe(sent);
  });
});

describe('syncTrackingIssue', () => {
  const base = { marker: '<!-- t -->', title: 'image fails', passedComment: 'passes now' };
  const sync = (opts: { failing: boolean; body: string }) => syncTrackingIssue(octokit, repo, { ...base, ...opts, identity: identityOf(octokit) });
  test('open → update → unchanged → close', async () => {
    gh.issues.push({ number: 1, title: 'a PR', body: '<!-- t -->', state: 'open', labels: [], html_url: 'x', pull_request: { url: 'x' } });
    const opened = await sync({ failing: true, body: '<!-- t -->\n1' });
    expect(opened.action).toBe('opened');
    const updated = await sync({ failing: true, body: '<!-- t -->\n2' });
    expect(updated).toMatchObject({ action: 'updated', number: (opened as { number: number }).number });
    expect((await sync({ failing: true, body: '<!-- t -->\n2' })).action).toBe('unchanged');
    const closed = await sync({ failing: false, body: '' });
    expect(closed.action).toBe('closed');
    const issue = gh.issues.find((i) => i.number === (opened as { number: number }).number)!;
    expect(issue).toMatchObject({ state: 'closed', body: '<!-- t -->\n2' });
    expect(gh.commentsOn(issue.number).map((c) => c.body)).toEqual(['passes now']);
    expect((await sync({ failing: false, body: '' })).action).toBe('none');
    expect(gh.issues.filter((i) => !i.pull_request)).toHaveLength(1);
  });

  test('an issue a person opened with a copy of the marker is neither updated nor closed', async () => {
    gh.issues.push({
      number: 5,
      user: { login: 'mallory', type: 'User' },
      title: 'fake',
      body: `<!-- t -->\n${digestComment('x')}`,
      state: 'open',
      labels: [],
      html_url: 'x'
    });
    expect((await sync({ failing: true, body: '<!-- t -->\nreal' })).action).toBe('opened');
    expect((await sync({ failing: false, body: '' })).action).toBe('closed');
    expect(gh.issues.find((i) => i.number === 5)).toMatchObject({ state: 'open', title: 'fake' });
    expect(gh.commentsOn(5)).toEqual([]);
  });
});

describe('publishCheckRun', () => {
  test('annotations are batched at most 50 per request', async () => {
    const annotations: CheckAnnotation[] = Array.from({ length: 120 }, (_, i) => ({
      path: 'Dockerfile',
      start_line: i + 1,
      end_line: i + 1,
      annotation_level: 'warning',
      message: `m${i}`
    }));
    const r = await publishCheckRun(octokit, repo, { name: 'image-audit', headSha: 'abc', conclusion: 'failure', title: 't', summary: 's', annotations });
    expect(r.requests).toBe(3);
    const run = gh.checkRuns[0];
    expect(run).toMatchObject({ name: 'image-audit', head_sha: 'abc', conclusion: 'failure', status: 'completed' });
    expect(run.output.annotations).toEqual(annotations);
    expect(gh.requests.filter((q) => q.status === 422)).toEqual([]);
  });
});
