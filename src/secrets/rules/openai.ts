// OpenAI API keys: `sk-`, `sk-proj-`, `sk-svcacct-`, `sk-admin-` + a body that embeds `T3BlbkFJ` (base64 of
// "OpenAI"). Keys without the marker are made-up or another vendor's `sk-` (Stripe-style, DeepSeek…).
import { isPlaceholder } from '../noise.js';
import type { Detector } from './types.js';

export const openaiKey: Detector = {
  id: 'openai-key',
  title: 'OpenAI key',
  description: 'OpenAI API key (sk-…, sk-proj-…, sk-svcacct-…, sk-admin-…) with its T3BlbkFJ marker.',
  severity: 'error',
  keywords: ['T3BlbkFJ'],
  pattern: /(?<![A-Za-z0-9_-])(?<secret>sk-(?:(?:proj|svcacct|admin)-)?[A-Za-z0-9_-]{10,200}T3BlbkFJ[A-Za-z0-9_-]{10,200})(?![A-Za-z0-9_-])/g,
  assess: (v) => (isPlaceholder(v) ? undefined : { confidence: 'high' }),
  maskPrefix: (v) => /^sk-(?:(?:proj|svcacct|admin)-)?/.exec(v)?.[0] ?? 'sk-'
};
