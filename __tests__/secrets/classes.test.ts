// Issue 12's gap classes, one test each, on generated values of each shape (plus the public corpus at the end).
// Synthetic tokens are made here at run time; only documented public examples appear literally.
import { describe, expect, test } from '@jest/globals';
import { defaultConfig } from '../../src/config/types.js';
import type { HistoryEntry } from '../../src/report/types.js';
import { createSecretScan, scanText } from '../../src/secrets/index.js';
import { assessNamedValue, isSecretName } from '../../src/secrets/rules/secret-name.js';
import { nodeRuntime } from '../../src/util/node-runtime.js';
import type { Logger, Runtime } from '../../src/util/runtime.js';
import { isHoldOut, loadCorpus, materialiseCorpus, verdict } from './corpus.js';
import { BASE62, randomFrom } from './generate.js';
import * as gen from './generate.js';

const ids = (text: string) => scanText(text).map((h) => h.detector.id);
const found = (text: string) => scanText(text).map((h) => [h.detector.id, h.value, h.severity]);
const alnum = (n: number) => {
  for (;;) {
    const s = randomFrom(BASE62, n);
    if (/[0-9]/.test(s) && /[a-z]/.test(s) && /[A-Z]/.test(s)) return s;
  }
};
const letters = (n: number) => randomFrom('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', n);
const digits = (n: number) => randomFrom('123456789', 1) + randomFrom('0123456789', n - 1);
const hex = (n: number) => randomFrom('0123456789abcdef', n);

describe('token families', () => {
  test('Slack xoxe- refresh, xoxe.xoxp- configuration, legacy xoxa-; workflow webhooks and http://', () => {
    for (const t of [
      `xoxe-1-${alnum(146)}`,
      `xoxe.xoxp-1-${alnum(163)}`,
      `xoxe.xoxb-1-${alnum(165)}`,
      `xoxe-${digits(13)}-${digits(13)}-${digits(13)}-${hex(32)}`,
      `xoxa-${alnum(12)}`
    ]) {
      expect(found(`token: "${t}"`)).toEqual([['slack-token', t, 'error']]);
    }
    const workflow = `https://hooks.slack.com/workflows/T${alnum(10)}/A${alnum(10)}/${digits(18)}/${alnum(24)}`;
    expect(found(workflow)).toEqual([['slack-webhook', workflow, 'error']]);
    const http = `http://hooks.slack.com/services/T${alnum(8)}/B${alnum(8)}/${alnum(24)}`;
    expect(ids(http)).toEqual(['slack-webhook']);
  });

  test('GitLab prefixes: glft-, glsoat-, GR1348941, glcbt-, glimt-, glagent-, gloas-, glptt- at 40, PATs with no digit', () => {
    const tokens = [
      `glft-${alnum(20)}`,
      `glsoat-${alnum(20)}`,
      `GR1348941${alnum(20)}`,
      `glcbt-${alnum(5)}_${alnum(20)}`,
      `glimt-${alnum(25)}`,
      `glagent-${alnum(50)}`,
      `gloas-${alnum(64)}`,
      `glptt-${hex(40)}`,
      `glpat-${letters(20)}`
    ];
    for (const t of tokens) expect(found(`x = ${t}`)).toEqual([['gitlab-token', t, 'error']]);
    // glptt- is exactly 40 characters long; a shorter one is not a trigger token.
    expect(ids(`glptt-${hex(26)}`)).toEqual([]);
    expect(ids('GR1348941XXXXXXXXXXXXXXXXXXXX')).toEqual([]);
  });

  test('Stripe rk_/sk_ with live and prod are errors; test keys are reported as info, not dropped', () => {
    for (const t of [`sk_live_${alnum(24)}`, `rk_live_${alnum(24)}`, `sk_prod_${alnum(99)}`, `rk_prod_${alnum(40)}`])
      expect(found(t)).toEqual([['stripe-live-key', t, 'error']]);
    expect(found(`sk_test_${alnum(30)}`)[0][2]).toBe('info');
    expect(ids(`task_test_${alnum(30)}`)).toEqual([]);
    expect(ids(`pk_live_${alnum(24)}`)).toEqual([]);
  });

  test('AWS A3T… key ids', () => {
    const id = `A3T${randomFrom('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 1)}${randomFrom('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`;
    expect(found(`aws_access_key_id = ${id}`)).toEqual([['aws-access-key-id', id, 'error']]);
  });

  test('GitHub installation tokens in the ghs_<id>_<JWT> format', () => {
    const jwt = gen.jwtToken();
    const t = `ghs_${digits(6)}_${jwt}`;
    expect(found(`GH_TOKEN=${t}`)).toEqual([['github-installation-token', t, 'error']]);
  });

  test('test.pypi.org tokens', () => {
    const t = `pypi-AgENdGVzdC5weXBpLm9yZw${alnum(120)}`;
    expect(ids(`password = ${t}`)).toEqual(['pypi-token']);
  });

  test('Google service-account JSON with variants of the PEM armour and key order', () => {
    const pem = gen.privateKeyPem('rsa-pkcs1').trim();
    const escaped = JSON.stringify(pem).slice(1, -1);
    const before = `{"private_key": "${escaped}\\n", "client_email": "x@p.iam.gserviceaccount.com", "type": "service_account"}`;
    expect(ids(before)).toEqual(['google-service-account']);
    const raw = `{\n  "type": "service_account",\n  "private_key": "${escaped}"\n}`;
    expect(ids(raw)).toEqual(['google-service-account']);
  });
});

describe('false positives', () => {
  test('Firebase SDK example API keys and low-entropy or typed AIza strings are not reported', () => {
    expect(ids('apiKey: "AIzaSyDMAScliyLx7F0NPDEJi1QmyCgHIAODrlU"')).toEqual([]); // Firebase SDK sample key
    expect(ids(`AIza${'a'.repeat(35)}`)).toEqual([]);
    expect(ids('AIzaSyabcdefghijklmnopqrstuvwxyz1234567')).toEqual([]);
    expect(ids(gen.googleApiKey())).toEqual(['google-api-key']);
  });

  test('OpenAI keys without the T3BlbkFJ marker are not OpenAI keys', () => {
    expect(ids(`sk-proj-${alnum(48)}`)).toEqual([]);
    expect(ids(`sk-${alnum(48)}`)).toEqual([]);
    expect(ids(gen.openaiKey())).toEqual(['openai-key']);
  });

  test('Slack placeholders: 1234 segments, …Here, ####, x runs', () => {
    expect(ids(`"token": "xoxp-1234-1234-1234-${hex(32)}"`)).toEqual([]);
    expect(ids(`xoxp-${digits(12)}-${digits(12)}-${digits(12)}-####################`)).toEqual([]);
    expect(ids('xoxe.xoxp-1-SlackAppConfigurationAccessTokenHere')).toEqual([]);
    expect(ids('xoxb-xxxxxxxxx-xxxxxxxxxx-xxxxxxxxxxxx')).toEqual([]);
    expect(ids('https://hooks.slack.com/services/Txxxxxxxx/Bxxxxxxxx/xxxxxxxxxxxxxxxxxxxxxxxx')).toEqual([]);
  });

  test('x/X-run placeholders with underscores and prefixes', () => {
    expect(ids(`github_pat_${'x'.repeat(22)}_${'x'.repeat(59)}`)).toEqual([]);
    expect(ids('AKIAXXXXXXXXXXXXXXXX')).toEqual([]);
    expect(ids('glpat-XXXXXXXXXXX-XXXXXXXX')).toEqual([]);
    expect(ids(`ghp_${'x'.repeat(36)}`)).toEqual([]);
  });

  test('URL credentials: templates are dropped, user = password defaults are info at most', () => {
    expect(ids('https://{USER}:{PASS}@example.com')).toEqual([]);
    expect(ids('postgres://app:REPLACE_WITH_PASSWORD@db/app')).toEqual([]);
    expect(found('postgres://postgres:postgres@db:5432/app')).toEqual([['url-credentials', 'postgres', 'info']]);
    const { url, password } = gen.urlWithPassword();
    expect(found(url)).toEqual([['url-credentials', password, 'warning']]);
  });

  test('secret-name heuristics: publicToken, csrf-token and not_a_real_token are not secrets', () => {
    expect(assessNamedValue('publicToken', alnum(30))).toBeUndefined();
    expect(assessNamedValue('csrf-token', alnum(30))).toBeUndefined();
    expect(assessNamedValue('API_TOKEN', 'not_a_real_token')).toBeUndefined();
    expect(assessNamedValue('API_TOKEN', alnum(30))).toBeDefined();
  });
});

describe('secret names (issue 11)', () => {
  test('PASS, PASSWD, *_PASS, PGPASSWORD and *_KEY count, with entropy and placeholder checks', () => {
    for (const name of ['PASS', 'PASSWD', 'SMTP_PASS', 'PGPASSWORD', 'STRIPE_KEY', 'SIGNING_KEY']) expect([name, isSecretName(name)]).toEqual([name, true]);
    const pw = gen.password(14);
    for (const name of ['PASS', 'PASSWD', 'SMTP_PASS', 'PGPASSWORD']) expect([name, assessNamedValue(name, pw)]).toEqual([name, { confidence: 'medium' }]);
    expect(assessNamedValue('STRIPE_KEY', alnum(32))).toEqual({ confidence: 'medium' });
    // *_KEY names ordinary things too: a short or word-like value is a setting, not a key.
    expect(assessNamedValue('CACHE_KEY', alnum(32))).toBeUndefined();
    expect(assessNamedValue('SORT_KEY', 'created_at')).toBeUndefined();
    expect(assessNamedValue('SIGNING_KEY', 'default-signing-key')).toBeUndefined();
    expect(assessNamedValue('SMTP_PASS', 'changeme')).toBeUndefined();
    expect(assessNamedValue('SMTP_PASS', 'aaaaaaaa')).toBeUndefined();
    expect(assessNamedValue('PASS_THROUGH', 'enabled')).toBeUndefined();
    expect(assessNamedValue('PUBLIC_KEY', alnum(40))).toBeUndefined();
    // A password that starts with digits is no version number; `1.2.3` and `true` are settings.
    expect(assessNamedValue('DB_PASSWORD', `50${letters(12)}`)).toEqual({ confidence: 'medium' });
    expect(assessNamedValue('SMTP_PASS', '2.0.1-rc1')).toBeUndefined();
  });
});

describe('value boundaries', () => {
  test('a # inside a value is part of it; a # after whitespace starts a comment', () => {
    const pw = `${gen.password(8)}#${gen.password(6)}`;
    expect(scanText(`DB_PASSWORD=${pw}\n`, { path: 'app/.env' }).map((h) => h.value)).toEqual([pw]);
    const plain = gen.password(12);
    expect(scanText(`DB_PASSWORD=${plain} # rotated monthly\n`, { path: 'app/.env' }).map((h) => h.value)).toEqual([plain]);
    const npm = `${gen.password(20)}#${gen.password(10)}`;
    expect(scanText(`//registry.example.com/:_authToken=${npm}`).map((h) => h.value)).toEqual([npm]);
  });

  test('a token in the user part of a URL is the secret, not x-oauth-basic', () => {
    const gh = gen.githubClassicToken();
    expect(found(`https://${gh}:x-oauth-basic@github.com/o/r.git`)).toEqual([['github-classic', gh, 'error']]);
    const opaque = alnum(40);
    expect(found(`git clone https://${opaque}:x-oauth-basic@git.example.com/o/r.git`)).toEqual([['url-user-token', opaque, 'warning']]);
  });
});

describe('LABEL keys with dots and dashes', () => {
  test('parse as key=value and are reported once (config), not again from history', () => {
    const key = gen.googleApiKey();
    const runtime: Runtime = {
      ...nodeRuntime({ logger: { info: () => {}, debug: () => {}, warning: () => {}, group: (_n, fn) => fn() } as Logger }),
      maskSecret: () => {}
    };
    const scan = createSecretScan({ config: defaultConfig(), runtime });
    const history: HistoryEntry[] = [{ createdBy: `LABEL com.example.maps-key=${key} org.opencontainers.image.source=https://x.example/r`, emptyLayer: true }];
    const findings = scan.findings({
      image: { history, config: { labels: { 'com.example.maps-key': key, 'org.opencontainers.image.source': 'https://x.example/r' } } },
      layers: []
    });
    expect(findings.map((f) => [f.rule, f.details?.location])).toEqual([['secret-config', 'config:Labels:com.example.maps-key']]);
  });
});

describe('the public corpus', () => {
  // Every vector of fixtures/secrets/corpus in-process; the bench measures the same in a real image.
  const vectors = materialiseCorpus(loadCorpus());
  test('is split into a dev and a hold-out set by id hash', () => {
    expect(vectors.length).toBeGreaterThan(300);
    const hold = vectors.filter((v) => isHoldOut(v.id)).length;
    expect(hold / vectors.length).toBeGreaterThan(0.2);
    expect(hold / vectors.length).toBeLessThan(0.4);
  });
  test('recall ≥ 0.92 and at most 4 % of known false positives flagged, on each split', () => {
    for (const holdOut of [false, true]) {
      const sel = vectors.filter((v) => v.holdOut === holdOut);
      const must = sel.filter((v) => v.must === 'find');
      const not = sel.filter((v) => v.must === 'not');
      const recall = must.filter((v) => verdict(v.body).found).length / must.length;
      const fp = not.filter((v) => verdict(v.body).flagged).length / not.length;
      expect({ holdOut, recallOk: recall >= 0.92, fpOk: fp <= 0.04 }).toEqual({ holdOut, recallOk: true, fpOk: true });
    }
  });
});
