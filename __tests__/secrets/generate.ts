// Test secrets, generated at run time: nothing secret-shaped is ever committed. Every generator makes a value
// of the real shape (valid GitHub checksums, real PEM keys from node:crypto, base32 AWS key ids) so detectors
// are tested against what they will meet, and each call returns a different value.
import { generateKeyPairSync, randomBytes, randomInt } from 'node:crypto';
import { crc32 } from 'node:zlib';

export const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const BASE64 = BASE62 + '+/';

export function randomFrom(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** Random, but guaranteed to contain an upper-case letter, a lower-case letter and a digit. */
function mixed(alphabet: string, length: number): string {
  for (;;) {
    const s = randomFrom(alphabet, length);
    if (/[A-Z]/.test(s) && /[a-z]/.test(s) && /[0-9]/.test(s)) return s;
  }
}

function base62Pad6(n: number): string {
  let s = '';
  for (let x = n >>> 0; x > 0; x = Math.floor(x / 62)) s = BASE62[x % 62] + s;
  return s.padStart(6, '0');
}

export type GithubPrefix = 'ghp_' | 'gho_' | 'ghu_' | 'ghs_' | 'ghr_';

/** GitHub classic token: prefix + 30 random base62 + base62(crc32(random part)). `validChecksum: false` breaks it. */
export function githubClassicToken(prefix: GithubPrefix = 'ghp_', opts: { validChecksum?: boolean } = {}): string {
  const body = mixed(BASE62, 30);
  let sum = base62Pad6(crc32(body));
  if (opts.validChecksum === false) sum = sum.slice(0, 5) + BASE62[(BASE62.indexOf(sum[5]) + 1) % 62];
  return prefix + body + sum;
}

export const githubFineGrainedToken = () => `github_pat_${mixed(BASE62, 22)}_${mixed(BASE62, 59)}`;
export const gitlabToken = () => `glpat-${mixed(BASE62 + '_-', 20)}`;
export const npmToken = () => `npm_${mixed(BASE62, 36)}`;
export const awsAccessKeyId = (prefix: 'AKIA' | 'ASIA' = 'AKIA') => prefix + randomFrom(BASE32, 16);
export const awsSecretAccessKey = () => mixed(BASE64, 40);
export const slackBotToken = () => `xoxb-${randomFrom('0123456789', 12)}-${randomFrom('0123456789', 13)}-${mixed(BASE62, 24)}`;
export const slackWebhook = () => `https://hooks.slack.com/services/T${randomFrom(UPPER_DIGITS, 8)}/B${randomFrom(UPPER_DIGITS, 10)}/${mixed(BASE62, 24)}`;
export const stripeLiveKey = (kind: 'sk' | 'rk' = 'sk') => `${kind}_live_${mixed(BASE62, 99)}`;
export const googleApiKey = () => `AIza${mixed(BASE62 + '_-', 35)}`;
/** A password-like value with no recognisable shape (for name-based rules and URLs). */
export const password = (length = 18) => mixed(BASE62, length);

export type PemKind = 'rsa-pkcs1' | 'pkcs8' | 'ec' | 'ed25519' | 'openssh' | 'encrypted';

/** A real private key in PEM (node:crypto); `openssh` wraps random key material in the OpenSSH container header. */
export function privateKeyPem(kind: PemKind = 'pkcs8'): string {
  switch (kind) {
    case 'rsa-pkcs1':
      return generateKeyPairSync('rsa', {
        modulusLength: 2048,
        privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
        publicKeyEncoding: { type: 'spki', format: 'pem' }
      }).privateKey;
    case 'pkcs8':
      return generateKeyPairSync('rsa', {
        modulusLength: 2048,
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
        publicKeyEncoding: { type: 'spki', format: 'pem' }
      }).privateKey;
    case 'ec':
      return generateKeyPairSync('ec', {
        namedCurve: 'P-256',
        privateKeyEncoding: { type: 'sec1', format: 'pem' },
        publicKeyEncoding: { type: 'spki', format: 'pem' }
      }).privateKey;
    case 'ed25519':
      return generateKeyPairSync('ed25519', { privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } })
        .privateKey;
    case 'encrypted':
      return generateKeyPairSync('rsa', {
        modulusLength: 2048,
        privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: password() },
        publicKeyEncoding: { type: 'spki', format: 'pem' }
      }).privateKey;
    case 'openssh': {
      const blob = Buffer.concat([Buffer.from('openssh-key-v1\0'), randomBytes(380)]).toString('base64');
      return `-----BEGIN OPENSSH PRIVATE KEY-----\n${blob.match(/.{1,70}/g)!.join('\n')}\n-----END OPENSSH PRIVATE KEY-----\n`;
    }
  }
}

/** A Google service-account key file; `privateKey` is the PEM exactly as JSON-escaped in the file. */
export function serviceAccountJson(): { json: string; privateKey: string } {
  const pem = privateKeyPem('pkcs8');
  const json = JSON.stringify(
    {
      type: 'service_account',
      project_id: `proj-${randomFrom('abcdefghijklmnopqrstuvwxyz', 8)}`,
      private_key_id: randomBytes(20).toString('hex'),
      private_key: pem,
      client_email: `svc@proj.iam.gserviceaccount.com`,
      client_id: randomFrom('0123456789', 21),
      token_uri: 'https://oauth2.googleapis.com/token'
    },
    null,
    2
  );
  return { json, privateKey: JSON.stringify(pem).slice(1, -1) };
}

export function jwtToken(): string {
  const seg = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${seg({ alg: 'HS256', typ: 'JWT' })}.${seg({ sub: randomFrom(BASE62, 12), iat: 1700000000 })}.${randomBytes(32).toString('base64url')}`;
}

export const urlWithPassword = (pw = password()) => ({ url: `https://deploy:${pw}@git.acme-corp.net/org/repo.git`, password: pw });

export type Family =
  | 'github-classic'
  | 'github-fine-grained'
  | 'gitlab'
  | 'npm'
  | 'npmrc-auth'
  | 'aws-key-id'
  | 'aws-secret'
  | 'slack-token'
  | 'slack-webhook'
  | 'stripe'
  | 'google-api-key'
  | 'private-key'
  | 'service-account'
  | 'jwt'
  | 'url-password'
  | 'env-name';

export interface Planted {
  family: Family;
  /** The secret value a scanner must report. */
  value: string;
  /** A file holding it, in the context a real leak has. */
  file: string;
  /** The file's content; '' when the value shares the previous entry's file (AWS key id + secret key). */
  content: string;
}

/** One planted secret of each family in a realistic file (the bench corpus and the property tests use it). */
export function plantAll(): Planted[] {
  const gh = githubClassicToken();
  const fg = githubFineGrainedToken();
  const gl = gitlabToken();
  const npm = npmToken();
  const legacyNpm = `${randomBytes(4).toString('hex')}-${randomBytes(2).toString('hex')}-${randomBytes(2).toString('hex')}-${randomBytes(2).toString('hex')}-${randomBytes(6).toString('hex')}`;
  const akid = awsAccessKeyId();
  const aws = awsSecretAccessKey();
  const slack = slackBotToken();
  const hook = slackWebhook();
  const stripe = stripeLiveKey();
  const gkey = googleApiKey();
  const pem = privateKeyPem('rsa-pkcs1');
  const sa = serviceAccountJson();
  const token = jwtToken();
  const url = urlWithPassword();
  const envPw = password(14);
  return [
    {
      family: 'github-classic',
      value: gh,
      file: 'app/scripts/release.sh',
      content: `#!/bin/sh\ncurl -H "Authorization: token ${gh}" https://api.github.com/user\n`
    },
    { family: 'github-fine-grained', value: fg, file: 'app/config/github.yml', content: `github:\n  token: ${fg}\n` },
    { family: 'gitlab', value: gl, file: 'app/.gitlab-token', content: `${gl}\n` },
    { family: 'npm', value: npm, file: 'home/node/.npmrc', content: `//registry.npmjs.org/:_authToken=${npm}\n` },
    {
      family: 'npmrc-auth',
      value: legacyNpm,
      file: 'root/.npmrc',
      content: `registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken=${legacyNpm}\n`
    },
    { family: 'aws-key-id', value: akid, file: 'root/.aws/credentials', content: `[default]\naws_access_key_id = ${akid}\naws_secret_access_key = ${aws}\n` },
    { family: 'aws-secret', value: aws, file: 'root/.aws/credentials', content: '' },
    { family: 'slack-token', value: slack, file: 'app/config/slack.json', content: `{"botToken": "${slack}"}\n` },
    { family: 'slack-webhook', value: hook, file: 'app/config/notify.ini', content: `[notify]\nwebhook = ${hook}\n` },
    { family: 'stripe', value: stripe, file: 'app/config/payments.properties', content: `stripe.secret=${stripe}\n` },
    { family: 'google-api-key', value: gkey, file: 'app/public/config.js', content: `window.MAPS_KEY = "${gkey}";\n` },
    { family: 'private-key', value: pem.trim(), file: 'root/.ssh/id_rsa', content: pem },
    { family: 'service-account', value: sa.privateKey, file: 'app/credentials.json', content: sa.json },
    { family: 'jwt', value: token, file: 'app/config/service-token.txt', content: `Bearer ${token}\n` },
    { family: 'url-password', value: url.password, file: 'app/.git/config', content: `[remote "origin"]\n\turl = ${url.url}\n` },
    { family: 'env-name', value: envPw, file: 'app/.env', content: `NODE_ENV=production\nDB_PASSWORD=${envPw}\n` }
  ];
}

/** OpenAI keys embed `T3BlbkFJ` (base64 of "OpenAI") between two random halves. */
export const openaiKey = () => `sk-proj-${mixed(BASE62 + '_-', 20)}T3BlbkFJ${mixed(BASE62 + '_-', 20)}`;
export const pypiToken = () => `pypi-AgEIcHlwaS5vcmc${mixed(BASE62 + '_-', 60)}`;
