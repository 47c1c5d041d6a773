// Secret-shaped values are built at test time so no fake credential is committed (scanners would flag it).
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { lintText, only } from './helpers.js';
import { lintDockerfile } from '../../src/lint/index.js';
import { defaultConfig } from '../../src/config/types.js';
import { findInlineCredentials, findTokens, isSecretName, maskSecret, secretFileKind } from '../../src/lint/secret-shapes.js';

const ghToken = 'ghp' + '_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
// Access key ids are base32 (A–Z, 2–7) after the prefix, as the scanner checks.
const awsKey = 'AKIA' + 'Z7XQ4PLM2RTVXWNB';
const password = 'hunter2' + 'sw0rdfish';

describe('secret-in-run', () => {
  it('finds a token in RUN, masks it and points at it exactly', async () => {
    const text = `FROM alpine:3.20\nRUN git clone https://${ghToken}@github.com/org/repo.git \\\n  && echo done\nUSER 1\n`;
    const [hit, ...rest] = only(await lintText(text), 'secret-in-run');
    expect(rest).toEqual([]);
    expect(hit.severity).toBe('error');
    expect(hit.message).toContain('ghp_…r8');
    expect(hit.message).not.toContain(ghToken);
    expect(JSON.stringify(hit)).not.toContain(ghToken);
    expect([hit.line, hit.column, hit.endLine, hit.endColumn]).toEqual([2, 23, 2, 23 + ghToken.length]);
  });

  it('finds user:password URLs and literal npm auth tokens, not variables', async () => {
    const text = [
      'FROM alpine:3.20 AS build',
      `RUN curl -fsSL https://deploy:${password}@git.example.com/x.tgz | tar xz`,
      `RUN echo "//registry.npmjs.org/:_authToken=${password}" > ~/.npmrc`,
      'RUN curl https://deploy:${PASSWORD}@git.example.com/x && echo "_authToken=${NPM_TOKEN}"',
      'FROM alpine:3.20',
      'USER 1'
    ].join('\n');
    const hits = only(await lintText(text), 'secret-in-run');
    expect(hits.map((f) => f.line)).toEqual([2, 3]);
    for (const h of hits) expect(JSON.stringify(h)).not.toContain(password);
    expect(hits[0].message).toContain('https://deploy:…sh@');
    // Builder stage too: the literal is committed with the Dockerfile either way.
    expect(hits.every((h) => h.severity === 'error')).toBe(true);
  });
});

describe('secret-in-env-or-arg', () => {
  it('flags token-shaped literal values whatever the name, masked', async () => {
    const text = `FROM alpine:3.20\nENV AWS_ACCESS_KEY_ID=${awsKey} HOME=/root\nUSER 1\n`;
    const hits = only(await lintText(text), 'secret-in-env-or-arg');
    expect(hits).toHaveLength(1);
    expect(hits[0].message).toContain('AKIA…NB');
    expect(JSON.stringify(hits)).not.toContain(awsKey);
  });

  it('ENV with quotes and spaces is read through getProperties', async () => {
    const text = `FROM alpine:3.20\nENV GREETING="hello world" TOKEN="${ghToken}"\nUSER 1\n`;
    const hits = only(await lintText(text), 'secret-in-env-or-arg');
    expect(hits.map((h) => h.details?.name)).toEqual(['TOKEN']);
  });
});

describe('secret shapes', () => {
  it('masks as known prefix + … + last two characters', () => {
    expect(maskSecret(ghToken, 'ghp_')).toBe('ghp_…r8');
    expect(maskSecret('short')).toBe('…');
    expect(findTokens(`x ${awsKey} y`)[0]).toMatchObject({ kind: 'AWS access key id', index: 2, masked: 'AKIA…NB' });
    expect(findInlineCredentials('curl https://u:$TOKEN@h')).toEqual([]);
  });

  it.each([
    ['NPM_TOKEN', true],
    ['DB_PASSWORD', true],
    ['apiKey', true],
    ['API_KEY', true],
    ['AWS_SECRET_ACCESS_KEY', true],
    ['PRIVATE_KEY', true],
    ['NPM_AUTH', true],
    ['GIT_CREDENTIALS', true],
    ['NPM_TOKEN_FILE', false],
    ['SSH_KEY_PATH', false],
    ['TOKEN_URL', false],
    ['AUTHOR', false],
    ['KEYBOARD', false],
    ['PWD', false],
    ['NODE_ENV', false]
  ])('isSecretName(%s) = %s', (name, expected) => {
    expect(isSecretName(name)).toBe(expected);
  });

  it.each([
    ['.npmrc', true],
    ['app/.env', true],
    ['.env.production', true],
    ['.env.example', false],
    ['id_rsa', true],
    ['id_rsa.pub', false],
    ['tls/server.key', true],
    ['certs/ca.pem', false],
    ['certs/fullchain.pem', false],
    ['private.pem', true],
    ['home/.aws/credentials', true],
    ['gcp-service-account.json', true],
    ['package.json', false],
    ['.ssh/', true],
    ['src/keyboard.ts', false]
  ])('secretFileKind(%s) is set: %s', (p, expected) => {
    expect(secretFileKind(p) !== undefined).toBe(expected);
  });
});

describe('secret names (issue 11): PASS, PASSWD, *_PASS, PGPASSWORD, *_KEY with entropy and placeholder checks', () => {
  const random = (n: number) => {
    const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    let s = 'aZ9';
    while (s.length < n) s += abc[Math.floor(Math.random() * abc.length)];
    return s;
  };
  it('flags the new names with credential-like values', async () => {
    const pw = random(14);
    const key = random(32);
    const text = `FROM alpine:3.20\nENV PASS=${pw} PASSWD=${pw} SMTP_PASS=${pw} PGPASSWORD=${pw}\nARG STRIPE_KEY=${key}\nUSER 1\n`;
    const hits = only(await lintText(text), 'secret-in-env-or-arg');
    expect(hits.map((h) => h.details?.name)).toEqual(['PASS', 'PASSWD', 'SMTP_PASS', 'PGPASSWORD', 'STRIPE_KEY']);
    expect(JSON.stringify(hits)).not.toContain(pw);
  });
  it('skips publicToken, csrf-token, placeholder values and *_KEY settings', async () => {
    const text = [
      'FROM alpine:3.20',
      `ENV publicToken=${random(30)} csrf-token=${random(30)} API_TOKEN=not_a_real_token`,
      'ENV CACHE_KEY=deps-v1 SORT_KEY=created_at SMTP_PASS=changeme',
      'ARG SIGNING_KEY',
      'USER 1'
    ].join('\n');
    expect(only(await lintText(text), 'secret-in-env-or-arg')).toEqual([]);
  });
});

describe('secret names and values found with the second corpus batch', () => {
  const names = async (env: string) => only(await lintText(`FROM alpine:3.20\n${env}\nUSER 1\n`), 'secret-in-env-or-arg').map((h) => h.details?.name);

  it('*_PWD abbreviates password; PWD alone is the working folder', async () => {
    expect(await names('ENV MONGO_DB_USERNAME=admin \\\n    MONGO_DB_PWD=password MYSQL_PWD=s3cr3t-pw')).toEqual(['MONGO_DB_PWD', 'MYSQL_PWD']);
    expect(await names('ENV PWD=/app OLDPWD=/ PWD_DIR=/run/secrets')).toEqual([]);
  });

  it('a value that says no credential is set is none, a weak default still is one', async () => {
    expect(await names('ENV GOOGLE_API_KEY NO_API_KEY_SET')).toEqual([]);
    expect(await names('ENV API_TOKEN=none DB_PASSWORD=not-set SECRET_KEY=not_configured AUTH_TOKEN=unset')).toEqual([]);
    expect(await names('ENV DB_PASSWORD=changeme API_TOKEN=no-tokens-here-9f8e')).toEqual(['DB_PASSWORD', 'API_TOKEN']);
  });
});

describe('credential files under another name (third corpus batch)', () => {
  it.each([
    ['.npmrc-ci', 'npm credentials (.npmrc)'],
    ['.npmrc.docker', 'npm credentials (.npmrc)'],
    ['config/.netrc_prod', 'a .netrc'],
    ['.pypirc-upload', 'PyPI credentials (.pypirc)'],
    ['.npmrc.example', undefined],
    ['.npmrc-template', undefined],
    ['.env-sample', undefined],
    ['.npmrcx', undefined]
  ])('secretFileKind(%s) → %s', (file, kind) => {
    expect(secretFileKind(file)).toBe(kind);
  });

  const lintRules = async (lines: string[]) =>
    (await lintText(['FROM node:20-slim', 'WORKDIR /app', ...lines, 'USER 1'].join('\n') + '\n'))
      .filter((f) => ['copy-secret-file', 'secret-file-removed-later', 'cleanup-in-separate-layer'].includes(f.rule))
      .map((f) => `${f.line} ${f.rule}`);

  it('a file copied to a credential destination is that credential file, and its later rm is the secret finding, not a cleanup one', async () => {
    expect(await lintRules(['COPY .npmrc-ci .npmrc', 'RUN npm ci', 'RUN rm -f .npmrc'])).toEqual(['3 copy-secret-file', '3 secret-file-removed-later']);
    expect(await lintRules(['COPY ci/npmrc /root/.npmrc', 'RUN npm ci && rm /root/.npmrc'])).toEqual(['3 copy-secret-file', '3 secret-file-removed-later']);
    expect(await lintRules(['COPY ci/npmrc ./', 'COPY app.conf /etc/app.conf', 'RUN npm ci'])).toEqual([]);
  });

  it('cleanup-in-separate-layer still speaks when more than credential files are removed', async () => {
    expect(await lintRules(['COPY big.tar /tmp/', 'RUN rm -f .npmrc /tmp/big.tar'])).toEqual(['4 cleanup-in-separate-layer']);
  });
});

describe('fingerprints of secret lint findings', () => {
  it('never hash the value: two values with the same masked form and length get the same fingerprint', async () => {
    // The same Dockerfile path each time (the fingerprint includes the file); only the hidden middle differs.
    const dir = mkdtempSync(path.join(tmpdir(), 'ia-lint-fp-'));
    const file = path.join(dir, 'Dockerfile');
    const lint = (text: string) => {
      writeFileSync(file, text);
      return lintDockerfile({ dockerfile: file, config: defaultConfig() });
    };
    const a = 'ghp' + '_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
    const b = 'ghp' + '_' + 'Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3r8';
    const fp = async (token: string) =>
      only(await lint(`FROM alpine:3.20\nRUN git clone https://${token}@github.com/o/r.git\nUSER 1\n`), 'secret-in-run')[0].fingerprint;
    expect(await fp(a)).toBe(await fp(b));
    const env = async (v: string) => only(await lint(`FROM alpine:3.20\nENV DB_PASSWORD=${v}\nUSER 1\n`), 'secret-in-env-or-arg')[0]?.fingerprint;
    const first = await env('Kx9#mQ2$vL7pZr');
    expect(first).toBeDefined();
    expect(first).toBe(await env('Tb4!nW8&cJ3yZr'));
  });
});
