// hadolint's own spec cases for the rules image-audit shares (fixtures/lint/hadolint/spec-cases.json, extracted
// verbatim from hadolint's test/Hadolint/Rule/*Spec.hs). Every case must agree, except the deliberate
// differences listed in docs/hadolint.md; those must still differ, so the document stays true.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { defaultConfig } from '../../src/config/types.js';
import { lintDockerfile } from '../../src/lint/index.js';
import type { Finding } from '../../src/report/types.js';
import { fixture, repoRoot } from '../helpers/engine.js';
import path from 'node:path';

interface SpecCase {
  hadolint: string;
  name: string;
  catches: boolean;
  dockerfile: string;
}

const spec = JSON.parse(readFileSync(fixture('lint', 'hadolint', 'spec-cases.json'), 'utf8')) as { cases: SpecCase[] };

const cacheOf = (manager: string) => (f: Finding) => f.rule === 'package-cache-not-cleaned' && f.details?.manager === manager;

/** Which of our findings stands for each hadolint rule. */
const MATCHERS: Record<string, (f: Finding) => boolean> = {
  DL3002: (f) => f.rule === 'final-stage-root',
  DL3006: (f) => f.rule === 'unpinned-base-image' && f.details?.reason === 'no-tag',
  DL3007: (f) => f.rule === 'unpinned-base-image' && f.details?.reason === 'latest',
  DL3009: cacheOf('apt'),
  DL3015: (f) => f.rule === 'apt-no-install-recommends',
  DL3019: cacheOf('apk'),
  DL3032: cacheOf('yum'),
  DL3036: cacheOf('zypper'),
  DL3040: cacheOf('dnf'),
  DL3042: cacheOf('pip'),
  DL3059: (f) => f.rule === 'consecutive-run',
  DL3060: cacheOf('yarn')
};

// Deliberate differences, each explained in docs/hadolint.md under the same heading: `hadolint id: case name`.
const DELIBERATE: Record<string, string> = {
  'DL3002: warns on multiple stages': 'Stage awareness',
  'DL3002: does not warn when switching in multiple stages': 'A stage that never sets USER',
  'DL3042: respect ENV PIP_NO_CACHE_DIR with falsy values': "pip's boolean semantics",
  'DL3042: respect RUN PIP_NO_CACHE_DIR=... with falsy values': "pip's boolean semantics",
  'DL3042: respect RUN export PIP_NO_CACHE_DIR=... with falsy values': "pip's boolean semantics"
};

/** hadolint lints fragments; BuildKit needs a FROM, so a fragment gets one (the case then has one stage). */
const asDockerfile = (text: string): string => (/^\s*from\s/im.test(text) ? text : `FROM debian:12\n${text}`);

async function ourVerdict(c: SpecCase): Promise<boolean> {
  const findings = await lintDockerfile({ dockerfile: 'Dockerfile', contents: asDockerfile(c.dockerfile), config: defaultConfig(), context: '/nonexistent' });
  return findings.some(MATCHERS[c.hadolint]);
}

describe('hadolint spec cases', () => {
  it('every shared case agrees, except the documented deliberate differences', async () => {
    const disagree: string[] = [];
    const stillDiffer: string[] = [];
    let agree = 0;
    for (const c of spec.cases) {
      const key = `${c.hadolint}: ${c.name}`;
      const same = (await ourVerdict(c)) === c.catches;
      if (same) agree++;
      if (DELIBERATE[key]) {
        if (same) stillDiffer.push(key);
      } else if (!same) disagree.push(`${key} (hadolint ${c.catches ? 'catches' : 'passes'}): ${JSON.stringify(c.dockerfile)}`);
    }
    process.stdout.write(`hadolint spec cases: ${agree} of ${spec.cases.length} agree\n`);
    expect(disagree).toEqual([]);
    // A documented difference that no longer differs must leave docs/hadolint.md.
    expect(stillDiffer).toEqual([]);
  });

  it('every deliberate difference is documented', () => {
    const doc = readFileSync(path.join(repoRoot, 'docs', 'hadolint.md'), 'utf8');
    for (const [key, heading] of Object.entries(DELIBERATE)) {
      expect(spec.cases.some((c) => `${c.hadolint}: ${c.name}` === key)).toBe(true);
      expect(doc).toContain(`### ${heading}`);
      expect(doc).toContain(key);
    }
  });

  it('covers every hadolint id our rules name', async () => {
    const { lintRules } = await import('../../src/lint/index.js');
    const named = new Set(lintRules.flatMap((r) => r.hadolint ?? []));
    for (const id of Object.keys(MATCHERS)) expect(named).toContain(id);
  });
});
