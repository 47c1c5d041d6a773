// `npm run bench:lint`: per-rule precision and recall on the real-world corpus (fixtures/lint/corpus, targets
// precision ≥ 0.97, recall ≥ 0.95), then the lint time of a generated 1,000-line Dockerfile vs. merely parsing it
// with dockerfile-ast (target: lint ≤ 50 ms, median after warm-up). `-- --verbose` lists every miss.
import { DockerfileParser } from 'dockerfile-ast';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { precision, recall, scoreCorpus } from './lint-corpus.js';
import { defaultConfig } from '../../src/config/types.js';
import { lintDockerfile } from '../../src/lint/index.js';

const WARMUP = 5;
const RUNS = 15;

/** A realistic multi-stage Dockerfile of about `lines` lines (builder and shipped stages, mixed instructions). */
export function generateDockerfile(lines: number): string {
  const out: string[] = ['# syntax=docker/dockerfile:1', 'ARG NODE_VERSION=20'];
  let stage = 0;
  while (out.length < lines) {
    const name = `stage${stage}`;
    out.push(stage === 0 ? `FROM node:\${NODE_VERSION}-slim AS ${name}` : `FROM stage${stage - 1} AS ${name}`);
    out.push('WORKDIR /app', 'COPY package.json package-lock.json ./');
    for (let i = 0; i < 20 && out.length < lines; i++) {
      switch (i % 7) {
        case 0:
          out.push('RUN apt-get update \\', '  && apt-get install -y --no-install-recommends curl ca-certificates \\', '  && rm -rf /var/lib/apt/lists/*');
          break;
        case 1:
          out.push('RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev');
          break;
        case 2:
          out.push(`ENV APP_MODE=production PORT=${3000 + i} LOG_LEVEL="info"`);
          break;
        case 3:
          out.push(`COPY src/module${i}/ ./src/module${i}/`);
          break;
        case 4:
          out.push('RUN pip install -r requirements.txt && echo "done" > /tmp/marker');
          break;
        case 5:
          out.push(`LABEL org.example.part="${stage}-${i}"`);
          break;
        default:
          out.push('RUN set -eux; addgroup --system app || true; adduser --system --ingroup app app || true');
      }
    }
    stage++;
  }
  out.push('USER app', 'CMD ["node", "server.js"]');
  return out.slice(0, lines).join('\n') + '\n';
}

/** Median wall time, and median CPU time of this process (less sensitive to a loaded machine), in ms. */
async function medians(fn: () => unknown | Promise<unknown>): Promise<{ wall: number; cpu: number; first: number }> {
  const t0 = performance.now();
  await fn();
  const first = performance.now() - t0;
  for (let i = 1; i < WARMUP; i++) await fn();
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
    const used = process.cpuUsage(c);
    cpu.push((used.user + used.system) / 1000);
  }
  const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { wall: mid(times), cpu: mid(cpu), first };
}

const CORPUS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'fixtures', 'lint', 'corpus');

export async function runCorpus(verbose: boolean): Promise<void> {
  const score = await scoreCorpus(CORPUS);
  const pct = (n: number) => n.toFixed(3);
  console.log(`lint corpus: ${score.files} real-world Dockerfiles (fixtures/lint/corpus); targets precision ≥ 0.97, recall ≥ 0.95`);
  console.log(`  ${'rule'.padEnd(28)} ${'tp'.padStart(4)} ${'fp'.padStart(4)} ${'fn'.padStart(4)}  precision  recall`);
  for (const [rule, s] of [...score.byRule].sort(([a], [b]) => a.localeCompare(b))) {
    console.log(
      `  ${rule.padEnd(28)} ${String(s.tp).padStart(4)} ${String(s.fp).padStart(4)} ${String(s.fn).padStart(4)}  ${pct(precision(s)).padStart(9)}  ${pct(recall(s)).padStart(6)}`
    );
  }
  const t = score.total;
  console.log(
    `  ${'overall'.padEnd(28)} ${String(t.tp).padStart(4)} ${String(t.fp).padStart(4)} ${String(t.fn).padStart(4)}  ${pct(precision(t)).padStart(9)}  ${pct(recall(t)).padStart(6)}`
  );
  if (verbose) {
    for (const fp of score.falsePositives) console.log(`  false positive  ${fp}`);
    for (const fn of score.falseNegatives) console.log(`  false negative  ${fn}`);
  }
}

export async function run(): Promise<void> {
  // Timed before the corpus is scored: the action lints one Dockerfile per process, and 80 varied files linted
  // first leave a heap and JIT state that add 10–15 ms to the median whatever the lint code does.
  const text = generateDockerfile(1000);
  const config = defaultConfig();
  const lineCount = text.split('\n').length - 1;
  const parse = await medians(() => DockerfileParser.parse(text));
  let findings = 0;
  const lint = await medians(async () => {
    findings = (await lintDockerfile({ dockerfile: 'bench/Dockerfile', contents: text, config, context: '/nonexistent-bench-context' })).length;
  });
  await runCorpus(process.argv.includes('--verbose'));
  console.log(
    `lint: ${lineCount}-line Dockerfile  parse ${parse.wall.toFixed(1)} ms  lint ${lint.wall.toFixed(1)} ms wall, ${lint.cpu.toFixed(1)} ms CPU ` +
      `(${(lint.wall / parse.wall).toFixed(1)}× parse; median of ${RUNS} after ${WARMUP} warm-up; target ≤ 50 ms; ${findings} findings); ` +
      `first call ${lint.first.toFixed(0)} ms (JIT warm-up)`
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  run().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
