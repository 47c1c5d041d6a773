import { readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { REPOSITORY_URL, ruleDocsUrl, TOOL_VERSION } from '../../src/version.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));

describe('version and URLs come from package.json', () => {
  test('TOOL_VERSION is package.json version', () => expect(TOOL_VERSION).toBe(pkg.version));
  test('repository URL has no git+ prefix nor .git suffix', () => {
    expect(REPOSITORY_URL).toMatch(/^https:\/\/github\.com\/[^/]+\/[^/.]+$/);
    expect(pkg.repository.url).toContain(REPOSITORY_URL.replace(/^https:\/\//, ''));
  });
  test('rule docs URL points at docs/rules/<id>.md', () => expect(ruleDocsUrl('wasted-space')).toBe(`${REPOSITORY_URL}/blob/main/docs/rules/wasted-space.md`));
});
