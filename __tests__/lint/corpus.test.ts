// The real-world corpus (fixtures/lint/corpus): the linter agrees with a careful reader. The numbers come from
// the same scorer `npm run bench:lint` prints; this test only holds the targets of issue 11.
import { describe, expect, it } from '@jest/globals';
import { precision, recall, scoreCorpus } from '../../scripts/bench/lint-corpus.js';
import { fixture } from '../helpers/engine.js';

describe('real-world corpus', () => {
  it('has at least 30 Dockerfiles, and precision ≥ 0.97 and recall ≥ 0.95 overall', async () => {
    const score = await scoreCorpus(fixture('lint', 'corpus'));
    expect(score.files).toBeGreaterThanOrEqual(30);
    expect(score.total.tp).toBeGreaterThan(50);
    // On failure, these lists say which file and line disagree.
    if (precision(score.total) < 0.97) expect(score.falsePositives).toEqual([]);
    if (recall(score.total) < 0.95) expect(score.falseNegatives).toEqual([]);
  });
});
