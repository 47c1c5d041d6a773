// PyPI API tokens: macaroons whose body starts with the base64 of their `pypi.org` location.
import type { Detector } from './types.js';

export const pypiToken: Detector = {
  id: 'pypi-token',
  title: 'PyPI token',
  description: 'PyPI upload token (pypi-AgEIcHlwaS5vcmc…).',
  severity: 'error',
  keywords: ['pypi-AgEIcHlwaS5vcmc'],
  pattern: /(?<![A-Za-z0-9_-])(?<secret>pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{40,})/g,
  maskPrefix: () => 'pypi-'
};
