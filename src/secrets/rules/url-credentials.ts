// URLs with an inline password (`https://user:password@host`, `postgres://app:pw@db/app`). The secret is the
// password; user and host stay readable in the message because they say which credential to rotate.
import { isPlaceholder } from '../noise.js';
import type { Detector } from './types.js';

export const urlCredentials: Detector = {
  id: 'url-credentials',
  title: 'password in URL',
  description: 'URL with an inline `user:password@` (git remotes, database URLs, registry mirrors).',
  severity: 'warning',
  keywords: ['://'],
  pattern: /\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s:@/'"<>`]{1,128}:(?<secret>[^\s:@/'"<>`]{3,256})@[A-Za-z0-9][A-Za-z0-9.-]*/g,
  assess: (v) => (isPlaceholder(v) || /^\$|^\*+$|%s|^:/.test(v) ? undefined : { confidence: 'medium' }),
  keepTail: false
};
