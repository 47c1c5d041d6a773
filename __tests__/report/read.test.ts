import { describe, expect, test } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseReport, readReportFile } from '../../src/report/read.js';
import { UserError } from '../../src/util/errors.js';

describe('baseline report files', () => {
  const image = {
    id: 'sha256:1',
    tags: [],
    size: 1,
    compressedSize: 1,
    layers: 1,
    wastedBytes: 0,
    userWastedBytes: 0,
    baseWastedBytes: 0,
    efficiency: 1,
    baseLayers: 0
  };
  const minimal = { schemaVersion: 1, tool: { name: 'image-audit', version: '0.1.0' }, generatedAt: 'x', layers: [], findings: [], image };

  test('a saved report round-trips', () => expect(parseReport(JSON.stringify(minimal), 'r').image!.size).toBe(1));

  test.each([
    ['not json', /not valid JSON/],
    ['[]', /not a JSON object/],
    [JSON.stringify({ ...minimal, schemaVersion: 2 }), /schemaVersion is 2/],
    [JSON.stringify({ ...minimal, layers: undefined }), /layers: missing/],
    [JSON.stringify({ ...minimal, image: { ...image, size: 'big' } }), /image.size: expected number, got string/]
  ])('%s is refused', (text, message) => {
    expect(() => parseReport(text, 'The baseline report x.json')).toThrow(UserError);
    expect(() => parseReport(text, 'The baseline report x.json')).toThrow(message);
  });

  test('a missing file says which', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ia-report-'));
    await expect(readReportFile(path.join(dir, 'nope.json'))).rejects.toThrow(/nope.json cannot be read/);
    writeFileSync(path.join(dir, 'ok.json'), JSON.stringify(minimal));
    await expect(readReportFile(path.join(dir, 'ok.json'))).resolves.toMatchObject({ schemaVersion: 1 });
  });
});
