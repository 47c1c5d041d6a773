// AWS access key ids have a fixed shape (4-letter type prefix + 16 base32 chars). Secret access keys are 40
// base64 chars with no prefix, so they are only recognised next to their name (env var, credentials file, JSON).
import { entropy, isPlaceholder } from '../noise.js';
import { startsWithAny, type Detector } from './types.js';

const KEY_ID_PREFIXES = ['AKIA', 'ASIA', 'ABIA', 'ACCA', 'AIDA', 'AROA', 'AIPA', 'ANPA', 'ANVA', 'AGPA'];

export const awsAccessKeyId: Detector = {
  id: 'aws-access-key-id',
  title: 'AWS access key id',
  description: 'AWS access key id (AKIA…/ASIA…): identifies a credential whose secret key is usually stored next to it.',
  severity: 'error',
  keywords: ['AKIA', 'ASIA', 'ABIA', 'ACCA'],
  pattern: /(?<![A-Z0-9])(?<secret>(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})(?![A-Z0-9])/g,
  assess: (v) => (isPlaceholder(v) ? undefined : { confidence: 'high' }),
  maskPrefix: startsWithAny(KEY_ID_PREFIXES)
};

export const awsSecretAccessKey: Detector = {
  id: 'aws-secret-access-key',
  title: 'AWS secret access key',
  description: 'AWS secret access key, recognised by its name (aws_secret_access_key, AWS_SECRET_ACCESS_KEY, SecretAccessKey).',
  severity: 'error',
  keywords: ['secret_access_key', 'secretaccesskey', 'aws_secret_key'],
  caseInsensitiveKeywords: true,
  pattern:
    /(?:aws_?secret_?access_?key|secret_?access_?key|aws_?secret_?key)["']?\s*(?:[:=]|=>)\s*["']?(?<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/gi,
  // Real keys are random base64: mixed classes and high entropy; a word or a hex digest is not one.
  assess: (v) =>
    isPlaceholder(v) || !/[A-Z]/.test(v) || !/[a-z]/.test(v) || !/[0-9]/.test(v) || entropy(v) < 4 ? undefined : { confidence: 'high' },
  keepTail: true
};
