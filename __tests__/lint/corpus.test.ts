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

describe('no line gets the same advice twice', () => {
  it('across the corpus: one finding per rule and manager per line, and no cache-mount advice where the cache rule speaks', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const { lintDockerfile } = await import('../../src/lint/index.js');
    const { defaultConfig } = await import('../../src/config/types.js');
    const dir = fixture('lint', 'corpus');
    const twice: string[] = [];
    for (const name of readdirSync(dir).filter((f) => f.endsWith('.Dockerfile'))) {
      const findings = await lintDockerfile({
        dockerfile: name,
        contents: readFileSync(`${dir}/${name}`, 'utf8'),
        config: defaultConfig(),
        context: '/nonexistent'
      });
      const seen = new Set<string>();
      for (const f of findings) {
        const advice = ['package-cache-not-cleaned', 'missing-cache-mount'].includes(f.rule)
          ? `cache ${String(f.details?.manager)}`
          : `${f.rule} ${String(f.details?.manager ?? '')}`;
        const key = `${f.line} ${advice}`;
        if (seen.has(key)) twice.push(`${name}:${key}`);
        seen.add(key);
      }
    }
    expect(twice).toEqual([]);
  });
});
