// The REST helpers against the loopback fake, with the real Octokit over HTTP.
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { getOctokit } from '@actions/github';
import { publishCheckRun, syncTrackingIssue, upsertStickyComment, type Octokit, type CheckAnnotation } from '../../src/action/github.js';
import { startFakeGitHub, type FakeGitHub } from '../helpers/fake-github.js';

const repo = { owner: 'o', repo: 'r' };
let gh: FakeGitHub;
let octokit: Octokit;

beforeEach(async () => {
  gh = await startFakeGitHub();
  octokit = getOctokit('test-token', { baseUrl: gh.url });
});
afterEach(() => gh.stop());

describe('upsertStickyComment', () => {
  test('creates once, then updates the same comment, then leaves it alone when unchanged', async () => {
    const first = await upsertStickyComment(octokit, repo, 7, { marker: '<!-- m -->', body: '<!-- m -->\none' });
    expect(first.action).toBe('created');
    const second = await upsertStickyComment(octokit, repo, 7, { marker: '<!-- m -->', body: '<!-- m -->\ntwo' });
    expect(second).toMatchObject({ action: 'updated', id: first.id });
    const writesBefore = gh.writes().length;
    const third = await upsertStickyComment(octokit, repo, 7, { marker: '<!-- m -->', body: '<!-- m -->\ntwo' });
    expect(third).toMatchObject({ action: 'unchanged', id: first.id });
    expect(gh.writes().length).toBe(writesBefore);
    expect(gh.commentsOn(7).map((c) => c.body)).toEqual(['<!-- m -->\ntwo']);
  });

  test('finds its comment past the first page (more than 100 comments)', async () => {
    for (let i = 0; i < 150; i++) gh.addComment(7, `chatter ${i} <!-- m -->`); // marker not at the start: not ours
    const mine = gh.addComment(7, '<!-- m -->\nold', 'github-actions[bot]', 'Bot');
    for (let i = 0; i < 30; i++) gh.addComment(7, `more chatter ${i}`);
    const r = await upsertStickyComment(octokit, repo, 7, { marker: '<!-- m -->', body: '<!-- m -->\nnew' });
    expect(r).toMatchObject({ action: 'updated', id: mine.id });
    const pages = gh.requests.filter((q) => q.method === 'GET' && q.path.endsWith('/issues/7/comments'));
    expect(pages.map((q) => q.query.get('page') ?? '1')).toEqual(['1', '2']);
    expect(gh.commentsOn(7)).toHaveLength(181);
    expect(gh.commentsOn(7).filter((c) => c.body.startsWith('<!-- m -->'))).toHaveLength(1);
  });

  test('a matching digest counts as unchanged even when run links differ', async () => {
    gh.addComment(7, '<!-- m -->\nbody <!-- image-audit-digest:abc --> run 1', 'github-actions[bot]', 'Bot');
    const r = await upsertStickyComment(octokit, repo, 7, { marker: '<!-- m -->', body: '<!-- m -->\nbody <!-- image-audit-digest:abc --> run 2', digest: 'abc' });
    expect(r.action).toBe('unchanged');
  });

  test('a 403 surfaces as an error with status 403', async () => {
    gh.forbid = (method) => method !== 'GET';
    await expect(upsertStickyComment(octokit, repo, 7, { marker: '<!-- m -->', body: '<!-- m -->\nx' })).rejects.toMatchObject({ status: 403 });
  });
});

describe('syncTrackingIssue', () => {
  const base = { marker: '<!-- t -->', title: 'image fails', passedComment: 'passes now' };
  test('open → update → unchanged → close', async () => {
    gh.issues.push({ number: 1, title: 'a PR', body: '<!-- t -->', state: 'open', labels: [], html_url: 'x', pull_request: { url: 'x' } });
    const opened = await syncTrackingIssue(octokit, repo, { ...base, failing: true, body: '<!-- t -->\n1' });
    expect(opened.action).toBe('opened');
    const updated = await syncTrackingIssue(octokit, repo, { ...base, failing: true, body: '<!-- t -->\n2' });
    expect(updated).toMatchObject({ action: 'updated', number: (opened as { number: number }).number });
    expect((await syncTrackingIssue(octokit, repo, { ...base, failing: true, body: '<!-- t -->\n2' })).action).toBe('unchanged');
    const closed = await syncTrackingIssue(octokit, repo, { ...base, failing: false, body: '' });
    expect(closed.action).toBe('closed');
    const issue = gh.issues.find((i) => i.number === (opened as { number: number }).number)!;
    expect(issue).toMatchObject({ state: 'closed', body: '<!-- t -->\n2' });
    expect(gh.commentsOn(issue.number).map((c) => c.body)).toEqual(['passes now']);
    expect((await syncTrackingIssue(octokit, repo, { ...base, failing: false, body: '' })).action).toBe('none');
    expect(gh.issues.filter((i) => !i.pull_request)).toHaveLength(1);
  });
});

describe('publishCheckRun', () => {
  test('annotations are batched at most 50 per request', async () => {
    const annotations: CheckAnnotation[] = Array.from({ length: 120 }, (_, i) => ({
      path: 'Dockerfile', start_line: i + 1, end_line: i + 1, annotation_level: 'warning', message: `m${i}`
    }));
    const r = await publishCheckRun(octokit, repo, { name: 'image-audit', headSha: 'abc', conclusion: 'failure', title: 't', summary: 's', annotations });
    expect(r.requests).toBe(3);
    const run = gh.checkRuns[0];
    expect(run).toMatchObject({ name: 'image-audit', head_sha: 'abc', conclusion: 'failure', status: 'completed' });
    expect(run.output.annotations).toEqual(annotations);
    expect(gh.requests.filter((q) => q.status === 422)).toEqual([]);
  });
});
