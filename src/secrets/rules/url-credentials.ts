// URLs with an inline password (`https://user:password@host`, `postgres://app:pw@db/app`). The secret is the
// password; user and host stay readable in the message because they say which credential to rotate.
// Templates (`{USER}:{PASS}`, `REPLACE_WITH_PASSWORD`) are not credentials, and a default where the user is the
// password (`postgres:postgres`, `guest:guest`) is reported as info only, never masked in the output.
// A token in the user part (`https://<token>:x-oauth-basic@github.com`) is the secret there (urlUserToken).
import { entropy, isPlaceholder } from '../noise.js';
import type { Detector } from './types.js';

/** `{PASS}`, `%(password)s`, `:pass@`-style template parts and `REPLACE_WITH_…` instructions. */
const TEMPLATE = /^\$|^\*+$|%s|^:|[{}]|%\(|^_+[A-Z]+_*$|^REPLACE|^YOUR[_-]|^<|>$|^\[.*\]$/i;
/** Passwords that stand in for "no password" in token-in-user URLs. */
const TOKEN_PASSWORDS = new Set(['x-oauth-basic', 'x-oauth', 'oauth2', 'x']);

export const urlCredentials: Detector = {
  id: 'url-credentials',
  title: 'password in URL',
  description: 'URL with an inline `user:password@` (git remotes, database URLs, registry mirrors).',
  severity: 'warning',
  keywords: ['://'],
  pattern: /\b[a-z][a-z0-9+.-]{1,20}:\/\/(?<name>[^\s:@/'"<>`]{1,128}):(?<secret>[^\s:@/'"<>`]{3,256})@[A-Za-z0-9][A-Za-z0-9.-]*/gi,
  assess: (v, user) => {
    if (TEMPLATE.test(v) || TOKEN_PASSWORDS.has(v.toLowerCase())) return undefined;
    if (user !== undefined && (TEMPLATE.test(user) || /^\$\{?[A-Za-z_]/.test(user)) && /^[A-Za-z_]+$/.test(v)) return undefined;
    // A well-known default (`postgres:postgres`, `guest:guest`) or a doc word (`user:pass`, `admin:password`):
    // worth a note, not a credential to hide.
    if ((user !== undefined && v.toLowerCase() === user.toLowerCase()) || isPlaceholder(v)) return { confidence: 'low', severity: 'info' };
    return { confidence: 'medium' };
  },
  keepTail: false
};

export const urlUserToken: Detector = {
  id: 'url-user-token',
  title: 'token in URL',
  description: 'URL whose user part is a token (`https://<token>:x-oauth-basic@github.com`, `https://<token>@host`).',
  severity: 'warning',
  keywords: ['://'],
  pattern: /\bhttps?:\/\/(?<secret>[A-Za-z0-9_-]{20,255})(?::(?:x-oauth-basic|x-oauth|oauth2|x)?)?@[A-Za-z0-9][A-Za-z0-9.-]*/g,
  // A random token, not a long user name: mixed letters and digits with high entropy.
  assess: (v) => (isPlaceholder(v) || !/[0-9]/.test(v) || !/[A-Za-z]/.test(v) || entropy(v) < 3.5 ? undefined : { confidence: 'medium' }),
  keepTail: true
};
