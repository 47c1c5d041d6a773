// Stripe secret and restricted keys (sk_/rk_) in live, prod and test mode. Test-mode keys move no money but still
// open the account's test data, so they are reported at info rather than not at all. Publishable keys (pk_) are
// public by design.
import { entropy, isMaskedBody, isPlaceholder } from '../noise.js';
import type { Detector } from './types.js';

export const stripeLiveKey: Detector = {
  id: 'stripe-live-key',
  title: 'Stripe key',
  description: 'Stripe secret or restricted key (sk_live_, rk_live_, sk_prod_, rk_prod_; sk_test_/rk_test_ as info).',
  severity: 'error',
  keywords: ['k_live_', 'k_prod_', 'k_test_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>[sr]k_(?:live|prod|test)_[0-9A-Za-z]{10,247})(?![A-Za-z0-9_])/g,
  assess: (v) => {
    const body = v.slice(v.indexOf('_', 3) + 1);
    if (isPlaceholder(v) || isMaskedBody(body) || entropy(body) < 3 || (/^(.)\1+$/.test(body.slice(0, 8)) && entropy(body) < 3.5)) return undefined;
    return v.includes('_test_') ? { confidence: 'low', severity: 'info' } : { confidence: 'high' };
  },
  maskPrefix: (v) => v.slice(0, v.indexOf('_', 3) + 1)
};
