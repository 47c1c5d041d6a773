// PEM private keys (PKCS#1/#8, EC, DSA, OpenSSH, PGP). A block must have a body of real base64 to count, so
// truncated examples (`-----BEGIN PRIVATE KEY-----\n...`) are skipped. Encrypted keys are a warning: they still
// should not ship, but the passphrase is needed to use them. Bodies may be JSON-escaped (`\n`).
import type { Detector } from './types.js';

const HEADER = /^-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----/;

export const privateKey: Detector = {
  id: 'private-key',
  title: 'private key',
  description: 'PEM private key block (RSA, EC, DSA, OpenSSH, PKCS#8, PGP).',
  severity: 'error',
  keywords: ['PRIVATE KEY'],
  pattern: /(?<secret>-----BEGIN (?<kind>[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?)-----[\s\S]{32,65536}?-----END \k<kind>-----)/g,
  assess: (v) => {
    const body = v
      .replace(HEADER, '')
      .replace(/-----END [\s\S]*$/, '')
      .replace(/\\n|\\r|\s/g, '')
      .replace(/^(?:Proc-Type|DEK-Info|Version|Comment):[^A-Za-z0-9+/]*/gm, '');
    const base64 = body.match(/[A-Za-z0-9+/=]/g)?.length ?? 0;
    if (base64 < 64 || base64 / body.length < 0.9) return undefined;
    const encrypted = /ENCRYPTED/.test(v);
    return encrypted ? { confidence: 'medium', severity: 'warning' } : { confidence: 'high' };
  },
  maskPrefix: (v) => HEADER.exec(v)?.[0] ?? '',
  keepTail: false
};

/**
 * A private-key PEM header whose block has no key material (`…PRIVATE KEY-----\nsuper secret key here`, a header
 * with no END): a note that a key was meant to be there, not a key. Runs after privateKey, which wins the span
 * when the block is real.
 */
export const privateKeyHeader: Detector = {
  id: 'private-key-header',
  title: 'private key header',
  description: 'PEM private-key armour without base64 key material: informational.',
  severity: 'info',
  keywords: ['PRIVATE KEY'],
  pattern: /(?<secret>-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----)/g,
  assess: () => ({ confidence: 'low', severity: 'info' }),
  keepTail: false
};
