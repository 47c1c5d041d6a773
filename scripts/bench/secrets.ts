// Secret-scanner benchmark on the public test-vector corpus (fixtures/secrets/corpus, from the rule tests of
// gitleaks, secretlint and detect-secrets):
//  1. Every vector is written to a file of a real image built by the engine FROM the ~500 MB bench image; half
//     of the files are deleted by a later layer. Single-line values also go into ENV, an ARG default (recorded in
//     the history of a RUN) or a LABEL with a dotted, dashed key.
//  2. image-audit scans the image (analyseImage + the scanner, as `audit` does); gitleaks 8.16 (`gitleaks detect
//     --no-git`) scans the same layers extracted to disk plus the image config JSON (where ENV/LABEL live) and
//     the history.
//  3. Per kind: recall on must-find vectors, and known false positives flagged (warning or error; info notes
//     are counted apart), for the dev and the hold-out split (~30 % of vectors by id hash, never tuned on).
//  4. Time spent in the scanner as a share of the analysis.
//
//   npm run bench:secrets           (full, needs the engine; `-- --quick` for the in-process corpus table only)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { defaultConfig } from '../../src/config/types.js';
import { analyseImage } from '../../src/image/analyse.js';
import type { LayerSubscriber } from '../../src/image/types.js';
import type { Finding } from '../../src/report/types.js';
import { createSecretScan } from '../../src/secrets/index.js';
import { nodeRuntime } from '../../src/util/node-runtime.js';
import type { Logger } from '../../src/util/runtime.js';
import { materialiseCorpus, pairVerdict, verdict, type Materialised } from '../../__tests__/secrets/corpus.js';
import { ensureBenchImage } from './image.js';

const quiet: Logger = { info: () => {}, warning: () => {}, debug: () => {}, group: (_n, fn) => fn() };
const runtime = nodeRuntime({ logger: quiet });
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

type Placement = 'file' | 'deleted' | 'env' | 'arg' | 'label';
interface Trial {
  v: Materialised;
  placement: Placement;
  /** Image path (files) or the variable/label name. */
  where: string;
}
interface Outcome {
  found: boolean;
  flagged: boolean;
}

const EXT = (v: Materialised) => {
  const m = /\.([a-z0-9]+)$/i.exec(v.source.path);
  return v.source.repo === 'secretlint/secretlint' && m ? m[1] : 'txt';
};

/** Each vector once in a file (kept or deleted, alternating) and, when it is one line, once in ENV/ARG/LABEL. */
function trialsOf(vectors: Materialised[]): Trial[] {
  const trials: Trial[] = [];
  vectors.forEach((v, i) => {
    const file = `corpus/${i % 2 === 0 ? 'kept' : 'gone'}/${v.id}.${EXT(v)}`;
    trials.push({ v, placement: i % 2 === 0 ? 'file' : 'deleted', where: file });
    if (v.single !== undefined && !/["\\$`]/.test(v.single)) {
      const p = (['env', 'arg', 'label'] as const)[i % 3];
      trials.push({ v, placement: p, where: p === 'env' ? `V_${v.id}` : p === 'arg' ? `A_${v.id}` : `com.example.vector-${v.id}` });
    }
  });
  return trials;
}

interface Row {
  find: number;
  found: number;
  not: number;
  flagged: number;
  info: number;
}
const row = (): Row => ({ find: 0, found: 0, not: 0, flagged: 0, info: 0 });
function add(r: Row, t: Trial, o: Outcome): void {
  if (t.v.must === 'find') {
    r.find++;
    if (o.found) r.found++;
  } else {
    r.not++;
    if (o.flagged) r.flagged++;
    else if (o.found) r.info++;
  }
}

function table(title: string, trials: Trial[], columns: [string, (t: Trial) => Outcome][]): void {
  console.log(`\n${title}`);
  const kinds = [...new Set(trials.map((t) => t.v.kind))].sort();
  const header = ['kind', 'vectors', ...columns.flatMap(([n]) => [`${n} recall`, `${n} FP`])];
  const lines: string[][] = [];
  const totals = columns.map(() => ({ dev: row(), hold: row() }));
  for (const kind of [...kinds, 'ALL (dev)', 'ALL (hold-out)']) {
    const sel =
      kind === 'ALL (dev)'
        ? trials.filter((t) => !t.v.holdOut)
        : kind === 'ALL (hold-out)'
          ? trials.filter((t) => t.v.holdOut)
          : trials.filter((t) => t.v.kind === kind);
    const cells = columns.map(([, fn]) => {
      const r = row();
      for (const t of sel) add(r, t, fn(t));
      return r;
    });
    if (!kind.startsWith('ALL')) columns.forEach(([, fn], c) => sel.forEach((t) => add(t.v.holdOut ? totals[c].hold : totals[c].dev, t, fn(t))));
    lines.push([
      kind,
      `${sel.filter((t) => t.v.must === 'find').length}+${sel.filter((t) => t.v.must === 'not').length}`,
      ...cells.flatMap((r) => [
        `${r.find ? (r.found / r.find).toFixed(2) : '  - '} (${r.found}/${r.find})`,
        `${r.not ? ((100 * r.flagged) / r.not).toFixed(1) : '  -'} % (${r.flagged}/${r.not}${r.info ? `, +${r.info} info` : ''})`
      ])
    ]);
  }
  const widths = header.map((_, c) => Math.max(...[header, ...lines].map((l) => l[c].length)));
  for (const l of [header, ...lines]) console.log(l.map((cell, c) => cell.padEnd(widths[c])).join('  '));
}

/** In-process: the scanner's verdict on each trial as the image scan would reach it (file text or NAME=value). */
function quickOutcome(t: Trial): Outcome {
  if (t.placement === 'file' || t.placement === 'deleted') return verdict(t.v.body, t.where);
  return pairVerdict(t.where, t.v.single ?? '');
}

function dockerQuote(v: string): string {
  return `"${v}"`;
}

function buildImage(base: string, trials: Trial[]): { ref: string; dir: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'ia-bench-secrets-'));
  for (const t of trials) {
    if (t.placement !== 'file' && t.placement !== 'deleted') continue;
    mkdirSync(path.dirname(path.join(dir, 'ctx', t.where)), { recursive: true });
    writeFileSync(path.join(dir, 'ctx', t.where), t.v.body);
  }
  const env = trials.filter((t) => t.placement === 'env');
  const arg = trials.filter((t) => t.placement === 'arg');
  const label = trials.filter((t) => t.placement === 'label');
  const lines = [
    `FROM ${base}`,
    'COPY corpus/ /srv/corpus/',
    'RUN rm -rf /srv/corpus/gone',
    ...arg.map((t) => `ARG ${t.where}=${dockerQuote(t.v.single!)}`),
    'RUN true',
    ...env.map((t) => `ENV ${t.where}=${dockerQuote(t.v.single!)}`),
    ...label.map((t) => `LABEL ${t.where}=${dockerQuote(t.v.single!)}`)
  ];
  writeFileSync(path.join(dir, 'ctx', 'Dockerfile'), lines.join('\n') + '\n');
  const ref = 'ia-bench-secrets:corpus';
  execFileSync('docker', ['buildx', 'build', '--load', '-q', '-t', ref, path.join(dir, 'ctx')], { stdio: ['ignore', 'ignore', 'inherit'] });
  return { ref, dir };
}

/** Wall time spent in a subscriber's callbacks. */
function timed(sub: LayerSubscriber): { sub: LayerSubscriber; ms: () => number } {
  let ns = 0n;
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
  return {
    sub: {
      onEntry: wrap(sub.onEntry?.bind(sub)),
      wantContent: wrap(sub.wantContent?.bind(sub)),
      onContent: wrap(sub.onContent?.bind(sub)),
      finish: wrap(sub.finish?.bind(sub))
    },
    ms: () => Number(ns) / 1e6
  };
}

/** Which trial a finding is about: file path, or the ENV/ARG/LABEL name in its location. */
function trialOfFinding(f: Finding, byWhere: Map<string, Trial>): Trial | undefined {
  if (f.path) {
    const m = /^srv\/(corpus\/.*)$/.exec(f.path);
    return m ? byWhere.get(m[1]) : undefined;
  }
  const loc = String(f.details?.location ?? '');
  const name = /^(?:config:(?:Env|Labels)|history:(?:arg|env|label)):(.+)$/.exec(loc)?.[1];
  return name ? byWhere.get(name) : undefined;
}

function gitleaksAvailable(): boolean {
  return spawnSync('gitleaks', ['version'], { stdio: 'ignore' }).status === 0;
}

/** Layers of `docker save` on disk (stack order) plus the config JSON and `docker history` text. */
function extract(ref: string, dir: string): string {
  const root = path.join(dir, 'gl');
  const saved = path.join(dir, 'saved');
  mkdirSync(saved, { recursive: true });
  execFileSync('docker', ['save', '-o', path.join(dir, 'image.tar'), ref]);
  execFileSync('tar', ['-xf', path.join(dir, 'image.tar'), '-C', saved]);
  rmSync(path.join(dir, 'image.tar'));
  const manifest = JSON.parse(readFileSync(path.join(saved, 'manifest.json'), 'utf8')) as { Config: string; Layers: string[] }[];
  manifest[0].Layers.forEach((layerTar, i) => {
    const out = path.join(root, 'layers', String(i));
    mkdirSync(out, { recursive: true });
    spawnSync('tar', ['-xf', path.join(saved, layerTar), '-C', out, '--no-same-owner', '--exclude=dev/*'], { stdio: 'ignore' });
  });
  // gitleaks reads only the corpus files of each layer (a walk of the whole 500 MB tree takes it minutes and
  // says nothing about the vectors).
  for (const layer of readdirSync(path.join(root, 'layers'))) {
    const corpus = path.join(root, 'layers', layer, 'srv', 'corpus');
    const keep = path.join(dir, 'keep', layer);
    mkdirSync(keep, { recursive: true });
    spawnSync('cp', ['-a', corpus, keep], { stdio: 'ignore' });
  }
  rmSync(path.join(root, 'layers'), { recursive: true, force: true });
  for (const layer of readdirSync(path.join(dir, 'keep'))) {
    const from = path.join(dir, 'keep', layer, 'corpus');
    const to = path.join(root, 'layers', layer, 'srv');
    mkdirSync(to, { recursive: true });
    spawnSync('mv', [from, path.join(to, 'corpus')], { stdio: 'ignore' });
  }
  // The config pretty-printed, one ENV/LABEL per line as a person (or a scanner) reads it.
  const config = JSON.parse(readFileSync(path.join(saved, manifest[0].Config), 'utf8')) as unknown;
  writeFileSync(path.join(root, 'config.json'), JSON.stringify(config, null, 2));
  rmSync(saved, { recursive: true, force: true });
  return root;
}

function runGitleaks(root: string, trials: Trial[]): Map<Trial, Outcome> {
  const report = path.join(path.dirname(root), 'gitleaks.json');
  const res = spawnSync(
    'gitleaks',
    ['detect', '--no-git', '--no-banner', '--source', root, '--report-format', 'json', '--report-path', report, '--exit-code', '0', '--log-level', 'error'],
    { encoding: 'utf8', maxBuffer: 64 << 20 }
  );
  if (res.status !== 0) throw new Error(`gitleaks failed: ${res.stderr}`);
  const raw = JSON.parse(readFileSync(report, 'utf8')) as { Secret: string; Match: string; File: string }[];
  const out = new Map<Trial, Outcome>();
  const byFile = new Map(trials.filter((t) => t.placement === 'file' || t.placement === 'deleted').map((t) => [t.where, t]));
  const configTrials = trials.filter((t) => t.placement !== 'file' && t.placement !== 'deleted');
  for (const r of raw) {
    const m = /layers\/\d+\/srv\/(corpus\/.*)$/.exec(r.File);
    if (m) {
      const t = byFile.get(m[1]);
      if (t) out.set(t, { found: true, flagged: true });
      continue;
    }
    if (!r.File.endsWith('config.json')) continue;
    // Config findings: the trial whose value holds the secret (gitleaks reports the line, not the key).
    for (const t of configTrials) {
      if (r.Secret && r.Secret.length >= 8 && t.v.single!.includes(r.Secret)) out.set(t, { found: true, flagged: true });
    }
  }
  return out;
}

export async function run(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const vectors = materialiseCorpus();
  const trials = trialsOf(vectors);
  console.log(
    `corpus: ${vectors.length} vectors (${vectors.filter((v) => v.must === 'find').length} must-find, ${vectors.filter((v) => v.must === 'not').length} must-not; ` +
      `${vectors.filter((v) => v.holdOut).length} hold-out), ${trials.length} placements`
  );
  if (quick) {
    table('in-process (scanText on file text / NAME=value), no engine', trials, [['image-audit', quickOutcome]]);
    return;
  }

  const base = await ensureBenchImage();
  const { ref, dir } = buildImage(base, trials);
  try {
    const config = defaultConfig();
    let t = process.hrtime.bigint();
    await analyseImage({ ref, runtime, config });
    const bare = ms(t);
    const scan = createSecretScan({ config, runtime });
    const probe = timed(scan.subscriber);
    t = process.hrtime.bigint();
    const analysis = await analyseImage({ ref, runtime, config, subscribers: [probe.sub] });
    const withScan = ms(t);
    t = process.hrtime.bigint();
    const findings = scan.findings(analysis);
    const findingsMs = ms(t);
    const scannerMs = probe.ms() + findingsMs;

    const byWhere = new Map(trials.map((x) => [x.where, x]));
    const ours = new Map<Trial, Outcome>();
    let outside = 0;
    for (const f of findings) {
      const tr = trialOfFinding(f, byWhere);
      if (!tr) {
        outside++;
        continue;
      }
      const prev = ours.get(tr) ?? { found: false, flagged: false };
      ours.set(tr, { found: true, flagged: prev.flagged || f.severity !== 'info' });
    }
    const none: Outcome = { found: false, flagged: false };
    const columns: [string, (t: Trial) => Outcome][] = [['image-audit', (x) => ours.get(x) ?? none]];
    if (gitleaksAvailable()) {
      const version = spawnSync('gitleaks', ['version'], { encoding: 'utf8' }).stdout.trim();
      const root = extract(ref, dir);
      t = process.hrtime.bigint();
      const gl = runGitleaks(root, trials);
      console.log(
        `gitleaks ${version} (Debian 8.16): ${ms(t).toFixed(0)} ms over the corpus files of ${readdirSync(path.join(root, 'layers')).length} extracted layers + the image config`
      );
      columns.push(['gitleaks', (x) => gl.get(x) ?? none]);
    } else {
      console.log('gitleaks: not installed — `apt-get install -y gitleaks` (Debian 8.16) to compare');
    }
    table(`image ${ref} FROM ${base}: files (half deleted by a later layer), ENV, ARG, LABEL`, trials, columns);
    for (const p of ['file', 'deleted', 'env', 'arg', 'label'] as const) {
      const sel = trials.filter((x) => x.placement === p);
      const r = row();
      for (const x of sel) add(r, x, ours.get(x) ?? none);
      console.log(
        `  image-audit by placement ${p.padEnd(8)} recall ${(r.found / Math.max(1, r.find)).toFixed(2)} (${r.found}/${r.find})  FP ${r.flagged}/${r.not}`
      );
    }
    console.log(`findings outside the corpus (bench base image): ${outside}`);
    console.log(
      `analysis ${bare.toFixed(0)} ms without the scanner, ${withScan.toFixed(0)} ms with it; scanner callbacks ${probe.ms().toFixed(0)} ms + findings() ${findingsMs.toFixed(0)} ms = ` +
        `${scannerMs.toFixed(0)} ms = ${((100 * scannerMs) / withScan).toFixed(1)} % of the analysis (target < 5 %)`
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Allow `node build/bench/scripts/bench/secrets.js` directly.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
