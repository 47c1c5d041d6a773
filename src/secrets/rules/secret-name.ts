// Name-based rule: a build arg, ENV variable, label or `.env` entry whose NAME says it holds a secret
// (TOKEN, SECRET, PASSWORD/PASSWD/*_PWD, API_KEY, CREDENTIAL, PRIVATE_KEY, AUTH as a whole word of the name) is reported
// with any literal value, whatever its entropy: `ARG DB_PASSWORD=hunter2` leaks as surely as a random token.
// Names that point at a secret rather than hold one (`*_FILE`, `*_PATH`, `*_URL`…) and placeholder values are not.
import { entropy, isPlaceholder } from '../noise.js';
import type { Detector } from './types.js';

const SECRET_WORD = /(?:^|_)(?:TOKENS?|SECRETS?|PASSWORDS?|PASSWD|PASSPHRASE|PGPASSWORD|API_?KEYS?|CREDENTIALS?|CREDS|PRIVATE_?KEY|AUTH)(?:_|$)/;
/** `PWD` abbreviates password in `DB_PWD`, `MYSQL_PWD`, `ADMIN_PWD`…, but alone (or `OLDPWD`) it is the shell's working folder. */
const PWD_WORD = /(?:^|_)PWD(?:_|$)/;
/**
 * Weaker words: `PASS` (`SMTP_PASS`, `PASS`) and a trailing `_KEY` (`STRIPE_KEY`, `SIGNING_KEY`). They also name
 * ordinary things (`PASS_THROUGH`, `CACHE_KEY`), so their values must look like a credential: long enough and
 * random enough (entropy), not a word or a setting.
 */
const WEAK_PASS = /(?:^|_)PASS(?:_|$)/;
const WEAK_KEY = /_KEY$/;
/** Names that say the value is public or not a credential: `publicToken`, `csrf-token`, `PRIMARY_KEY`. */
const NOT_SECRET =
  /(?:^|_)(?:PUBLIC|PUB|PUBLISHABLE|CSRF|XSRF|ANTI_FORGERY|SORT|PARTITION|PRIMARY|FOREIGN|CACHE|ROUTING|IDEMPOTENCY|HASH|RANGE|LOOKUP|GROUP|ENTRY|QUERY|SEARCH|UNIQUE|KEYBOARD|HOT|SHORTCUT|OBJECT|BUCKET|SSH_HOST|HOST|LICENSE_KEY_NAME|PASS_THROUGH|BYPASS)(?:_|$)/;
/** The variable names a location, a switch or a non-secret attribute of the secret. */
const POINTER_SUFFIX =
  /_(?:FILE|FILES|PATH|DIR|URL|URI|HOST|PORT|USER|USERNAME|NAME|ID|TYPE|MODE|METHOD|ENABLED|DISABLED|REQUIRED|TTL|TIMEOUT|EXPIRY|EXPIRES|EXPIRATION|LENGTH|SIZE|HEADER|ENDPOINT|VERSION|PROVIDER|REGION|SCOPES?|ALGORITHM|ALG|FORMAT|PREFIX|ENV|VAR|NAMESPACE|STRATEGY|SERVER|REALM|ISSUER|AUDIENCE)$/;

/** `npmToken`, `npm-token`, `npm.token` → `NPM_TOKEN`. */
export function normaliseName(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toUpperCase();
}

/** 'strong': the name alone says secret; 'weak': only with a credential-like value; undefined: not a secret name. */
export function secretNameClass(name: string): 'strong' | 'weak' | undefined {
  const n = normaliseName(name);
  if (POINTER_SUFFIX.test(n) || NOT_SECRET.test(n)) return undefined;
  if (SECRET_WORD.test(n) || (n !== 'PWD' && PWD_WORD.test(n))) return 'strong';
  if (WEAK_PASS.test(n) || WEAK_KEY.test(n)) return 'weak';
  return undefined;
}

export function isSecretName(name: string): boolean {
  return secretNameClass(name) !== undefined;
}

/** A value that could be a password or key: not a word from a dictionary-like alphabet run, some randomness. */
function credentialLike(v: string, cls: 'strong' | 'weak', keyName: boolean): boolean {
  // Booleans, switches and version numbers (`1.2.3`, `2.0.1-rc1`) are settings.
  if (/^(?:true|false|yes|no|on|off|enabled?|disabled?|none|null|\d+|v?\d+(?:\.\d+)+(?:-?[a-z0-9]+)?)$/i.test(v)) return false;
  const bits = entropy(v);
  if (cls === 'strong') return bits >= 1.5;
  // `*_KEY`: a key is random and long; `*_PASS`: a password is at least not one repeated or common word.
  return keyName ? v.length >= 16 && bits >= 3.2 && !/^[a-z]+(?:[-_.][a-z]+)*$/.test(v) : v.length >= 6 && bits >= 2.5 && !/^[a-z]+$/.test(v);
}

/** The name-rule verdict for one NAME=value pair (shared by history, config and `.env` scanning). */
export function assessNamedValue(name: string | undefined, value: string) {
  const cls = name === undefined ? undefined : secretNameClass(name);
  if (name === undefined || cls === undefined) return undefined;
  const v = value.trim();
  // Shorter than 4 characters or a plain small number (`TOKEN_BUCKET=10`) is a setting, not a credential.
  if (v.length < 4 || /^\d{1,6}$/.test(v) || isPlaceholder(v)) return undefined;
  // A path or file: reference points at the secret (`NPM_TOKEN=/run/secrets/npm`), it is not the secret.
  if (/^(?:\/|\.\.?\/|~\/|file:)/.test(v)) return undefined;
  if (!credentialLike(v, cls, WEAK_KEY.test(normaliseName(name)) && cls === 'weak')) return undefined;
  return { confidence: 'medium' as const };
}

export const secretName: Detector = {
  id: 'secret-name',
  title: 'secret-named variable',
  description:
    'Build arg, ENV variable, label or .env entry whose name says it is a secret (TOKEN, SECRET, PASSWORD, API_KEY, CREDENTIAL, PRIVATE_KEY, AUTH), with a literal value.',
  severity: 'warning',
  keywords: ['='],
  // A `#` starts a comment only after whitespace; inside a value (`p#ss`) it is part of it.
  pattern: /^[ \t]*(?:export[ \t]+)?(?<name>[A-Za-z_][A-Za-z0-9_.-]*)[ \t]*=[ \t]*["']?(?<secret>[^\s"'#](?:[^\s"']|(?<=\S)#)*)/gm,
  assess: (value, name) => assessNamedValue(name, value),
  keepTail: true,
  // In files, only dotenv files are read as NAME=value lists; history and config pairs call assessNamedValue.
  appliesTo: (p) => /(?:^|\/)\.env(?:\.[A-Za-z0-9_-]+)?$/.test(p) && !/\.(?:example|sample|template|dist|defaults?)$/.test(p)
};
