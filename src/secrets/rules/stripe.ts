// Stripe live secret and restricted keys. Test-mode keys (sk_test_) move no money and are not reported.
import { isPlaceholder } from '../noise.js';
import { startsWithAny, type Detector } from './types.js';

export const stripeLiveKey: Detector = {
  id: 'stripe-live-key',
  title: 'Stripe live key',
  description: 'Stripe live secret or restricted key (sk_live_, rk_live_).',
  severity: 'error',
  keywords: ['sk_live_', 'rk_live_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>[sr]k_live_[0-9A-Za-z]{24,247})(?![A-Za-z0-9_])/g,
  assess: (v) => (isPlaceholder(v) ? undefined : { confidence: 'high' }),
  maskPrefix: startsWithAny(['sk_live_', 'rk_live_'])
};
