// Every rule carries the whole rule shape: a bad and a good example and its hadolint equivalent ([] when none).
// Skipped while the lint and secret rules are being filled in; the coordinator flips REQUIRE_ALL_FIELDS to true
// once every branch is merged. The failure message lists the rule ids that still lack fields.
import { expect, test } from '@jest/globals';
import { allRuleMetas } from '../../src/report/rule-catalog.js';

const REQUIRE_ALL_FIELDS = true;

/** Rule ids lacking a field, by field. */
export function missingFields(): Record<string, string[]> {
  const missing: Record<string, string[]> = {};
  const add = (field: string, id: string) => (missing[field] ??= []).push(id);
  for (const m of allRuleMetas()) {
    if (!m.examples || !m.examples.bad.trim() || !m.examples.good.trim()) add('examples', m.id);
    if (m.hadolint === undefined) add('hadolint', m.id);
    if (!m.fullDescription.trim()) add('fullDescription', m.id);
    if (!m.help.trim()) add('help', m.id);
  }
  return missing;
}

(REQUIRE_ALL_FIELDS ? test : test.skip)('every rule has examples and a hadolint field', () => {
  const missing = missingFields();
  const text = Object.entries(missing)
    .map(([field, ids]) => `${field}: ${ids.join(', ')}`)
    .join('\n');
  if (text) throw new Error(`Rules lacking fields (fill them in the rule's metadata, then npm run docs):\n${text}`);
  expect(missing).toEqual({});
});

test('the image rules (owned here) already have every field', () => {
  const imageIds = allRuleMetas()
    .filter((m) => m.category === 'image')
    .map((m) => m.id);
  const missing = Object.values(missingFields())
    .flat()
    .filter((id) => imageIds.includes(id));
  expect(missing).toEqual([]);
});
