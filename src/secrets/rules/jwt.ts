// JSON Web Tokens. Most found in images are short-lived or sample tokens, so they are informational; the header
// must decode to JSON with an `alg` to count.
import type { Detector } from './types.js';

function decodesToJwtHeader(segment: string): boolean {
  try {
    const header = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as unknown;
    return typeof header === 'object' && header !== null && 'alg' in header;
  } catch {
    return false;
  }
}

function decodesToJson(segment: string): boolean {
  try {
    const claims = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as unknown;
    return typeof claims === 'object' && claims !== null;
  } catch {
    return false;
  }
}

export const jwt: Detector = {
  id: 'jwt',
  title: 'JSON Web Token',
  description: 'JSON Web Token (eyJ….eyJ….…); informational: usually short-lived, but may be a long-lived service token.',
  severity: 'info',
  keywords: ['eyJ'],
  // The signature may be absent (`alg: none`, unsigned samples): header and claims are what make a JWT.
  pattern: /(?<![A-Za-z0-9_-])(?<secret>eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}(?:\.[A-Za-z0-9_-]*)?)(?![A-Za-z0-9_.-])/g,
  assess: (v) => (decodesToJwtHeader(v.slice(0, v.indexOf('.'))) && decodesToJson(v.split('.')[1]) ? { confidence: 'medium' } : undefined),
  maskPrefix: () => 'eyJ'
};
