// Point 4 (where the bytes are) on images built by the real engine: the article's Node image (COPY . before
// npm install) shows typescript in the size tree and the npm cache among the files its step added; on a
// Debian base with its own waste, your deleted files come first and the base's collapse to one line.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { buildFixture, fixture, inspect, requireEngine } from '../helpers/engine.js';
import type { Report } from '../../src/report/types.js';
import { renderSummary } from '../../src/render/markdown.js';
import { cli } from './cli-helpers.js';

requireEngine();

const NODE_TAG = 'reports-space-node:latest';
const WASTE_TAG = 'reports-space-waste:latest';

describe('the Node image: typescript and the npm cache are found', () => {
  let report: Report;
  let text: string;
  beforeAll(async () => {
    buildFixture(fixture('reports', 'node-bad'), NODE_TAG, ['--secret', `id=npm-ca,src=${process.env.NODE_EXTRA_CA_CERTS ?? '/dev/null'}`]);
    const args = ['audit', '--image', NODE_TAG, '--file', 'fixtures/reports/node-bad/Dockerfile', '--context', 'fixtures/reports/node-bad'];
    const j = await cli([...args, '--format', 'json']);
    expect(j.code).toBe(0);
    report = JSON.parse(j.stdout);
    text = (await cli(args)).stdout;
  }, 600_000);

  test('the size tree goes down to /app/node_modules/typescript', () => {
    const tree = report.space!.sizeTree;
    const ts = tree.find((n) => n.path === 'app/node_modules/typescript')!;
    expect(ts).toBeDefined();
    const app = tree.find((n) => n.path === 'app')!;
    expect(ts.bytes).toBeGreaterThan(app.bytes / 2);
    expect(ts.depth).toBe(2);
    expect(tree.reduce((n, t) => (t.depth === 0 ? n + t.bytes : n), 0)).toBeLessThanOrEqual(inspect(NODE_TAG).Size);
    expect(text).toMatch(/Where the bytes are:\n/);
    expect(text).toMatch(/MiB\s+\/app\/node_modules\/typescript\//);
  });

  test('the 20 largest files carry layer and step; the npm step lists what it added', () => {
    const files = report.space!.largestFiles;
    expect(files).toHaveLength(20);
    for (let i = 1; i < files.length; i++) expect(files[i - 1].bytes).toBeGreaterThanOrEqual(files[i].bytes);
    const npmLayer = report.layers.find((l) => l.step?.instruction.includes('npm install'))!;
    const added = report.space!.layerFiles.find((l) => l.layer === npmLayer.index)!;
    expect(added.files.some((f) => f.path.startsWith('app/node_modules/typescript/'))).toBe(true);
    expect(added.files.some((f) => f.path.startsWith('root/.npm/_cacache/'))).toBe(true);
    expect(added.bytes).toBeLessThanOrEqual(npmLayer.size);
    expect(text).toMatch(/Largest files \(20\):/);
    expect(text).toMatch(/Files each step added \(largest first\):\n[\s\S]*layer \d+ line 9: RUN/);
  });

  test('markdown puts each of them in a collapsible block', () => {
    const md = renderSummary(report, undefined);
    expect(md).toContain('<details><summary>Where the bytes are (size tree)</summary>');
    expect(md).toContain('<details><summary>Largest files (20)</summary>');
    expect(md).toContain('<details><summary>Files each step added</summary>');
    expect(md).toContain('/app/node&#95;modules/typescript/');
  });
});

describe('a Debian base with its own waste: yours first', () => {
  let report: Report;
  let text: string;
  beforeAll(async () => {
    buildFixture(fixture('reports', 'token-removed'), WASTE_TAG);
    const args = ['audit', '--image', WASTE_TAG, '--file', 'fixtures/reports/token-removed/Dockerfile', '--context', 'fixtures/reports/token-removed'];
    report = JSON.parse((await cli([...args, '--format', 'json'])).stdout);
    text = (await cli(args)).stdout;
  }, 300_000);

  test('your deleted download and .npmrc lead the list; the base collapses to one line', () => {
    const yours = report.wastedFiles!.filter((w) => !w.fromBase).map((w) => w.path);
    expect(yours.slice(0, 2).sort()).toEqual(['root/.npmrc', 'root/download.tar']);
    expect(report.wastedFiles![0].fromBase).toBeUndefined();
    expect(text).toMatch(/Wasted files, yours \(largest first\):\n\s+2 MiB\s+\/root\/download\.tar/);
    expect(text).toMatch(/\/root\/\.npmrc/);
    // apt-get rewrote the base's debconf templates: the base's waste, one line.
    const base = report.space!.baseWaste!;
    expect(base.bytes).toBeGreaterThan(0);
    expect(report.wastedFiles!.some((w) => w.fromBase && w.path.startsWith('var/cache/debconf/'))).toBe(true);
    expect(text).toContain(`wasted inside the base image (not yours to fix; --all-waste lists them)`);
    const section = text.slice(text.indexOf('Wasted files, yours'), text.indexOf('\n\n', text.indexOf('Wasted files, yours')));
    expect(section).not.toMatch(/\/var\/cache\/debconf/);
  });

  test('--all-waste lists the base image’s files too', async () => {
    const r = await cli([
      'audit',
      '--image',
      WASTE_TAG,
      '--file',
      'fixtures/reports/token-removed/Dockerfile',
      '--context',
      'fixtures/reports/token-removed',
      '--all-waste'
    ]);
    expect(r.stdout).toContain("Wasted files, the base image's:");
    const section = r.stdout.slice(r.stdout.indexOf('Wasted files, yours'), r.stdout.indexOf('\n\n', r.stdout.indexOf('Wasted files, yours')));
    expect(section).toMatch(/\/var\/cache\/debconf/);
  }, 120_000);
});
