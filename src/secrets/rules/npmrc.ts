// `.npmrc` credentials: `_authToken=`, `_auth=` (base64 user:pass) and `_password=` with a literal value.
// `${NPM_TOKEN}` references are how it should be done and are skipped. In an `.npmrc` file an unscoped
// `_authToken=` counts; anywhere else (a RUN line, a script, a config dump) only the scoped registry form
// `//host/path/:_authToken=` does, which is what `echo "//…:_authToken=…" > .npmrc` leaks.
import { isMaskedBody, isPlaceholder } from '../noise.js';
import type { Detector } from './types.js';

const assess = (v: string) => {
  const body = v.replace(/^npm_/, '');
  if (isMaskedBody(body)) return { confidence: 'low' as const, severity: 'info' as const }; // `npm_xxxx…`: a template line
  return isPlaceholder(v) ? undefined : { confidence: 'high' as const };
};

export const npmrcAuth: Detector = {
  id: 'npmrc-auth',
  title: '.npmrc credential',
  description: '.npmrc `_authToken`, `_auth` or `_password` entry with a literal value (not `${VAR}`).',
  severity: 'error',
  keywords: ['_authToken', '_auth', '_password'],
  pattern: /(?:^|[\s"'`=])\/\/[A-Za-z0-9][^\s/:"'`]*(?::\d+)?(?:\/[^\s:"'`]*)?\/:_(?:authToken|auth|password)\s*=\s*["']?(?<secret>[^\s"'`;#][^\s"'`;]{7,})/gm,
  assess,
  keepTail: true
};

export const npmrcFileAuth: Detector = {
  id: 'npmrc-auth',
  title: '.npmrc credential',
  description: '.npmrc `_authToken`, `_auth` or `_password` entry with a literal value, in an .npmrc file.',
  severity: 'error',
  keywords: ['_authToken', '_auth', '_password'],
  pattern: /(?:^|[\s"'`:])_(?:authToken|auth|password)\s*=\s*["']?(?<secret>[^\s"'`;#][^\s"'`;]{7,})/gm,
  assess,
  keepTail: true,
  appliesTo: (p) => /(?:^|\/)\.npmrc$/.test(p)
};
