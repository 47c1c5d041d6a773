// Image analysis benchmark: bare `docker save REF > /dev/null` vs analyseImage on the same image (in a child
// process, to read its peak RSS), and the compressed-size estimate vs the real `gzip -6` of every layer tar.
//
//   npx tsc -p scripts/bench/tsconfig.image.json && node build/bench-image/scripts/bench/image.js
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import tar from 'tar-stream';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Repo root from either the source (scripts/bench) or the compiled copy (build/bench-image/scripts/bench). */
const repoRoot = here.includes(`${path.sep}build${path.sep}`) ? path.resolve(here, '../../../..') : path.resolve(here, '../..');
export const BENCH_IMAGE = 'ia-bench-image:v1';

/** Builds the ~500 MB / ~45k-file benchmark image once (cached by tag) and returns its ref. */
export async function ensureBenchImage(): Promise<string> {
  if (spawnSync('docker', ['image', 'inspect', BENCH_IMAGE], { stdio: 'ignore' }).status === 0) return BENCH_IMAGE;
  process.stderr.write(`building ${BENCH_IMAGE} (once; a few minutes)…\n`);
  execFileSync('docker', ['buildx', 'build', '--load', '-t', BENCH_IMAGE, path.join(repoRoot, 'fixtures/image/bench')], { stdio: ['ignore', 'ignore', 'inherit'] });
  return BENCH_IMAGE;
}

const seconds = (ns: bigint) => Number(ns) / 1e9;

function timeDockerSave(ref: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn('docker', ['save', ref], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(seconds(process.hrtime.bigint() - start)) : reject(new Error(`docker save exit ${code}`))));
  });
}

interface ChildResult {
  seconds: number;
  maxRssMB: number;
  image: { size: number; compressedSize: number; layers: number; wastedBytes: number; efficiency: number; executables?: number; packages?: number };
  layers: { index: number; diffId: string; compressedSize: number; size: number; entries?: number }[];
  files: number;
}

/** Runs analyseImage in a fresh Node process (this file with `--child`), so its peak RSS is its own. */
function runAnalysisChild(ref: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--child', ref], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`analysis child exited ${code}`));
      resolve(JSON.parse(out) as ChildResult);
    });
  });
}

async function childMain(ref: string): Promise<void> {
  // Compiled layout mirrors the repo: build/bench-image/{src,scripts}.
  const src = path.resolve(here, '../../src');
  const { analyseImage } = await import(path.join(src, 'image/analyse.js'));
  const { nodeRuntime } = await import(path.join(src, 'util/node-runtime.js'));
  const { defaultConfig } = await import(path.join(src, 'config/types.js'));
  const start = process.hrtime.bigint();
  let files = 0;
  const a = await analyseImage({ ref, runtime: nodeRuntime(), config: defaultConfig(), baseLayerCount: 1, subscribers: [{ onEntry: () => files++ }] });
  const secs = seconds(process.hrtime.bigint() - start);
  const { image, layers } = a;
  process.stdout.write(
    JSON.stringify({
      seconds: secs,
      maxRssMB: process.resourceUsage().maxRSS / 1024,
      image: { size: image.size, compressedSize: image.compressedSize, layers: image.layers, wastedBytes: image.wastedBytes, efficiency: image.efficiency, executables: image.executables, packages: image.packages },
      layers: layers.map((l: ChildResult['layers'][number]) => ({ index: l.index, diffId: l.diffId, compressedSize: l.compressedSize, size: l.size, entries: l.entries })),
      files
    } satisfies ChildResult)
  );
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

const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
const pct = (est: number, real: number) => `${(((est - real) / real) * 100).toFixed(2)} %`;

export async function run(): Promise<void> {
  const ref = await ensureBenchImage();
  await timeDockerSave(ref); // warm the page cache so both sides read from memory
  const saveRuns: number[] = [];
  const analysisRuns: ChildResult[] = [];
  for (let i = 0; i < 3; i++) {
    saveRuns.push(await timeDockerSave(ref));
    analysisRuns.push(await runAnalysisChild(ref));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const save = median(saveRuns);
  const analysis = median(analysisRuns.map((r) => r.seconds));
  const rss = Math.max(...analysisRuns.map((r) => r.maxRssMB));
  const last = analysisRuns[analysisRuns.length - 1];

  const gzStart = process.hrtime.bigint();
  const real = await realGzipSizes(ref);
  const gzSeconds = seconds(process.hrtime.bigint() - gzStart);
  const realTotal = last.layers.reduce((n, l) => n + (real.get(l.diffId) ?? NaN), 0);

  const rows: [string, string, string, string][] = [
    ['metric', 'docker save', 'image-audit', 'target'],
    ['time (median of 3)', `${save.toFixed(2)} s`, `${analysis.toFixed(2)} s`, ''],
    ['ratio analysis / save', '', `${(analysis / save).toFixed(2)}×`, '≤ 1.5×'],
    ['peak RSS (analysis)', '', `${rss.toFixed(0)} MB`, '≤ 256 MB'],
    ['compressed size', `${mb(realTotal)} (gzip -6, ${gzSeconds.toFixed(1)} s)`, mb(last.image.compressedSize), ''],
    ['compressed error', '', pct(last.image.compressedSize, realTotal), '± 3 %'],
    ['image size / layers / files', '', `${mb(last.image.size)} / ${last.image.layers} / ${last.files}`, '~500 MB / ~45k']
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r: string[]) => r.map((cell, c) => cell.padEnd(widths[c])).join(' │ ');
  console.log(`\nimage analysis bench — ${ref}`);
  console.log(line(rows[0]));
  console.log(widths.map((w) => '─'.repeat(w)).join('─┼─'));
  for (const r of rows.slice(1)) console.log(line(r));
  console.log('\nper layer: size, estimated vs real gzip -6');
  for (const l of last.layers) {
    const r = real.get(l.diffId) ?? NaN;
    console.log(`  ${String(l.index).padStart(2)}  ${mb(l.size).padStart(10)}  est ${mb(l.compressedSize).padStart(10)}  real ${mb(r).padStart(10)}  ${pct(l.compressedSize, r)}`);
  }
}

if (process.argv[2] === '--child') {
  await childMain(process.argv[3]);
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await run();
}
