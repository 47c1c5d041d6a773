// Google API keys (AIza…) and service-account key files (JSON with "type": "service_account" and a private_key).
// API keys are often meant to be public (browser/Firebase keys restricted by referrer), hence a warning.
import { isPlaceholder } from '../noise.js';
import type { Detector } from './types.js';

export const googleApiKey: Detector = {
  id: 'google-api-key',
  title: 'Google API key',
  description: 'Google API key (AIza…); often restricted and public by design, so reported as a warning.',
  severity: 'warning',
  keywords: ['AIza'],
  pattern: /(?<![A-Za-z0-9_-])(?<secret>AIza[0-9A-Za-z_-]{35})(?![A-Za-z0-9_-])/g,
  assess: (v) => (isPlaceholder(v) ? undefined : { confidence: 'high' }),
  maskPrefix: () => 'AIza'
};

export const googleServiceAccount: Detector = {
  id: 'google-service-account',
  title: 'Google service-account key',
  description: 'Google Cloud service-account key JSON (`"type": "service_account"` with a `private_key`).',
  severity: 'error',
  keywords: ['service_account'],
  // The secret is the JSON-escaped PEM in private_key; the type marker must appear in the same document.
  pattern: /"type"\s*:\s*"service_account"[\s\S]{0,4096}?"private_key"\s*:\s*"(?<secret>-----BEGIN [A-Z ]*PRIVATE KEY-----[^"]{64,}?-----END [A-Z ]*PRIVATE KEY-----(?:\\n)?)"/g,
  assess: () => ({ confidence: 'high' }),
  maskPrefix: (v) => /^-----BEGIN [A-Z ]*PRIVATE KEY-----/.exec(v)?.[0] ?? '',
  keepTail: false
};
