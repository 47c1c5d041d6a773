// Creates, at test time, a real git repository from fixtures/pr: commit 1 = base/, commit 2 = head/.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fixture } from '../helpers/engine.js';

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_DATE: '2024-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2024-01-01T00:00:00Z' }
  }).trim();

export interface PrRepo {
  dir: string;
  baseSha: string;
  headSha: string;
}

export function createPrRepo(root = mkdtempSync(path.join(os.tmpdir(), 'ia-pr-'))): PrRepo {
  const dir = path.join(root, 'repo');
  execFileSync('git', ['init', '-q', '-b', 'main', dir]);
  git(dir, 'config', 'user.email', 'test@example.test');
  git(dir, 'config', 'user.name', 'test');
  git(dir, 'config', 'commit.gpgsign', 'false');
  cpSync(fixture('pr', 'base'), dir, { recursive: true });
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');
  const baseSha = git(dir, 'rev-parse', 'HEAD');
  cpSync(fixture('pr', 'head'), dir, { recursive: true });
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'head: bigger blob, extra layer');
  const headSha = git(dir, 'rev-parse', 'HEAD');
  return { dir, baseSha, headSha };
}

/**
 * A shallow clone (depth 1, like actions/checkout's default) of a PR repo: the base commit is missing and
 * must be fetched from `origin`, which allows fetching any reachable sha (as github.com does).
 */
export function shallowClone(repo: PrRepo): string {
  git(repo.dir, 'config', 'uploadpack.allowReachableSHA1InWant', 'true');
  git(repo.dir, 'config', 'uploadpack.allowAnySHA1InWant', 'true');
  const clone = path.join(path.dirname(repo.dir), 'shallow');
  execFileSync('git', ['clone', '-q', '--depth=1', `file://${repo.dir}`, clone]);
  return clone;
}

export const gitIn = git;

export interface PullRequestEvent {
  path: string;
}

/** Writes a pull_request event payload like GitHub's (only the fields the action reads, plus a few). */
export function writePullRequestEvent(dir: string, opts: { number: number; baseSha: string; headSha: string; fork?: boolean }): string {
  const repoFull = 'octo/app';
  const payload = {
    action: 'synchronize',
    number: opts.number,
    pull_request: {
      number: opts.number,
      base: { sha: opts.baseSha, ref: 'main', repo: { full_name: repoFull } },
      head: { sha: opts.headSha, ref: 'feature', repo: { full_name: opts.fork ? 'stranger/app' : repoFull } }
    },
    repository: { full_name: repoFull, name: 'app', owner: { login: 'octo' } }
  };
  const file = path.join(dir, `event-${opts.number}${opts.fork ? '-fork' : ''}.json`);
  writeFileSync(file, JSON.stringify(payload));
  return file;
}

/** Parses a GITHUB_OUTPUT file (`name<<DELIM\nvalue\nDELIM`). */
export function readOutputs(file: string): Record<string, string> {
  const text = readFileSync(file, 'utf8');
  const out: Record<string, string> = {};
  const re = /^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const m of text.matchAll(re)) out[m[1]] = m[3];
  return out;
}
