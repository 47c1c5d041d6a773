// OpenAI API keys: `sk-` (legacy) or `sk-proj-` + a long base62/underscore/dash body.
import { isPlaceholder } from '../noise.js';
import type { Detector } from './types.js';

export const openaiKey: Detector = {
  id: 'openai-key',
  title: 'OpenAI key',
  description: 'OpenAI API key (sk-…, sk-proj-…).',
  severity: 'error',
  keywords: ['sk-'],
  pattern: /(?<![A-Za-z0-9_-])(?<secret>sk-(?:proj-)?[A-Za-z0-9_-]{32,})(?![A-Za-z0-9_-])/g,
  // Real keys mix digits and letters; `sk-this-is-not-a-real-key-at-all…` does not.
  assess: (v) => (isPlaceholder(v) || !/[0-9]/.test(v) || !/[A-Z]/.test(v) ? undefined : { confidence: 'medium' }),
  maskPrefix: (v) => (v.startsWith('sk-proj-') ? 'sk-proj-' : 'sk-')
};
