// Cancellation with real signals against real builds: the bundled action (dist/index.js, Node 24 when CI
// provides it) and the bundled CLI (dist/cli.js) run as processes with a build secret; SIGTERM or SIGINT
// arrives during the build, the baseline build or the analysis. Afterwards: no file holding the secret
// anywhere (RUNNER_TEMP, os.tmpdir(), the working directory), no baseline worktree, no `docker buildx build`
// (or `docker save`) left running, a non-zero exit and a message that says "cancelled".
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { actionNode } from '../helpers/action-bundle.js';
import { repoRoot, requireEngine } from '../helpers/engine.js';
import { startFakeGitHub, type FakeGitHub } from '../helpers/fake-github.js';
import { stepEnv } from './action-env.js';
import { gitIn, writePullRequestEvent } from './pr-repo.js';

requireEngine();

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
const tags: string[] = [];
let gh: FakeGitHub;
beforeAll(async () => {
  for (const bundle of ['index.js', 'cli.js']) {
    if (!existsSync(path.join(repoRoot, 'dist', bundle))) throw new Error(`dist/${bundle} is missing: run npm run bundle first`);
  }
  gh = await startFakeGitHub();
});
afterAll(async () => {
  await gh.stop();
  if (tags.length) execFileSync('docker', ['image', 'rm', '-f', ...tags], { stdio: 'ignore' });
});

interface Running {
  child: ChildProcess;
  output(): string;
  /** Resolves once the combined output matches `re` (searched from `from`); rejects if the process ends first. */
  waitFor(re: RegExp, timeoutMs?: number, from?: number): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(args: string[], env: Record<string, string>, cwd: string): Running {
  // What a runner gives a step: PATH/HOME/DOCKER_* from this machine plus the step's own variables.
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => /^(PATH|HOME|DOCKER_|TMPDIR|LANG)/.test(k))) as Record<string, string>;
  const child = spawn(actionNode, args, { cwd, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const waiters: { re: RegExp; from: number; resolve: () => void }[] = [];
  const check = () => {
    for (const w of [...waiters])
      if (w.re.test(out.slice(w.from))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
  };
  child.stdout!.on('data', (c) => ((out += c), check()));
  child.stderr!.on('data', (c) => ((out += c), check()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal }))
  );
  return {
    child,
    output: () => out,
    exited,
    waitFor: (re, timeoutMs = 120_000, from = 0) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${re}; output so far:\n${out.slice(-3000)}`)), timeoutMs);
        void exited.then(() => reject(new Error(`process ended before ${re}; output:\n${out.slice(-3000)}`)));
        waiters.push({ re, from, resolve: () => (clearTimeout(timer), resolve()) });
        check();
      })
  };
}

/** Files (not bigger than a secret file) under `dir`, at most `depth` levels down, whose content includes `secret`. */
function filesHolding(secret: string, dir: string, depth: number): string[] {
  const found: string[] = [];
  const walk = (d: string, level: number) => {
    let entries: string[];
    try {
      entries = readdirSync(d);
    } catch {
      return;
    }
    for (const name of entries) {
      const p = path.join(d, name);
      let st;
      try {
        st = statSync(p);
      } catch {
        continue;
      }
      if (st.isDirectory() && level < depth) walk(p, level + 1);
      else if (st.isFile() && st.size <= 4096) {
        try {
          if (readFileSync(p, 'utf8').includes(secret)) found.push(p);
        } catch {
          // unreadable: not ours
        }
      }
    }
  };
  walk(dir, 0);
  return found;
}

/** Processes whose command line contains `needle` (the unique tag or temp folder of the test). */
function processesWith(needle: string): string[] {
  return execFileSync('ps', ['-eo', 'pid,stat,args'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes(needle) && !/\bps -eo\b/.test(l) && !/ Z/.test(l.slice(0, 16)));
}

async function expectNoProcess(needle: string): Promise<void> {
  // The kernel may take a moment to reap a killed process; nothing may be left after one second.
  for (let i = 0; i < 10 && processesWith(needle).length; i++) await new Promise((r) => setTimeout(r, 100));
  expect(processesWith(needle)).toEqual([]);
}

function expectNoSecretFile(secret: string, dirs: string[]): void {
  const found = [...dirs.flatMap((d) => filesHolding(secret, d, 6)), ...filesHolding(secret, os.tmpdir(), 3)];
  expect(found).toEqual([]);
}

/** The output without `::add-mask::` commands (the runner consumes them; they are how a value gets masked). */
const printed = (output: string) =>
  output
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');

function workDir(dockerfile: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'faults-cancel-work-'));
  writeFileSync(path.join(dir, 'Dockerfile'), dockerfile);
  return dir;
}

const SLEEP = (id: string) => `FROM image-audit/busybox\nRUN echo ${id}\nRUN --mount=type=secret,id=tok sleep 30\n`;
const SLEEP_STEP = /#\d+ \[\d\/\d\] RUN --mount=type=secret,id=tok sleep 30/;
/** The RUN has been going long enough for BuildKit to have mounted the secret. */
const settle = () => new Promise((r) => setTimeout(r, 800));

function actionRun(opts: { cwd: string; secret: string; tag: string; eventName?: string; eventPath?: string; inputs?: Record<string, string> }) {
  const step = stepEnv({
    apiUrl: gh.url,
    eventName: opts.eventName ?? 'push',
    eventPath: opts.eventPath,
    inputs: { secrets: `tok=${opts.secret}`, tags: opts.tag, 'fail-on-lint': 'none', ...opts.inputs }
  });
  return { step, proc: start([path.join(repoRoot, 'dist', 'index.js')], step.env, opts.cwd) };
}

describe('the bundled action, cancelled', () => {
  test.each(['SIGTERM', 'SIGINT'] as const)(
    '%s during the build: secrets removed, buildx killed, exit non-zero, "cancelled"',
    async (signal) => {
      const id = unique();
      const secret = `faults-secret-${id}`;
      const tag = `faults-cancel-build-${id}:test`;
      tags.push(tag);
      const cwd = workDir(SLEEP(id));
      const { step, proc } = actionRun({ cwd, secret, tag });
      await proc.waitFor(SLEEP_STEP);
      await settle();
      // The secret is on disk under RUNNER_TEMP while the build runs (and never in os.tmpdir()).
      expect(filesHolding(secret, step.dir, 3).length).toBe(1);
      expect(filesHolding(secret, os.tmpdir(), 3).every((f) => f.startsWith(step.dir + path.sep))).toBe(true);
      expect(processesWith(tag).some((l) => l.includes('docker buildx build'))).toBe(true);

      proc.child.kill(signal);
      const { code } = await proc.exited;
      expect(code).toBe(signal === 'SIGTERM' ? 143 : 130);
      expect(proc.output()).toContain(`::error::image-audit was cancelled (${signal}) during the build.`);
      expect(proc.output()).toMatch(/Cleaned up: .*stopped docker buildx build.*removed the build secrets/);
      expectNoSecretFile(secret, [step.dir, cwd]);
      await expectNoProcess(tag);
      expect(printed(proc.output())).not.toContain(secret);
    },
    180_000
  );

  test('SIGTERM during the baseline build (pull_request, two commits): worktree removed and pruned, secrets removed, buildx killed', async () => {
    const id = unique();
    const secret = `faults-secret-${id}`;
    const tag = `faults-cancel-base-${id}:test`;
    tags.push(tag);
    const root = mkdtempSync(path.join(os.tmpdir(), 'faults-cancel-pr-'));
    const repo = path.join(root, 'repo');
    execFileSync('git', ['init', '-q', '-b', 'main', repo]);
    gitIn(repo, 'config', 'user.email', 'test@example.test');
    gitIn(repo, 'config', 'user.name', 'test');
    gitIn(repo, 'config', 'commit.gpgsign', 'false');
    writeFileSync(path.join(repo, 'Dockerfile'), SLEEP(id)); // the base commit is the slow one
    gitIn(repo, 'add', '-A');
    gitIn(repo, 'commit', '-q', '-m', 'base');
    const baseSha = gitIn(repo, 'rev-parse', 'HEAD');
    writeFileSync(path.join(repo, 'Dockerfile'), `FROM image-audit/busybox\nRUN --mount=type=secret,id=tok echo head-${id}\n`);
    gitIn(repo, 'commit', '-q', '-am', 'head');
    const headSha = gitIn(repo, 'rev-parse', 'HEAD');
    const eventPath = writePullRequestEvent(root, { number: 31, baseSha, headSha });

    const writesBefore = gh.writes().length;
    const { step, proc } = actionRun({ cwd: repo, secret, tag, eventName: 'pull_request', eventPath });
    await proc.waitFor(/Baseline: build base commit/);
    const from = proc.output().search(/Baseline: build base commit/);
    await proc.waitFor(SLEEP_STEP, 120_000, from);
    await settle();
    expect(gitIn(repo, 'worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(2);

    proc.child.kill('SIGTERM');
    const { code } = await proc.exited;
    expect(code).toBe(143);
    expect(proc.output()).toContain('::error::image-audit was cancelled (SIGTERM) during the baseline build.');
    expect(proc.output()).toMatch(/removed and pruned the baseline git worktree/);
    expect(gitIn(repo, 'worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(1);
    const admin = path.join(repo, '.git', 'worktrees');
    expect(existsSync(admin) ? readdirSync(admin) : []).toEqual([]); // pruned
    expect(readdirSync(step.dir).filter((n) => n.startsWith('image-audit-base-'))).toEqual([]);
    expect(gitIn(repo, 'status', '--porcelain')).toBe('');
    expectNoSecretFile(secret, [step.dir, repo]);
    await expectNoProcess(tag.split(':')[0]);
    await expectNoProcess(step.dir);
    // Nothing was posted for a run that did not finish.
    expect(gh.writes().length).toBe(writesBefore);
  }, 240_000);

  test('SIGTERM during the analysis: exit non-zero, "cancelled", no secret file, no docker process left', async () => {
    const id = unique();
    const secret = `faults-secret-${id}`;
    const tag = `faults-cancel-analysis-${id}:test`;
    tags.push(tag);
    // Enough data that reading the image takes a while.
    const cwd = workDir(`FROM image-audit/busybox\nRUN --mount=type=secret,id=tok echo ${id} && head -c 300000000 /dev/urandom > /big\n`);
    const { step, proc } = actionRun({ cwd, secret, tag });
    await proc.waitFor(/::group::Analyse /, 180_000);
    proc.child.kill('SIGTERM');
    const { code } = await proc.exited;
    expect(code).toBe(143);
    expect(proc.output()).toContain('::error::image-audit was cancelled (SIGTERM) during the analysis.');
    expect(proc.output()).not.toMatch(/::set-output|image-audit (passed|failed)/);
    expect(step.outputs().verdict).toBeUndefined();
    expectNoSecretFile(secret, [step.dir, cwd]);
    await expectNoProcess(tag);
  }, 240_000);
});

describe('the bundled CLI, cancelled', () => {
  test.each(['SIGTERM', 'SIGINT'] as const)(
    '%s during the build: secrets removed (private 0700 dir), buildx killed, "cancelled"',
    async (signal) => {
      const id = unique();
      const secret = `faults-secret-${id}`;
      const tag = `faults-cancel-cli-${id}:test`;
      tags.push(tag);
      const cwd = workDir(SLEEP(id));
      const proc = start(
        [path.join(repoRoot, 'dist', 'cli.js'), 'audit', '--file', 'Dockerfile', '--context', '.', '--tag', tag, '--secret', 'id=tok,env=FAULTS_TOK'],
        { FAULTS_TOK: secret },
        cwd
      );
      await proc.waitFor(SLEEP_STEP);
      await settle();
      const [file] = filesHolding(secret, os.tmpdir(), 3);
      expect(file).toBeDefined();
      expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
      expect(statSync(file).mode & 0o777).toBe(0o600);

      proc.child.kill(signal);
      const { code } = await proc.exited;
      expect(code).toBe(signal === 'SIGTERM' ? 143 : 130);
      expect(proc.output()).toContain(`image-audit was cancelled (${signal}) during the build.`);
      expect(existsSync(path.dirname(file))).toBe(false);
      expectNoSecretFile(secret, [cwd]);
      await expectNoProcess(tag);
      expect(printed(proc.output())).not.toContain(secret);
    },
    180_000
  );
});
