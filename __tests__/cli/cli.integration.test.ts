// The foundation, end to end on the real engine: the CLI builds fixtures with buildx and its numbers equal
// `docker image inspect`; bad input of every kind is one actionable paragraph and exit code 2.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inspect, repoRoot, requireEngine } from '../helpers/engine.js';
import { runCli } from '../../src/cli/run.js';
import { nodeRuntime } from '../../src/util/node-runtime.js';
import type { Report } from '../../src/report/types.js';

requireEngine();

async function cli(argv: string[], env: NodeJS.ProcessEnv = process.env) {
  let stdout = '';
  let stderr = '';
  const logger = {
    info: (m: string) => void (stderr += m + '\n'),
    warning: (m: string) => void (stderr += m + '\n'),
    debug: () => {},
    group: <T>(_n: string, fn: () => Promise<T>) => fn()
  };
  const code = await runCli(argv, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    cwd: repoRoot,
    env,
    runtime: nodeRuntime({ logger })
  });
  return { code, stdout, stderr };
}

/** Runs the committed bundle as users do: `node dist/cli.js …` (with Node 24 when CI provides it). */
function bundled(argv: string[], env: NodeJS.ProcessEnv = {}, node = process.execPath) {
  const r = spawnSync(node, [path.join(repoRoot, 'dist', 'cli.js'), ...argv], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 64 << 20
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const TAG = 'ia-test-foundation-basic:latest';

describe('audit builds with buildx and measures exactly', () => {
  let report: Report;
  beforeAll(async () => {
    const r = await cli([
      'audit',
      '--file',
      'fixtures/foundation/basic/Dockerfile',
      '--context',
      'fixtures/foundation/basic',
      '--tag',
      TAG,
      '--format',
      'json'
    ]);
    expect(r.stderr).not.toMatch(/Unexpected internal error/);
    expect(r.code).toBe(0);
    report = JSON.parse(r.stdout);
  });

  test('size and layer count equal docker image inspect', () => {
    const img = inspect(TAG);
    expect(report.image!.id).toBe(img.Id);
    expect(report.image!.size).toBe(img.Size);
    expect(report.image!.layers).toBe(img.RootFS.Layers.length);
    expect(report.layers.map((l) => l.diffId)).toEqual(img.RootFS.Layers);
    expect(report.layers.reduce((s, l) => s + l.size, 0)).toBe(img.Size);
  });

  test('layers are tied to their Dockerfile lines; the base layer is the base', () => {
    const byLine = Object.fromEntries(report.layers.filter((l) => l.step).map((l) => [l.step!.line, l]));
    expect(report.layers[0].fromBase).toBe(true);
    expect(report.layers[0].step).toBeUndefined();
    expect(byLine[2].step!.instruction).toMatch(/^COPY data.txt/);
    expect(byLine[3].step!.endLine).toBe(4);
    // the RUN writing 3,000,000 random bytes is the biggest layer, and its size says so
    expect(byLine[3].size).toBeGreaterThanOrEqual(3_000_000);
    expect(byLine[3].size).toBeLessThan(3_100_000);
    expect(byLine[6]).toBeDefined();
  });

  test('compressed size: random data does not compress, text does', () => {
    const img = report.image!;
    expect(img.compressedSize).toBeGreaterThan(3_000_000);
    expect(img.compressedSize).toBeLessThan(img.size);
  });

  test('the bundle (under Node 24 in CI) reports the same numbers for --image', () => {
    const node = process.env.IMAGE_AUDIT_NODE24 ?? process.execPath;
    if (process.env.CI) expect(process.env.IMAGE_AUDIT_NODE24).toBeTruthy();
    const r = bundled(['audit', '--image', TAG, '--format', 'json'], {}, node);
    expect(r.stderr).not.toMatch(/Unexpected internal error/);
    expect(r.code).toBe(0);
    const again: Report = JSON.parse(r.stdout);
    expect(again.image!.size).toBe(report.image!.size);
    expect(again.image!.layers).toBe(report.image!.layers);
    expect(again.image!.compressedSize).toBe(report.image!.compressedSize);
  });

  test('text and markdown formats render the same facts', async () => {
    const text = await cli(['audit', '--image', TAG]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`(${report.image!.size} bytes)`);
    const md = await cli(['audit', '--image', TAG, '--format', 'markdown']);
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/\|/);
  });

  test('a threshold exceeded exits 1 and names limit and value', async () => {
    const r = await cli(['audit', '--image', TAG, '--max-layers', '2']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/max-layers/);
  });
});

describe('bad input: one actionable paragraph, exit 2, never a stack trace', () => {
  const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at .+:\d+:\d+/);

  test('missing Dockerfile', async () => {
    const r = await cli(['audit', '--file', 'fixtures/foundation/basic/Dockerfile.nope', '--context', 'fixtures/foundation/basic']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Dockerfile.nope' does not exist/);
    noStack(r.stderr);
  });

  test('missing context', async () => {
    const r = await cli(['audit', '--context', 'fixtures/no-such-folder']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/context 'fixtures\/no-such-folder' is not a folder/);
  });

  test('a failing build shows the failing step, its line and the log tail', async () => {
    const r = await cli(['audit', '--context', 'fixtures/foundation/failing', '--no-lint']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/The image build failed at step \[3\/4\] RUN echo "about to fail"/);
    expect(r.stderr).toContain('fixtures/foundation/failing/Dockerfile:3');
    expect(r.stderr).toMatch(/ls: \/does-not-exist: No such file or directory/);
    noStack(r.stderr);
  });

  test('no engine reachable says how to start one', () => {
    const r = bundled(['audit', '--image', TAG], { DOCKER_HOST: 'unix:///tmp/ia-no-engine-here.sock' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/No Docker engine is reachable/);
    expect(r.stderr).toMatch(/scripts\/engine.sh|systemctl start docker/);
    noStack(r.stderr);
  });

  test('buildx missing (plugin folder hidden in a private mount namespace)', () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'ia-no-plugins-'));
    mkdirSync(path.join(empty, 'x'), { recursive: true });
    const pluginDirs = [
      '/usr/libexec/docker/cli-plugins',
      '/usr/lib/docker/cli-plugins',
      '/usr/local/lib/docker/cli-plugins',
      path.join(os.homedir(), '.docker/cli-plugins')
    ];
    const mounts = pluginDirs.filter((d) => spawnSync('test', ['-d', d]).status === 0);
    const script = mounts.map((_, i) => `mount --bind "$1" "$${i + 2}"`).join(' && ') + ` && shift ${mounts.length + 1} && exec "$@"`;
    const r = spawnSync(
      'unshare',
      [
        '-m',
        '--propagation',
        'private',
        'sh',
        '-c',
        script,
        'sh',
        empty,
        ...mounts,
        process.execPath,
        'dist/cli.js',
        'audit',
        '--context',
        'fixtures/foundation/basic',
        '--no-lint'
      ],
      { cwd: repoRoot, encoding: 'utf8' }
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/docker buildx is not installed/);
    noStack(r.stderr);
  });

  test('an image reference that does not exist', async () => {
    const r = await cli(['audit', '--image', 'ia-test-no-such-image:never']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/'ia-test-no-such-image:never' does not exist locally and could not be pulled/);
    noStack(r.stderr);
  });

  test('an unknown input value (several platforms)', async () => {
    const r = await cli(['audit', '--context', 'fixtures/foundation/basic', '--platform', 'linux/amd64,linux/arm64']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/names several platforms/);
  });

  test('a malformed threshold names the flag', async () => {
    const r = await cli(['audit', '--image', TAG, '--max-size', '12 parsecs']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/max-size/);
    noStack(r.stderr);
  });
});
