// Issue 10, point 3: one finding per secret. The seeds' incident built by the real engine — an npm token written
// inline in a RUN to /root/.npmrc and removed by a later RUN — is one finding listing its places (the file in
// its layer, the lint rule on the Dockerfile line), with the highest severity, a fingerprint that is stable
// across runs, and nothing that lets the value (or its identity) out of the process.
import { describe, expect, test } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseBuildInputs } from '../../src/build/inputs.js';
import { defaultConfig } from '../../src/config/types.js';
import { runAudit } from '../../src/pipeline/audit.js';
import type { Finding } from '../../src/report/types.js';
import { requireEngine } from '../helpers/engine.js';
import { capturingRuntime } from './fixtures.js';
import * as gen from './generate.js';

requireEngine();

function context(token: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ia-secrets-merge-'));
  writeFileSync(
    path.join(dir, 'Dockerfile'),
    [
      'FROM image-audit/busybox:latest',
      `RUN mkdir -p /root && echo "//registry.npmjs.org/:_authToken=${token}" > /root/.npmrc && echo installed > /root/done`,
      'RUN rm /root/.npmrc',
      'CMD ["sh"]',
      ''
    ].join('\n')
  );
  writeFileSync(path.join(dir, '.dockerignore'), 'Dockerfile\n');
  return dir;
}

async function audit(dir: string, tag: string) {
  const build = parseBuildInputs({ context: dir, tags: tag });
  return runAudit({ build, config: defaultConfig(), cwd: dir }, capturingRuntime());
}

describe('one finding per secret', () => {
  test('an npm token in a RUN line written to /root/.npmrc and removed later: one finding with its places', async () => {
    const token = gen.npmToken();
    const dir = context(token);
    const report = await audit(dir, 'secrets-merge-a');
    const ofToken = report.findings.filter((f: Finding) => f.category === 'secret' || f.rule === 'secret-in-run');
    expect(ofToken).toHaveLength(1);
    const [f] = ofToken;
    expect(f).toMatchObject({ rule: 'secret-file', severity: 'error', path: 'root/.npmrc', masked: `npm_…${token.slice(-2)}` });
    const dockerfile = path.join(dir, 'Dockerfile');
    const places = (f.places ?? []).map((p) => [p.rule, p.path ?? p.file, p.line]);
    // The file in its layer, the RUN command recorded in the history, and the lint rule on the same line.
    expect(places).toEqual([
      ['secret-file', 'root/.npmrc', 2],
      ['secret-history', dockerfile, 2],
      ['secret-in-run', dockerfile, 2]
    ]);
    expect(f.places?.[0]).toMatchObject({ layer: expect.any(Number), visibleInFinal: false, hiddenInLayer: expect.any(Number) });
    expect(f.message).toContain('also in the image history');
    const json = JSON.stringify(report);
    expect(json).not.toContain(token);
    expect(json).not.toContain(token.slice(4, 20));

    // The same Dockerfile built again (same value, new image): the same fingerprints.
    const again = await audit(dir, 'secrets-merge-b');
    const f2 = again.findings.find((x) => x.rule === 'secret-file')!;
    expect(f2.fingerprint).toBe(f.fingerprint);
    expect(f2.places?.map((p) => p.fingerprint)).toEqual(f.places?.map((p) => p.fingerprint));
  });

  test('a build arg used by several steps and written to a deleted file: history, file and lint merge, highest severity', async () => {
    const token = gen.githubClassicToken();
    const dir = mkdtempSync(path.join(tmpdir(), 'ia-secrets-merge-arg-'));
    writeFileSync(
      path.join(dir, 'Dockerfile'),
      ['FROM image-audit/busybox:latest', `ARG GH_TOKEN=${token}`, 'RUN mkdir -p /app && echo "$GH_TOKEN" > /app/token', 'RUN rm /app/token', ''].join('\n')
    );
    const report = await audit(dir, 'secrets-merge-arg');
    const ofToken = report.findings.filter((f) => f.masked?.startsWith('ghp_') || f.rule === 'secret-in-env-or-arg' || f.category === 'secret');
    expect(ofToken).toHaveLength(1);
    const rules = ofToken[0].places?.map((p) => p.rule).sort();
    expect(rules).toEqual(['secret-file', 'secret-history', 'secret-in-env-or-arg']);
    expect(ofToken[0].severity).toBe('error');
    expect(JSON.stringify(report)).not.toContain(token);
  });
});
