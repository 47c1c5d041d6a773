// GitHub tokens. Classic tokens (ghp_, gho_, ghu_, ghs_, ghr_) end in a checksum: the last 6 characters are the
// base62 CRC32 of the 30 random characters after the prefix, so a passing checksum is a near-certain real token
// and a failing one is usually a made-up string in docs or tests (reported as a warning).
import { crc32 } from 'node:zlib';
import { entropy, isMaskedBody, isPlaceholder } from '../noise.js';
import { startsWithAny, type Detector } from './types.js';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Base62 of an unsigned 32-bit number, left-padded with `0` to 6 characters (GitHub's checksum encoding). */
export function base62Checksum(n: number): string {
  let out = '';
  let rest = n >>> 0;
  do {
    out = BASE62[rest % 62] + out;
    rest = Math.floor(rest / 62);
  } while (rest > 0);
  return out.padStart(6, '0');
}

/** True when a classic token's last 6 characters are the checksum of the 30 characters before them. */
export function githubChecksumValid(token: string): boolean {
  const body = token.slice(4);
  if (body.length !== 36) return false;
  return base62Checksum(crc32(body.slice(0, 30))) === body.slice(30);
}

export const githubClassic: Detector = {
  id: 'github-classic',
  title: 'GitHub token',
  description: 'GitHub classic token (ghp_, gho_, ghu_, ghs_, ghr_); the embedded CRC32 checksum ranks confidence.',
  severity: 'error',
  keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>gh[pousr]_[A-Za-z0-9]{36})(?![A-Za-z0-9_])/g,
  assess: (v) => {
    if (isPlaceholder(v) || isMaskedBody(v.slice(4)) || entropy(v.slice(4)) < 3) return undefined;
    return githubChecksumValid(v) ? { confidence: 'high' } : { confidence: 'low', severity: 'warning' };
  },
  maskPrefix: startsWithAny(['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'])
};

export const githubFineGrained: Detector = {
  id: 'github-fine-grained',
  title: 'GitHub fine-grained token',
  description: 'GitHub fine-grained personal access token (github_pat_…).',
  severity: 'error',
  keywords: ['github_pat_'],
  // 82 characters after the prefix (22 + `_` + 59 today; older ones have no fixed underscore).
  pattern: /(?<![A-Za-z0-9_])(?<secret>github_pat_[A-Za-z0-9_]{82})(?![A-Za-z0-9_])/g,
  assess: (v) => (isPlaceholder(v) || isMaskedBody(v.slice(11)) || entropy(v.slice(11)) < 3.5 ? undefined : { confidence: 'high' }),
  maskPrefix: () => 'github_pat_'
};

/** GitHub App installation tokens in the newer format: `ghs_<installation id>_<JWT>`. */
export const githubInstallationToken: Detector = {
  id: 'github-installation-token',
  title: 'GitHub installation token',
  description: 'GitHub App installation token in the `ghs_<id>_<JWT>` format.',
  severity: 'error',
  keywords: ['ghs_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>ghs_[0-9]{1,20}_eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})(?![A-Za-z0-9_-])/g,
  assess: (v) => (isPlaceholder(v) ? undefined : { confidence: 'high' }),
  maskPrefix: () => 'ghs_'
};
