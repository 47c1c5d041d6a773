// Each detector against generated values of its real shape (positive) and against look-alikes, documented
// example keys and placeholders (negative).
import { describe, expect, test } from '@jest/globals';
import { scanText } from '../../src/secrets/scan-text.js';
import { githubChecksumValid } from '../../src/secrets/rules/github.js';
import { isSecretName } from '../../src/secrets/rules/secret-name.js';
import * as gen from './generate.js';

const ids = (text: string, path?: string) => scanText(text, { path }).map((h) => h.detector.id);
const values = (text: string, path?: string) => scanText(text, { path }).map((h) => h.value);

describe('GitHub classic tokens', () => {
  test.each(['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'] as const)('%s with a valid checksum is an error, high confidence', (prefix) => {
    const token = gen.githubClassicToken(prefix);
    expect(githubChecksumValid(token)).toBe(true);
    const [hit] = scanText(`export GH=${token}\n`);
    expect(hit).toMatchObject({ value: token, confidence: 'high', severity: 'error' });
    expect(hit.detector.id).toBe('github-classic');
  });
  test('a failing checksum is still reported, as a low-confidence warning', () => {
    const token = gen.githubClassicToken('ghp_', { validChecksum: false });
    expect(githubChecksumValid(token)).toBe(false);
    expect(scanText(token)[0]).toMatchObject({ confidence: 'low', severity: 'warning' });
  });
  test('wrong length or embedded in a longer word is not a token', () => {
    const token = gen.githubClassicToken();
    expect(ids(token.slice(0, -1))).toEqual([]);
    expect(ids(`x${token}y`)).toEqual([]);
    expect(ids('ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx')).toEqual([]);
  });
  test('fine-grained tokens', () => {
    const token = gen.githubFineGrainedToken();
    expect(values(`token: ${token}`)).toEqual([token]);
    expect(ids('github_pat_<your token here>')).toEqual([]);
  });
});

describe('token shapes', () => {
  test.each([
    ['gitlab-token', gen.gitlabToken],
    ['npm-token', gen.npmToken],
    ['pypi-token', gen.pypiToken],
    ['openai-key', gen.openaiKey],
    ['slack-token', gen.slackBotToken],
    ['slack-webhook', gen.slackWebhook],
    ['stripe-live-key', gen.stripeLiveKey],
    ['google-api-key', gen.googleApiKey],
    ['jwt', gen.jwtToken]
  ] as const)('%s is found in running text', (id, make) => {
    const v = make();
    const hits = scanText(`some config\nvalue = "${v}"\nmore`);
    expect(hits.map((h) => [h.detector.id, h.value, h.line])).toEqual([[id, v, 2]]);
  });
  test('severities: JWTs are informational, Google API keys warnings, the rest errors', () => {
    expect(scanText(gen.jwtToken())[0].severity).toBe('info');
    expect(scanText(gen.googleApiKey())[0].severity).toBe('warning');
    expect(scanText(gen.stripeLiveKey())[0].severity).toBe('error');
  });
  test('OpenAI-looking prose and PyPI prefixes without a body are ignored', () => {
    expect(ids('sk-this-is-not-a-real-key-at-all-just-a-long-slug')).toEqual([]);
    expect(ids('pypi-AgEIcHlwaS5vcmc')).toEqual([]);
  });
  test('Stripe test keys are info only; JWT-looking strings that do not decode are ignored', () => {
    expect(scanText(`sk_test_${gen.password(30)}`).map((h) => [h.detector.id, h.severity])).toEqual([['stripe-live-key', 'info']]);
    expect(ids(`eyJ${gen.password(20)}.eyJ${gen.password(20)}.${gen.password(30)}`)).toEqual([]);
  });
  test('placeholder-shaped tokens are ignored', () => {
    expect(ids('npm_EXAMPLEEXAMPLEEXAMPLEEXAMPLE12345678')).toEqual([]);
    expect(ids('glpat-xxxxxxxxxxxxxxxxxxxx')).toEqual([]);
  });
});

describe('AWS', () => {
  test('access key ids (AKIA/ASIA + 16 base32) are found; the documented example is not', () => {
    const id = gen.awsAccessKeyId();
    expect(values(`key=${id}`)).toEqual([id]);
    expect(values(gen.awsAccessKeyId('ASIA'))).toHaveLength(1);
    expect(ids('AKIAIOSFODNN7EXAMPLE')).toEqual([]);
    expect(ids(`AKIA${'a'.repeat(16)}`)).toEqual([]); // lower case is not the alphabet
  });
  test('secret keys are found by their name in env, ini and JSON form', () => {
    const key = gen.awsSecretAccessKey();
    expect(values(`AWS_SECRET_ACCESS_KEY=${key}`)).toEqual([key]);
    expect(values(`aws_secret_access_key = ${key}`)).toEqual([key]);
    expect(values(`{"SecretAccessKey": "${key}"}`)).toEqual([key]);
  });
  test('a bare 40-char string, the documented example and hex digests are not secret keys', () => {
    expect(ids(gen.awsSecretAccessKey())).toEqual([]);
    expect(ids('aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')).toEqual([]);
    expect(ids(`aws_secret_access_key = ${'0123456789abcdef'.repeat(3).slice(0, 40)}`)).toEqual([]);
  });
});

describe('.npmrc entries', () => {
  test('literal _authToken / _auth / _password values are found: scoped anywhere, unscoped in .npmrc files', () => {
    const legacy = gen.password(36);
    expect(scanText(`//registry.example.com/:_authToken=${legacy}`).map((h) => [h.detector.id, h.value])).toEqual([['npmrc-auth', legacy]]);
    const b64 = Buffer.from(`me:${gen.password()}`).toString('base64');
    expect(scanText(`_auth=${b64}\nalways-auth=true`, { path: 'root/.npmrc' }).map((h) => h.value)).toEqual([b64]);
    expect(values(`_auth=${b64}\nalways-auth=true`)).toEqual([]);
    expect(values(`//r.example/:_password="${b64}"`)).toEqual([b64]);
  });
  test('an npm_ token inside _authToken is reported once, as an npm token', () => {
    const t = gen.npmToken();
    expect(scanText(`//registry.npmjs.org/:_authToken=${t}`).map((h) => h.detector.id)).toEqual(['npm-token']);
  });
  test('variable references are how it should be done', () => {
    expect(ids('//registry.npmjs.org/:_authToken=${NPM_TOKEN}')).toEqual([]);
    expect(ids('_authToken=$NPM_TOKEN')).toEqual([]);
    expect(ids('_authToken=<token>')).toEqual([]);
  });
});

describe('private keys', () => {
  test.each(['rsa-pkcs1', 'pkcs8', 'ec', 'ed25519', 'openssh'] as const)('%s PEM blocks are errors', (kind) => {
    const pem = gen.privateKeyPem(kind);
    const hits = scanText(`# key\n${pem}`);
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ value: pem.trim(), severity: 'error', line: 2 });
  });
  test('encrypted keys are warnings', () => {
    expect(scanText(gen.privateKeyPem('encrypted'))[0]).toMatchObject({ severity: 'warning' });
  });
  test('truncated documentation examples are a header note (info) at most; public keys are not keys', () => {
    const sev = (t: string) => scanText(t).map((h) => [h.detector.id, h.severity]);
    expect(sev('-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----')).toEqual([['private-key-header', 'info']]);
    expect(sev('-----BEGIN PRIVATE KEY-----\nMIIE...your key here...\n-----END PRIVATE KEY-----')).toEqual([['private-key-header', 'info']]);
    expect(ids(`-----BEGIN PUBLIC KEY-----\n${'A'.repeat(300)}\n-----END PUBLIC KEY-----`)).toEqual([]);
  });
  test('a service-account JSON is reported once, as a service-account key', () => {
    const sa = gen.serviceAccountJson();
    const hits = scanText(sa.json);
    expect(hits.map((h) => [h.detector.id, h.value])).toEqual([['google-service-account', sa.privateKey]]);
  });
});

describe('URLs with passwords', () => {
  test('the password is the secret', () => {
    const { url, password } = gen.urlWithPassword();
    expect(scanText(`git remote add origin ${url}`).map((h) => [h.detector.id, h.value])).toEqual([['url-credentials', password]]);
  });
  test('placeholders, variables and user-only URLs are ignored; doc words are info only', () => {
    expect(scanText('https://user:password@example.com').map((h) => h.severity)).toEqual(['info']);
    expect(ids('https://user:${PASS}@example.com')).toEqual([]);
    expect(ids('postgres://app:$DB_PASSWORD@db/app')).toEqual([]);
    expect(ids('https://user@example.com/path:x@y')).toEqual([]);
    expect(ids('http://[::1]:8080/')).toEqual([]);
  });
  test('a GitHub token used as a URL password is reported as the GitHub token', () => {
    const t = gen.githubClassicToken();
    expect(ids(`https://x-access-token:${t}@github.com/o/r.git`)).toEqual(['github-classic']);
  });
});

describe('file-scoped detectors', () => {
  test('.netrc, .pypirc and docker config auths only in their files', () => {
    const pw = gen.password();
    expect(values(`machine api.example.com login me password ${pw}`, 'root/.netrc')).toEqual([pw]);
    expect(ids(`machine api.example.com login me password ${pw}`, 'app/README.md')).toEqual([]);
    expect(values(`[pypi]\nusername = __token__\npassword = pypi-${pw}\n`, 'root/.pypirc')).toEqual([`pypi-${pw}`]);
    const auth = Buffer.from(`me:${pw}`).toString('base64');
    expect(values(JSON.stringify({ auths: { 'registry.example.com': { auth } } }), 'root/.docker/config.json')).toEqual([auth]);
    expect(ids(JSON.stringify({ auths: { 'r.example.com': { auth } } }), 'app/data.json')).toEqual([]);
    expect(values(`# comment\ndb.internal:5432:app:app:${pw}\n`, 'root/.pgpass')).toEqual([pw]);
  });
  test('.env files use the name rule; example env files do not', () => {
    const pw = gen.password(10);
    const text = `NODE_ENV=production\nDB_PASSWORD=${pw}\nTOKEN_TTL=3600\nSECRET_FILE=/run/secrets/x\nAPI_KEY=changeme\n`;
    expect(scanText(text, { path: 'app/.env' }).map((h) => [h.detector.id, h.name, h.value, h.line])).toEqual([['secret-name', 'DB_PASSWORD', pw, 2]]);
    expect(ids(text, 'app/.env.example')).toEqual([]);
    expect(ids(text, 'app/settings.txt')).toEqual([]);
  });
});

describe('secret names', () => {
  test.each([
    'NPM_TOKEN',
    'GITHUB_TOKEN',
    'DB_PASSWORD',
    'MYSQL_ROOT_PASSWD',
    'API_KEY',
    'apiKey',
    'STRIPE_APIKEY',
    'SECRET_KEY_BASE',
    'GOOGLE_CREDENTIALS',
    'SSH_PRIVATE_KEY',
    'BASIC_AUTH',
    'npm-token'
  ])('%s says secret', (n) => {
    expect(isSecretName(n)).toBe(true);
  });
  test.each([
    'AUTHOR',
    'TOKENIZER',
    'PASSWORD_FILE',
    'GOOGLE_APPLICATION_CREDENTIALS_PATH',
    'AUTH_URL',
    'NODE_ENV',
    'SECRETARY',
    'AUTH_TYPE',
    'TOKEN_TTL',
    'KEYBOARD'
  ])('%s does not', (n) => {
    expect(isSecretName(n)).toBe(false);
  });
});

test('clean text has no findings', () => {
  const text = [
    'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    'https://deb.debian.org/debian bookworm main',
    '-----BEGIN CERTIFICATE-----',
    'MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJRTESMBAGA1UE',
    '-----END CERTIFICATE-----',
    'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    'password required pam_unix.so',
    'git@github.com:org/repo.git'
  ].join('\n');
  expect(scanText(text, { path: 'etc/example' })).toEqual([]);
});
