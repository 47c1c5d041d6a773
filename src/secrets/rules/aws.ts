// AWS access key ids have a fixed shape (4-letter type prefix + 16 base32 chars). Secret access keys are 40
// base64 chars with no prefix, so they are only recognised next to their name (env var, credentials file, JSON).
import { entropy, isMaskedBody, isPlaceholder } from '../noise.js';
import { startsWithAny, type Detector } from './types.js';

const KEY_ID_PREFIXES = ['AKIA', 'ASIA', 'ABIA', 'ACCA', 'AIDA', 'AROA', 'AIPA', 'ANPA', 'ANVA', 'AGPA', 'A3T'];

export const awsAccessKeyId: Detector = {
  id: 'aws-access-key-id',
  title: 'AWS access key id',
  description: 'AWS access key id (AKIA…/ASIA…/ABIA…/ACCA…, older A3T…): identifies a credential whose secret key is usually stored next to it.',
  severity: 'error',
  keywords: ['AKIA', 'ASIA', 'ABIA', 'ACCA', 'A3T'],
  pattern: /(?<![A-Za-z0-9])(?<secret>(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})(?![A-Za-z0-9])/g,
  // `AKIAXXXXXXXXXXXXXXXX` is a mask; other letters repeated are left to the shape (tests use them as keys).
  assess: (v) => (isPlaceholder(v) || isMaskedBody(v.slice(4)) ? undefined : { confidence: 'high' }),
  maskPrefix: startsWithAny(KEY_ID_PREFIXES)
};

export const awsSecretAccessKey: Detector = {
  id: 'aws-secret-access-key',
  title: 'AWS secret access key',
  description: 'AWS secret access key, recognised by its name (aws_secret_access_key, AWS_SECRET_ACCESS_KEY, SecretAccessKey).',
  severity: 'error',
  keywords: ['secret_access_key', 'secretaccesskey', 'aws_secret_key'],
  caseInsensitiveKeywords: true,
  pattern: /(?:aws_?secret_?access_?key|secret_?access_?key|aws_?secret_?key)["']?\s*(?:[:=]|=>)\s*["']?(?<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/gi,
  // Real keys are random base64: mixed classes and high entropy; a word or a hex digest is not one.
  assess: (v) => (isPlaceholder(v) || !/[A-Z]/.test(v) || !/[a-z]/.test(v) || !/[0-9]/.test(v) || entropy(v) < 4 ? undefined : { confidence: 'high' }),
  keepTail: true
};

export const awsBedrockKey: Detector = {
  id: 'aws-bedrock-key',
  title: 'Amazon Bedrock API key',
  description: 'Amazon Bedrock API key: long-lived (ABSK + base64 of `BedrockAPIKey-…`) or short-lived (bedrock-api-key-…).',
  severity: 'error',
  keywords: ['ABSKQmVkcm9ja0FQSUtleS', 'bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t'],
  pattern:
    /(?<![A-Za-z0-9+/])(?<secret>ABSKQmVkcm9ja0FQSUtleS[A-Za-z0-9+/]{87,247}={0,2}|bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t[A-Za-z0-9+/=%&.-]*)(?![A-Za-z0-9+/])/g,
  // AWS's documented EXAMPLE keys have the real length: a note, not a credential.
  assess: (v) => (/EXAMPLE/.test(v) ? { confidence: 'low', severity: 'info' } : { confidence: 'high' }),
  maskPrefix: (v) => (v.startsWith('ABSK') ? 'ABSK' : 'bedrock-api-key-')
};
