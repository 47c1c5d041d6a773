// The job summary (1 MiB) and PR comment (65,536) limits are in UTF-8 bytes. With CJK and emoji paths a body
// whose string length passes the old `body.length <= limit` check is far over the limit in bytes.
import { describe, expect, test } from '@jest/globals';
import { compareReports } from '../../src/compare/index.js';
import { COMMENT_LIMIT, cutToBytes, renderComment, renderSummary, SUMMARY_LIMIT, utf8Bytes } from '../../src/render/markdown.js';
import { htmlCommentMarker } from '../../src/render/escape.js';
import { finding, makeReport } from '../compare/make-report.js';

const MiB = 1024 * 1024;
const marker = htmlCommentMarker('wf/job/Dockerfile/');
// 3 bytes a character (CJK) and 4 (emoji): no entity escaping touches them, so they reach the output as they are.
const cjk = (i: number) => `日本語のディレクトリ/設定ファイル${i}/画像データ🐳📦`.repeat(10);

function multiByteReport(findings: number, layers: number) {
  const head = makeReport(
    Array.from({ length: layers }, (_, i) => ({ instruction: `COPY ${cjk(i)} /app/${cjk(i)}`, line: i + 2, size: 1000 + i })),
    Array.from({ length: findings }, (_, i) =>
      finding({ rule: `rule-${i}`, message: `${cjk(i)} がイメージに残っています 🚨`, file: 'Dockerfile', line: i + 1, path: cjk(i) })
    )
  );
  // Half the findings are already on base: both the new and the "already on base" tables fill up.
  const base = makeReport([{ instruction: 'RUN base', line: 1, size: 10 }], head.findings.slice(0, findings / 2));
  head.wastedFiles = Array.from({ length: 50 }, (_, i) => ({ path: cjk(i), bytes: 100 + i, addedInLayer: 0, hiddenInLayer: 1, how: 'deleted' as const }));
  return { head, diff: compareReports(base, head, 'main') };
}

describe('limits in UTF-8 bytes', () => {
  test('job summary: the old string-length check would have passed a body over 1 MiB; now it fits in bytes', () => {
    const { head, diff } = multiByteReport(1500, 500);
    const uncut = renderSummary(head, diff, { maxBytes: Number.POSITIVE_INFINITY });
    // What the old check (`body.length <= SUMMARY_LIMIT`) would have let through unchanged:
    expect(uncut.length).toBeLessThanOrEqual(SUMMARY_LIMIT);
    expect(utf8Bytes(uncut)).toBeGreaterThan(MiB);
    const summary = renderSummary(head, diff);
    expect(utf8Bytes(summary)).toBeLessThanOrEqual(SUMMARY_LIMIT);
    expect(summary).toContain('the JSON report has everything');
    expect(summary).not.toContain('\uFFFD'); // no character cut in half
    console.log(`summary: uncut ${uncut.length} chars = ${utf8Bytes(uncut)} bytes (old check: passes); now ${utf8Bytes(summary)} bytes`);
  });

  test('PR comment: the old check would have posted a body over 65,536 bytes; now it fits in bytes', () => {
    const { head, diff } = multiByteReport(60, 60);
    const firstTry = renderComment(head, diff, { marker, maxLength: Number.POSITIVE_INFINITY });
    expect(firstTry.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(utf8Bytes(firstTry)).toBeGreaterThan(65_536);
    const comment = renderComment(head, diff, { marker, summaryUrl: 'https://github.test/run/1' });
    expect(utf8Bytes(comment)).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(comment.startsWith(`${marker}\n`)).toBe(true);
    expect(comment).toContain('Shortened to fit a PR comment');
    console.log(`comment: first try ${firstTry.length} chars = ${utf8Bytes(firstTry)} bytes (old check: passes); now ${utf8Bytes(comment)} bytes`);
  });

  test('a hard cut never splits a character and ends at a line', () => {
    const text = 'ab\n日本\n🐳🐳🐳';
    for (let n = 0; n <= utf8Bytes(text); n++) {
      const cut = cutToBytes(text, n);
      expect(utf8Bytes(cut)).toBeLessThanOrEqual(n);
      expect(cut).not.toContain('\uFFFD');
      expect(text.startsWith(cut)).toBe(true);
    }
    const tiny = renderComment(multiByteReport(60, 60).head, undefined, { marker, maxLength: 700 });
    expect(utf8Bytes(tiny)).toBeLessThanOrEqual(700);
    expect(tiny.startsWith(marker)).toBe(true);
  });
});
