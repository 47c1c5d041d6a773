// The detector catalogue, in priority order: when two detectors match overlapping text, the earlier (more
// specific) one wins, so an npm token inside `_authToken=` is reported as an npm token, a PEM inside a
// service-account JSON as a service-account key, a GitHub token inside a URL as a GitHub token.
import { awsAccessKeyId, awsBedrockKey, awsSecretAccessKey } from './aws.js';
import { dockerConfigAuth, netrcPassword, pgpassPassword, pypircPassword } from './credential-files.js';
import { githubClassic, githubFineGrained, githubInstallationToken } from './github.js';
import { gitlabSessionCookie, gitlabToken } from './gitlab.js';
import { googleApiKey, googleServiceAccount, googleServiceAccountMarker } from './google.js';
import { jwt } from './jwt.js';
import { npmToken } from './npm.js';
import { openaiKey } from './openai.js';
import { pypiToken } from './pypi.js';
import { npmrcAuth, npmrcFileAuth } from './npmrc.js';
import { privateKey, privateKeyHeader } from './private-key.js';
import { secretName } from './secret-name.js';
import { slackToken, slackWebhook } from './slack.js';
import { stripeLiveKey } from './stripe.js';
import { urlCredentials, urlUserToken } from './url-credentials.js';
import type { Detector } from './types.js';

export const detectors: readonly Detector[] = [
  googleServiceAccount,
  privateKey,
  githubInstallationToken,
  githubFineGrained,
  githubClassic,
  gitlabToken,
  gitlabSessionCookie,
  npmToken,
  pypiToken,
  openaiKey,
  slackWebhook,
  slackToken,
  stripeLiveKey,
  awsAccessKeyId,
  awsSecretAccessKey,
  awsBedrockKey,
  googleApiKey,
  npmrcAuth,
  npmrcFileAuth,
  dockerConfigAuth,
  netrcPassword,
  pypircPassword,
  pgpassPassword,
  secretName,
  urlCredentials,
  urlUserToken,
  jwt,
  privateKeyHeader,
  googleServiceAccountMarker
];

export type { Detector, Hit, Confidence } from './types.js';
export { isSecretName, assessNamedValue, secretName } from './secret-name.js';
