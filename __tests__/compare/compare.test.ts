import { describe, expect, test } from '@jest/globals';
import { compareReports, metric, normaliseCreatedBy } from '../../src/compare/index.js';
import { finding, makeReport, MiB } from './make-report.js';

const base = [
  { createdBy: 'ADD rootfs.tar / # buildkit', size: 5 * MiB, fromBase: true, content: 'rootfs' },
  { instruction: 'RUN apt-get update', line: 2, size: 30 * MiB },
  { instruction: 'COPY app /app', line: 3, size: 1 * MiB }
];

describe('compareReports', () => {
  test('metric deltas are head minus base', () => {
    const b = makeReport(base);
    const h = makeReport([...base, { instruction: 'RUN make', line: 4, size: 20 * MiB }]);
    const d = compareReports(b, h, 'main');
    expect(metric(d, 'size')).toMatchObject({ base: b.image!.size, head: h.image!.size, delta: 20 * MiB });
    expect(metric(d, 'layers').delta).toBe(1);
    expect(metric(d, 'compressedSize').delta).toBe(h.image!.compressedSize - b.image!.compressedSize);
    expect(metric(d, 'packages')).toMatchObject({ base: undefined, head: undefined, delta: undefined });
    expect(d.baseLabel).toBe('main');
  });

  test('inserting a step shifts lines but later steps still match by instruction', () => {
    const b = makeReport(base);
    const h = makeReport([
      base[0],
      { instruction: 'RUN apt-get update', line: 2, size: 30 * MiB },
      { instruction: 'RUN dd if=/dev/zero of=/big bs=1M count=20', line: 3, size: 20 * MiB },
      { instruction: 'COPY app /app', line: 4, size: 1 * MiB }
    ]);
    const d = compareReports(b, h);
    const copy = d.steps.find((s) => s.instruction === 'COPY app /app')!;
    expect(copy).toMatchObject({ status: 'unchanged', baseLine: 3, headLine: 4, matchedBy: 'instruction', delta: 0 });
    const added = d.steps.find((s) => s.status === 'added')!;
    expect(added).toMatchObject({ headLine: 3, headSize: 20 * MiB, baseSize: 0, delta: 20 * MiB, baseLayers: [] });
    expect(d.steps.filter((s) => s.status === 'removed')).toEqual([]);
    // the base image layer pairs by createdBy
    expect(d.steps.find((s) => s.fromBase)).toMatchObject({ status: 'unchanged', matchedBy: 'instruction' });
  });

  test('an instruction edited in place matches by line, with the old text kept', () => {
    const b = makeReport(base);
    const h = makeReport([base[0], { instruction: 'RUN apt-get update && apt-get install -y gcc', line: 2, size: 90 * MiB }, base[2]]);
    const d = compareReports(b, h);
    const edited = d.steps.find((s) => s.headLine === 2)!;
    expect(edited).toMatchObject({ matchedBy: 'line', status: 'changed', baseInstruction: 'RUN apt-get update', delta: 60 * MiB });
  });

  test('not by position: swapping two steps leaves both unchanged', () => {
    const b = makeReport(base);
    const h = makeReport([base[0], { ...base[2], line: 2 }, { ...base[1], line: 3 }]);
    const d = compareReports(b, h);
    expect(d.steps.every((s) => s.status === 'unchanged')).toBe(true);
    expect(d.steps.map((s) => s.matchedBy)).toEqual(['instruction', 'instruction', 'instruction']);
  });

  test('removed steps are listed, same content is unchanged, other content is changed', () => {
    const b = makeReport(base);
    const h = makeReport([base[0], { ...base[1], content: 'different apt lists' }]);
    const d = compareReports(b, h);
    expect(d.steps.find((s) => s.instruction === 'COPY app /app')).toMatchObject({ status: 'removed', headLayers: [], delta: -1 * MiB });
    expect(d.steps.find((s) => s.instruction === 'RUN apt-get update')).toMatchObject({ status: 'changed', delta: 0 });
  });

  test('repeated identical instructions pair in order of occurrence', () => {
    const b = makeReport([
      { instruction: 'RUN true', line: 1, size: 1 },
      { instruction: 'RUN true', line: 5, size: 2 }
    ]);
    const h = makeReport([
      { instruction: 'RUN true', line: 2, size: 1 },
      { instruction: 'RUN true', line: 6, size: 2 }
    ]);
    const d = compareReports(b, h);
    expect(d.steps.map((s) => [s.baseLine, s.headLine, s.status])).toEqual([
      [1, 2, 'unchanged'],
      [5, 6, 'unchanged']
    ]);
  });

  test('findings: new vs existing vs fixed by fingerprint; metric counts ignore suppressed', () => {
    const kept = finding({ rule: 'pin-versions', line: 2 });
    const fixed = finding({ rule: 'no-latest', line: 1 });
    const added = finding({ rule: 'secret-file', category: 'secret', severity: 'error', masked: 'AKIA…XY', path: 'root/.aws/credentials' });
    const suppressed = finding({ rule: 'secret-file', category: 'secret', path: 'x', suppressed: { by: 'fingerprint' } });
    const d = compareReports(makeReport(base, [kept, fixed]), makeReport(base, [kept, added, suppressed]));
    expect(d.newFindings).toEqual([added, suppressed]);
    expect(d.existingFindings).toEqual([kept]);
    expect(d.fixedFindings).toEqual([fixed]);
    expect(metric(d, 'secretFindings')).toMatchObject({ base: 0, head: 1, delta: 1 });
    expect(metric(d, 'lintFindings')).toMatchObject({ base: 2, head: 1, delta: -1 });
  });
});

describe('normaliseCreatedBy', () => {
  test.each([
    ['RUN /bin/sh -c apt-get update # buildkit', 'RUN apt-get update'],
    ['RUN |2 A=1 B=2 /bin/sh -c make   all # buildkit', 'RUN make all'],
    ['/bin/sh -c #(nop)  CMD ["sh"]', 'CMD ["sh"]'],
    ['/bin/sh -c echo hi', 'RUN echo hi'],
    ['copy app /app # buildkit', 'COPY app /app']
  ])('%s', (input, expected) => expect(normaliseCreatedBy(input)).toBe(expected));
});
