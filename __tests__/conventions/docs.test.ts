// The rule docs (docs/rules/<id>.md, docs/rules/README.md, docs/hadolint-mapping.md) and the README rule table
// are generated from the rule metadata by `npm run docs` (scripts/docs.ts). This fails when any is stale.
import { describe, expect, test } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateDocs, hadolintMapping, replaceBetweenMarkers, rulePage, staleRulePages } from '../../scripts/docs.js';
import { allRuleMetas } from '../../src/report/rule-catalog.js';
import type { RuleMeta } from '../../src/report/rule-meta.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FIX = 'Run `npm run docs` and commit the result.';

describe('generated docs are fresh', () => {
  const files = generateDocs(root);

  test('every generated file matches what is committed', () => {
    const stale = [...files]
      .filter(([rel, content]) => !existsSync(path.join(root, rel)) || readFileSync(path.join(root, rel), 'utf8') !== content)
      .map(([rel]) => rel);
    if (stale.length) throw new Error(`Stale or missing generated docs: ${stale.join(', ')}. ${FIX}`);
  });

  test('no page is left for a rule that no longer exists', () => {
    const orphans = staleRulePages(root, files);
    if (orphans.length) throw new Error(`Pages without a rule: ${orphans.join(', ')}. ${FIX}`);
  });

  test('one page per rule id, and ids are unique across stages', () => {
    const ids = allRuleMetas().map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(files.has(`docs/rules/${id}.md`)).toBe(true);
  });
});

describe('generator', () => {
  const minimal: RuleMeta = {
    id: 'x-rule',
    category: 'image',
    defaultSeverity: 'info',
    shortDescription: 'Flags x',
    fullDescription: 'Why.',
    help: 'Fix.',
    tags: []
  };

  test('tolerates missing optional fields (examples, hadolint) and says so', () => {
    const page = rulePage(minimal);
    expect(page).toContain('_No example yet._');
    expect(page).toContain('| hadolint equivalent | not yet documented |');
    expect(hadolintMapping([minimal])).toContain('## Not yet mapped');
  });

  test('examples are fenced even when they contain backticks; hadolint ids link to the hadolint wiki', () => {
    const page = rulePage({ ...minimal, examples: { bad: 'RUN echo ```', good: 'RUN true' }, hadolint: ['DL3009'] });
    expect(page).toContain('````dockerfile\nRUN echo ```\n````');
    expect(page).toContain('[DL3009](https://github.com/hadolint/hadolint/wiki/DL3009)');
    expect(hadolintMapping([{ ...minimal, hadolint: ['DL3009'] }])).toContain(
      '| [DL3009](https://github.com/hadolint/hadolint/wiki/DL3009) | [`x-rule`](rules/x-rule.md) |'
    );
  });

  test('the README table is replaced between the markers only', () => {
    const text = 'before\n<!-- rules:start -->\nold\n<!-- rules:end -->\nafter\n';
    expect(replaceBetweenMarkers(text, 'new')).toBe('before\n<!-- rules:start -->\nnew\n<!-- rules:end -->\nafter\n');
    expect(() => replaceBetweenMarkers('no markers', 'x')).toThrow(/markers/);
  });
});
