// The scanner on real images: fixtures built with buildx from generated secrets, read through the real
// `docker save` stream. Expected layers/steps come from `docker image inspect` / the history, not constants.
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, test } from '@jest/globals';
import { redactReport, scanText } from '../../src/secrets/index.js';
import { maskFor } from '../../src/secrets/mask.js';
import { inspect, requireEngine } from '../helpers/engine.js';
import { buildSecretFixture, scanImage } from './fixtures.js';
import * as gen from './generate.js';

requireEngine();

/** Index (into RootFS layers) of the layer made by the first history step whose created_by matches. */
function layerOf(history: { createdBy: string; layer?: number }[], re: RegExp): number {
  const h = history.find((x) => re.test(x.createdBy));
  if (h?.layer === undefined) throw new Error(`no layer step matches ${re}`);
  return h.layer;
}

describe('clean bases have zero findings', () => {
  test.each(['image-audit/busybox:latest', 'image-audit/debian:bookworm'])('%s', async (ref) => {
    const { findings, analysis } = await scanImage(ref);
    expect(analysis.layers.length).toBe(inspect(ref).RootFS.Layers.length);
    expect(findings).toEqual([]);
  });
});

describe('npmrc written in one RUN and rm-ed in the next', () => {
  const token = gen.npmToken();
  let result: Awaited<ReturnType<typeof scanImage>>;
  beforeAll(async () => {
    const { tag } = buildSecretFixture('npmrc-deleted', { buildArgs: { NPM_TOKEN: token } });
    result = await scanImage(tag);
  });

  test('the file finding says which step added it, which step deleted it, and that it is not visible', () => {
    const { findings, analysis } = result;
    const history = analysis.image.history!;
    const added = layerOf(history, /_authToken/);
    const removed = layerOf(history, /rm \/root\/\.npmrc/);
    const file = findings.filter((f) => f.rule === 'secret-file');
    expect(file).toHaveLength(1);
    expect(file[0]).toMatchObject({ path: 'root/.npmrc', layer: added, severity: 'error', masked: `npm_…${token.slice(-2)}` });
    expect(file[0].details).toMatchObject({ detector: 'npm-token', addedInLayer: added, hiddenInLayer: removed, how: 'deleted', visibleInFinal: false });
    expect(file[0].message).toMatch(/deleted in layer \d+ by `RUN rm \/root\/\.npmrc`/);
  });

  test('the build arg is in the history of both RUN steps: one secret-history finding', () => {
    const hist = result.findings.filter((f) => f.rule === 'secret-history');
    const runSteps = result.analysis.image.history!.flatMap((h, i) => (h.createdBy.includes(`NPM_TOKEN=${token}`) ? [i] : []));
    expect(runSteps).toHaveLength(2);
    expect(hist).toHaveLength(1);
    expect(hist[0].details).toMatchObject({ location: 'history:arg:NPM_TOKEN', steps: runSteps, detector: 'npm-token' });
    expect(result.findings).toHaveLength(2);
  });

  test('the token is registered with the host and appears nowhere in findings or the redacted report', () => {
    const { findings, analysis, scan, runtime } = result;
    expect(runtime.masked).toContain(token);
    expect(JSON.stringify(findings)).not.toContain(token);
    const report = redactReport({ image: analysis.image, layers: analysis.layers, findings }, scan);
    expect(JSON.stringify(report)).not.toContain(token);
    // …while the unredacted analysis did contain it (so the check above is meaningful).
    expect(JSON.stringify(analysis.image.history)).toContain(token);
    expect(report.image.history!.some((h) => h.createdBy.includes(`NPM_TOKEN=npm_…${token.slice(-2)}`))).toBe(true);
  });
});

test('build args in history: a GitHub token and a name-based password', async () => {
  const gh = gen.githubClassicToken();
  const pw = gen.password(12);
  const { tag } = buildSecretFixture('build-arg', { buildArgs: { GITHUB_TOKEN: gh, DB_PASSWORD: pw } });
  const { findings } = await scanImage(tag);
  expect(findings.map((f) => [f.rule, f.severity, f.details?.detector, f.details?.location]).sort()).toEqual([
    ['secret-history', 'error', 'github-classic', 'history:arg:GITHUB_TOKEN'],
    ['secret-history', 'warning', 'secret-name', 'history:arg:DB_PASSWORD']
  ]);
  expect(JSON.stringify(findings)).not.toContain(gh);
  expect(JSON.stringify(findings)).not.toContain(pw);
});

test('ENV with AWS keys: two secret-config findings pointing at the ENV step', async () => {
  const id = gen.awsAccessKeyId();
  const key = gen.awsSecretAccessKey();
  const { tag } = buildSecretFixture('env-aws', { vars: { AWS_ACCESS_KEY_ID: id, AWS_SECRET_ACCESS_KEY: key } });
  expect(inspect(tag).Config.Env).toContain(`AWS_SECRET_ACCESS_KEY=${key}`);
  const { findings, analysis } = await scanImage(tag);
  const envStep = analysis.image.history!.findIndex((h) => h.createdBy.startsWith('ENV AWS_ACCESS_KEY_ID='));
  expect(findings.map((f) => [f.rule, f.details?.detector, f.details?.location, f.details?.steps])).toEqual([
    ['secret-config', 'aws-access-key-id', 'config:Env:AWS_ACCESS_KEY_ID', [envStep]],
    ['secret-config', 'aws-secret-access-key', 'config:Env:AWS_SECRET_ACCESS_KEY', [envStep]]
  ]);
});

test('a private key copied in and deleted later', async () => {
  const pem = gen.privateKeyPem('ed25519');
  const { tag } = buildSecretFixture('key-deleted', { files: { deploy_key: pem } });
  const { findings, analysis } = await scanImage(tag);
  const history = analysis.image.history!;
  expect(findings).toHaveLength(1);
  expect(findings[0]).toMatchObject({
    rule: 'secret-file',
    path: 'root/.ssh/id_ed25519',
    layer: layerOf(history, /^COPY deploy_key/),
    masked: '-----BEGIN PRIVATE KEY-----…'
  });
  expect(findings[0].details).toMatchObject({
    detector: 'private-key',
    hiddenInLayer: layerOf(history, /rm -rf \/root\/\.ssh/),
    how: 'deleted',
    visibleInFinal: false
  });
});

test('every planted family is found once, in its file, still visible', async () => {
  const planted = gen.plantAll();
  const files = Object.fromEntries(planted.filter((p) => p.content).map((p) => [`files/${p.file}`, p.content]));
  const { tag } = buildSecretFixture('planted', { files });
  const { findings } = await scanImage(tag);
  // The fingerprint is sha256(rule:path:masked:length), so each planted value maps to exactly one expected finding.
  const sha = (s: string) => createHash('sha256').update(s).digest('hex');
  const maskOf = (content: string, value: string, file: string) => {
    const hit = scanText(content, { path: file }).find((h) => h.value === value);
    return hit ? maskFor(hit.detector, value) : '?';
  };
  let content = '';
  const byFp = new Map(findings.map((f) => [f.fingerprint, f]));
  let path = '';
  for (const p of planted) {
    if (p.content) [path, content] = [p.file, p.content];
    const f = byFp.get(sha(`secret-file:${path}:${maskOf(content, p.value, path)}:${p.value.length}`));
    expect([p.family, f?.path, f?.details?.visibleInFinal]).toEqual([p.family, path, true]);
  }
  expect(findings).toHaveLength(planted.length);
  const text = JSON.stringify(findings);
  for (const p of planted) expect(text).not.toContain(p.value);
});
