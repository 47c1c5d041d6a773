// One block per gap class of issue 11: each shows the class is handled, with cases on both sides of the line.
import { describe, expect, it } from '@jest/globals';
import { defaultConfig } from '../../src/config/types.js';
import { lintDockerfile } from '../../src/lint/index.js';
import type { Finding } from '../../src/report/types.js';
import { only } from './helpers.js';

const lint = (text: string, target?: string): Promise<Finding[]> =>
  lintDockerfile({ dockerfile: 'Dockerfile', contents: text, config: defaultConfig(), target, context: '/nonexistent-context' });

/** Managers package-cache-not-cleaned names for a one-stage Dockerfile with these RUN lines. */
async function cacheHits(...runs: string[]): Promise<string[]> {
  const findings = await lint(`FROM debian:12-slim\n${runs.join('\n')}\nUSER 1000\n`);
  return only(findings, 'package-cache-not-cleaned').map((f) => String(f.details?.manager));
}

describe('package managers the cache rule used to miss', () => {
  it.each([
    ['RUN yum install -y httpd', ['yum']],
    ['RUN yum install -y httpd && yum clean all', []],
    ['RUN yum install -y --setopt=keepcache=0 httpd', []],
    ['RUN yum install -y httpd && rm -rf /var/cache/yum', []],
    ['RUN dnf install -y httpd', ['dnf']],
    ['RUN dnf -y upgrade', ['dnf']],
    ['RUN dnf install -y httpd && dnf clean all', []],
    ['RUN dnf install -y httpd && rm -rf /var/cache/dnf/*', []],
    ['RUN microdnf install -y shadow-utils', ['dnf']],
    ['RUN microdnf install -y shadow-utils && microdnf clean all', []],
    ['RUN zypper -n install curl', ['zypper']],
    ['RUN zypper -n install curl && zypper clean --all', []],
    ['RUN zypper -n install curl && rm -rf /var/cache/zypp/*', []],
    ['RUN apt-get update && apt-get upgrade -y', ['apt']],
    ['RUN apt-get update && apt-get dist-upgrade -y && rm -rf /var/lib/apt/lists/*', []],
    ['RUN apk add curl', ['apk']],
    ['RUN apk add --no-cache curl', []],
    ['RUN apk add curl && rm -rf /var/cache/apk/*', []],
    ['RUN pip install flask', ['pip']],
    ['RUN python3 -m pip install --no-cache-dir flask', []],
    ['RUN npm ci', ['npm']],
    ['RUN npm ci && npm cache clean --force', []],
    ['RUN yarn install --frozen-lockfile', ['yarn']],
    ['RUN yarn install --immutable && yarn cache clean --all', []],
    ['RUN yarn && rm -rf /usr/local/share/.cache/yarn', []],
    ['RUN pnpm install --frozen-lockfile', []],
    ['RUN composer install --no-dev', ['composer']],
    ['RUN composer install --no-dev --no-cache', []],
    ['RUN go build -o /app .', ['go']],
    ['RUN go build -o /app . && go clean -cache -modcache', []],
    ['RUN cargo install ripgrep', ['cargo']],
    ['RUN gem install bundler', []]
  ])('%s → %j', async (run, expected) => {
    expect(await cacheHits(run)).toEqual(expected);
  });

  it('a RUN that only runs apt-get update is apt-update-alone, not the same advice twice', async () => {
    const findings = await lint('FROM debian:12-slim\nRUN apt-get update\nUSER 1\n');
    expect(findings.filter((f) => f.line === 2).map((f) => f.rule)).toEqual(['apt-update-alone']);
  });
});

describe('cache-free mounts', () => {
  it.each([
    ['RUN --mount=type=tmpfs,target=/var/lib/apt/lists apt-get update && apt-get install -y --no-install-recommends curl', []],
    ['RUN --mount=type=tmpfs,target=/root/.cache/pip pip install flask', []],
    ['RUN --mount=type=tmpfs,target=/root/.npm npm ci', []],
    ['RUN --mount=type=tmpfs,target=/var/cache/dnf dnf install -y curl', []],
    ['RUN --mount=type=tmpfs,target=/var/cache/zypp zypper in -y curl', []],
    ['RUN --mount=type=bind,target=/root/.npm npm ci', ['npm']],
    ['RUN --mount=type=tmpfs,target=/var/lib/foobar yarn install', ['yarn']]
  ])('%s → %j', async (run, expected) => {
    expect(await cacheHits(run)).toEqual(expected);
  });
});

describe('environment set inline, exported or by ENV/ARG counts (with pip boolean semantics)', () => {
  it.each([
    ['RUN PIP_NO_CACHE_DIR=1 pip install flask', []],
    ['RUN PIP_NO_CACHE_DIR=off pip install flask', []], // pip disables the cache for any valid boolean
    ['RUN PIP_NO_CACHE_DIR= pip install flask', ['pip']], // pip ignores an empty value
    ['RUN export PIP_NO_CACHE_DIR=1 && pip install flask', []],
    ['RUN pip install flask && export PIP_NO_CACHE_DIR=1', ['pip']], // exported after the install
    ['RUN env PIP_NO_CACHE_DIR=true pip install flask', []],
    ['RUN PIP_NO_CACHE_DIR=1 true && pip install flask', ['pip']], // inline on another command only
    ['RUN UV_NO_CACHE=1 uv pip install --system flask', []],
    ['RUN uv pip install --system flask', ['uv']]
  ])('%s → %j', async (run, expected) => {
    expect(await cacheHits(run)).toEqual(expected);
  });

  it('ENV and ARG earlier in the stage count, ENV of another stage does not', async () => {
    expect(await cacheHits('ENV PIP_NO_CACHE_DIR=1', 'RUN pip install flask')).toEqual([]);
    expect(await cacheHits('ARG PIP_NO_CACHE_DIR=1', 'RUN pip install flask')).toEqual([]);
    const text = 'FROM python:3.12-slim AS a\nENV PIP_NO_CACHE_DIR=1\nFROM python:3.12-slim\nRUN pip install flask\nUSER 1\n';
    expect(only(await lint(text), 'package-cache-not-cleaned').map((f) => f.line)).toEqual([4]);
  });
});

describe('order matters: a clean before the install cleans nothing', () => {
  it.each([
    ['RUN yarn cache clean && yarn install', ['yarn']],
    ['RUN yarn install && yarn cache clean', []],
    ['RUN npm cache clean --force && npm ci', ['npm']],
    ['RUN pip cache purge && pip install flask', ['pip']],
    ['RUN pip install flask && pip cache purge', []],
    ['RUN rm -rf /var/lib/apt/lists/* && apt-get update && apt-get install -y --no-install-recommends curl', ['apt']],
    ['RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*', []],
    ['RUN yum clean all && yum install -y curl', ['yum']],
    ['RUN zypper clean && zypper install -y curl', ['zypper']],
    ['RUN npm ci && npm cache clean --force && npm install -g pm2', ['npm']]
  ])('%s → %j', async (run, expected) => {
    expect(await cacheHits(run)).toEqual(expected);
  });
});

describe('not a Dockerfile', () => {
  it.each([
    ['empty', ''],
    ['only comments', '# nothing here\n\n'],
    ['no FROM', 'RUN echo hi\nCMD ["sh"]\n'],
    ['only ARG', 'ARG X=1\n'],
    ['binary garbage', '\u0000\u0001\u0002ELF\u0000\u0000garbage\n'],
    ['unknown instruction', 'FROM alpine:3.20\nRUNN echo hi\n'],
    ['a shell script', '#!/bin/sh\nset -e\necho hello\n']
  ])('%s is a UserError saying BuildKit cannot build it', async (_name, text) => {
    await expect(lint(text)).rejects.toMatchObject({ name: 'UserError', message: expect.stringContaining('is not a Dockerfile BuildKit can build') });
  });

  it('ARG before FROM and parser directives are fine', async () => {
    await expect(lint('# syntax=docker/dockerfile:1\nARG V=3.20\nFROM alpine:${V}\nUSER 1\n')).resolves.toBeDefined();
  });
});

describe('ignore comments (hadolint compatible)', () => {
  const suppressed = (findings: Finding[], rule: string) => only(findings, rule).map((f) => [f.line, f.suppressed?.by ?? null]);

  it('`# hadolint ignore=` and `# image-audit ignore=` work on line 1', async () => {
    const h = await lint('# hadolint ignore=DL3007\nFROM node:latest\nUSER 1\n');
    expect(suppressed(h, 'unpinned-base-image')).toEqual([[2, 'inline']]);
    const i = await lint('# image-audit ignore=unpinned-base-image\nFROM node:latest\nUSER 1\n');
    expect(suppressed(i, 'unpinned-base-image')).toEqual([[2, 'inline']]);
  });

  it('a trailing `# reason` after the rule list is allowed', async () => {
    const f = await lint('FROM debian:12-slim\n# image-audit ignore=package-cache-not-cleaned # lists are needed at run time\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nUSER 1\n');
    expect(suppressed(f, 'package-cache-not-cleaned')).toEqual([[3, 'inline']]);
  });

  it('a hadolint id suppresses only the hits it stands for', async () => {
    const f = await lint('FROM debian:12-slim\n# hadolint ignore=DL3009\nRUN apt-get update && apt-get install -y --no-install-recommends python3-pip && pip install flask\nUSER 1\n');
    expect(only(f, 'package-cache-not-cleaned').map((x) => [x.details?.manager, x.suppressed?.by ?? null])).toEqual([
      ['apt', 'inline'],
      ['pip', null]
    ]);
  });

  it('`# image-audit global ignore=` and `# hadolint global ignore=` apply to the whole file', async () => {
    const text = 'FROM node:latest AS a\n# image-audit global ignore=consecutive-run\nRUN a\nRUN b\n# hadolint global ignore=DL3007\nFROM node:latest\nRUN c\nRUN d\nUSER 1\n';
    const f = await lint(text);
    expect(suppressed(f, 'consecutive-run')).toEqual([[7, 'inline']]);
    expect(suppressed(f, 'unpinned-base-image')).toEqual([[1, 'inline'], [6, 'inline']]);
  });

  it('an ignore for another instruction does not leak', async () => {
    const f = await lint('# hadolint ignore=DL3007\nFROM node:latest AS a\nFROM node:latest\nUSER 1\n');
    expect(suppressed(f, 'unpinned-base-image')).toEqual([[2, 'inline'], [3, null]]);
  });
});
