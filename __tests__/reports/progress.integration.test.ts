// Point 6 on a real image: the progress callback sees every layer and every byte; on a TTY the CLI draws a
// progress line on stderr (never on stdout); every stage's time is in JSON, text and the summary.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { buildFixture, fixture, inspect, requireEngine } from '../helpers/engine.js';
import { analyseImage, type ReadProgress } from '../../src/image/analyse.js';
import { defaultConfig } from '../../src/config/types.js';
import { nodeRuntime } from '../../src/util/node-runtime.js';
import { renderSummary } from '../../src/render/markdown.js';
import type { Report } from '../../src/report/types.js';
import { cli } from './cli-helpers.js';

requireEngine();
const TAG = 'reports-progress:latest';

beforeAll(() => {
  buildFixture(fixture('reports', 'token-removed'), TAG);
}, 300_000);

describe('progress and timings', () => {
  test('the callback counts every layer and at least the image bytes', async () => {
    const events: ReadProgress[] = [];
    await analyseImage({ ref: TAG, runtime: nodeRuntime(), config: defaultConfig(), onProgress: (p) => events.push(p) });
    const last = events[events.length - 1];
    const img = inspect(TAG);
    expect(last.done).toBe(true);
    expect(last.layers).toBe(img.RootFS.Layers.length);
    expect(last.layersSeen).toBe(last.layers);
    expect(last.totalBytes).toBe(img.Size);
    expect(last.bytesRead).toBeGreaterThanOrEqual(img.Size);
    for (let i = 1; i < events.length; i++) expect(events[i].bytesRead).toBeGreaterThanOrEqual(events[i - 1].bytesRead);
  }, 300_000);

  test('on a TTY the CLI draws the line on stderr; timings in JSON, text and summary', async () => {
    const args = ['audit', '--context', 'fixtures/reports/token-removed', '--tag', TAG, '--fail-on', 'none', '--fail-on-secrets', 'false'];
    const tty = await cli([...args, '--format', 'json'], { tty: true });
    expect(tty.code).toBe(0);
    // eslint-disable-next-line no-control-regex -- a TTY progress line is ESC [K
    expect(tty.stderr).toMatch(/\r\u001b\[KReading image: layers \d+\/\d+, .* of ~.*MiB\/s/);
    expect(tty.stdout).not.toContain('Reading image');
    const report: Report = JSON.parse(tty.stdout);
    for (const stage of ['lint', 'build', 'analysis', 'total'] as const) expect(report.timings![stage]).toBeGreaterThan(0);
    expect(report.timings!.total!).toBeGreaterThanOrEqual(report.timings!.analysis! + report.timings!.build!);
    const text = await cli(['audit', '--image', TAG, '--file', 'fixtures/reports/token-removed/Dockerfile', '--context', 'fixtures/reports/token-removed']);
    expect(text.stdout).toMatch(/Timings: lint \d+ ms, analysis [\d.]+ (s|ms), total/);
    expect(renderSummary(report, undefined)).toMatch(/<summary>Timings<\/summary>[\s\S]*\| analysis \| [\d.]+ (s|ms) \|/);
  }, 300_000);
});
