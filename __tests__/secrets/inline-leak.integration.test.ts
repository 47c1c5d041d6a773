// A secret written in the Dockerfile itself (a token in a RUN, an ENV value, an ARG default) is known before the
// build, so it must be registered with the host before BuildKit's progress lines echo the instruction. Both
// bundles run as processes with the real engine: the value never appears in stdout/stderr, except inside the
// action's `::add-mask::` command, which comes before any line that could hold it. A low-confidence match
// (`postgres:postgres`) is not registered, so the word `postgres` is not masked everywhere.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot, requireEngine } from '../helpers/engine.js';
import { startFakeGitHub, type FakeGitHub } from '../helpers/fake-github.js';
import { actionNode, runActionBundle } from '../helpers/action-bundle.js';
import { stepEnv } from '../action/action-env.js';
import { writePullRequestEvent } from '../action/pr-repo.js';
import * as gen from './generate.js';

requireEngine();

interface Planted {
  dir: string;
  secrets: string[];
}

/** A fresh context whose Dockerfile holds an npm token in a RUN, a GitHub token in ENV and a password ARG default. */
function plant(): Planted {
  const dir = mkdtempSync(path.join(tmpdir(), 'ia-secrets-inline-'));
  const npm = gen.npmToken();
  const gh = gen.githubClassicToken();
  const pw = gen.password(14);
  // A unique line so BuildKit cannot answer from its cache and must print the RUN.
  const nonce = gen.password(10);
  writeFileSync(
    path.join(dir, 'Dockerfile'),
    [
      'FROM image-audit/busybox:latest',
      `ARG DB_PASSWORD=${pw}`,
      `ENV GITHUB_TOKEN=${gh}`,
      `RUN mkdir -p /root && echo "//registry.npmjs.org/:_authToken=${npm}" > /root/.npmrc && echo ${nonce} > /root/nonce`,
      'RUN echo "postgres://postgres:postgres@db:5432/app" > /root/db-url && echo "$DB_PASSWORD" > /dev/null',
      'RUN rm /root/.npmrc',
      'CMD ["sh"]',
      ''
    ].join('\n')
  );
  writeFileSync(path.join(dir, '.dockerignore'), 'Dockerfile\n');
  return { dir, secrets: [npm, gh, pw] };
}

/** Which secrets (named by position, never printed) occur in `text`, with the 18-character prefix that a cut leaves. */
function leaks(text: string, secrets: string[]): string[] {
  return secrets.flatMap((s, i) => (text.includes(s) || (s.length > 24 && text.includes(s.slice(0, 18))) ? [`secret #${i} (${s.length} chars)`] : []));
}

describe('inline Dockerfile secrets never reach the log', () => {
  let gh: FakeGitHub;
  beforeAll(async () => {
    gh = await startFakeGitHub();
  });
  afterAll(() => gh.stop());

  test('CLI bundle: build log on stderr and report on stdout hold no inline secret', () => {
    const { dir, secrets } = plant();
    const r = spawnSync(
      actionNode,
      [
        path.join(repoRoot, 'dist', 'cli.js'),
        'audit',
        '--file',
        path.join(dir, 'Dockerfile'),
        '--context',
        dir,
        '--tag',
        'secrets-inline-cli',
        '--format',
        'text'
      ],
      { cwd: dir, encoding: 'utf8', env: { ...process.env }, maxBuffer: 64 << 20 }
    );
    expect(r.status).toBe(1); // the secrets fail the run
    // The build really ran and printed the RUN line (redacted).
    expect(r.stderr).toMatch(/_authToken=\*\*\*/);
    expect(leaks(r.stderr, secrets)).toEqual([]);
    expect(leaks(r.stdout, secrets)).toEqual([]);
    // postgres:postgres is a default, reported at most as info and never registered as a mask.
    expect(r.stderr).toContain('postgres://postgres:postgres@db');
  });

  test('action bundle: ::add-mask:: for each inline secret comes before any line that could hold it', async () => {
    const { dir, secrets } = plant();
    const eventPath = writePullRequestEvent(dir, { number: 9, baseSha: 'a'.repeat(40), headSha: 'b'.repeat(40) });
    const step = stepEnv({
      apiUrl: gh.url,
      eventName: 'pull_request',
      eventPath,
      inputs: { context: '.', baseline: 'none', 'check-name': 'image-audit', tags: 'secrets-inline-action' }
    });
    const { code, stdout, stderr } = await runActionBundle(step.env, dir);
    expect(code).toBe(1);
    const lines = stdout.split('\n');
    const maskLines = lines.filter((l) => l.startsWith('::add-mask::'));
    const outside = lines.filter((l) => !l.startsWith('::add-mask::')).join('\n');
    expect(leaks(outside, secrets)).toEqual([]);
    expect(leaks(stderr, secrets)).toEqual([]);
    for (const [i, s] of secrets.entries()) {
      const mask = lines.indexOf(`::add-mask::${s}`);
      expect({ secret: i, registered: mask >= 0 }).toEqual({ secret: i, registered: true });
      // The first line of the build group: nothing before it came from BuildKit or the scanner.
      const build = lines.findIndex((l) => l.includes('docker buildx build'));
      expect(build).toBeGreaterThan(-1);
      expect(mask).toBeLessThan(build);
    }
    expect(maskLines.some((l) => /::add-mask::postgres$/.test(l))).toBe(false);
    expect(stdout).toContain('postgres://postgres:postgres@db');
  });
});
