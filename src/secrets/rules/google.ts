// Google API keys (AIza…) and service-account key files (JSON with "type": "service_account" and a private_key).
// API keys are often meant to be public (browser/Firebase keys restricted by referrer), hence a warning; the
// example keys the Firebase/Google SDKs publish, and typed strings (`AIzaaaaa…`, `…abcdefghij…`), are dropped.
import { entropy, hasSequence, isPlaceholder, PUBLIC_SDK_GOOGLE_KEYS } from '../noise.js';
import type { Detector } from './types.js';

export const googleApiKey: Detector = {
  id: 'google-api-key',
  title: 'Google API key',
  description: 'Google API key (AIza…); often restricted and public by design, so reported as a warning.',
  severity: 'warning',
  keywords: ['AIza'],
  pattern: /(?<![A-Za-z0-9_-])(?<secret>AIza[0-9A-Za-z_-]{35})(?![A-Za-z0-9_-])/g,
  assess: (v) =>
    isPlaceholder(v) || PUBLIC_SDK_GOOGLE_KEYS.has(v) || entropy(v.slice(4)) < 3.5 || hasSequence(v.slice(4), 5) ? undefined : { confidence: 'high' },
  maskPrefix: () => 'AIza'
};

/** Any PEM armour for a private key (`BEGIN PRIVATE KEY`, `BEGIN RSA PRIVATE KEY`…), raw or JSON-escaped. */
const PEM_IN_JSON = /-----BEGIN [A-Z ]*PRIVATE KEY-----(?:\\[nr]|[\r\n]|[^"\\])[\s\S]{32,}?-----END [A-Z ]*PRIVATE KEY-----(?:\\[nr])*/;

export const googleServiceAccount: Detector = {
  id: 'google-service-account',
  title: 'Google service-account key',
  description: 'Google Cloud service-account key JSON (`"type": "service_account"` with a `private_key`).',
  severity: 'error',
  keywords: ['service_account'],
  // The secret is the JSON-escaped PEM in private_key; the type marker must appear in the same document, before
  // or after it (key order is not fixed).
  pattern: new RegExp(
    `"type"\\s*:\\s*"service_account"[\\s\\S]{0,8192}?"private_key"\\s*:\\s*"(?<secret>${PEM_IN_JSON.source})"|"private_key"\\s*:\\s*"(?<secret2>${PEM_IN_JSON.source})"(?=[\\s\\S]{0,8192}?"type"\\s*:\\s*"service_account")`,
    'g'
  ),
  assess: () => ({ confidence: 'high' }),
  maskPrefix: (v) => /^-----BEGIN [A-Z ]*PRIVATE KEY-----/.exec(v)?.[0] ?? '',
  keepTail: false
};

/** The `"type": "service_account"` marker with no key next to it: a note that a key file's skeleton is there. */
export const googleServiceAccountMarker: Detector = {
  id: 'google-service-account-marker',
  title: 'Google service-account file',
  description: 'A `"type": "service_account"` document without a private key: informational.',
  severity: 'info',
  keywords: ['service_account'],
  // Only when no key is in the same document (the key detector reports that one).
  pattern: /(?<!"private_key"\s*:\s*"-----BEGIN[\s\S]{0,8192})"type"\s*:\s*"(?<secret>service_account)"(?![\s\S]{0,8192}"private_key"\s*:\s*"-----BEGIN)/g,
  assess: () => ({ confidence: 'low', severity: 'info' }),
  keepTail: false
};
