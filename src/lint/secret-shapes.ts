// What secrets look like in a Dockerfile: token shapes, credential-bearing names, secret files. Everything that
// reports a match reports it masked (known prefix + `…` + last 2 characters); the value never leaves whole.
import { detectors } from '../secrets/rules/index.js';
import { scanText } from '../secrets/scan-text.js';
import { maskFor } from '../secrets/mask.js';

export interface SecretMatch {
  kind: string;
  /** Offset of the match in the searched text. */
  index: number;
  length: number;
  masked: string;
  /** Set when the match is only worth a note (a default such as `postgres:postgres`). */
  severity?: 'info';
}

/** `ghp_…Xy`: prefix, an ellipsis, the last two characters (none when the value is short). */
export function maskSecret(value: string, prefix = ''): string {
  if (prefix === value) return `${value}…`;
  const tail = value.length - prefix.length >= 8 ? value.slice(-2) : '';
  return `${prefix}…${tail}`;
}

// Token shapes come from the image scanner's detector catalogue, so the linter and the scanner agree on what a
// secret looks like. Name-based and context detectors are left out: the lint rules judge names and URLs themselves.
const TOKEN_DETECTORS = detectors.filter((d) => !['secret-name', 'url-credentials', 'npmrc-auth'].includes(d.id) && !d.appliesTo);

/** Token-shaped substrings of `text`. */
export function findTokens(text: string): SecretMatch[] {
  return scanText(text, { detectors: TOKEN_DETECTORS })
    .map((h) => ({ kind: h.detector.title, index: h.index, length: h.value.length, masked: maskFor(h.detector, h.value) }))
    .sort((a, b) => a.index - b.index);
}

// Context detectors for command lines: `https://user:password@`, a token in a URL's user part, a literal npm
// `_authToken=`. The scanner's own, so a default like `postgres:postgres` is judged the same way in both places.
const INLINE_DETECTORS = detectors.filter((d) => ['url-credentials', 'url-user-token', 'npmrc-auth'].includes(d.id));

/** `https://deploy:…sh@`: scheme and user say which credential to rotate; the password is masked. */
function urlMask(text: string, index: number, password: string): string {
  const head = /[a-z][a-z0-9+.-]*:\/\/[^\s:@/'"]+:$/i.exec(text.slice(Math.max(0, index - 160), index))?.[0] ?? '';
  return `${head}${maskSecret(password)}@`;
}

/** Inline credentials in a command line: tokens, `https://user:pass@`, a literal npm `_authToken=`. */
export function findInlineCredentials(text: string): SecretMatch[] {
  const found = findTokens(text);
  for (const h of scanText(text, { detectors: INLINE_DETECTORS })) {
    if (found.some((f) => h.index < f.index + f.length && f.index < h.index + h.value.length)) continue;
    found.push({
      kind: h.detector.title,
      index: h.index,
      length: h.value.length,
      masked: h.detector.id === 'url-credentials' ? urlMask(text, h.index, h.value) : maskFor(h.detector, h.value),
      ...(h.severity === 'info' ? { severity: 'info' as const } : {})
    });
  }
  return found.sort((a, b) => a.index - b.index);
}

// One definition of a secret-holding name for the linter and the scanner (ENV/ARG here, history/config there).
export { isSecretName } from '../secrets/rules/secret-name.js';

const TEMPLATE_SUFFIX = /[._-](example|sample|template|tmpl|tpl|dist|defaults?|schema)$/;

// `COPY jenkins.io-2026.key /war/jenkins-key.pub`, `COPY repo.key /etc/apt/keyrings/`: the destination says the
// file is a public (signing) key, whatever its source is called.
const PUBLIC_KEY_DEST = /(\.(pub|asc|gpg)$|(^|\/)(trusted\.gpg\.d|keyrings|rpm-gpg)(\/|$)|pub(lic)?[-_.]?key)/i;

/** True when a COPY destination names a public key (or a keyring folder), so a `*.key` source is not private. */
export function isPublicKeyDestination(dest: string | undefined): boolean {
  return dest !== undefined && PUBLIC_KEY_DEST.test(dest.replace(/\/+$/, ''));
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
  // `.npmrc-ci`, `.npmrc.docker`, `.netrc_prod`: a variant of the file for one environment is the same credential
  // file (templates such as `.npmrc.example` are not).
  const is = (name: string) =>
    lower === name || (lower.startsWith(name) && /^[._-][a-z0-9][a-z0-9._-]*$/.test(lower.slice(name.length)) && !TEMPLATE_SUFFIX.test(lower));
  if (is('.npmrc')) return 'npm credentials (.npmrc)';
  if (is('.netrc') || is('_netrc')) return 'a .netrc';
  if (is('.pypirc')) return 'PyPI credentials (.pypirc)';
  if (is('.git-credentials')) return 'Git credentials';
  if (is('.pgpass')) return 'PostgreSQL passwords (.pgpass)';
  if (lower === 'config.json' && parts[parts.length - 2] === '.docker') return 'Docker registry credentials';
  if (lower === 'config' && parts[parts.length - 2] === '.kube') return 'a kubeconfig';
  if (/^\.env($|\.)/.test(lower) && !TEMPLATE_SUFFIX.test(lower)) return 'an environment file';
  if (/^id_(rsa|dsa|ecdsa|ed25519)/.test(lower) && !lower.endsWith('.pub')) return 'an SSH private key';
  if (/\.(key|p12|pfx)$/.test(lower) && !/(^|[-_.])pub(lic)?[-_.]/.test(lower)) return 'a private key';
  if (lower.endsWith('.pem') && !/(cert|chain|ca[-_.]|^ca\.|bundle|pub|fullchain|crt)/.test(lower)) return 'a private key';
  if (lower.endsWith('.json') && /(credential|service[-_]?account|client[-_]?secret)/.test(lower)) return 'a credentials file';
  return undefined;
}

/**
 * The credential file a COPY/ADD of `source` writes: named by the source (`COPY .npmrc ./`), or, when one file is
 * copied to a file path, by the destination (`COPY npmrc.ci /root/.npmrc`). `path` is where it lands.
 */
export function copiedSecretFile(source: string, dest: string | undefined, sources: number): { kind: string; path: string } | undefined {
  const into = dest === undefined || dest.endsWith('/') || sources > 1 || dest === '.' || dest === './';
  const name = source.replace(/\/+$/, '').slice(source.replace(/\/+$/, '').lastIndexOf('/') + 1);
  const where = dest === undefined ? name : into ? `${dest.replace(/\/+$/, '')}/${name}` : dest;
  const kind = secretFileKind(source) ?? (!into && dest !== undefined ? secretFileKind(dest) : undefined);
  return kind ? { kind, path: where } : undefined;
}
