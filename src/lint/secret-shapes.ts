// What secrets look like in a Dockerfile: token shapes, credential-bearing names, secret files. Everything that
// reports a match reports it masked (known prefix + `…` + last 2 characters); the value never leaves whole.

interface TokenShape {
  name: string;
  pattern: RegExp;
  /** Characters of the match that are a public, known prefix and may be shown. */
  prefix: (match: string) => string;
}

const fixedPrefix = (n: number) => (m: string) => m.slice(0, n);
const upTo = (sep: string) => (m: string) => m.slice(0, m.indexOf(sep) + 1);

const TOKEN_SHAPES: TokenShape[] = [
  { name: 'GitHub token', pattern: /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,}\b/g, prefix: fixedPrefix(4) },
  { name: 'GitHub fine-grained token', pattern: /\bgithub_pat_[A-Za-z0-9_]{50,}\b/g, prefix: fixedPrefix(11) },
  { name: 'AWS access key id', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, prefix: fixedPrefix(4) },
  { name: 'Slack token', pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}/g, prefix: fixedPrefix(5) },
  { name: 'Stripe key', pattern: /\b[rs]k_live_[A-Za-z0-9]{16,}\b/g, prefix: fixedPrefix(8) },
  { name: 'GitLab token', pattern: /\bglpat-[A-Za-z0-9_-]{20,}/g, prefix: fixedPrefix(6) },
  { name: 'npm token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/g, prefix: fixedPrefix(4) },
  { name: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}/g, prefix: fixedPrefix(4) },
  { name: 'OpenAI key', pattern: /\bsk-(?:proj-)?[A-Za-z0-9_-]{32,}/g, prefix: upTo('-') },
  { name: 'PyPI token', pattern: /\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{40,}/g, prefix: fixedPrefix(5) },
  { name: 'private key', pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/g, prefix: (m) => m },
  { name: 'JSON Web Token', pattern: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g, prefix: fixedPrefix(3) }
];

export interface SecretMatch {
  kind: string;
  /** Offset of the match in the searched text. */
  index: number;
  length: number;
  masked: string;
}

/** `ghp_…Xy`: prefix, an ellipsis, the last two characters (none when the value is short). */
export function maskSecret(value: string, prefix = ''): string {
  if (prefix === value) return `${value}…`;
  const tail = value.length - prefix.length >= 8 ? value.slice(-2) : '';
  return `${prefix}…${tail}`;
}

/** Token-shaped substrings of `text`. */
export function findTokens(text: string): SecretMatch[] {
  const found: SecretMatch[] = [];
  for (const shape of TOKEN_SHAPES) {
    shape.pattern.lastIndex = 0;
    for (const m of text.matchAll(shape.pattern)) {
      found.push({ kind: shape.name, index: m.index ?? 0, length: m[0].length, masked: maskSecret(m[0], shape.prefix(m[0])) });
    }
  }
  return found.sort((a, b) => a.index - b.index);
}

const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:@/'"]+):([^\s@/'"]+)@/gi;
const AUTH_TOKEN_ASSIGNMENT = /(_auth(?:Token)?\s*=\s*)(["']?)([^\s"'$][^\s"']*)/g;

/** Inline credentials in a command line: tokens, `https://user:pass@`, a literal npm `_authToken=`. */
export function findInlineCredentials(text: string): SecretMatch[] {
  const found = findTokens(text);
  for (const m of text.matchAll(URL_CREDENTIALS)) {
    const password = m[3];
    if (password.startsWith('$')) continue; // `https://x:${TOKEN}@` takes the value from a variable
    if (found.some((f) => f.index >= (m.index ?? 0) && f.index < (m.index ?? 0) + m[0].length)) continue;
    found.push({
      kind: 'password in URL',
      index: m.index ?? 0,
      length: m[0].length,
      masked: `${m[1]}${m[2]}:${maskSecret(password)}@`
    });
  }
  for (const m of text.matchAll(AUTH_TOKEN_ASSIGNMENT)) {
    const start = (m.index ?? 0) + m[1].length + m[2].length;
    if (found.some((f) => f.index <= start && start < f.index + f.length)) continue;
    found.push({ kind: 'npm auth token', index: m.index ?? 0, length: m[0].length, masked: `${m[1].trim()}${maskSecret(m[3])}` });
  }
  return found.sort((a, b) => a.index - b.index);
}

const SECRET_NAME_WORDS = new Set([
  'TOKEN', 'TOKENS', 'SECRET', 'SECRETS', 'PASSWORD', 'PASSWD', 'PASSWORDS', 'APIKEY', 'CREDENTIAL', 'CREDENTIALS',
  'AUTH', 'AUTHTOKEN', 'PRIVATEKEY'
]);
const NOT_A_SECRET_SUFFIX = new Set(['FILE', 'PATH', 'URL', 'URI', 'DIR']);

/** True when an ENV/ARG name says it holds a secret (`NPM_TOKEN`, `DB_PASSWORD`, `apiKey`), not a path to one. */
export function isSecretName(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .split(/[_\-.]+/)
    .filter(Boolean);
  if (words.length === 0) return false;
  if (NOT_A_SECRET_SUFFIX.has(words[words.length - 1])) return false;
  for (let k = 0; k < words.length; k++) {
    const w = words[k];
    if (SECRET_NAME_WORDS.has(w)) return true;
    if (w === 'KEY' && (words[k - 1] === 'API' || words[k - 1] === 'PRIVATE')) return true;
  }
  return false;
}

/** A human label when the path names a file that typically holds credentials (`.npmrc`, `id_rsa`, `.aws/`). */
export function secretFileKind(path: string): string | undefined {
  const clean = path.replace(/\\/g, '/').replace(/\/+$/, '');
  const parts = clean.split('/');
  const base = parts[parts.length - 1] ?? '';
  const lower = base.toLowerCase();
  if (parts.some((p) => p === '.ssh')) return 'an SSH directory';
  if (parts.some((p) => p === '.aws')) return 'AWS credentials';
  if (parts.some((p) => p === '.gnupg')) return 'a GnuPG keyring';
  if (lower === '.npmrc') return 'npm credentials (.npmrc)';
  if (lower === '.netrc' || lower === '_netrc') return 'a .netrc';
  if (lower === '.pypirc') return 'PyPI credentials (.pypirc)';
  if (lower === '.git-credentials') return 'Git credentials';
  if (lower === '.pgpass') return 'PostgreSQL passwords (.pgpass)';
  if (lower === 'config.json' && parts[parts.length - 2] === '.docker') return 'Docker registry credentials';
  if (lower === 'config' && parts[parts.length - 2] === '.kube') return 'a kubeconfig';
  if (/^\.env($|\.)/.test(lower) && !/\.(example|sample|template|dist|defaults?|schema)$/.test(lower)) return 'an environment file';
  if (/^id_(rsa|dsa|ecdsa|ed25519)/.test(lower) && !lower.endsWith('.pub')) return 'an SSH private key';
  if (/\.(key|p12|pfx)$/.test(lower) && !/(^|[-_.])pub(lic)?[-_.]/.test(lower)) return 'a private key';
  if (lower.endsWith('.pem') && !/(cert|chain|ca[-_.]|^ca\.|bundle|pub|fullchain|crt)/.test(lower)) return 'a private key';
  if (lower.endsWith('.json') && /(credential|service[-_]?account|client[-_]?secret)/.test(lower)) return 'a credentials file';
  return undefined;
}
