// Detectors that only make sense inside a known credential file: the Docker CLI config's `auths`, `.netrc`
// `password` tokens and `.pypirc` `password =` lines. Elsewhere the same words are everyday prose.
import { isPlaceholder } from '../noise.js';
import type { Detector } from './types.js';

const base = (path: string) => path.slice(path.lastIndexOf('/') + 1);

export const dockerConfigAuth: Detector = {
  id: 'docker-config-auth',
  title: 'registry credential',
  description: 'Docker CLI config (`.docker/config.json`) with an `auths` entry holding `auth` (base64 user:password) or an identity token.',
  severity: 'error',
  keywords: ['"auth"', '"identitytoken"'],
  pattern: /"(?:auth|identitytoken)"\s*:\s*"(?<secret>[A-Za-z0-9+/=._-]{8,})"/g,
  assess: (v) => (isPlaceholder(v) ? undefined : { confidence: 'high' }),
  keepTail: false,
  appliesTo: (p) => /(?:^|\/)\.docker\/config\.json$/.test(p) || /(?:^|\/)\.dockercfg$/.test(p)
};

export const netrcPassword: Detector = {
  id: 'netrc-password',
  title: '.netrc password',
  description: '`.netrc` machine entry with a `password`.',
  severity: 'error',
  keywords: ['password'],
  pattern: /(?:^|\s)password\s+(?<secret>\S+)/g,
  assess: (v) => (isPlaceholder(v) ? undefined : { confidence: 'high' }),
  keepTail: false,
  appliesTo: (p) => ['.netrc', '_netrc'].includes(base(p))
};

export const pypircPassword: Detector = {
  id: 'pypirc-password',
  title: '.pypirc password',
  description: '`.pypirc` index section with a `password` (PyPI API token or account password).',
  severity: 'error',
  keywords: ['password'],
  pattern: /^[ \t]*password[ \t]*[:=][ \t]*(?<secret>\S+)/gm,
  assess: (v) => (isPlaceholder(v) ? undefined : { confidence: 'high' }),
  maskPrefix: (v) => (v.startsWith('pypi-') ? 'pypi-' : ''),
  appliesTo: (p) => base(p) === '.pypirc'
};

export const pgpassPassword: Detector = {
  id: 'pgpass-password',
  title: '.pgpass password',
  description: 'PostgreSQL `.pgpass` line (`host:port:database:user:password`).',
  severity: 'error',
  keywords: [':'],
  pattern: /^[^:\n#]*:[^:\n]*:[^:\n]*:[^:\n]*:(?<secret>[^\n]+)$/gm,
  assess: (v) => (isPlaceholder(v.trim()) ? undefined : { confidence: 'high' }),
  keepTail: false,
  appliesTo: (p) => base(p) === '.pgpass'
};
