// Lint time of a generated 1,000-line Dockerfile vs. merely parsing it with dockerfile-ast.
// Target: lint ≤ 50 ms (median after warm-up).
// Run: npx tsc --outDir build --rootDir . --module nodenext --moduleResolution nodenext --target es2022 \
//        --skipLibCheck --esModuleInterop scripts/bench/lint.ts && node build/scripts/bench/lint.js
import { DockerfileParser } from 'dockerfile-ast';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
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

async function median(fn: () => unknown | Promise<unknown>): Promise<number> {
  for (let i = 0; i < WARMUP; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

export async function run(): Promise<void> {
  const text = generateDockerfile(1000);
  const config = defaultConfig();
  const lineCount = text.split('\n').length - 1;
  const parseMs = await median(() => DockerfileParser.parse(text));
  let findings = 0;
  const lintMs = await median(async () => {
    findings = (await lintDockerfile({ dockerfile: 'bench/Dockerfile', contents: text, config, context: '/nonexistent-bench-context' })).length;
  });
  console.log(`lint: ${lineCount}-line Dockerfile  parse ${parseMs.toFixed(1)} ms  lint ${lintMs.toFixed(1)} ms (median of ${RUNS} after ${WARMUP} warm-up; target ≤ 50 ms; ${findings} findings)`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  run().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
