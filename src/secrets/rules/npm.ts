// npm automation / publish / granular tokens: `npm_` + 36 base62 characters.
import { isPlaceholder } from '../noise.js';
import type { Detector } from './types.js';

export const npmToken: Detector = {
  id: 'npm-token',
  title: 'npm token',
  description: 'npm access token (npm_…).',
  severity: 'error',
  keywords: ['npm_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>npm_[A-Za-z0-9]{36})(?![A-Za-z0-9_])/g,
  assess: (v) => (isPlaceholder(v) || !/[0-9]/.test(v) ? undefined : { confidence: 'high' }),
  maskPrefix: () => 'npm_'
};
