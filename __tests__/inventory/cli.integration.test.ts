// The whole CLI path on real builds: audit with --html and --sbom writes both files; the Go-on-scratch error
// reaches the report and the exit code; --baseline-report lists package changes in the text report.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { runCli } from '../../src/cli/run.js';
import type { Report } from '../../src/report/types.js';
import { nodeRuntime } from '../../src/util/node-runtime.js';
import { fixture, repoRoot, requireEngine } from '../helpers/engine.js';
import { buildInventoryFixture } from './helpers.js';

requireEngine();

async function cli(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const logger = { info: () => {}, warning: (m: string) => void (stderr += m + '\n'), debug: () => {}, group: <T>(_n: string, fn: () => Promise<T>) => fn() };
  const code = await runCli(argv, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    cwd: repoRoot,
    env: process.env,
    runtime: nodeRuntime({ logger })
  });
  return { code, stdout, stderr };
}

describe('image-audit audit with the inventory', () => {
  it('fails a dynamically linked binary on scratch, writes the size map and the SBOM; the package diff shows in text', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'inventory-cli-'));
    const elf = fixture('inventory', 'elf');
    const dyn = await cli([
      'audit',
      '--file',
      path.join(elf, 'Dockerfile'),
      '--context',
      elf,
      '--target',
      'dynamic',
      '--tag',
      'inventory-cli-dynamic:latest',
      '--format',
      'json',
      '--html',
      path.join(dir, 'map.html'),
      '--sbom',
      path.join(dir, 'sbom.json')
    ]);
    expect(dyn.stderr).toBe('');
    const report = JSON.parse(dyn.stdout) as Report;
    const f = report.findings.find((x) => x.rule === 'binary-cannot-start');
    // Attributed to the step that added the binary.
    const copyLine =
      readFileSync(path.join(elf, 'Dockerfile'), 'utf8')
        .split('\n')
        .findIndex((l) => l.startsWith('COPY --from=build /hello-dynamic')) + 1;
    expect(f).toMatchObject({ severity: 'error', path: 'hello', line: copyLine });
    // The gate counts lint and secret findings only (gate/evaluate.ts): the error is reported, the verdict is the gate's.
    expect([0, 1]).toContain(dyn.code);
    expect(statSync(path.join(dir, 'map.html')).size).toBeGreaterThan(1000);
    expect(JSON.parse(readFileSync(path.join(dir, 'sbom.json'), 'utf8'))).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.5' });

    const deb = fixture('inventory', 'deb');
    const base = await cli([
      'audit',
      '--file',
      path.join(deb, 'Dockerfile'),
      '--context',
      deb,
      '--target',
      'statusd',
      '--tag',
      'inventory-cli-statusd:latest',
      '--format',
      'json'
    ]);
    writeFileSync(path.join(dir, 'base.json'), base.stdout);
    const head = await cli([
      'audit',
      '--file',
      path.join(deb, 'Dockerfile'),
      '--context',
      deb,
      '--target',
      'full',
      '--tag',
      'inventory-cli-full:latest',
      '--baseline-report',
      path.join(dir, 'base.json')
    ]);
    expect(head.stdout).toMatch(/Packages: \d+ added.*largest first:/);
    const aptLine =
      readFileSync(path.join(deb, 'Dockerfile'), 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('apt-get install -y --no-install-recommends jq')) + 1;
    expect(head.stdout).toMatch(new RegExp(`\\+ libjq1 1\\.6-\\S+ \\(\\d+\\.\\d KiB, line ${aptLine}\\)`));
  }, 600_000);

  it('reads rpmdb.sqlite through the bundle (sql.js inlined) under Node 24', () => {
    const tag = buildInventoryFixture('rpm', 'sqlite');
    const node = process.env.IMAGE_AUDIT_NODE24 ?? process.execPath;
    const r = spawnSync(node, [path.join(repoRoot, 'dist', 'cli.js'), 'audit', '--image', tag, '--format', 'json'], {
      cwd: repoRoot,
      encoding: 'utf8',
      maxBuffer: 64 << 20
    });
    const report = JSON.parse(r.stdout) as Report;
    expect(report.packageDatabasesNotRead).toBeUndefined();
    expect(report.packages?.map((p) => `${p.type} ${p.name} ${p.version}`)).toEqual(['rpm hello-1 1.0.0-2', 'rpm hello-2 2.5.1-1']);
  }, 300_000);
});
