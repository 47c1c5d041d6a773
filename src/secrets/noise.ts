// Values that look like secrets but are not: documented example keys, template placeholders and variable
// references. Dropping them is what keeps the scanner quiet on docs, samples and `${NPM_TOKEN}`-style templates.

/** Keys published in vendor documentation (AWS docs, etc.): never real. */
const DOCUMENTED_EXAMPLES = new Set([
  'AKIAIOSFODNN7EXAMPLE',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  'AKIAI44QH8DHBEXAMPLE',
  'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY'
]);

/**
 * Google API keys published in the Firebase and Google SDKs' own sample and test code (the list gitleaks keeps in
 * its gcp-api-key allowlist, cmd/generate/config/rules/gcp.go). Browser keys are public by design; these are
 * in every checkout of those SDKs and say nothing about the image's owner.
 */
export const PUBLIC_SDK_GOOGLE_KEYS = new Set([
  'AIzaSyabcdefghijklmnopqrstuvwxyz1234567',
  'AIzaSyAnLA7NfeLquW1tJFpx_eQCxoX-oo6YyIs',
  'AIzaSyCkEhVjf3pduRDt6d1yKOMitrUEke8agEM',
  'AIzaSyDMAScliyLx7F0NPDEJi1QmyCgHIAODrlU',
  'AIzaSyD3asb-2pEZVqMkmL6M9N6nHZRR_znhrh0',
  'AIzayDNSXIbFmlXbIE6mCzDLQAqITYefhixbX4A',
  'AIzaSyAdOS2zB6NCsk1pCdZ4-P6GBdi_UUPwX7c',
  'AIzaSyASWm6HmTMdYWpgMnjRBjxcQ9CKctWmLd4',
  'AIzaSyANUvH9H9BsUccjsu2pCmEkOPjjaXeDQgY',
  'AIzaSyA5_iVawFQ8ABuTZNUdcwERLJv_a_p4wtM',
  'AIzaSyA4UrcGxgwQFTfaI3no3t7Lt1sjmdnP5sQ',
  'AIzaSyDSb51JiIcB6OJpwwMicseKRhhrOq1cS7g',
  'AIzaSyBF2RrAIm4a0mO64EShQfqfd2AFnzAvvuU',
  'AIzaSyBcE-OOIbhjyR83gm4r2MFCu4MJmprNXsw',
  'AIzaSyB8qGxt4ec15vitgn44duC5ucxaOi4FmqE',
  'AIzaSyA8vmApnrHNFE0bApF4hoZ11srVL_n0nvY'
]);

const PLACEHOLDER_WORDS = new Set([
  'changeme',
  'change_me',
  'change-me',
  'changeit',
  'placeholder',
  'dummy',
  'example',
  'sample',
  'secret',
  'secrets',
  'password',
  'passwd',
  'pass',
  'token',
  'apikey',
  'api_key',
  'redacted',
  'hidden',
  'masked',
  'none',
  'null',
  'nil',
  'undefined',
  'true',
  'false',
  'yes',
  'no',
  'on',
  'off',
  'todo',
  'fixme',
  'test',
  'testing',
  'empty',
  'default',
  'required',
  'optional',
  'unset',
  'notset',
  'not-set',
  'tbd',
  'foo',
  'bar',
  'foobar',
  'xyz',
  'abc',
  'abc123',
  'mysecret',
  'mypassword',
  'mytoken',
  'secret123',
  'password123',
  'letmein',
  'admin',
  'root',
  'user',
  'username'
]);

/** True for values that are references or placeholders rather than a literal secret. */
export function isPlaceholder(raw: string): boolean {
  const value = raw.trim().replace(/^["']|["']$/g, '');
  if (value.length === 0) return true;
  if (DOCUMENTED_EXAMPLES.has(value)) return true;
  // Variable references: ${VAR}, $VAR, $(cmd), %VAR%, {{ template }}, <your-token>, [token].
  if (/\$\{[^}]*\}|^\$[A-Za-z_(]|\$\(|^%[A-Za-z_][A-Za-z0-9_]*%$|\{\{.*\}\}|^<[^<>]*>$|^\[[^\]]*\]$/.test(value)) return true;
  if (PLACEHOLDER_WORDS.has(value.toLowerCase())) return true;
  // One repeated character (xxxx, ****, 0000) or an x/* mask (xxx-xxx).
  if (/^(.)\1*$/.test(value) || /^[xX*.#_-]+$/.test(value)) return true;
  // …also after a token-type prefix (`ghp_xxxxxxxx…`, `sk_live_0000…`).
  const body = value.replace(/^(?:[A-Za-z]{2,6}[_-]){1,2}/, '');
  if (body !== value && body.length >= 8 && (/^(.)\1*$/.test(body) || /^[xX*]+$/.test(body))) return true;
  // Documentation conventions: EXAMPLE / your_token_here / <insert …> anywhere in the value.
  if (/EXAMPLE|example|your[_-]?(?:own[_-]?)?(?:api[_-]?)?(?:key|token|secret|password|pass)|_here$|^insert[_-]|replace[_-]?(?:me|with)/i.test(value))
    return true;
  // Values that say they are not real: `not_a_real_token`, `fake-key`, `dummy_password`.
  if (saysNotReal(value)) return true;
  return false;
}

/** Shannon entropy in bits per character. */
export function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** A run of `n` or more consecutive ascending characters (`abcdef`, `123456`): typed by a person, not random. */
export function hasSequence(value: string, n = 6): boolean {
  let run = 1;
  for (let i = 1; i < value.length; i++) {
    run = value.charCodeAt(i) === value.charCodeAt(i - 1) + 1 ? run + 1 : 1;
    if (run >= n) return true;
  }
  return false;
}

/**
 * The body after a token's type prefix is a mask, not a value: runs of x/X (`xxxx-xxxx`), `#`, `*` or `0`, with
 * separators, or a doc marker at the end (`…TokenHere`, `…####`).
 */
export function isMaskedBody(body: string): boolean {
  if (/^[xX*#._-]+$/.test(body) || /^[0._-]+$/.test(body)) return true;
  if (/(?:here|#{3,}|\*{3,})$/i.test(body)) return true;
  // Mostly x: `xxxxxxxx-xxxxxxxx1` or X-runs of 6+ making up over half of it.
  const xs = body.match(/[xX]{4,}/g)?.join('').length ?? 0;
  return xs >= 6 && xs / body.length > 0.5;
}

/** Values that say no credential is there: `NO_API_KEY_SET`, `not-configured`, `unset`, `none`, `no_token`. */
const SAYS_ABSENT =
  /^(?:(?:no|not)(?:[_-][a-z0-9]+)*[_-](?:set|configured|provided|specified|defined|given)|unset|notset|undefined|none|null|nil|empty|missing|no[_-](?:api[_-]?)?(?:keys?|tokens?|secrets?|password|pass))$/i;

/** `not_a_real_token`, `fake-key`, `dummy_password`, `NO_API_KEY_SET`: the value says it is not a credential. */
export function saysNotReal(value: string): boolean {
  return /not[_-]?(?:a[_-]?)?real|(?:^|[_-])(?:fake|dummy|bogus)(?:[_-]|$)/i.test(value) || SAYS_ABSENT.test(value.trim().replace(/^["']|["']$/g, ''));
}
