// Values that look like secrets but are not: documented example keys, template placeholders and variable
// references. Dropping them is what keeps the scanner quiet on docs, samples and `${NPM_TOKEN}`-style templates.

/** Keys published in vendor documentation (AWS docs, etc.): never real. */
const DOCUMENTED_EXAMPLES = new Set([
  'AKIAIOSFODNN7EXAMPLE',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  'AKIAI44QH8DHBEXAMPLE',
  'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY'
]);

const PLACEHOLDER_WORDS = new Set([
  'changeme', 'change_me', 'change-me', 'changeit', 'placeholder', 'dummy', 'example', 'sample', 'secret', 'secrets',
  'password', 'passwd', 'pass', 'token', 'apikey', 'api_key', 'redacted', 'hidden', 'masked', 'none', 'null', 'nil',
  'undefined', 'true', 'false', 'yes', 'no', 'on', 'off', 'todo', 'fixme', 'test', 'testing', 'empty', 'default',
  'required', 'optional', 'unset', 'notset', 'not-set', 'tbd', 'foo', 'bar', 'foobar', 'xyz', 'abc', 'abc123',
  'mysecret', 'mypassword', 'mytoken', 'secret123', 'password123', 'letmein', 'admin', 'root', 'user', 'username'
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
  if (/EXAMPLE|example|your[_-]?(?:own[_-]?)?(?:api[_-]?)?(?:key|token|secret|password|pass)|_here$|^insert[_-]|replace[_-]?me/i.test(value)) return true;
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
