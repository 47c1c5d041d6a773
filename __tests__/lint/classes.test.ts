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
    const f = await lint(
      'FROM debian:12-slim\n# image-audit ignore=package-cache-not-cleaned # lists are needed at run time\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nUSER 1\n'
    );
    expect(suppressed(f, 'package-cache-not-cleaned')).toEqual([[3, 'inline']]);
  });

  it('a hadolint id suppresses only the hits it stands for', async () => {
    const f = await lint(
      'FROM debian:12-slim\n# hadolint ignore=DL3009\nRUN apt-get update && apt-get install -y --no-install-recommends python3-pip && pip install flask\nUSER 1\n'
    );
    expect(only(f, 'package-cache-not-cleaned').map((x) => [x.details?.manager, x.suppressed?.by ?? null])).toEqual([
      ['apt', 'inline'],
      ['pip', null]
    ]);
  });

  it('`# image-audit global ignore=` and `# hadolint global ignore=` apply to the whole file', async () => {
    const text =
      'FROM node:latest AS a\n# image-audit global ignore=consecutive-run\nRUN a\nRUN b\n# hadolint global ignore=DL3007\nFROM node:latest\nRUN c\nRUN d\nUSER 1\n';
    const f = await lint(text);
    expect(suppressed(f, 'consecutive-run')).toEqual([[7, 'inline']]);
    expect(suppressed(f, 'unpinned-base-image')).toEqual([
      [1, 'inline'],
      [6, 'inline']
    ]);
  });

  it('`# hadolint ignore=DL3059` above the second RUN (where hadolint reports it) suppresses the group', async () => {
    const f = await lint('FROM debian:12-slim\nRUN mkdir /a\n# hadolint ignore=DL3059\nRUN mkdir /b\nUSER 1\n');
    expect(suppressed(f, 'consecutive-run')).toEqual([[2, 'inline']]);
  });

  it('an ignore for another instruction does not leak', async () => {
    const f = await lint('# hadolint ignore=DL3007\nFROM node:latest AS a\nFROM node:latest\nUSER 1\n');
    expect(suppressed(f, 'unpinned-base-image')).toEqual([
      [2, 'inline'],
      [3, null]
    ]);
  });
});

describe('missing-cache-mount noise', () => {
  const mountHits = async (text: string) => only(await lint(text), 'missing-cache-mount').map((f) => [f.line, f.details?.manager, f.details?.targets]);

  it('never repeats package-cache-not-cleaned on the same line', async () => {
    const findings = await lint('FROM python:3.12-slim\nRUN pip install flask\nRUN npm ci\nUSER 1\n');
    expect(only(findings, 'package-cache-not-cleaned').map((f) => f.line)).toEqual([2, 3]);
    expect(only(findings, 'missing-cache-mount')).toEqual([]);
  });

  it('fires in a build stage, where package-cache-not-cleaned does not', async () => {
    expect(await mountHits('FROM python:3.12 AS build\nRUN pip install flask\nFROM python:3.12-slim\nUSER 1\n')).toEqual([[2, 'pip', ['/root/.cache/pip']]]);
  });

  it.each([
    ['RUN pip install --no-cache-dir -r requirements.txt'],
    ['RUN PIP_NO_CACHE_DIR=1 pip install -r requirements.txt'],
    ['RUN pip install --no-index --find-links /wheels -r requirements.txt'],
    ['RUN npm ci --offline'],
    ['RUN --network=none npm ci'],
    ['RUN mvn -o package'],
    ['RUN cargo build --release --offline'],
    ['RUN composer install --no-cache'],
    ['RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt'],
    ['RUN --mount=type=tmpfs,target=/root/.cache/pip pip install -r requirements.txt']
  ])('a mount would not help: %s', async (run) => {
    expect(await mountHits(`FROM python:3.12 AS build\n${run}\nFROM scratch\nUSER 1\n`)).toEqual([]);
  });

  it.each([
    ['RUN go mod download', ['/go/pkg/mod']],
    ['RUN go build -o /app .', ['/root/.cache/go-build', '/go/pkg/mod']],
    ['RUN go mod download\nRUN go build -o /app .', ['/root/.cache/go-build']],
    ['RUN --mount=type=cache,target=/go/pkg/mod go build -o /app .', ['/root/.cache/go-build']],
    ['RUN go build -mod=vendor -o /app .', ['/root/.cache/go-build']],
    ['RUN npm ci && npm cache clean --force', ['/root/.npm']],
    ['RUN yarn install --frozen-lockfile && yarn cache clean', ['/usr/local/share/.cache/yarn']],
    ['RUN yarn install --immutable && yarn cache clean --all', ['/root/.yarn/berry/cache']],
    ['RUN mvn -B package', ['/root/.m2']],
    ['RUN poetry install --no-root', ['/root/.cache/pypoetry']]
  ])('names the right cache folder: %s', async (run, targets) => {
    const hits = await mountHits(`FROM golang:1.22 AS build\n${run}\nFROM scratch\nUSER 1\n`);
    expect(hits[hits.length - 1][2]).toEqual(targets);
    for (const t of targets)
      expect(only(await lint(`FROM golang:1.22 AS build\n${run}\nFROM scratch\nUSER 1\n`), 'missing-cache-mount').pop()?.message).toContain(`target=${t}`);
  });
});

describe('deps-after-source recognises more than COPY . .', () => {
  const depsHits = async (...lines: string[]) =>
    only(await lint(`FROM node:20 AS build\nWORKDIR /app\n${lines.join('\n')}\nFROM scratch\nUSER 1\n`), 'deps-after-source').map((f) => [
      f.line,
      f.details?.manager
    ]);

  it.each([
    [['COPY package.json package-lock.json ./', 'COPY src/ ./src/', 'RUN npm ci'], [[4, 'npm']]],
    [['COPY requirements.txt ./', 'COPY app/ /app/', 'RUN pip install -r requirements.txt'], [[4, 'pip']]],
    [['COPY *.py ./', 'RUN pip install -r requirements.txt'], [[3, 'pip']]],
    [['COPY . .', 'RUN make deps'], [[3, 'make deps']]],
    [['COPY . .', 'RUN go build -o /out/app .'], [[3, 'go']]],
    [['COPY go.mod go.sum ./', 'COPY . .', 'RUN go build -o /out/app .'], [[4, 'go']]],
    [['COPY pom.xml ./', 'COPY src ./src', 'RUN mvn -B package'], [[4, 'maven']]],
    [['COPY package.json ./', 'COPY . .', 'RUN npm ci'], [[4, 'npm']]]
  ])('%j → %j', async (lines, expected) => {
    expect(await depsHits(...lines)).toEqual(expected);
  });

  it.each([
    [['COPY package.json package-lock.json ./', 'RUN npm ci', 'COPY src/ ./src/', 'RUN npm run build']],
    [['COPY go.mod go.sum ./', 'RUN go mod download', 'COPY . .', 'RUN go build -o /out/app .']],
    [['COPY pom.xml ./', 'RUN mvn -B dependency:go-offline', 'COPY src ./src', 'RUN mvn -B -o package']],
    [['COPY requirements.txt ./', 'RUN pip install --no-cache-dir -r requirements.txt', 'COPY . .', 'RUN pip install --no-deps .']],
    [['COPY docker-entrypoint.sh /usr/local/bin/', 'COPY config/ /etc/app/', 'COPY package.json ./', 'RUN npm ci']],
    [['COPY patches/ ./patches/', 'COPY package.json package-lock.json ./', 'RUN npm ci', 'COPY . .']],
    [['COPY . .', 'RUN make build']],
    [['COPY . .', 'RUN go install golang.org/x/tools/cmd/goimports@latest']]
  ])('stays quiet on %j', async (lines) => {
    expect(await depsHits(...lines)).toEqual([]);
  });
});

describe('final-stage-root and heavy-final-base assert only what the image facts table knows', () => {
  const rootHits = async (text: string) => only(await lint(text), 'final-stage-root');

  it.each([
    ['FROM registry.access.redhat.com/ubi8/openjdk-17:1.18\nCOPY app.jar /deployments/\n'],
    ['FROM gcr.io/distroless/static-debian12:nonroot\nCOPY app /app\n'],
    ['FROM cgr.dev/chainguard/node:latest\nCOPY . /app\n'],
    ['FROM bitnami/nginx:1.25\nCOPY site /app\n'],
    ['FROM postgres:16\nCOPY init.sql /docker-entrypoint-initdb.d/\n'],
    ['FROM mcr.microsoft.com/dotnet/aspnet:8.0-jammy-chiseled\nCOPY out /app\n'],
    ['FROM nginxinc/nginx-unprivileged:1.25-alpine\nCOPY site /usr/share/nginx/html\n']
  ])('a base known to run as another user is not flagged: %s', async (text) => {
    expect(await rootHits(text)).toEqual([]);
  });

  it('a base known to run as root is a fact; an unknown base "may" run as root', async () => {
    const [known] = await rootHits('FROM node:20-slim\nCOPY . /app\n');
    expect(known.message).toContain('runs as root (the default user of node:20-slim)');
    const [unknown] = await rootHits('FROM ghcr.io/acme/base:1.4\nCOPY . /app\n');
    expect(unknown.message).toContain('may be root');
    expect(unknown.message).not.toContain('runs as root');
  });

  it('an entrypoint that drops privileges counts, until the Dockerfile replaces what it runs', async () => {
    expect(await rootHits('FROM redis:7\nCOPY redis.conf /usr/local/etc/redis/\n')).toEqual([]);
    const [hit] = await rootHits('FROM redis:7\nENTRYPOINT ["/start.sh"]\n');
    expect(hit.message).toContain('may now run as root');
  });

  const heavy = async (text: string) => only(await lint(`${text}\nUSER 1\n`), 'heavy-final-base').map((f) => f.message);

  it.each([
    ['FROM php:8.3-apache'],
    ['FROM wordpress:6.5'],
    ['FROM ubuntu:24.04'],
    ['FROM ghcr.io/acme/node:20'],
    ['FROM node:20-alpine'],
    ['FROM python:3.12-slim-bookworm']
  ])('no lighter drop-in is claimed for %s', async (from) => {
    expect(await heavy(from)).toEqual([]);
  });

  it.each([
    ['FROM php:8.3-cli', 'php:<version>-cli-alpine'],
    ['FROM php:8.3-fpm', 'fpm-alpine'],
    ['FROM python:3.12-bookworm', 'python:<version>-slim'],
    ['FROM registry.example.com/mirror/library/node:20', 'node:<version>-slim'],
    ['FROM public.ecr.aws/docker/library/python:3.12', 'python:<version>-slim']
  ])('%s suggests %s', async (from, variant) => {
    const [message] = await heavy(from);
    expect(message).toContain(variant);
  });

  it('mirrors of official images are the official image (toolchains too)', async () => {
    const f = await lint('FROM registry.example.com/mirror/library/golang:1.22\nRUN go version\nUSER 1\n');
    expect(only(f, 'final-stage-toolchain')).toHaveLength(1);
    expect(only(await lint('FROM registry.example.com/mirror/library/node:20\nUSER 1\n'), 'final-stage-root')).toEqual([]);
    expect(only(await lint('FROM registry.example.com/mirror/library/node:20\n'), 'final-stage-root')[0].message).toContain('runs as root');
  });
});

describe('classes found with the corpus', () => {
  it.each([
    ['RUN conda install -y numpy', ['conda']],
    ['RUN conda install -y numpy && conda clean -afy', []],
    ['RUN micromamba install -y -n base python=3.12 && micromamba clean --all --yes', []],
    ['RUN mamba env create -f environment.yml', ['conda']]
  ])('conda/mamba caches: %s → %j', async (run, expected) => {
    expect(await cacheHits(run)).toEqual(expected);
  });

  it('a cache moved by an environment variable is found where it went', async () => {
    expect(await cacheHits('ENV PIP_CACHE_DIR=/tmp/pip-cache', 'RUN pip install flask && rm -rf /tmp/pip-cache')).toEqual([]);
    const mount = only(
      await lint('FROM python:3.12 AS b\nENV UV_CACHE_DIR=/opt/uv-cache\nRUN --mount=type=cache,target=/opt/uv-cache uv sync\nFROM scratch\nUSER 1\n'),
      'missing-cache-mount'
    );
    expect(mount).toEqual([]);
  });

  const depsHits = async (...lines: string[]) =>
    only(await lint(`FROM rust:1.79 AS base\nWORKDIR /app\n${lines.join('\n')}\nFROM scratch\nUSER 1\n`), 'deps-after-source').map((f) => f.line);

  it('cargo-chef cook is a dependency layer; a stage inherits its parent’s; COPY --from brings prepared dependencies', async () => {
    expect(await depsHits('COPY recipe.json .', 'RUN cargo chef cook --release --recipe-path recipe.json', 'COPY . .', 'RUN cargo build --release')).toEqual(
      []
    );
    expect(await depsHits('COPY . .', 'RUN cargo build --release')).toEqual([3]);
    expect(await depsHits('COPY go.mod go.sum ./', 'RUN go mod download', 'FROM base AS build', 'COPY . .', 'RUN go build -o /app .')).toEqual([]);
    expect(await depsHits('COPY --from=deps /go/pkg/mod /go/pkg/mod', 'COPY . .', 'RUN go build -o /app .')).toEqual([]);
  });

  it('scripts copied into a bin folder are not application source', async () => {
    expect(await depsHits('COPY docker-php-source /usr/local/bin/', 'COPY requirements.txt .', 'RUN pip install -r requirements.txt')).toEqual([]);
  });
});

describe('deps-after-source precision', () => {
  const hits = async (...lines: string[]) =>
    only(await lint(`FROM node:20 AS b\nWORKDIR /app\n${lines.join('\n')}\nFROM scratch\nUSER 1\n`), 'deps-after-source').map((f) => f.line);

  it('one named file is not the source tree; a glob of code files is', async () => {
    expect(await hits('COPY Gemfile Gemfile.lock ./', 'COPY lib/app/version.rb lib/app/', 'RUN bundle install')).toEqual([]);
    expect(await hits('COPY rollup.config.mjs package.json package-lock.json ./', 'RUN npm ci')).toEqual([]);
    expect(await hits('COPY src/*.ts src/', 'RUN npm ci')).toEqual([3]);
  });

  it('folders copied after a workspace manifest are workspace packages the install needs', async () => {
    expect(
      await hits(
        'COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./',
        'COPY viz-lib ./viz-lib',
        'RUN pnpm install --frozen-lockfile',
        'COPY client ./client'
      )
    ).toEqual([]);
    expect(await hits('COPY package.json pnpm-lock.yaml ./', 'COPY viz-lib ./viz-lib', 'RUN pnpm install --frozen-lockfile')).toEqual([4]);
  });

  it('`yarn --version` installs nothing', async () => {
    expect(only(await lint('FROM node:20 AS b\nRUN yarn --version\nFROM scratch\nUSER 1\n'), 'missing-cache-mount')).toEqual([]);
  });
});

describe('classes found with the second corpus batch', () => {
  it.each([
    ['RUN apk update && apk add --no-cache curl', ['apk']],
    ['RUN apk update --quiet && apk add -q --no-cache curl && rm -rf /var/cache/apk/*', []],
    ['RUN apk upgrade', ['apk']],
    ['RUN apk --no-cache upgrade && apk add --no-cache curl', []],
    ['RUN apk add --update --no-cache curl', []]
  ])('apk update writes the index whatever a later add does: %s → %j', async (run, expected) => {
    expect(await cacheHits(run)).toEqual(expected);
  });

  it('a global ARG default built from earlier ARGs is expanded before FROM reads it', async () => {
    const unpinned = async (text: string) => only(await lint(`${text}\nUSER 1\n`), 'unpinned-base-image').map((f) => [f.line, f.message]);
    const hits = await unpinned('ARG REGISTRY=quay.io\nARG OWNER=jupyter\nARG BASE=$REGISTRY/${OWNER}/minimal-notebook\nFROM $BASE');
    expect(hits).toEqual([[4, expect.stringContaining('FROM $BASE (quay.io/jupyter/minimal-notebook by default) has no tag')]]);
    expect(await unpinned('ARG REGISTRY=quay.io\nARG BASE=$REGISTRY/jupyter/minimal-notebook:2024-06-03\nFROM $BASE')).toEqual([]);
    expect(await unpinned('ARG BASE=$REGISTRY/jupyter/minimal-notebook\nFROM ${BASE}:2024-06-03')).toEqual([]);
  });

  it('deps-after-source: source a parent stage copied counts for an install in a stage built on it, reported once', async () => {
    const hits = async (text: string) => only(await lint(`${text}\nFROM nginx:1.27-alpine\nUSER 101\n`), 'deps-after-source').map((f) => f.line);
    const parent = 'FROM node:20-alpine AS app-base\nWORKDIR /app\nCOPY package.json yarn.lock ./\nCOPY src ./src';
    expect(await hits(`${parent}\nFROM app-base AS test\nRUN yarn install\nFROM app-base AS build\nRUN yarn install`)).toEqual([4]);
    expect(
      await hits(
        'FROM node:20-alpine AS app-base\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN yarn install\nCOPY src ./src\nFROM app-base AS test\nRUN yarn test'
      )
    ).toEqual([]);
    expect(await hits(`${parent}\nFROM app-base AS zip\nRUN apk add --no-cache zip`)).toEqual([]);
  });

  it('a glob named after a workspace manifest takes it along (`COPY go.* ./` copies go.work); `*.json` does not', async () => {
    const hits = async (...lines: string[]) =>
      only(await lint(`FROM golang:1.24-alpine AS b\nWORKDIR /src\n${lines.join('\n')}\nFROM scratch\nUSER 1\n`), 'deps-after-source').map((f) => f.line);
    expect(await hits('COPY go.* ./', 'COPY pkg/util/xorm pkg/util/xorm', 'COPY .citools/bra .citools/bra', 'RUN go mod download')).toEqual([]);
    expect(await hits('COPY go.mod go.sum ./', 'COPY pkg/util/xorm pkg/util/xorm', 'RUN go mod download')).toEqual([4]);
    expect(await hits('COPY *.json ./', 'COPY src ./src', 'RUN npm ci')).toEqual([4]);
  });

  it('bun install is a dependency install, with its cache in ~/.bun/install/cache', async () => {
    const rules = async (...lines: string[]) =>
      (await lint(`FROM oven/bun:1.2 AS b\nWORKDIR /app\n${lines.join('\n')}\nFROM scratch\nUSER 1\n`))
        .filter((f) => f.rule === 'deps-after-source' || f.rule === 'missing-cache-mount')
        .map((f) => [f.line, f.rule, f.details?.targets ?? f.details?.manager]);
    expect(await rules('COPY . .', 'RUN bun install')).toEqual([
      [3, 'deps-after-source', 'bun'],
      [4, 'missing-cache-mount', ['/root/.bun/install/cache']]
    ]);
    expect(
      await rules(
        'COPY package.json bun.lockb ./',
        'RUN --mount=type=cache,target=/root/.bun/install/cache bun install --frozen-lockfile',
        'COPY . .',
        'RUN bun run build'
      )
    ).toEqual([]);
    expect(await rules('COPY . .', 'RUN bun add -g typescript')).toEqual([[4, 'missing-cache-mount', ['/root/.bun/install/cache']]]);
  });

  it('gem install fetches gems like bundler does; a local .gem file fetches nothing', async () => {
    const mounts = async (run: string) =>
      only(await lint(`FROM ruby:3.3-alpine AS build\n${run}\nFROM scratch\nUSER 1\n`), 'missing-cache-mount').map((f) => f.details?.manager);
    expect(await mounts('RUN gem install bundler --version 2.5.0')).toEqual(['bundler']);
    expect(await mounts('RUN gem build app.gemspec && gem install ./app-*.gem --no-document')).toEqual([]);
    expect(await mounts('RUN gem install --local vendor/cache/rake.gem')).toEqual([]);
    expect(await mounts('RUN --mount=type=cache,target=/usr/local/bundle/cache gem install bundler')).toEqual([]);
  });
});

describe('classes found with the sixth corpus batch', () => {
  const rules = async (base: string, ...lines: string[]) =>
    (await lint(`FROM ${base} AS b\nWORKDIR /app\n${lines.join('\n')}\nFROM scratch\nUSER 1\n`))
      .filter((f) => f.rule === 'deps-after-source' || f.rule === 'missing-cache-mount')
      .map((f) => `${f.line} ${f.rule}`);

  it('`cargo +stable install x` is cargo install (rustup toolchain selector before the subcommand)', async () => {
    expect(await rules('rust:1.83-slim', 'RUN cargo +stable install cargo-llvm-cov --locked')).toEqual(['3 missing-cache-mount']);
    expect(await rules('rust:1.83-slim', 'RUN cargo +nightly --version')).toEqual([]);
  });

  it('`cargo vendor` and `go mod vendor` are dependency layers, like cargo fetch and go mod download', async () => {
    expect(
      await rules('rust:1.83-slim', 'COPY Cargo.toml Cargo.lock ./', 'RUN cargo vendor', 'COPY src src', 'FROM b AS test', 'RUN cargo test --no-run')
    ).toEqual(['4 missing-cache-mount']);
    expect(await rules('golang:1.24', 'COPY go.mod go.sum ./', 'RUN go mod vendor', 'COPY . .', 'RUN go build -o /app .')).toEqual([
      '4 missing-cache-mount',
      '6 missing-cache-mount'
    ]);
  });

  it('deps-after-source: a build that mounts its download and build caches rebuilds only the application', async () => {
    const mounts = '--mount=type=cache,target=/usr/local/cargo/registry --mount=type=cache,target=/app/target';
    expect(await rules('rust:1.83-slim', 'COPY . .', `RUN ${mounts} cargo build --release`)).toEqual([]);
    // The registry alone: every dependency crate is compiled again after a source change.
    expect(await rules('rust:1.83-slim', 'COPY . .', 'RUN --mount=type=cache,target=/usr/local/cargo/registry cargo build --release')).toEqual([
      '3 deps-after-source'
    ]);
    expect(
      await rules('golang:1.24', 'COPY . .', 'RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build go build -o /app .')
    ).toEqual([]);
    // An install still reinstalls from its cache: that stays a finding.
    expect(await rules('node:22-slim', 'COPY . .', 'RUN --mount=type=cache,target=/root/.npm npm ci')).toEqual(['3 deps-after-source']);
  });
});
