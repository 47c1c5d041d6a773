// Every rule: a Dockerfile in fixtures/lint/<rule>/bad that must fire it, one in …/good that must not.
import { describe, expect, it } from '@jest/globals';
import { lighterVariant, parseImageRef, toolchainKind } from '../../src/lint/images.js';
import { lintFixture, lintText, only } from './helpers.js';

const cases: { rule: string; bad: string[]; good: string[]; lines: number[] }[] = [
  { rule: 'final-stage-toolchain', bad: ['final-stage-toolchain/bad'], good: ['final-stage-toolchain/good'], lines: [1] },
  { rule: 'heavy-final-base', bad: ['heavy-final-base/bad'], good: ['heavy-final-base/good'], lines: [1] },
  { rule: 'deps-after-source', bad: ['deps-after-source/bad'], good: ['deps-after-source/good'], lines: [3] },
  { rule: 'package-cache-not-cleaned', bad: ['package-cache-not-cleaned/bad'], good: ['package-cache-not-cleaned/good'], lines: [2, 3, 4, 5] },
  { rule: 'apt-no-install-recommends', bad: ['apt-no-install-recommends/bad'], good: ['apt-no-install-recommends/good'], lines: [2] },
  { rule: 'cleanup-in-separate-layer', bad: ['cleanup-in-separate-layer/bad'], good: ['cleanup-in-separate-layer/good'], lines: [4] },
  { rule: 'consecutive-run', bad: ['consecutive-run/bad'], good: ['consecutive-run/good'], lines: [2] },
  { rule: 'missing-cache-mount', bad: ['missing-cache-mount/bad'], good: ['missing-cache-mount/good'], lines: [4] },
  { rule: 'secret-in-env-or-arg', bad: ['secret-in-env-or-arg/bad'], good: ['secret-in-env-or-arg/good'], lines: [1, 3, 7, 7] },
  { rule: 'copy-secret-file', bad: ['copy-secret-file/bad'], good: ['copy-secret-file/good'], lines: [3, 4, 5] },
  { rule: 'secret-file-removed-later', bad: ['secret-file-removed-later/bad'], good: ['secret-file-removed-later/good'], lines: [3] },
  { rule: 'final-stage-root', bad: ['final-stage-root/bad'], good: ['final-stage-root/good', 'final-stage-root/good-nonroot'], lines: [4] },
  { rule: 'final-stage-root', bad: ['final-stage-root/bad-explicit'], good: [], lines: [4] },
  { rule: 'unpinned-base-image', bad: ['unpinned-base-image/bad'], good: ['unpinned-base-image/good'], lines: [1, 3] },
  { rule: 'apt-update-alone', bad: ['apt-update-alone/bad'], good: ['apt-update-alone/good'], lines: [2] },
  { rule: 'missing-syntax-directive', bad: ['missing-syntax-directive/bad'], good: ['missing-syntax-directive/good'], lines: [2] },
  // dockerignore/none holds only sources: nothing to exclude, so nothing is reported (issue 10, point 7).
  { rule: 'missing-dockerignore', bad: ['dockerignore/with-deps'], good: ['dockerignore/complete', 'dockerignore/partial', 'dockerignore/none'], lines: [3] }
];

describe.each(cases)('$rule', ({ rule, bad, good, lines }) => {
  it.each(bad)('fires on %s at the expected lines', async (dir) => {
    const hits = only(await lintFixture(dir), rule);
    expect(hits.map((f) => f.line)).toEqual(lines);
    for (const f of hits) {
      expect(f.category).toBe('lint');
      expect(f.message.length).toBeGreaterThan(20);
      expect(f.fingerprint).toMatch(/^[0-9a-f]{64}$/);
      expect(f.endLine).toBeGreaterThanOrEqual(f.line ?? 0);
    }
  });
  if (good.length > 0) {
    it.each(good)('stays quiet on %s', async (dir) => {
      expect(only(await lintFixture(dir), rule)).toEqual([]);
    });
  }
});

describe('rule details', () => {
  it('package-cache-not-cleaned names each package manager once per RUN', async () => {
    const hits = only(await lintFixture('package-cache-not-cleaned/bad'), 'package-cache-not-cleaned');
    expect(hits.map((f) => f.details?.manager)).toEqual(['apt', 'pip', 'apk', 'npm']);
    expect(new Set(hits.map((f) => f.fingerprint)).size).toBe(4);
  });

  it('secret-in-env-or-arg is an error in the shipped stage and a warning in build stages', async () => {
    const hits = only(await lintFixture('secret-in-env-or-arg/bad'), 'secret-in-env-or-arg');
    expect(hits.map((f) => [f.line, f.details?.name, f.severity])).toEqual([
      [1, 'GLOBAL_API_KEY', 'warning'],
      [3, 'NPM_TOKEN', 'warning'],
      [7, 'GITHUB_TOKEN', 'error'],
      [7, 'dbPassword', 'error']
    ]);
    // The range is the property, not the whole ENV line.
    expect(hits[3].column).toBeGreaterThan(hits[2].column ?? 0);
    expect(hits[3].message).not.toContain('changeme');
  });

  it('final-stage-toolchain follows FROM <stage> back to the image', async () => {
    const [hit] = only(await lintFixture('final-stage-toolchain/bad'), 'final-stage-toolchain');
    expect(hit.message).toContain('golang:1.22');
    expect([hit.line, hit.column, hit.endColumn]).toEqual([1, 6, 17]);
  });

  it('consecutive-run spans the whole group', async () => {
    const [hit] = only(await lintFixture('consecutive-run/bad'), 'consecutive-run');
    expect([hit.line, hit.endLine]).toEqual([2, 4]);
    expect(hit.message).toContain('3 consecutive RUN');
  });

  it('deps-after-source points at the COPY and names the install line', async () => {
    const [hit] = only(await lintFixture('deps-after-source/bad'), 'deps-after-source');
    expect(hit.details).toMatchObject({ installLine: 4, manager: 'pip' });
  });

  it('copy-secret-file ignores public keys, CA bundles and example env files', async () => {
    const hits = only(await lintFixture('copy-secret-file/bad'), 'copy-secret-file');
    expect(hits.map((f) => f.details?.source)).toEqual(['.npmrc', 'config/id_ed25519', 'certs/server.key']);
  });

  it('copy-secret-file trusts a destination that names a public key (jenkins-docker copies its signing key)', async () => {
    const text = [
      'FROM debian:bookworm-slim',
      'COPY jenkins.io-2026.key /war/jenkins-key.pub',
      'COPY repo.key /etc/apt/keyrings/',
      'COPY signing.key /etc/pki/rpm-gpg/RPM-GPG-KEY-app',
      'COPY tls.key /etc/ssl/private/tls.key',
      'USER nobody',
      ''
    ].join('\n');
    const hits = only(await lintText(text), 'copy-secret-file');
    expect(hits.map((f) => f.details?.source)).toEqual(['tls.key']);
  });
});

describe('base image knowledge', () => {
  it.each([
    ['golang:1.22', true],
    ['rust:1.79-slim', true],
    ['maven:3.9-eclipse-temurin-21', true],
    ['eclipse-temurin:21-jdk', true],
    ['eclipse-temurin:21-jre', false],
    ['mcr.microsoft.com/dotnet/sdk:8.0', true],
    ['mcr.microsoft.com/dotnet/aspnet:8.0', false],
    ['gcc:14', true],
    ['buildpack-deps:bookworm', true],
    ['node:20', false],
    ['gcr.io/distroless/java21-debian12', false]
  ])('toolchainKind(%s) is set: %s', (image, expected) => {
    expect(toolchainKind(parseImageRef(image)!) !== undefined).toBe(expected);
  });

  it.each([
    ['node:20', true],
    ['python:3.11', true],
    ['python:3.11-slim', false],
    ['node:20-alpine', false],
    ['debian:bookworm', true],
    ['debian:bookworm-slim', false],
    ['ghcr.io/acme/node:20', false],
    ['alpine:3.20', false]
  ])('lighterVariant(%s) is set: %s', (image, expected) => {
    expect(lighterVariant(parseImageRef(image)!) !== undefined).toBe(expected);
  });
});
