// The detector catalogue, in priority order: when two detectors match overlapping text, the earlier (more
// specific) one wins, so an npm token inside `_authToken=` is reported as an npm token, a PEM inside a
// service-account JSON as a service-account key, a GitHub token inside a URL as a GitHub token.
import { awsAccessKeyId, awsSecretAccessKey } from './aws.js';
import { dockerConfigAuth, netrcPassword, pgpassPassword, pypircPassword } from './credential-files.js';
import { githubClassic, githubFineGrained } from './github.js';
import { gitlabToken } from './gitlab.js';
import { googleApiKey, googleServiceAccount } from './google.js';
import { jwt } from './jwt.js';
import { npmToken } from './npm.js';
import { openaiKey } from './openai.js';
import { pypiToken } from './pypi.js';
import { npmrcAuth } from './npmrc.js';
import { privateKey } from './private-key.js';
import { secretName } from './secret-name.js';
import { slackToken, slackWebhook } from './slack.js';
import { stripeLiveKey } from './stripe.js';
import { urlCredentials, urlUserToken } from './url-credentials.js';
import type { Detector } from './types.js';

export const detectors: readonly Detector[] = [
  googleServiceAccount,
  privateKey,
  githubFineGrained,
  githubClassic,
  gitlabToken,
  npmToken,
  pypiToken,
  openaiKey,
  slackWebhook,
  slackToken,
  stripeLiveKey,
  awsAccessKeyId,
  awsSecretAccessKey,
  googleApiKey,
  npmrcAuth,
  dockerConfigAuth,
  netrcPassword,
  pypircPassword,
  pgpassPassword,
  secretName,
  urlCredentials,
  urlUserToken,
  jwt
];

export type { Detector, Hit, Confidence } from './types.js';
export { isSecretName, assessNamedValue, secretName } from './secret-name.js';
