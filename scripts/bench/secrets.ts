// Secret-scanner benchmark.
//  1. Scan time over the ~500 MB bench image (+ a layer of planted secrets and a layer that deletes half of
//     them): analyseImage with and without the scanner subscribed, and the time spent inside the scanner.
//  2. The same layers extracted once to disk: our scanner (same path policy) vs `gitleaks detect --no-git`,
//     recall on the planted secrets, other findings (noise) and time.
//  3. A generated corpus (plantAll() × ROUNDS): recall per family and ms for our rules, gitleaks and the
//     secretlint recommended preset (installed outside the repo: `npm install --prefix /tmp/secretlint-eval
//     @secretlint/core @secretlint/secretlint-rule-preset-recommend`).
//
//   npx tsc -p scripts/bench/tsconfig.json && node build/bench/scripts/bench/index.js secrets
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { defaultConfig } from '../../src/config/types.js';
import { analyseImage } from '../../src/image/analyse.js';
import type { LayerSubscriber } from '../../src/image/types.js';
import { createSecretScan, scanText } from '../../src/secrets/index.js';
import { contentBudget, looksBinary } from '../../src/secrets/places.js';
import { nodeRuntime } from '../../src/util/node-runtime.js';
import type { Logger } from '../../src/util/runtime.js';
import { plantAll, type Family, type Planted } from '../../__tests__/secrets/generate.js';
import { ensureBenchImage } from './image.js';

const SECRETLINT_DIR = process.env.SECRETLINT_EVAL_DIR ?? '/tmp/secretlint-eval';
const ROUNDS = 50;
const RUNS = 2;
const quiet: Logger = { info: () => {}, warning: () => {}, debug: () => {}, group: (_n, fn) => fn() };
const runtime = nodeRuntime({ logger: quiet });
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

/** Bench image + one layer of planted secrets (kept) + one layer of planted secrets deleted by the next step. */
function buildPlantedImage(base: string): { ref: string; kept: Planted[]; deleted: Planted[] } {
  const dir = mkdtempSync(path.join(tmpdir(), 'ia-bench-secrets-'));
  const kept = plantAll();
  const deleted = plantAll().map((p) => ({ ...p, file: p.file.replace(/^(\w+)\//, '$1/old/') }));
  const write = (root: string, list: Planted[]) => {
    for (const p of list) {
      if (!p.content) continue;
      mkdirSync(path.dirname(path.join(dir, root, p.file)), { recursive: true });
      writeFileSync(path.join(dir, root, p.file), p.content);
    }
  };
  write('kept', kept);
  write('gone', deleted);
  const gonePaths = [...new Set(deleted.map((p) => '/' + p.file))];
  writeFileSync(
    path.join(dir, 'Dockerfile'),
    `FROM ${base}\nCOPY kept/ /\nCOPY gone/ /\nRUN ["rm", "-f", ${gonePaths.map((p) => JSON.stringify(p)).join(', ')}]\n`
  );
  const ref = 'ia-bench-secrets:planted';
  execFileSync('docker', ['buildx', 'build', '--load', '-q', '-t', ref, dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  rmSync(dir, { recursive: true, force: true });
  return { ref, kept, deleted };
}

/** Wraps a subscriber to add up the wall time spent in its callbacks. */
function timed(sub: LayerSubscriber): { sub: LayerSubscriber; ms: () => number; read: () => { files: number; bytes: number } } {
  let ns = 0n;
  let files = 0;
  let bytes = 0;
  const wrap = <A extends unknown[], R>(fn: ((...a: A) => R) | undefined) =>
    fn &&
    ((...a: A): R => {
      const t = process.hrtime.bigint();
      try {
        return fn(...a);
      } finally {
        ns += process.hrtime.bigint() - t;
      }
    });
  const onContent = wrap(sub.onContent?.bind(sub));
  return {
    sub: {
      onEntry: wrap(sub.onEntry?.bind(sub)),
      wantContent: wrap(sub.wantContent?.bind(sub)),
      onContent: onContent && ((e, c, t) => ((files += 1), (bytes += c.length), onContent(e, c, t))),
      finish: wrap(sub.finish?.bind(sub))
    },
    ms: () => Number(ns) / 1e6,
    read: () => ({ files, bytes })
  };
}

/** Recall of found values against planted ones: a plant counts when a reported value contains it or vice versa. */
function recall(planted: Planted[], found: string[]): { hit: number; total: number; missed: Family[] } {
  const missed: Family[] = [];
  for (const p of planted) if (!found.some((f) => f === p.value || (f.length >= 8 && (f.includes(p.value) || p.value.includes(f))))) missed.push(p.family);
  return { hit: planted.length - missed.length, total: planted.length, missed };
}

function walk(root: string): string[] {
  return (readdirSync(root, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((d) => d.isFile())
    .map((d) => path.join(d.parentPath, d.name));
}

/** Our rules over a directory tree with the scanner's path policy (paths relative to each layer root). */
function scanDir(root: string, layerRoots: string[]): { values: string[]; files: number; findings: { file: string; value: string }[] } {
  const findings: { file: string; value: string }[] = [];
  let files = 0;
  for (const layerRoot of layerRoots) {
    for (const file of walk(path.join(root, layerRoot))) {
      const rel = path.relative(path.join(root, layerRoot), file);
      const st = statSync(file);
      const budget = contentBudget(rel, st.size);
      if (budget === 0) continue;
      const content = readFileSync(file).subarray(0, budget);
      if (looksBinary(content)) continue;
      files++;
      for (const h of scanText(content.toString('utf8'), { path: rel })) findings.push({ file: rel, value: h.value });
    }
  }
  return { values: findings.map((f) => f.value), files, findings };
}

interface GitleaksResult {
  values: string[];
  findings: { file: string; value: string; rule: string }[];
  ms: number;
}

function gitleaksAvailable(): boolean {
  return spawnSync('gitleaks', ['version'], { stdio: 'ignore' }).status === 0;
}

function runGitleaks(source: string): GitleaksResult {
  const report = path.join(mkdtempSync(path.join(tmpdir(), 'ia-gitleaks-')), 'report.json');
  const t0 = process.hrtime.bigint();
  const res = spawnSync('gitleaks', ['detect', '--no-git', '--no-banner', '--source', source, '--report-format', 'json', '--report-path', report, '--exit-code', '0', '--log-level', 'error'], { encoding: 'utf8' });
  const elapsed = ms(t0);
  if (res.status !== 0) throw new Error(`gitleaks failed: ${res.stderr}`);
  const raw = JSON.parse(readFileSync(report, 'utf8')) as { Secret: string; Match: string; File: string; RuleID: string }[];
  return { values: raw.flatMap((r) => [r.Secret, r.Match]), findings: raw.map((r) => ({ file: r.File, value: r.Secret, rule: r.RuleID })), ms: elapsed };
}

/** Extracts every layer tar of `docker save REF` into <dir>/layers/<n>/ (stack order); returns the layer folders. */
function extractLayers(ref: string, dir: string): string[] {
  const archive = path.join(dir, 'image.tar');
  execFileSync('docker', ['save', '-o', archive, ref]);
  const saved = path.join(dir, 'saved');
  mkdirSync(saved);
  execFileSync('tar', ['-xf', archive, '-C', saved]);
  rmSync(archive);
  const manifest = JSON.parse(readFileSync(path.join(saved, 'manifest.json'), 'utf8')) as { Layers: string[] }[];
  const roots: string[] = [];
  manifest[0].Layers.forEach((layerTar, i) => {
    const out = path.join(dir, 'layers', String(i));
    mkdirSync(out, { recursive: true });
    // Device nodes and ownership are irrelevant to a text scan and need privileges: skip them.
    spawnSync('tar', ['-xf', path.join(saved, layerTar), '-C', out, '--no-same-owner', '--exclude=dev/*'], { stdio: 'ignore' });
    roots.push(path.join('layers', String(i)));
  });
  rmSync(saved, { recursive: true, force: true });
  return roots;
}

interface SecretlintApi {
  lintSource(opts: unknown): Promise<{ messages: { ruleId: string; range: [number, number] }[] }>;
}

async function loadSecretlint(): Promise<{ core: SecretlintApi; preset: unknown } | undefined> {
  try {
    const resolve = (pkg: string) => {
      const pj = path.join(SECRETLINT_DIR, 'node_modules', pkg, 'package.json');
      const meta = JSON.parse(readFileSync(pj, 'utf8')) as { main?: string };
      // Both packages are ESM with `main` pointing at the module entry.
      const entry = meta.main ?? 'index.js';
      return pathToFileURL(path.join(path.dirname(pj), entry)).href;
    };
    const core = (await import(resolve('@secretlint/core'))) as SecretlintApi;
    const preset = ((await import(resolve('@secretlint/secretlint-rule-preset-recommend'))) as { creator: unknown }).creator;
    return { core, preset };
  } catch {
    return undefined;
  }
}

const FAMILIES: Family[] = [
  'github-classic', 'github-fine-grained', 'gitlab', 'npm', 'npmrc-auth', 'aws-key-id', 'aws-secret', 'slack-token', 'slack-webhook',
  'stripe', 'google-api-key', 'private-key', 'service-account', 'jwt', 'url-password', 'env-name'
];

function perFamily(planted: Planted[], missedBy: Family[]): Map<Family, string> {
  const out = new Map<Family, string>();
  for (const fam of FAMILIES) {
    const total = planted.filter((p) => p.family === fam).length;
    const missed = missedBy.filter((f) => f === fam).length;
    out.set(fam, `${total - missed}/${total}`);
  }
  return out;
}

export async function run(): Promise<void> {
  const base = await ensureBenchImage();
  const { ref, kept, deleted } = buildPlantedImage(base);
  const plantedInImage = [...kept, ...deleted];
  console.log(`image ${ref} (FROM ${base}): ${plantedInImage.length} planted secrets, ${deleted.length} of them deleted by a later step`);

  // 1. Streaming scan over the image.
  // Interleaved runs, best of each: `docker save` dominates and varies by seconds between runs.
  const config = defaultConfig();
  let bare = Infinity;
  let withScan = Infinity;
  let scan = createSecretScan({ config, runtime });
  let probe = timed(scan.subscriber);
  let analysis: Awaited<ReturnType<typeof analyseImage>> | undefined;
  for (let i = 0; i < RUNS; i++) {
    let t = process.hrtime.bigint();
    await analyseImage({ ref, runtime, config });
    bare = Math.min(bare, ms(t));
    scan = createSecretScan({ config, runtime });
    probe = timed(scan.subscriber);
    t = process.hrtime.bigint();
    analysis = await analyseImage({ ref, runtime, config, subscribers: [probe.sub] });
    withScan = Math.min(withScan, ms(t));
  }
  if (!analysis) throw new Error('no run');
  let t0 = process.hrtime.bigint();
  const findings = scan.findings(analysis);
  const findingsMs = ms(t0);
  const found = scan.redactions.map((r) => r.value);
  const r1 = recall(plantedInImage, found);
  const entries = analysis.layers.reduce((n, l) => n + (l.entries ?? 0), 0);
  const { files, bytes } = probe.read();
  console.log(`image size ${(analysis.image.size / 1e6).toFixed(0)} MB, ${entries} entries in ${analysis.layers.length} layers`);
  console.log(`analyseImage alone            ${bare.toFixed(0)} ms (best of ${RUNS})`);
  console.log(`analyseImage + secret scan    ${withScan.toFixed(0)} ms (best of ${RUNS}; last run: ${probe.ms().toFixed(0)} ms in scanner callbacks + findings() ${findingsMs.toFixed(0)} ms)`);
  console.log(`content read                  ${files} files, ${(bytes / 1e6).toFixed(1)} MB of ${entries} entries`);
  console.log(`recall (planted, incl. deleted) ${r1.hit}/${r1.total}${r1.missed.length ? `  missed: ${r1.missed.join(', ')}` : ''}`);
  console.log(`findings ${findings.length} (${findings.filter((f) => f.path && !plantedInImage.some((p) => f.path === p.file)).length} outside planted files)`);

  // 2. Same layers on disk: ours vs gitleaks.
  const work = mkdtempSync(path.join(tmpdir(), 'ia-bench-layers-'));
  try {
    t0 = process.hrtime.bigint();
    const roots = extractLayers(ref, work);
    console.log(`\nextracted ${roots.length} layers to disk once in ${ms(t0).toFixed(0)} ms (${walk(work).length} files)`);
    t0 = process.hrtime.bigint();
    const ours = scanDir(work, roots);
    const oursMs = ms(t0);
    const r2 = recall(plantedInImage, ours.values);
    const plantedFiles = new Set(plantedInImage.map((p) => p.file));
    const noise = (fs: { file: string }[]) => fs.filter((f) => !plantedFiles.has(f.file.replace(/^.*?layers\/\d+\//, ''))).length;
    console.log(`ours     (path policy) ${oursMs.toFixed(0).padStart(7)} ms  recall ${r2.hit}/${r2.total}  other findings ${noise(ours.findings)}  files read ${ours.files}`);
    if (gitleaksAvailable()) {
      const gl = runGitleaks(path.join(work, 'layers'));
      const r3 = recall(plantedInImage, gl.values);
      console.log(`gitleaks detect        ${gl.ms.toFixed(0).padStart(7)} ms  recall ${r3.hit}/${r3.total}  other findings ${noise(gl.findings)}${r3.missed.length ? `  missed: ${r3.missed.join(', ')}` : ''}`);
      const noisy = new Map<string, number>();
      for (const f of gl.findings) if (!plantedFiles.has(f.file.replace(/^.*?layers\/\d+\//, ''))) noisy.set(f.rule, (noisy.get(f.rule) ?? 0) + 1);
      if (noisy.size) console.log(`  gitleaks findings outside planted files by rule: ${[...noisy].map(([k, v]) => `${k}=${v}`).join(', ')}`);
    } else {
      console.log('gitleaks: not installed — `apt-get install -y -t trixie --no-install-recommends gitleaks` to compare');
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  // 3. Generated corpus: recall per family and speed.
  const corpus: Planted[] = [];
  const fileContents = new Map<string, string>();
  for (let i = 0; i < ROUNDS; i++) {
    for (const p of plantAll()) {
      const file = `r${i}/${p.file}`;
      corpus.push({ ...p, file });
      if (p.content) fileContents.set(file, p.content);
    }
  }
  console.log(`\ncorpus: ${corpus.length} planted secrets in ${fileContents.size} files (${ROUNDS} rounds of every family)`);
  t0 = process.hrtime.bigint();
  const oursCorpus: string[] = [];
  for (const [file, content] of fileContents) for (const h of scanText(content, { path: file })) oursCorpus.push(h.value);
  const oursCorpusMs = ms(t0);
  const rows: [string, number, ReturnType<typeof recall>][] = [['image-audit', oursCorpusMs, recall(corpus, oursCorpus)]];

  const sl = await loadSecretlint();
  if (sl) {
    t0 = process.hrtime.bigint();
    const slValues: string[] = [];
    for (const [file, content] of fileContents) {
      const res = await sl.core.lintSource({
        source: { filePath: `/corpus/${file}`, content, contentType: 'text' },
        options: { config: { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: sl.preset }] } }
      });
      for (const m of res.messages) slValues.push(content.slice(m.range[0], m.range[1]));
    }
    rows.push(['secretlint recommend', ms(t0), recall(corpus, slValues)]);
  } else {
    console.log(`secretlint: not found in ${SECRETLINT_DIR} — npm install --prefix ${SECRETLINT_DIR} @secretlint/core @secretlint/secretlint-rule-preset-recommend`);
  }
  if (gitleaksAvailable()) {
    const dir = mkdtempSync(path.join(tmpdir(), 'ia-bench-corpus-'));
    for (const [file, content] of fileContents) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), content);
    }
    const gl = runGitleaks(dir);
    rows.push(['gitleaks', gl.ms, recall(corpus, gl.values)]);
    rmSync(dir, { recursive: true, force: true });
  }

  const header = ['family', ...rows.map((r) => r[0])];
  const table = FAMILIES.map((fam) => [fam, ...rows.map((r) => perFamily(corpus, r[2].missed).get(fam)!)]);
  table.push(['TOTAL', ...rows.map((r) => `${r[2].hit}/${r[2].total}`)]);
  table.push(['ms', ...rows.map((r) => r[1].toFixed(0))]);
  const widths = header.map((_, c) => Math.max(...[header, ...table].map((row) => row[c].length)));
  for (const row of [header, ...table]) console.log(row.map((cell, c) => cell.padEnd(widths[c])).join('  '));
}

// Allow `node build/bench/scripts/bench/secrets.js` directly.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
