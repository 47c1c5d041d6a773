// Image analysis benchmark, three image sizes (~50 MB, ~640 MB, ~2 GB): the bare `docker save REF > /dev/null`
// against `image-audit audit --image REF` (the bundled CLI, the whole audit: inspect, history, one streaming pass
// with the secret scan, rules), in alternating runs, median of 5. For each it prints both wall times and their
// ratio, the analyser's own CPU-s (and per GB), dockerd's CPU-s during each (from /proc), and peak RSS. Then the
// compressed-size estimate against real `gzip -6` of every layer of the medium image.
//
//   npm run bench -- image                     all three sizes
//   IMAGE_AUDIT_BENCH_SIZES=small,medium npm run bench -- image
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import tar from 'tar-stream';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Repo root from either the source (scripts/bench) or the compiled copy (build/bench/scripts/bench). */
const repoRoot = here.includes(`${path.sep}build${path.sep}`) ? path.resolve(here, '../../../..') : path.resolve(here, '../..');
export const BENCH_IMAGE = 'ia-bench-image:v1';

const SIZES = {
  small: { tag: 'ia-bench-small:v1', dir: 'fixtures/image/bench-small' },
  medium: { tag: BENCH_IMAGE, dir: 'fixtures/image/bench' },
  large: { tag: 'ia-bench-large:v1', dir: 'fixtures/image/bench-large' }
} as const;
type SizeName = keyof typeof SIZES;

function ensureImage(name: SizeName): string {
  const { tag, dir } = SIZES[name];
  if (spawnSync('docker', ['image', 'inspect', tag], { stdio: 'ignore' }).status === 0) return tag;
  process.stderr.write(`building ${tag} (once; a few minutes)…\n`);
  execFileSync('docker', ['buildx', 'build', '--load', '-t', tag, path.join(repoRoot, dir)], { stdio: ['ignore', 'ignore', 'inherit'] });
  return tag;
}

/** Builds the ~640 MB / ~68k-file benchmark image once (cached by tag) and returns its ref. */
export async function ensureBenchImage(): Promise<string> {
  return ensureImage('medium');
}

const seconds = (ns: bigint) => Number(ns) / 1e9;
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** dockerd's pid: the one .ci/run or scripts/engine.sh started, else the only one running. */
function dockerdPid(): number | undefined {
  const fromFile = process.env.ENGINE_PID_FILE ? readFileSync(process.env.ENGINE_PID_FILE, 'utf8').trim() : '';
  const pid = Number(fromFile || spawnSync('pidof', ['dockerd'], { encoding: 'utf8' }).stdout.trim().split(/\s+/)[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** utime + stime of a process, in seconds (fields 14 and 15 of /proc/PID/stat). */
function cpuSecondsOf(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

interface Run {
  wall: number;
  dockerdCpu: number;
  /** The measured process's own CPU (analysis only). */
  cpu?: number;
  maxRssMB?: number;
}

function timeDockerSave(ref: string): Promise<Run> {
  const pid = dockerdPid();
  const before = cpuSecondsOf(pid);
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn('docker', ['save', ref], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve({ wall: seconds(process.hrtime.bigint() - start), dockerdCpu: cpuSecondsOf(pid) - before })
        : reject(new Error(`docker save exit ${code}`))
    );
  });
}

/** The bundled CLI under a preload that reports the process's own CPU and peak RSS when it exits. */
function timeAudit(ref: string, scratch: string): Promise<Run> {
  const usageFile = path.join(scratch, 'usage.json');
  const preload = path.join(scratch, 'usage-preload.mjs');
  writeFileSync(
    preload,
    `import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => { const u = process.resourceUsage(); writeFileSync(process.env.BENCH_USAGE_FILE, JSON.stringify({ cpu: (u.userCPUTime + u.systemCPUTime) / 1e6, maxRssMB: u.maxRSS / 1024 })); });\n`
  );
  const pid = dockerdPid();
  const before = cpuSecondsOf(pid);
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, ['--import', preload, path.join(repoRoot, 'dist/cli.js'), 'audit', '--image', ref, '--format', 'json'], {
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { ...process.env, BENCH_USAGE_FILE: usageFile, NO_COLOR: '1' }
    });
    const out: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      writeFileSync(path.join(scratch, 'report.json'), Buffer.concat(out));
      const wall = seconds(process.hrtime.bigint() - start);
      if (code !== 0 && code !== 1) return reject(new Error(`image-audit exit ${code}`));
      const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as { cpu: number; maxRssMB: number };
      resolve({ wall, dockerdCpu: cpuSecondsOf(pid) - before, ...usage });
    });
  });
}

/** Real `gzip -6` byte count of every layer tar, streamed (no file written): diffId → bytes. */
async function realGzipSizes(ref: string): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  const save = spawn('docker', ['save', ref], { stdio: ['ignore', 'pipe', 'inherit'] });
  const extract = tar.extract();
  const done = new Promise<void>((resolve, reject) => {
    extract.on('finish', () => resolve());
    extract.on('error', reject);
  });
  extract.on('entry', (header, stream, next) => {
    if (!/\/layer\.tar$|^blobs\/sha256\//.test(header.name) || header.type !== 'file') {
      stream.on('end', () => next());
      stream.resume();
      return;
    }
    const gzip = spawn('gzip', ['-6', '-c'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const hash = createHash('sha256');
    let out = 0;
    gzip.stdout.on('data', (c: Buffer) => (out += c.length));
    stream.on('data', (data: unknown) => {
      const c = data as Buffer;
      hash.update(c);
      if (!gzip.stdin.write(c)) {
        stream.pause();
        gzip.stdin.once('drain', () => stream.resume());
      }
    });
    stream.on('end', () => gzip.stdin.end());
    gzip.on('close', () => {
      sizes.set(`sha256:${hash.digest('hex')}`, out);
      next();
    });
  });
  save.stdout.pipe(extract as unknown as NodeJS.WritableStream);
  await done;
  return sizes;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
const pct = (est: number, real: number) => `${(((est - real) / real) * 100).toFixed(2)} %`;

function table(rows: string[][]): void {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r: string[]) => r.map((cell, c) => cell.padEnd(widths[c])).join(' │ ');
  console.log(line(rows[0]));
  console.log(widths.map((w) => '─'.repeat(w)).join('─┼─'));
  for (const r of rows.slice(1)) console.log(line(r));
}

export async function run(): Promise<void> {
  const wanted = (process.env.IMAGE_AUDIT_BENCH_SIZES ?? 'small,medium,large').split(',').map((s) => s.trim()) as SizeName[];
  const runs = Number(process.env.IMAGE_AUDIT_BENCH_RUNS ?? 5);
  if (spawnSync(process.execPath, [path.join(repoRoot, 'dist/cli.js'), '--version'], { stdio: 'ignore' }).status !== 0) {
    throw new Error('dist/cli.js does not run: `npm run bundle` first.');
  }
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'ia-bench-image-'));
  let mediumLayers: { diffId: string; size: number; compressedSize: number }[] = [];
  const rows: string[][] = [
    ['image', 'size / files', 'save (median)', 'audit (median)', 'ratio', 'target', 'analyser CPU-s', 'CPU-s/GB', 'dockerd CPU-s save | audit', 'peak RSS']
  ];
  try {
    for (const name of wanted) {
      const ref = ensureImage(name);
      const inspect = JSON.parse(execFileSync('docker', ['image', 'inspect', ref], { encoding: 'utf8' }))[0];
      await timeDockerSave(ref); // warm the page cache so both sides read from memory
      const saves: Run[] = [];
      const audits: Run[] = [];
      for (let i = 0; i < runs; i++) {
        saves.push(await timeDockerSave(ref));
        audits.push(await timeAudit(ref, scratch));
      }
      const report = JSON.parse(readFileSync(path.join(scratch, 'report.json'), 'utf8'));
      const files = (report.layers as { entries?: number }[]).reduce((n, l) => n + (l.entries ?? 0), 0);
      if (name === 'medium') mediumLayers = report.layers;
      const save = median(saves.map((r) => r.wall));
      const audit = median(audits.map((r) => r.wall));
      const cpu = median(audits.map((r) => r.cpu ?? NaN));
      rows.push([
        `${name} (${ref})`,
        `${mib(inspect.Size)} / ${files}`,
        `${save.toFixed(2)} s`,
        `${audit.toFixed(2)} s`,
        `${(audit / save).toFixed(2)}×`,
        name === 'medium' ? '≤ 1.2×' : '',
        cpu.toFixed(2),
        (cpu / (inspect.Size / 1e9)).toFixed(2),
        `${median(saves.map((r) => r.dockerdCpu)).toFixed(2)} | ${median(audits.map((r) => r.dockerdCpu)).toFixed(2)}`,
        `${Math.max(...audits.map((r) => r.maxRssMB ?? 0)).toFixed(0)} MB (≤ 256)`
      ]);
      console.log(`  ${name}: save ${saves.map((r) => r.wall.toFixed(2)).join(' ')} | audit ${audits.map((r) => r.wall.toFixed(2)).join(' ')}`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  console.log(`\nimage analysis bench — ${runs} alternating runs each, ${os.cpus().length} cores`);
  table(rows);

  if (!wanted.includes('medium')) return;
  const ref = SIZES.medium.tag;
  const estimated = mediumLayers;
  const real = await realGzipSizes(ref);
  console.log(`\ncompressed-size estimate vs real gzip -6 — ${ref}`);
  const est = estimated.reduce((n, l) => n + l.compressedSize, 0);
  const realTotal = estimated.reduce((n, l) => n + (real.get(l.diffId) ?? NaN), 0);
  const layerRows = [['layer', 'size', 'estimate', 'gzip -6', 'error (± 3 %)']];
  estimated.forEach((l, i) => {
    const r = real.get(l.diffId) ?? NaN;
    layerRows.push([String(i), mib(l.size), mib(l.compressedSize), mib(r), pct(l.compressedSize, r)]);
  });
  layerRows.push(['all', '', mib(est), mib(realTotal), pct(est, realTotal)]);
  table(layerRows);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await run();
}
