// Thousands of generated and garbled Dockerfiles never crash the linter. Seeded PRNG: a failure prints the
// seed and case number, and rerunning reproduces it exactly.
import { describe, expect, it } from '@jest/globals';
import { defaultConfig } from '../../src/config/types.js';
import { lintDockerfile } from '../../src/lint/index.js';
import { isUserError } from '../../src/util/errors.js';
import { prng } from '../helpers/prng.js';

const FRAGMENTS = [
  'FROM node:20 AS build',
  'FROM build',
  'FROM scratch',
  'FROM ${BASE}',
  'FROM',
  'FROM --platform=$BUILDPLATFORM golang:1.22 AS b',
  'ARG BASE=alpine',
  'ARG NPM_TOKEN',
  'ENV A="x y" B=2 C',
  'ENV D hello world',
  'ENV',
  'ENV X=\\',
  'USER root',
  'USER',
  'USER 1000:1000',
  'RUN apt-get update && apt-get install -y curl',
  'RUN --mount=type=cache,target=/root/.npm npm ci',
  'RUN --mount=type=secret,id=x,target=/x cat /x',
  'RUN ["sh", "-c", "pip install flask"]',
  'RUN ["broken',
  'RUN <<EOF',
  'apt-get install -y x',
  'EOF',
  'RUN echo "unterminated',
  "RUN echo 'x",
  'RUN rm -rf /var/lib/apt/lists/*',
  'RUN $(',
  'RUN a > ',
  'RUN `x',
  'COPY . .',
  'COPY --from=build --chown=1:1 /a /b',
  'COPY .npmrc /root/',
  'COPY ["a b", "c"]',
  'COPY <<EOF /x',
  'ADD . /app',
  'ADD https://user:pw@example.com/x /x',
  'WORKDIR /app',
  'ONBUILD RUN npm ci',
  'HEALTHCHECK CMD curl -f http://localhost',
  'CMD ["node"]',
  'ENTRYPOINT',
  'EXPOSE 80',
  'LABEL a=b',
  'SHELL ["/bin/bash", "-c"]',
  '# syntax=docker/dockerfile:1',
  '# escape=`',
  '# image-audit ignore=consecutive-run',
  '# image-audit ignore=',
  '\\',
  '`',
  '',
  '   ',
  'RUN apk add \\',
  '    curl',
  'RUN pip install -r requirements.txt',
  'RUN yarn',
  'RUN go mod download',
  'RUN mvn package',
  'RUN npm i -g x'
];
const GARBAGE = '\\`"\'$(){}[]<>|&;#=:@!*?~\t\n\r\u0000\u00e9\u2028 ';

function generate(rand: () => number): string {
  const lines: string[] = [];
  const n = 1 + Math.floor(rand() * 30);
  for (let i = 0; i < n; i++) {
    let line = FRAGMENTS[Math.floor(rand() * FRAGMENTS.length)];
    if (rand() < 0.3) {
      // Garble: insert, delete or swap characters.
      const chars = [...line];
      const edits = 1 + Math.floor(rand() * 4);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rand() * (chars.length + 1));
        const op = rand();
        if (op < 0.5) chars.splice(at, 0, GARBAGE[Math.floor(rand() * GARBAGE.length)]);
        else if (op < 0.8) chars.splice(at, 1);
        else chars.splice(at, 0, ...chars.slice(0, Math.floor(rand() * chars.length)));
      }
      line = chars.join('');
    }
    lines.push(line);
  }
  // Most cases start like a Dockerfile, so the rules (not only the not-a-Dockerfile check) see them.
  if (rand() < 0.9) lines.unshift(rand() < 0.5 ? 'FROM debian:12 AS build' : 'ARG BASE=alpine\nFROM $BASE');
  return lines.join(rand() < 0.1 ? '\r\n' : '\n');
}

describe('fuzz', () => {
  it('2000 random Dockerfiles lint without crashing', async () => {
    const seed = 20240611;
    const rand = prng(seed);
    const config = defaultConfig();
    let findings = 0;
    let rejected = 0;
    for (let i = 0; i < 2000; i++) {
      const text = generate(rand);
      const target = rand() < 0.05 ? 'build' : undefined;
      try {
        const result = await lintDockerfile({ dockerfile: 'fuzz/Dockerfile', contents: text, config, target, context: '/nonexistent-context' });
        findings += result.length;
        for (const f of result) {
          expect(f.line).toBeGreaterThan(0);
          expect(f.fingerprint).toMatch(/^[0-9a-f]{64}$/);
        }
      } catch (e) {
        // An unknown target, or a file BuildKit cannot build (no FROM, binary, unknown instruction), is a UserError.
        if (isUserError(e) && (target || /is not a Dockerfile BuildKit can build/.test((e as Error).message))) {
          rejected++;
          continue;
        }
        throw new Error(`seed ${seed}, case ${i} crashed: ${(e as Error).stack}\n--- Dockerfile ---\n${text}`, { cause: e });
      }
    }
    expect(findings).toBeGreaterThan(700); // the generator exercises the rules, not just the parser
    expect(rejected).toBeLessThan(2000);
  });
});
