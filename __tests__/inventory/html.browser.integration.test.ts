// The size map in a real browser: Debian's chromium, headless, driven over the DevTools protocol with
// puppeteer-core (it drives an existing Chromium and downloads nothing). The page of a real image must load
// with no console error and no network request besides the file itself; clicking a layer must change the map;
// a screenshot is saved for people to look at. A synthetic 100k-file image checks the size bound and escaping.
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import type { VisibleEntry } from '../../src/inventory/index.js';
import { renderHtml } from '../../src/render/html.js';
import type { Report } from '../../src/report/types.js';
import { repoRoot, requireEngine } from '../helpers/engine.js';
import { inventoryOf } from './helpers.js';

requireEngine();

const CHROMIUM = process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
if (!CHROMIUM) throw new Error('Chromium not found: `bash scripts/engine.sh` installs Debian chromium (or set CHROMIUM_PATH).');
const OUT = path.join(repoRoot, 'build', 'test-artifacts');

let browser: Browser;
beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
});
afterAll(async () => {
  await browser?.close();
});

interface Loaded {
  page: Page;
  errors: string[];
  requests: string[];
  dialogs: string[];
}

async function open(file: string): Promise<Loaded> {
  const page = await browser.newPage();
  await page.setViewport({ width: 1400, height: 1000 });
  const errors: string[] = [];
  const requests: string[] = [];
  const dialogs: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => requests.push(r.url()));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const url = `file://${file}`;
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
  return { page, errors, requests: requests.filter((r) => r !== url), dialogs };
}

type Styled = { getAttribute(n: string): string | null; style: { width: string; height: string } };
const cells = (page: Page) =>
  page.$$eval('#map .cell', (els) =>
    els.map((el) => {
      const e = el as unknown as Styled;
      return `${e.getAttribute('data-path')}|${e.style.width}|${e.style.height}`;
    })
  );

describe('HTML size map in headless Chromium', () => {
  it('loads a real image map without errors or requests; a layer click filters the map; zoom works', async () => {
    const { analysis, inventory } = await inventoryOf('npm');
    const report: Report = {
      schemaVersion: 1,
      tool: { name: 'image-audit', version: 'test' },
      generatedAt: new Date().toISOString(),
      image: analysis.image,
      layers: analysis.layers,
      findings: [],
      wastedFiles: analysis.wastedFiles,
      packages: inventory.packages
    };
    const file = path.join(OUT, 'size-map-npm.html');
    writeFileSync(file, renderHtml(report, inventory.visible));
    const { page, errors, requests } = await open(file);
    const before = await cells(page);
    expect(before.length).toBeGreaterThan(5);
    expect(await page.$$eval('#packages tr', (r) => r.length)).toBe(inventory.packages.length + 1);

    // The layer that ran `npm ci`: node_modules came from it.
    const npmLayer = inventory.packages.find((p) => p.name === 'typescript')!.layer!;
    await page.click(`#layers button[data-layer="${npmLayer}"]`);
    const after = await cells(page);
    expect(after).not.toEqual(before);
    const titles = await page.$$eval('#map .cell', (els) => els.map((e) => e.getAttribute('title') ?? ''));
    expect(titles.length).toBeGreaterThan(0);
    expect(titles.every((t) => t.includes('npm ci'))).toBe(true);
    expect(await page.$eval('#current', (e) => e.textContent)).toContain(`added by layer ${npmLayer}`);
    await page.screenshot({ path: path.join(OUT, 'size-map-layer.png') });

    // Back to all layers, zoom into /usr, search.
    await page.click('#layers button[data-layer="all"]');
    expect(await cells(page)).toEqual(before);
    await page.click('#map .cell.dir[data-path="/usr"]');
    expect(await page.$eval('#current', (e) => e.textContent)).toMatch(/^\/usr(\/[^ ]+)? — /); // the click lands on the largest child inside /usr
    await page.click('#crumbs button');
    await page.type('#search', 'typescript.js');
    expect(await page.$eval('#results', (e) => e.textContent)).toMatch(/matching path/);
    await page.screenshot({ path: path.join(OUT, 'size-map.png') });

    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  }, 400_000);

  it('stays small for a 100k-file image and renders hostile file names as text', async () => {
    const visible = new Map<string, VisibleEntry>();
    for (let i = 0; i < 100_000; i++) {
      const dir = `srv/data/d${i % 400}/e${i % 7}`;
      visible.set(`${dir}/file-${i}.bin`, { kind: 'file', layer: i % 5, bytes: 500 + ((i * 7919) % 20000), mode: 0o644 });
    }
    visible.set('app/<img src=x onerror=alert(1)>.js', { kind: 'file', layer: 4, bytes: 50_000_000, mode: 0o644 });
    visible.set('app/<!--<script>x.js', { kind: 'file', layer: 4, bytes: 30_000_000, mode: 0o644 });
    visible.set('app/</script><b>bold', { kind: 'file', layer: 2, bytes: 20_000_000, mode: 0o644 });
    visible.set('app/"><svg onload=alert(2)>', { kind: 'file', layer: 3, bytes: 40_000_000, mode: 0o644 });
    const layers = [0, 1, 2, 3, 4].map((index) => ({
      index,
      diffId: `sha256:${index}`,
      size: 1,
      compressedSize: 1,
      createdBy: `RUN step ${index} <b>`,
      fromBase: false
    }));
    const report: Report = {
      schemaVersion: 1,
      tool: { name: 'image-audit', version: 'test' },
      generatedAt: new Date().toISOString(),
      image: {
        id: 'sha256:x',
        ref: '<img src=x onerror=alert(3)>',
        tags: [],
        size: 1,
        compressedSize: 1,
        layers: 5,
        wastedBytes: 0,
        userWastedBytes: 0,
        baseWastedBytes: 0,
        efficiency: 1,
        baseLayers: 0
      },
      layers,
      findings: [],
      packages: [{ type: 'npm', name: '<script>alert(4)</script>', version: '1', size: 1, layer: 0 }]
    };
    const file = path.join(OUT, 'size-map-100k.html');
    writeFileSync(file, renderHtml(report, visible));
    expect(statSync(file).size).toBeLessThan(5 * 1024 * 1024);
    const { page, errors, requests, dialogs } = await open(file);
    expect(await page.$$eval('img, svg', (e) => e.length)).toBe(0);
    expect(await page.$$eval('script', (e) => e.length)).toBe(2);
    const paths = await page.$$eval('#map .cell', (e) => e.map((c) => c.getAttribute('data-path')));
    expect(paths).toEqual(expect.arrayContaining(['/app/<img src=x onerror=alert(1)>.js', '/app/<!--<script>x.js', '/app/"><svg onload=alert(2)>']));
    expect(await page.$$eval('b', (e) => e.length)).toBe(0);
    await page.click('#layers button[data-layer="2"]');
    expect(await page.$eval('#current', (e) => e.textContent)).toContain('added by layer 2');
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });
});
