// PyPI API tokens: macaroons whose body starts with the base64 of their location, `pypi.org` or `test.pypi.org`.
// A structured macaroon (identifier field after the location) ends with its 32-byte signature field; one cut
// before it is a truncated sample and only worth a note.
import type { Detector } from './types.js';

/** True when the decoded macaroon has an identifier but no signature field (`0x00 0x06 0x20` + 32 bytes). */
function truncatedMacaroon(token: string): boolean {
  const bytes = Buffer.from(token.slice('pypi-'.length), 'base64url');
  const locationEnd = 3 + bytes[2];
  if (bytes[0] !== 0x02 || bytes[1] !== 0x01 || bytes[locationEnd] !== 0x02) return false;
  for (let i = locationEnd; i + 2 < bytes.length; i++) if (bytes[i] === 0x00 && bytes[i + 1] === 0x06 && bytes[i + 2] === 0x20) return false;
  return true;
}

export const pypiToken: Detector = {
  id: 'pypi-token',
  title: 'PyPI token',
  description: 'PyPI upload token (pypi-AgEIcHlwaS5vcmc… for pypi.org, pypi-AgENdGVzdC5weXBpLm9yZw… for test.pypi.org).',
  severity: 'error',
  keywords: ['pypi-AgEIcHlwaS5vcmc', 'pypi-AgENdGVzdC5weXBpLm9yZw'],
  pattern: /(?<![A-Za-z0-9_-])(?<secret>pypi-(?:AgEIcHlwaS5vcmc|AgENdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{50,})/g,
  assess: (v) => {
    if (truncatedMacaroon(v)) return { confidence: 'low', severity: 'info' };
    // test.pypi.org uploads reach no real index: a warning.
    return v.includes('AgENdGVzdC5weXBpLm9yZw') ? { confidence: 'high', severity: 'warning' } : { confidence: 'high' };
  },
  maskPrefix: () => 'pypi-'
};
