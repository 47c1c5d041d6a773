// Registry-source benchmark: the bench image pushed to a local Distribution registry (loopback, plain HTTP),
// then `skopeo copy docker://… dir:…` (the transfer alone, written to a temp dir) beside image-audit's analysis
// read from the same registry (in a child process, for its own peak RSS): their ratio.
//
//   npm run bench -- registry
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBenchImage } from './image.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const seconds = (ns: bigint) => Number(ns) / 1e9;
const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function startRegistry(dir: string): Promise<{ host: string; stop(): void }> {
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const config = [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${dir}/storage`,
    'http:',
    `  addr: ${host}`,
    ''
  ];
  writeFileSync(path.join(dir, 'config.yml'), config.join('\n'));
  const child = spawn('docker-registry', ['serve', path.join(dir, 'config.yml')], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => (s.end(), resolve(true)));
      s.on('error', () => resolve(false));
    });
    if (up) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    host,
    stop: () => {
      if (child.pid && child.exitCode === null) process.kill(child.pid, 'SIGTERM');
    }
  };
}

interface ChildResult {
  seconds: number;
  maxRssMB: number;
  size: number;
  compressedSize: number;
  layers: number;
}

function analyseInChild(ref: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--registry-child', ref], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as ChildResult) : reject(new Error(`analysis child exited ${code}`))));
  });
}

async function childMain(ref: string): Promise<void> {
  const src = path.resolve(here, '../../src');
  const { analyseImage } = await import(path.join(src, 'image/analyse.js'));
  const { registrySource } = await import(path.join(src, 'image/sources/registry.js'));
  const { nodeRuntime } = await import(path.join(src, 'util/node-runtime.js'));
  const { defaultConfig } = await import(path.join(src, 'config/types.js'));
  const start = process.hrtime.bigint();
  const [image] = await registrySource(ref).resolve();
  const a = await analyseImage({ ref, runtime: nodeRuntime(), config: defaultConfig(), baseLayerCount: 1, source: image });
  const secs = seconds(process.hrtime.bigint() - start);
  process.stdout.write(
    JSON.stringify({
      seconds: secs,
      maxRssMB: process.resourceUsage().maxRSS / 1024,
      size: a.image.size,
      compressedSize: a.image.compressedSize,
      layers: a.image.layers
    } satisfies ChildResult)
  );
}

function timeSkopeoCopy(ref: string, dir: string): number {
  rmSync(dir, { recursive: true, force: true });
  const start = process.hrtime.bigint();
  execFileSync('skopeo', ['copy', '--quiet', '--src-tls-verify=false', `docker://${ref}`, `dir:${dir}`], { stdio: ['ignore', 'ignore', 'inherit'] });
  const secs = seconds(process.hrtime.bigint() - start);
  rmSync(dir, { recursive: true, force: true });
  return secs;
}

export async function run(): Promise<void> {
  const image = await ensureBenchImage();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'image-audit-bench-registry-'));
  const registry = await startRegistry(dir);
  try {
    const ref = `${registry.host}/bench/image:v1`;
    const pushStart = process.hrtime.bigint();
    execFileSync('skopeo', ['copy', '--quiet', '--dest-tls-verify=false', `docker-daemon:${image}`, `docker://${ref}`], {
      stdio: ['ignore', 'ignore', 'inherit']
    });
    const pushSeconds = seconds(process.hrtime.bigint() - pushStart);

    const copyDir = path.join(dir, 'copy');
    timeSkopeoCopy(ref, copyDir); // warm the registry's page cache for both sides
    const copies: number[] = [];
    const analyses: ChildResult[] = [];
    for (let i = 0; i < 3; i++) {
      copies.push(timeSkopeoCopy(ref, copyDir));
      analyses.push(await analyseInChild(ref));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const copy = median(copies);
    const analysis = median(analyses.map((a) => a.seconds));
    const last = analyses[analyses.length - 1];
    const rows: [string, string, string][] = [
      ['metric', 'skopeo copy → dir', 'image-audit (registry://)'],
      ['time (median of 3)', `${copy.toFixed(2)} s`, `${analysis.toFixed(2)} s`],
      ['ratio analysis / copy', '', `${(analysis / copy).toFixed(2)}×`],
      ['peak RSS (analysis)', '', `${Math.max(...analyses.map((a) => a.maxRssMB)).toFixed(0)} MB`],
      ['pull size (manifest) / size / layers', '', `${mb(last.compressedSize)} / ${mb(last.size)} / ${last.layers}`]
    ];
    const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
    const line = (r: string[]) => r.map((cell, c) => cell.padEnd(widths[c])).join(' │ ');
    console.log(`\nregistry source bench — ${image} via ${ref} (push took ${pushSeconds.toFixed(1)} s)`);
    console.log(line(rows[0]));
    console.log(widths.map((w) => '─'.repeat(w)).join('─┼─'));
    for (const r of rows.slice(1)) console.log(line(r));
  } finally {
    registry.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--registry-child') {
  await childMain(process.argv[3]);
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await run();
}
