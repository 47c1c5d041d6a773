// `.npmrc` credentials: `_authToken=`, `_auth=` (base64 user:pass) and `_password=` with a literal value, scoped
// (`//registry.example.com/:_authToken=`) or not. `${NPM_TOKEN}` references are how it should be done and are skipped.
// Runs on every text, not only files named .npmrc: `echo "//…:_authToken=…" > .npmrc` in a RUN leaks it too.
import { isPlaceholder } from '../noise.js';
import type { Detector } from './types.js';

export const npmrcAuth: Detector = {
  id: 'npmrc-auth',
  title: '.npmrc credential',
  description: '.npmrc `_authToken`, `_auth` or `_password` entry with a literal value (not `${VAR}`).',
  severity: 'error',
  keywords: ['_authToken', '_auth', '_password'],
  pattern: /(?:^|[\s"'`:])_(?:authToken|auth|password)\s*=\s*["']?(?<secret>[^\s"'`;#]{8,})/gm,
  assess: (v) => (isPlaceholder(v) ? undefined : { confidence: 'high' }),
  keepTail: true
};
