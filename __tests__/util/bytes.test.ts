import { describe, expect, test } from '@jest/globals';
import { formatBytes, formatBytesDelta, formatPercentDelta, parseBytes, parseBytesOrPercent } from '../../src/util/bytes.js';

describe('parseBytes', () => {
  test.each([
    ['512', 512],
    ['1B', 1],
    ['200MB', 200_000_000],
    ['200 mb', 200_000_000],
    ['1.5 kB', 1500],
    ['1KB', 1000],
    ['2GiB', 2 * 1024 ** 3],
    ['20 MiB', 20 * 1024 * 1024],
    ['1kib', 1024]
  ])('%s → %d', (text, bytes) => expect(parseBytes(text)).toBe(bytes));

  test.each(['', 'MB', '12 parsecs', '-5MB', '1,5MB', '10%'])('rejects %p', (text) => expect(parseBytes(text)).toBeUndefined());

  test('percent or bytes', () => {
    expect(parseBytesOrPercent('10%')).toEqual({ percent: 10 });
    expect(parseBytesOrPercent('10 MiB')).toEqual({ bytes: 10 * 1024 * 1024 });
    expect(parseBytesOrPercent('ten')).toBeUndefined();
  });
});

describe('deltas', () => {
  test('signed binary units and percent', () => {
    expect(formatBytesDelta(20 * 1024 * 1024)).toBe('+20.0 MiB');
    expect(formatBytesDelta(-1024)).toBe('-1.0 KiB');
    expect(formatBytesDelta(0)).toBe('±0 B');
    expect(formatPercentDelta(9.88, 1)).toBe('+988 %');
    expect(formatPercentDelta(-1, 4)).toBe('-25.0 %');
  });
});

describe('output is IEC everywhere', () => {
  test('formatBytes uses KiB/MiB/GiB', () => {
    expect(formatBytes(32 * 1024 * 1024)).toBe('32 MiB');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3 GiB');
    expect(formatBytes(999)).toBe('999 B');
  });
});
