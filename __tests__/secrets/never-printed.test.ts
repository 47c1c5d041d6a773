// Issue 9, "Secrets never printed", without Docker: inline Dockerfile secrets found before the build, history
// quotes redacted before they are cut, fingerprints that are no hash of the value, and no global mask for a
// low-confidence value.
import { describe, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import { defaultConfig } from '../../src/config/types.js';
import type { HistoryEntry, LayerReport } from '../../src/report/types.js';
import { createSecretScan, inlineDockerfileSecrets, isMaskable } from '../../src/secrets/index.js';
import { nodeRuntime } from '../../src/util/node-runtime.js';
import type { Logger, Runtime } from '../../src/util/runtime.js';
import { feedLayers, type FileSpec } from './layers.js';
import * as gen from './generate.js';

const quiet: Logger = { info: () => {}, debug: () => {}, warning: () => {}, group: (_n, fn) => fn() };
function runtime(): Runtime & { masked: string[] } {
  const masked: string[] = [];
  return { ...nodeRuntime({ logger: quiet }), maskSecret: (v) => masked.push(v), masked };
}

async function scan(steps: string[], layers: FileSpec[][] = steps.map(() => []), config = defaultConfig()) {
  const rt = runtime();
  const s = createSecretScan({ config, runtime: rt });
  await feedLayers(layers, s.subscriber);
  const history: HistoryEntry[] = steps.map((createdBy, i) => ({ createdBy, emptyLayer: false, layer: i }));
  const layerReports: LayerReport[] = steps.map((c, index) => ({
    index,
    diffId: `sha256:${index}`,
    size: 0,
    compressedSize: 0,
    createdBy: c,
    fromBase: index === 0
  }));
  return { findings: s.findings({ image: { history }, layers: layerReports }), rt, scan: s };
}

describe('inline Dockerfile secrets, before the build', () => {
  test('a token in RUN, an ENV value and an ARG default are found and maskable; references are not', () => {
    const npm = gen.npmToken();
    const gh = gen.githubClassicToken();
    const pw = gen.password(12);
    const found = inlineDockerfileSecrets(
      [
        'FROM busybox',
        `ARG DB_PASSWORD=${pw}`,
        `ENV GITHUB_TOKEN=${gh} \\`,
        '    MODE=prod',
        `RUN echo "//registry/:_authToken=${npm}" > /root/.npmrc`,
        'ARG NPM_TOKEN',
        'RUN echo "//registry/:_authToken=${NPM_TOKEN}" > /root/.npmrc',
        'ENV API_KEY_FILE=/run/secrets/key'
      ].join('\n')
    );
    const values = found.map((f) => f.value).sort();
    expect(values).toEqual([npm, gh, pw].sort());
    expect(found.every(isMaskable)).toBe(true);
    expect(found.find((f) => f.value === npm)).toMatchObject({ line: 5, masked: `npm_…${npm.slice(-2)}` });
  });

  test('registerInline tells the host before anything else and masks the report', async () => {
    const gh = gen.githubClassicToken();
    const rt = runtime();
    const s = createSecretScan({ config: defaultConfig(), runtime: rt });
    s.registerInline(inlineDockerfileSecrets(`FROM x\nENV GITHUB_TOKEN=${gh}\nRUN echo postgres://postgres:postgres@db/app\n`));
    expect(rt.masked).toEqual([gh]);
    expect(s.redactions.map((r) => r.value)).toEqual([gh]);
  });
});

describe('history quotes', () => {
  test('a long RUN is redacted before it is cut: no prefix of the token survives in the message', async () => {
    const token = gen.githubClassicToken();
    // The token starts at column ~62, so an 80-character cut of the raw line would keep its first 18 characters.
    const createdBy = `RUN /bin/sh -c apt-get update && apt-get install -y git && git clone https://${token}@github.com/org/private-repo.git /src # buildkit`;
    const { findings } = await scan(['', createdBy]);
    expect(findings.length).toBeGreaterThan(0);
    const text = JSON.stringify(findings);
    expect(text).not.toContain(token.slice(0, 12));
    expect(findings[0].message).toContain('ghp_…');
  });
});

describe('fingerprints', () => {
  test('no unsalted hash of the value; stable across runs; differs by rule, location and mask', async () => {
    const pw = gen.password(9);
    const steps = ['', `RUN |1 DB_PASSWORD=${pw} /bin/sh -c ./migrate # buildkit`];
    const a = await scan(steps);
    const b = await scan(steps);
    const [fa] = a.findings;
    expect(fa.fingerprint).toBe(b.findings[0].fingerprint);
    const rawHash = createHash('sha256').update(`secret-history:history:arg:DB_PASSWORD:${pw}`).digest('hex');
    expect(fa.fingerprint).not.toBe(rawHash);
    // Nothing in the report lets a guess be checked: the fingerprint is the hash of what the report already shows.
    expect(fa.fingerprint).toBe(createHash('sha256').update(`secret-history:history:arg:DB_PASSWORD:${fa.masked}:${pw.length}`).digest('hex'));
    const other = await scan(['', `RUN |1 DB_PASSWORD=${gen.password(20)} /bin/sh -c ./migrate # buildkit`]);
    expect(other.findings[0].fingerprint).not.toBe(fa.fingerprint);
  });

  test('suppression by fingerprint keeps working', async () => {
    const token = gen.npmToken();
    const layers: FileSpec[][] = [[{ path: 'root/.npmrc', content: `//r/:_authToken=${token}\n` }]];
    const first = await scan(['COPY . / # buildkit'], layers);
    const fp = first.findings[0].fingerprint;
    const config = defaultConfig();
    config.secrets.suppressions = [{ fingerprint: fp, reason: 'test' }];
    const second = await scan(['COPY . / # buildkit'], layers, config);
    expect(second.findings[0].suppressed).toEqual({ by: 'fingerprint', reason: 'test' });
  });
});

describe('masks', () => {
  test('a default such as postgres:postgres is info, not registered, and does not mask the word elsewhere', async () => {
    const { findings, rt, scan: s } = await scan(['', 'RUN /bin/sh -c echo postgres://postgres:postgres@db:5432/app > /etc/db # buildkit']);
    const f = findings.find((x) => x.details?.detector === 'url-credentials');
    expect(f?.severity).toBe('info');
    expect(rt.masked).toEqual([]);
    expect(s.redactions).toEqual([]);
  });
});
