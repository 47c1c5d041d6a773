// Scores the linter against fixtures/lint/corpus: real-world Dockerfiles, each with the findings a careful reader
// expects (`<name>.expected`: one `<line> <rule>` per line, `#` starts a comment). A finding matches when rule
// and line are equal. Rules that need the build context (.dockerignore) are not scored: the corpus has no context.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { defaultConfig } from '../../src/config/types.js';
import { lintDockerfile } from '../../src/lint/index.js';

export const CONTEXT_RULES = new Set(['missing-dockerignore', 'dockerignore-incomplete']);

export interface RuleScore {
  tp: number;
  fp: number;
  fn: number;
}

export interface CorpusScore {
  files: number;
  byRule: Map<string, RuleScore>;
  total: RuleScore;
  /** `file: line rule` of every false positive and false negative. */
  falsePositives: string[];
  falseNegatives: string[];
}

export const precision = (s: RuleScore): number => (s.tp + s.fp === 0 ? 1 : s.tp / (s.tp + s.fp));
export const recall = (s: RuleScore): number => (s.tp + s.fn === 0 ? 1 : s.tp / (s.tp + s.fn));

function readExpected(file: string): Set<string> {
  const out = new Set<string>();
  for (const raw of readFileSync(file, 'utf8').split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const [n, rule] = line.split(/\s+/);
    out.add(`${Number(n)} ${rule}`);
  }
  return out;
}

export async function scoreCorpus(dir: string): Promise<CorpusScore> {
  const config = defaultConfig();
  const byRule = new Map<string, RuleScore>();
  const score = (rule: string) => {
    let s = byRule.get(rule);
    if (!s) byRule.set(rule, (s = { tp: 0, fp: 0, fn: 0 }));
    return s;
  };
  const falsePositives: string[] = [];
  const falseNegatives: string[] = [];
  const names = readdirSync(dir)
    .filter((f) => f.endsWith('.Dockerfile'))
    .sort();
  for (const name of names) {
    const base = name.slice(0, -'.Dockerfile'.length);
    const expected = readExpected(path.join(dir, `${base}.expected`));
    const contents = readFileSync(path.join(dir, name), 'utf8');
    const findings = await lintDockerfile({ dockerfile: name, contents, config, context: '/nonexistent-corpus-context' });
    const actual = new Set(findings.filter((f) => !CONTEXT_RULES.has(f.rule) && !f.suppressed).map((f) => `${f.line} ${f.rule}`));
    for (const key of actual) {
      const rule = key.split(' ')[1];
      if (expected.has(key)) score(rule).tp++;
      else {
        score(rule).fp++;
        falsePositives.push(`${base}: ${key}`);
      }
    }
    for (const key of expected) {
      if (actual.has(key)) continue;
      score(key.split(' ')[1]).fn++;
      falseNegatives.push(`${base}: ${key}`);
    }
  }
  const total = { tp: 0, fp: 0, fn: 0 };
  for (const s of byRule.values()) {
    total.tp += s.tp;
    total.fp += s.fp;
    total.fn += s.fn;
  }
  return { files: names.length, byRule, total, falsePositives, falseNegatives };
}
