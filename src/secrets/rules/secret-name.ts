// Name-based rule: a build arg, ENV variable, label or `.env` entry whose NAME says it holds a secret
// (TOKEN, SECRET, PASSWORD/PASSWD, API_KEY, CREDENTIAL, PRIVATE_KEY, AUTH as a whole word of the name) is reported
// with any literal value, whatever its entropy: `ARG DB_PASSWORD=hunter2` leaks as surely as a random token.
// Names that point at a secret rather than hold one (`*_FILE`, `*_PATH`, `*_URL`…) and placeholder values are not.
import { isPlaceholder } from '../noise.js';
import type { Detector } from './types.js';

const SECRET_WORD = /(?:^|_)(?:TOKENS?|SECRETS?|PASSWORDS?|PASSWD|PASSPHRASE|API_?KEYS?|CREDENTIALS?|CREDS|PRIVATE_?KEY|AUTH)(?:_|$)/;
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

export function isSecretName(name: string): boolean {
  const n = normaliseName(name);
  return SECRET_WORD.test(n) && !POINTER_SUFFIX.test(n);
}

/** The name-rule verdict for one NAME=value pair (shared by history, config and `.env` scanning). */
export function assessNamedValue(name: string | undefined, value: string) {
  if (name === undefined || !isSecretName(name)) return undefined;
  const v = value.trim();
  // Shorter than 4 characters or a plain small number (`TOKEN_BUCKET=10`) is a setting, not a credential.
  if (v.length < 4 || /^\d{1,6}$/.test(v) || isPlaceholder(v)) return undefined;
  // A path or file: reference points at the secret (`NPM_TOKEN=/run/secrets/npm`), it is not the secret.
  if (/^(?:\/|\.\.?\/|~\/|file:)/.test(v)) return undefined;
  return { confidence: 'medium' as const };
}

export const secretName: Detector = {
  id: 'secret-name',
  title: 'secret-named variable',
  description:
    'Build arg, ENV variable, label or .env entry whose name says it is a secret (TOKEN, SECRET, PASSWORD, API_KEY, CREDENTIAL, PRIVATE_KEY, AUTH), with a literal value.',
  severity: 'warning',
  keywords: ['='],
  pattern: /^[ \t]*(?:export[ \t]+)?(?<name>[A-Za-z_][A-Za-z0-9_.-]*)[ \t]*=[ \t]*["']?(?<secret>[^\s"'#]+)/gm,
  assess: (value, name) => assessNamedValue(name, value),
  keepTail: true,
  // In files, only dotenv files are read as NAME=value lists; history and config pairs call assessNamedValue.
  appliesTo: (p) => /(?:^|\/)\.env(?:\.[A-Za-z0-9_-]+)?$/.test(p) && !/\.(?:example|sample|template|dist|defaults?)$/.test(p)
};
