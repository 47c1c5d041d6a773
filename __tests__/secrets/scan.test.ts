// The scanner end to end without Docker: real tar archives (packed with tar-stream) streamed through the
// subscriber, plus history and config in the shapes `docker save` records them.
import { describe, expect, jest, test } from '@jest/globals';
import { defaultConfig, type AuditConfig } from '../../src/config/types.js';
import type { Finding, HistoryEntry, LayerReport } from '../../src/report/types.js';
import { createSecretScan, redactReport, type SecretScanAnalysis } from '../../src/secrets/index.js';
import { nodeRuntime } from '../../src/util/node-runtime.js';
import type { Logger, Runtime } from '../../src/util/runtime.js';
import { feedLayers, type FileSpec } from './layers.js';
import * as gen from './generate.js';

function testRuntime(): Runtime & { masked: string[]; warnings: string[] } {
  const warnings: string[] = [];
  const masked: string[] = [];
  const log: Logger = { info: () => {}, debug: () => {}, warning: (m) => warnings.push(m), group: (_n, fn) => fn() };
  return { ...nodeRuntime({ logger: log }), maskSecret: (v) => masked.push(v), masked, warnings };
}

function layerReports(createdBy: string[]): LayerReport[] {
  return createdBy.map((c, index) => ({ index, diffId: `sha256:${index}`, size: 0, compressedSize: 0, createdBy: c, fromBase: index === 0 }));
}

async function scan(layers: FileSpec[][], steps: string[], extra: Partial<SecretScanAnalysis> = {}, config: AuditConfig = defaultConfig()) {
  const runtime = testRuntime();
  const s = createSecretScan({ config, runtime, now: new Date('2025-06-01T00:00:00Z') });
  await feedLayers(layers, s.subscriber);
  const history: HistoryEntry[] = steps.map((createdBy, i) => ({ createdBy, emptyLayer: false, layer: i }));
  const findings = s.findings({ image: { history, ...extra.image }, layers: layerReports(steps), ...extra });
  return { findings, runtime, scan: s };
}

describe('files in layers', () => {
  test('an .npmrc added in one RUN and deleted in the next: added by X, hidden by Y, not visible', async () => {
    const token = gen.npmToken();
    const steps = ['', 'RUN /bin/sh -c echo "//registry.npmjs.org/:_authToken=$T" > /root/.npmrc # buildkit', 'RUN /bin/sh -c rm /root/.npmrc # buildkit'];
    const { findings, runtime } = await scan(
      [
        [{ path: 'etc/hostname', content: 'box\n' }],
        [
          { path: 'root/', type: 'directory' },
          { path: 'root/.npmrc', content: `//registry.npmjs.org/:_authToken=${token}\n` }
        ],
        [{ path: 'root/.wh..npmrc', content: '' }]
      ],
      steps
    );
    expect(findings).toHaveLength(1);
    const [f] = findings;
    expect(f).toMatchObject({ rule: 'secret-file', category: 'secret', severity: 'error', path: 'root/.npmrc', layer: 1, masked: `npm_…${token.slice(-2)}` });
    expect(f.details).toMatchObject({
      detector: 'npm-token',
      addedInLayer: 1,
      hiddenInLayer: 2,
      how: 'deleted',
      visibleInFinal: false,
      addedBy: steps[1],
      hiddenBy: steps[2],
      line: 1
    });
    expect(f.message).toContain('RUN rm /root/.npmrc');
    expect(f.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(runtime.masked).toEqual([token]);
    expect(JSON.stringify(findings)).not.toContain(token);
  });

  test('a key overwritten later, a key hidden by an opaque directory, a key still visible', async () => {
    const [k1, k2, k3] = [gen.privateKeyPem('ec'), gen.privateKeyPem('ed25519'), gen.privateKeyPem('ec')];
    const { findings } = await scan(
      [
        [
          { path: 'app/id_ed25519', content: k1 },
          { path: 'keys/a.pem', content: k2 },
          { path: 'srv/tls.key', content: k3 }
        ],
        [
          { path: 'app/id_ed25519', content: 'replaced\n' },
          { path: 'keys/.wh..wh..opq', content: '' }
        ]
      ],
      ['COPY . / # buildkit', 'RUN /bin/sh -c fix # buildkit']
    );
    const byPath = Object.fromEntries(findings.map((f) => [f.path, f.details]));
    expect(byPath['app/id_ed25519']).toMatchObject({ visibleInFinal: false, hiddenInLayer: 1, how: 'overwritten' });
    expect(byPath['keys/a.pem']).toMatchObject({ visibleInFinal: false, hiddenInLayer: 1, how: 'opaque' });
    expect(byPath['srv/tls.key']).toMatchObject({ visibleInFinal: true });
    for (const f of findings) expect(f.masked).toMatch(/^-----BEGIN [A-Z ]*PRIVATE KEY-----…$/);
  });

  test('the same secret copied into two layers is one finding listing both', async () => {
    const t = gen.githubClassicToken();
    const { findings } = await scan(
      [[{ path: 'app/token', content: t }], [{ path: 'app/token', content: t }]],
      ['COPY token /app/ # buildkit', 'COPY token /app/ # buildkit']
    );
    expect(findings).toHaveLength(1);
    expect(findings[0].details).toMatchObject({ addedInLayer: 0, alsoInLayers: [1], visibleInFinal: true });
  });

  test('binary files, vendor trees, oversize files and allowPaths are not read', async () => {
    const t = gen.githubClassicToken();
    const config = defaultConfig();
    config.secrets.allowPaths = ['opt/fixtures/**'];
    const { findings } = await scan(
      [
        [
          { path: 'app/bin/tool', content: Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0]), Buffer.from(t)]) },
          { path: 'usr/share/doc/x/README', content: t },
          { path: 'app/node_modules/pkg/test/fixture.txt', content: t },
          { path: 'usr/lib/python3.11/test/keycert.pem', content: gen.privateKeyPem('ec') },
          { path: 'app/big.log', content: `${'a'.repeat(300 * 1024)}\n${t}` },
          { path: 'opt/fixtures/token.txt', content: t },
          { path: 'app/logo.png', content: t }
        ]
      ],
      ['COPY . / # buildkit'],
      {},
      config
    );
    expect(findings).toEqual([]);
  });

  test('credential files are read even in vendor trees', async () => {
    const t = gen.npmToken();
    const { findings } = await scan([[{ path: 'usr/lib/node_modules/.npmrc', content: `_authToken=${t}` }]], ['COPY . / # buildkit']);
    expect(findings.map((f) => f.path)).toEqual(['usr/lib/node_modules/.npmrc']);
  });

  test('uses the analysis file index when it has one', async () => {
    const t = gen.npmToken();
    const calls: [string, number][] = [];
    const files = { lookup: (p: string, l: number) => (calls.push([p, l]), { visibleInFinal: false, hiddenInLayer: 5, how: 'deleted' as const }) };
    const { findings } = await scan([[{ path: 'x/.npmrc', content: `_authToken=${t}` }]], ['COPY . / # buildkit'], { files });
    expect(calls).toEqual([['x/.npmrc', 0]]);
    expect(findings[0].details).toMatchObject({ hiddenInLayer: 5, visibleInFinal: false });
  });
});

describe('history and config', () => {
  test('a build arg recorded in every RUN is one secret-history finding with all steps', async () => {
    const token = gen.npmToken();
    const steps = ['ARG NPM_TOKEN', `RUN |1 NPM_TOKEN=${token} /bin/sh -c npm ci # buildkit`, `RUN |1 NPM_TOKEN=${token} /bin/sh -c npm run build # buildkit`];
    const runtime = testRuntime();
    const s = createSecretScan({ config: defaultConfig(), runtime });
    const history: HistoryEntry[] = [
      { createdBy: steps[0], emptyLayer: true },
      { createdBy: steps[1], emptyLayer: false, layer: 0 },
      { createdBy: steps[2], emptyLayer: false, layer: 1 }
    ];
    const findings = s.findings({ image: { history }, layers: layerReports(steps.slice(1)) });
    expect(findings).toHaveLength(1);
    const [f] = findings;
    expect(f).toMatchObject({ rule: 'secret-history', severity: 'error', layer: 0, masked: `npm_…${token.slice(-2)}` });
    expect(f.details).toMatchObject({ detector: 'npm-token', location: 'history:arg:NPM_TOKEN', steps: [1, 2] });
    expect(f.message).toContain('build arg NPM_TOKEN');
    expect(f.message).toContain('2 steps');
    expect(JSON.stringify(f)).not.toContain(token);
    expect(runtime.masked).toEqual([token]);
  });

  test('the fingerprint does not depend on the step index', async () => {
    const pw = gen.password();
    const run = (steps: string[]) =>
      createSecretScan({ config: defaultConfig(), runtime: testRuntime() }).findings({
        image: { history: steps.map((createdBy) => ({ createdBy, emptyLayer: false })) },
        layers: []
      })[0].fingerprint;
    const a = run(['ARG DB_PASSWORD', `RUN |1 DB_PASSWORD=${pw} /bin/sh -c migrate # buildkit`]);
    const b = run(['RUN /bin/sh -c apk add x # buildkit', 'ARG DB_PASSWORD', `RUN |1 DB_PASSWORD=${pw} /bin/sh -c migrate # buildkit`]);
    expect(a).toBe(b);
  });

  test('name-based build args: any literal value; placeholders and non-secret names are ignored', async () => {
    const pw = gen.password(9);
    const history: HistoryEntry[] = [
      `RUN |4 DB_PASSWORD=${pw} API_KEY=changeme TOKEN_FILE=/run/secrets/t VERSION=1.2.3 /bin/sh -c x # buildkit`,
      `RUN |1 GH_TOKEN=\${GH_TOKEN} /bin/sh -c y # buildkit`
    ].map((createdBy) => ({ createdBy, emptyLayer: false }));
    const findings = createSecretScan({ config: defaultConfig(), runtime: testRuntime() }).findings({ image: { history }, layers: [] });
    expect(findings.map((f) => [f.severity, f.details?.detector, f.details?.location, f.masked])).toEqual([
      ['warning', 'secret-name', 'history:arg:DB_PASSWORD', '…']
    ]);
  });

  test('inline tokens in RUN commands', async () => {
    const t = gen.githubClassicToken();
    const history = [{ createdBy: `RUN /bin/sh -c git clone https://x:${t}@github.com/o/r # buildkit`, emptyLayer: false }];
    const [f] = createSecretScan({ config: defaultConfig(), runtime: testRuntime() }).findings({ image: { history }, layers: [] });
    expect(f.details).toMatchObject({ detector: 'github-classic', location: 'history:run:github-classic' });
  });

  test('ENV with AWS keys: reported on the config (with the step that set it), not twice', async () => {
    const id = gen.awsAccessKeyId();
    const key = gen.awsSecretAccessKey();
    const history: HistoryEntry[] = [
      { createdBy: `ENV AWS_ACCESS_KEY_ID=${id} AWS_SECRET_ACCESS_KEY=${key}`, emptyLayer: true },
      { createdBy: 'LABEL maintainer=me', emptyLayer: true }
    ];
    const config = { env: ['PATH=/usr/bin:/bin', `AWS_ACCESS_KEY_ID=${id}`, `AWS_SECRET_ACCESS_KEY=${key}`], labels: { maintainer: 'me' }, cmd: ['sh'] };
    const findings = createSecretScan({ config: defaultConfig(), runtime: testRuntime() }).findings({ image: { history, config }, layers: [] });
    expect(findings.map((f) => [f.rule, f.details?.detector, f.details?.location, f.details?.steps])).toEqual([
      ['secret-config', 'aws-access-key-id', 'config:Env:AWS_ACCESS_KEY_ID', [0]],
      ['secret-config', 'aws-secret-access-key', 'config:Env:AWS_SECRET_ACCESS_KEY', [0]]
    ]);
    expect(findings[0].masked).toBe(`AKIA…${id.slice(-2)}`);
    expect(JSON.stringify(findings)).not.toContain(key);
  });

  test('an ENV later overridden is still in history', async () => {
    const pw = gen.password();
    const history: HistoryEntry[] = [
      { createdBy: `ENV ADMIN_PASSWORD=${pw}`, emptyLayer: true },
      { createdBy: 'ENV ADMIN_PASSWORD=', emptyLayer: true }
    ];
    const findings = createSecretScan({ config: defaultConfig(), runtime: testRuntime() }).findings({
      image: { history, config: { env: ['ADMIN_PASSWORD='] } },
      layers: []
    });
    expect(findings.map((f) => [f.rule, f.details?.location])).toEqual([['secret-history', 'history:env:ADMIN_PASSWORD']]);
  });

  test('labels and command options', async () => {
    const key = gen.stripeLiveKey();
    const pw = gen.password();
    const config = { labels: { 'com.example.api-key': key }, cmd: ['server', `--db-password=${pw}`] };
    const findings = createSecretScan({ config: defaultConfig(), runtime: testRuntime() }).findings({ image: { history: [], config }, layers: [] });
    expect(findings.map((f) => [f.details?.detector, f.details?.location])).toEqual([
      ['stripe-live-key', 'config:Labels:com.example.api-key'],
      ['secret-name', 'config:Cmd:db-password']
    ]);
  });
});

describe('redaction', () => {
  test('redactReport masks values wherever they occur, keys included, and leaves the rest alone', async () => {
    const token = gen.npmToken();
    const pw = 'r00t!x';
    const steps = [`RUN |2 NPM_TOKEN=${token} DB_PASSWORD=${pw} /bin/sh -c npm ci # buildkit`];
    const runtime = testRuntime();
    const s = createSecretScan({ config: defaultConfig(), runtime });
    const history: HistoryEntry[] = [{ createdBy: steps[0], emptyLayer: false, layer: 0 }];
    const layers = layerReports(steps);
    layers[0].step = { instruction: `RUN npm ci # uses ${token}`, line: 3 };
    const findings = s.findings({ image: { history }, layers });
    const report = {
      image: { history, config: { env: [`NPM_TOKEN=${token}`], labels: { [token]: 'x' } } },
      layers,
      findings: [...findings, { rule: 'lint-x', message: `line mentions ${token}`, fingerprint: '0' }],
      other: `/root/${pw}x keeps a longer word`
    };
    const redacted = redactReport(report, s);
    const text = JSON.stringify(redacted);
    expect(text).not.toContain(token);
    expect(text).not.toContain(`=${pw} `);
    expect(redacted.image.history[0].createdBy).toBe(`RUN |2 NPM_TOKEN=npm_…${token.slice(-2)} DB_PASSWORD=… /bin/sh -c npm ci # buildkit`);
    expect(redacted.other).toBe(report.other);
    // The input is not modified.
    expect(report.image.history[0].createdBy).toBe(steps[0]);
  });
});

describe('suppressions', () => {
  async function withSuppressions(suppressions: AuditConfig['secrets']['suppressions']) {
    const t = gen.npmToken();
    const config = defaultConfig();
    config.secrets.suppressions = suppressions;
    return scan(
      [
        [
          { path: 'root/.npmrc', content: `_authToken=${t}` },
          { path: 'app/.env', content: `API_TOKEN=${gen.password()}` }
        ]
      ],
      ['COPY . / # buildkit'],
      {},
      config
    );
  }
  test('by fingerprint and by rule + path glob; the finding stays, marked', async () => {
    const first = await withSuppressions([]);
    const fp = first.findings.find((f) => f.path === 'root/.npmrc')!.fingerprint;
    // Fingerprints differ per value, so suppress by rule+path for the regenerated run.
    const { findings } = await withSuppressions([{ rule: 'secret-file', path: '/root/.npm*', reason: 'test registry' }, { fingerprint: fp }]);
    const byPath = Object.fromEntries(findings.map((f: Finding) => [f.path, f.suppressed]));
    expect(byPath['root/.npmrc']).toEqual({ by: 'rule-path', reason: 'test registry' });
    expect(byPath['app/.env']).toBeUndefined();
    const again = await withSuppressions([{ rule: 'secret-file', path: 'app/**' }]);
    expect(again.findings.find((f) => f.path === 'app/.env')?.suppressed).toEqual({ by: 'rule-path' });
  });
  test('expired suppressions do not apply and warn', async () => {
    const { findings, runtime } = await withSuppressions([{ rule: 'secret-file', path: '**', expires: '2025-01-31', reason: 'rotating' }]);
    expect(findings.every((f) => f.suppressed === undefined)).toBe(true);
    expect(runtime.warnings.join('\n')).toMatch(/expired on 2025-01-31/);
  });
  test('a suppression valid through its expiry day applies', async () => {
    const { findings } = await withSuppressions([{ rule: 'secret-file', path: '**', expires: '2025-06-01' }]);
    expect(findings.every((f) => f.suppressed?.by === 'rule-path')).toBe(true);
  });
  test('bad dates are a UserError with a fix', async () => {
    await expect(withSuppressions([{ rule: 'secret-file', expires: 'next week' }])).rejects.toThrow(/not a date[\s\S]*ISO date/);
  });
});

test('multi-line values are registered line by line too', async () => {
  const pem = gen.privateKeyPem('ec');
  const { runtime } = await scan([[{ path: 'k/id_rsa', content: pem }]], ['COPY . / # buildkit']);
  expect(runtime.masked[0]).toBe(pem.trim());
  expect(runtime.masked.length).toBeGreaterThan(2);
  jest.restoreAllMocks();
});

describe('build args before the build', () => {
  test('secret values by name or shape are listed for masking and masked in the logged argv', async () => {
    const { secretBuildArgValues, logSafeArgs } = await import('../../src/secrets/index.js');
    const npm = gen.npmToken();
    const pw = gen.password(10);
    const buildArgs = [`NPM_TOKEN=${npm}`, `DB_PASSWORD=${pw}`, 'APP_VERSION=1.2.3', 'API_KEY=${API_KEY}'];
    expect(secretBuildArgValues(buildArgs)).toEqual([npm, pw]);
    const argv = ['buildx', 'build', ...buildArgs.flatMap((a) => ['--build-arg', a]), `--build-arg=DB_PASSWORD=${pw}`, '.'];
    expect(logSafeArgs(argv)).toEqual([
      'buildx',
      'build',
      '--build-arg',
      `NPM_TOKEN=npm_…${npm.slice(-2)}`,
      '--build-arg',
      'DB_PASSWORD=…',
      '--build-arg',
      'APP_VERSION=1.2.3',
      '--build-arg',
      'API_KEY=${API_KEY}',
      '--build-arg=DB_PASSWORD=…',
      '.'
    ]);
  });
});
