import { describe, expect, test } from '@jest/globals';
import { formatProgress, progressReporter } from '../../src/pipeline/progress.js';

const MiB = 1024 * 1024;
const p = (bytesRead: number, elapsedMs: number, done = false) => ({ layersSeen: 2, layers: 5, bytesRead, totalBytes: 100 * MiB, elapsedMs, done });

describe('progress', () => {
  test('a line names layers n/N, bytes, MiB/s and the ETA from the image size', () => {
    expect(formatProgress(p(25 * MiB, 5000))).toBe('Reading image: layers 2/5, 25 MiB of ~100 MiB, 5 MiB/s, ETA 15 s');
    expect(formatProgress(p(100 * MiB, 10_000, true))).toBe('Reading image: layers 2/5, 100 MiB of ~100 MiB, 10 MiB/s, done in 10.0 s');
  });

  test('log mode: at most one line per interval (clock injected)', () => {
    let clock = 0;
    const lines: string[] = [];
    const report = progressReporter({ mode: 'log', write: (t) => lines.push(t), now: () => clock });
    for (clock = 0; clock <= 12_000; clock += 100) report(p(clock * 1000, clock));
    expect(lines).toHaveLength(2);
    expect(lines.every((l) => l.endsWith('\n') && !l.includes('\r'))).toBe(true);
    report(p(100 * MiB, 12_000, true));
    expect(lines[2]).toMatch(/done in 12\.0 s\n$/);
  });

  test('tty mode: one line rewritten in place, ended with a newline', () => {
    let clock = 0;
    let out = '';
    const report = progressReporter({ mode: 'tty', write: (t) => void (out += t), now: () => clock });
    for (clock = 0; clock <= 1000; clock += 50) report(p(clock * 1000, clock));
    report(p(100 * MiB, 1000, true));
    expect(out.split('\r\u001b[K').length - 1).toBe(6);
    expect(out.split('\n')).toHaveLength(2);
  });

  test('a fast read on a TTY prints nothing', () => {
    let out = '';
    const report = progressReporter({ mode: 'tty', write: (t) => void (out += t), now: () => 0 });
    report(p(1, 1));
    report(p(2, 2, true));
    expect(out).toBe('');
  });
});

test('no ETA before 2 % is read (start-up latency would make it wild)', () => {
  expect(formatProgress({ layersSeen: 0, layers: 4, bytesRead: 64 * 1024, totalBytes: 300 * MiB, elapsedMs: 5000, done: false })).toBe(
    'Reading image: layers 0/4, 64 KiB of ~300 MiB, 12.8 KiB/s'
  );
});
