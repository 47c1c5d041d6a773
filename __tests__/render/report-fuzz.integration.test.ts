// 1,200 seeded mutations of a real report (built and measured by the real engine from fixtures/sample) go through
// the validator and then every renderer: the PR comment (with and without a diff), the job summary, the text
// report, SARIF, and the annotation and check-run annotation builders. Nothing may throw except the validator's
// UserError, and no link, mention or tag that came from report text may be live in any output.
// Seeded PRNG: a failure prints the seed and case; rerunning reproduces it (IMAGE_AUDIT_FUZZ_SEED to vary it).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { annotationsFor, checkAnnotations } from '../../src/action/run.js';
import { parseBuildInputs } from '../../src/build/inputs.js';
import { compareReports } from '../../src/compare/index.js';
import { defaultConfig } from '../../src/config/types.js';
import { evaluateThresholds } from '../../src/gate/index.js';
import { runAudit } from '../../src/pipeline/audit.js';
import { COMMENT_LIMIT, renderComment, renderSummary, SUMMARY_LIMIT } from '../../src/render/markdown.js';
import { renderSarif } from '../../src/render/sarif.js';
import { renderText } from '../../src/render/text.js';
import { htmlCommentMarker } from '../../src/render/escape.js';
import { parseReport, serializeReport } from '../../src/report/read.js';
import type { Report } from '../../src/report/types.js';
import { isUserError } from '../../src/util/errors.js';
import { nodeRuntime } from '../../src/util/node-runtime.js';
import { fixture, requireEngine } from '../helpers/engine.js';
import { prng } from '../helpers/prng.js';

requireEngine();

const CASES = 1200;
const SEED = Number(process.env.IMAGE_AUDIT_FUZZ_SEED ?? 20261201);
const TAG = 'contract-fuzz-sample';
const quiet = nodeRuntime({ logger: { info: () => {}, warning: () => {}, debug: () => {}, group: (_n, fn) => fn() } });

// Payloads an attacker would put in a report; every one is a string the schema accepts (within the length bounds).
const PAYLOADS = [
  '[x](https://evil.example/a)',
  '[![img](https://evil.example/i.png)](https://evil.example/b)',
  '@octocat',
  'cc @image-audit/maintainers please merge',
  '<img src=x onerror=alert(1)>',
  '</details><details open><summary>pwned</summary>',
  '</code><script>alert(1)</script>',
  '<!-- hidden --> <a href="https://evil.example">click</a>',
  '`` ` `` ```mermaid\ngraph TD; A-->B\n```',
  '| a | b |\n| --- | --- |\n| c | d |',
  'line1\nline2\r\n::add-mask::x\n::stop-commands::tok',
  '&lt;img src=x&gt; &#64;octocat &#91;x&#93;(https://evil.example)',
  'www.evil.example and https://evil.example/c and mailto:a@evil.example',
  '\u202Egnp.exe \u2066isolate\u2069 \u200Bzero',
  '😀 🐳 日本語のパス/ファイル 名前.txt Ω≈ç√',
  '"]\n    bar [1, 2]\n    x-axis ["',
  '%0A::error::injected',
  '\\[x\\]\\(https://evil.example\\)',
  '*bold* _it_ ~~strike~~ # heading',
  'javascript:alert(1)'
];
const pick = <T>(rand: () => number, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Slot = { parent: Json[] | { [k: string]: Json }; key: string | number; value: Json };

/** Every (parent, key) in the tree, so a mutation can hit any field at any depth. */
function slots(root: Json): Slot[] {
  const out: Slot[] = [];
  const walk = (node: Json) => {
    if (Array.isArray(node)) node.forEach((v, i) => (out.push({ parent: node, key: i, value: v }), walk(v)));
    else if (node && typeof node === 'object')
      for (const [k, v] of Object.entries(node)) {
        out.push({ parent: node, key: k, value: v });
        walk(v);
      }
  };
  walk(root);
  return out;
}

const set = (s: Slot, v: Json) => ((s.parent as any)[s.key] = v);

/** One mutation; returns the JSON text (some mutations only exist as text, e.g. 1e400). */
function mutate(seed: Json, rand: () => number): string {
  const r = structuredClone(seed) as { [k: string]: Json };
  const rounds = 1 + Math.floor(rand() * 4);
  let text: string | undefined;
  for (let i = 0; i < rounds; i++) {
    const all = slots(r);
    const strings = all.filter((s) => typeof s.value === 'string');
    const numbers = all.filter((s) => typeof s.value === 'number');
    const kind = rand();
    if (kind < 0.45 && strings.length) {
      // Injection payload into a text field (the schema accepts these: renderers must neutralise them).
      const s = pick(rand, strings);
      set(s, rand() < 0.5 ? pick(rand, PAYLOADS) : `${s.value} ${pick(rand, PAYLOADS)}`);
    } else if (kind < 0.55) {
      // Turn a finding into a secret finding carrying a payload as its masked form.
      const findings = r.findings as Json[];
      if (Array.isArray(findings) && findings.length) {
        const f = pick(rand, findings) as { [k: string]: Json };
        if (f && typeof f === 'object') Object.assign(f, { category: 'secret', masked: pick(rand, PAYLOADS), path: pick(rand, PAYLOADS) });
      }
    } else if (kind < 0.65 && all.length) {
      set(pick(rand, all), pick(rand, [null, true, 0, -1, 'x', [], {}, 1.5, '']));
    } else if (kind < 0.72 && numbers.length) {
      set(pick(rand, numbers), pick(rand, [-1, -1e9, 2 ** 51, 1e300, 0.5, Number.MAX_SAFE_INTEGER, 1e-9]));
    } else if (kind < 0.77 && all.length) {
      const s = pick(rand, all);
      if (Array.isArray(s.parent)) s.parent.splice(s.key as number, 1);
      else delete s.parent[s.key];
    } else if (kind < 0.8 && strings.length) {
      set(pick(rand, strings), 'A'.repeat(pick(rand, [300, 5000, 70_000])));
    } else if (kind < 0.84) {
      const enums = all.filter((s) => ['severity', 'category', 'how', 'by'].includes(String(s.key)));
      if (enums.length) set(pick(rand, enums), pick(rand, ['critical', '@octocat', '[x](https://evil.example)', 'ERROR', '']));
    } else if (kind < 0.88) {
      r[pick(rand, ['comparison', 'timings', '__proto__x', 'constructor'])] = { injected: pick(rand, PAYLOADS) };
    } else if (kind < 0.92 && Array.isArray(r.findings) && r.findings.length) {
      const f = pick(rand, r.findings as Json[]);
      for (let n = 0; n < 50; n++) (r.findings as Json[]).push(structuredClone(f));
    } else if (kind < 0.95) {
      text = JSON.stringify(r).replace(/"size":\d+/, '"size":1e400');
    } else if (kind < 0.97) {
      text = pick(rand, ['', '{', 'null', '[]', '"report"', JSON.stringify(r).slice(0, 100)]);
    }
  }
  return text ?? JSON.stringify(r);
}

const MARKER = htmlCommentMarker('fuzz/job/Dockerfile/');
const SUMMARY_URL = 'https://github.test/octo/app/actions/runs/1';
const OWN_TAGS = /<(?!\/?(details|summary|code|sub|br)\b|!-- image-audit:)[A-Za-z!/?]/;

/** Live injection in Markdown: our own link (the summary URL) and tags are the only ones allowed. */
function markdownProblems(md: string): string[] {
  const body = md.split(`(${encodeURI(SUMMARY_URL)})`).join('');
  const out: string[] = [];
  if (body.includes('](')) out.push('link `](`');
  if (/@[A-Za-z0-9_-]/.test(body)) out.push('mention');
  const tag = OWN_TAGS.exec(body);
  if (tag) out.push(`tag ${body.slice(tag.index, tag.index + 20)}`);
  if ((body.match(/<details/g) ?? []).length !== (body.match(/<\/details>/g) ?? []).length) out.push('unbalanced <details>');
  if ((body.match(/<code>/g) ?? []).length !== (body.match(/<\/code>/g) ?? []).length) out.push('unbalanced <code>');
  if (/https?:\/\/evil|(?<![&#\w])www\.evil|javascript:/.test(body)) out.push('autolink');
  if (/[\u202A-\u202E\u2066-\u2069]/.test(body)) out.push('bidi');
  // A mermaid block must stay one block: its opening fence's closing fence comes before any report text.
  if ((body.match(/^```/gm) ?? []).length % 2) out.push('unbalanced fence');
  return out;
}

/** Plain-text sinks (annotations, check-run annotations): one line, nothing any renderer would link or ping. */
function plainProblems(raw: string): string[] {
  // The trusted link to a known rule's docs page that annotations end with is ours, not report text.
  const text = raw.replace(/\n\nRule: https:\/\/github\.com\/[\w.-]+\/[\w.-]+\/blob\/main\/docs\/rules\/[a-z0-9-]+\.md$/, '');
  const out: string[] = [];
  if (text.includes('](')) out.push('](');
  if (/@[A-Za-z0-9_-]/.test(text)) out.push('mention');
  if (/<[A-Za-z!/?]/.test(text)) out.push('<tag');
  if (/[\r\n]/.test(text)) out.push('newline');
  if (/https?:\/\/|www\./.test(text)) out.push('autolink');
  return out;
}

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

let seed: Report;
beforeAll(async () => {
  const build = parseBuildInputs({ context: fixture('sample'), tags: TAG });
  const config = defaultConfig();
  config.thresholds.maxSize = 10 * 1024 * 1024; // a failing threshold, so the verdict has a failed check to render
  config.thresholds.maxWasted = { percent: 1 };
  const report = await runAudit({ build, config }, quiet);
  report.verdict = evaluateThresholds(report, undefined, config.thresholds);
  seed = parseReport(serializeReport(report), 'the seed report');
}, 600_000);

afterAll(() => {
  execFileSync('docker', ['image', 'rm', '-f', TAG], { stdio: 'ignore' });
});

describe('report fuzz: validator, then every renderer', () => {
  test('the real report is valid and has every part the renderers draw', () => {
    expect(seed.image?.size).toBeGreaterThan(0);
    expect(seed.layers.length).toBeGreaterThan(2);
    expect(seed.findings.some((f) => f.category === 'lint')).toBe(true);
    expect(seed.findings.some((f) => f.category === 'image')).toBe(true);
    expect(seed.wastedFiles?.length).toBeGreaterThan(0);
    expect(seed.verdict?.passed).toBe(false);
  });

  test(`${CASES} mutated reports: only UserErrors from the validator, no live injection anywhere`, () => {
    const rand = prng(SEED);
    const seedJson = JSON.parse(JSON.stringify(seed)) as Json;
    let refused = 0;
    let rendered = 0;
    let payloadsRendered = 0;
    for (let i = 0; i < CASES; i++) {
      const text = mutate(seedJson, rand);
      const where = `seed ${SEED}, case ${i}`;
      let report: Report;
      try {
        report = parseReport(text, 'Input from-report (r.json)');
      } catch (e) {
        if (!isUserError(e)) throw new Error(`${where}: the validator threw a non-UserError: ${(e as Error).stack}`, { cause: e });
        expect({ where, lines: e.message.split('\n').length, stack: /\n\s+at /.test(e.message) }).toEqual({ where, lines: 2, stack: false });
        refused++;
        continue;
      }
      rendered++;
      if (PAYLOADS.some((p) => text.includes(JSON.stringify(p).slice(1, -1)))) payloadsRendered++;
      try {
        const diff = compareReports(seed, report, i % 2 ? 'main' : '[x](https://evil.example) @octocat');
        const outputs = {
          comment: renderComment(report, undefined, { marker: MARKER, title: report.source?.dockerfile ?? 'image', summaryUrl: SUMMARY_URL }),
          commentDiff: renderComment(report, diff, { marker: MARKER, title: report.source?.dockerfile ?? 'image', summaryUrl: SUMMARY_URL }),
          summary: renderSummary(report, diff, { title: report.image?.ref })
        };
        for (const [name, md] of Object.entries(outputs)) {
          expect({ where, name, problems: markdownProblems(md) }).toEqual({ where, name, problems: [] });
        }
        expect({ where, fits: utf8(outputs.commentDiff) <= COMMENT_LIMIT && utf8(outputs.summary) <= SUMMARY_LIMIT }).toEqual({ where, fits: true });

        const text = renderText(report);
        // eslint-disable-next-line no-control-regex -- the test looks for control characters
        expect({ where, commandLines: text.split('\n').filter((l) => l.startsWith('::')), controls: /[\u0000-\u0009\u000B-\u001F\u001B]/.test(text) }).toEqual({
          where,
          commandLines: [],
          controls: false
        });

        const sarif = JSON.parse(renderSarif(report, { root: '/work' }));
        for (const r of sarif.runs[0].results) {
          expect({ where, link: /(^|[^\\])\]\(/.test(r.message.text) }).toEqual({ where, link: false });
        }

        for (const a of annotationsFor(report)) {
          expect({ where, problems: plainProblems(`${a.props.title} ${a.message}`) }).toEqual({ where, problems: [] });
        }
        for (const a of checkAnnotations(report)) {
          expect({ where, problems: plainProblems(`${a.title} ${a.message}`) }).toEqual({ where, problems: [] });
        }
      } catch (e) {
        if (e instanceof Error && e.name === 'JestAssertionError') throw e;
        throw new Error(`${where}: a renderer threw: ${(e as Error).stack}\nreport: ${text.slice(0, 2000)}`, { cause: e });
      }
    }
    // The mix must exercise both paths: many refused, many rendered with payloads in them.
    expect(refused).toBeGreaterThan(CASES / 5);
    expect(rendered).toBeGreaterThan(CASES / 4);
    expect(payloadsRendered).toBeGreaterThan(CASES / 4);
    console.log(`report fuzz: ${CASES} cases (seed ${SEED}): ${refused} refused with a UserError, ${rendered} rendered (${payloadsRendered} with payloads)`);
  });
});
