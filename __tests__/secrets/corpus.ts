// The public test-vector corpus (fixtures/secrets/corpus/corpus.jsonl): loading, materialising synthetic shapes
// with fresh random characters, the dev/hold-out split, and the in-process verdict of the scanner on one vector.
import { createHash, randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { scanText } from '../../src/secrets/scan-text.js';
import { assessNamedValue } from '../../src/secrets/rules/secret-name.js';
import type { Hit } from '../../src/secrets/rules/types.js';

export interface Vector {
  id: string;
  kind: string;
  must: 'find' | 'not';
  value?: string;
  text?: string;
  template?: boolean;
  note?: string;
  source: { repo: string; path: string; commit: string };
}

const here = path.dirname(new URL(import.meta.url).pathname);
/** Repo root from the source (__tests__/secrets) or the bench's compiled copy (build/bench/__tests__/secrets). */
const root = here.includes(`${path.sep}build${path.sep}`) ? path.resolve(here, '..', '..', '..', '..') : path.resolve(here, '..', '..');
export const CORPUS_FILE = path.join(root, 'fixtures', 'secrets', 'corpus', 'corpus.jsonl');

export function loadCorpus(file = CORPUS_FILE): Vector[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Vector);
}

const CLASSES: Record<string, string> = {
  AlphaNumeric: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
  AlphaNumericExtendedShort: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-',
  AlphaNumericExtended: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-+=',
  Numeric: '0123456789',
  Hex: '0123456789abcdef'
};

/** Characters of a simple regex class such as `[A-Z2-7]` or `[\w-]`. */
function classChars(cls: string): string {
  let out = '';
  const body = cls.replace(/\\w/g, 'A-Za-z0-9_').replace(/\\d/g, '0-9');
  for (let i = 0; i < body.length; i++) {
    if (body[i + 1] === '-' && i + 2 < body.length) {
      for (let c = body.charCodeAt(i); c <= body.charCodeAt(i + 2); c++) out += String.fromCharCode(c);
      i += 2;
    } else if (body[i] !== '\\') out += body[i];
  }
  return out;
}

function random(alphabet: string, n: number): string {
  for (;;) {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[randomInt(alphabet.length)];
    // A random token of letters and digits that happens to hold no digit is rare; gitleaks' generator has the same odds.
    if (n < 8 || !/[0-9]/.test(alphabet) || /[0-9]/.test(s)) return s;
  }
}

/** Fills `{{AlphaNumeric:36}}` / `{{re:[A-Z2-7]{16}}}` markers with fresh random characters. */
export function materialise(s: string): string {
  return s.replace(
    /\{\{(AlphaNumeric|AlphaNumericExtendedShort|AlphaNumericExtended|Numeric|Hex):(\d+)\}\}|\{\{re:([A-Za-z0-9]*)\[([^\]]+)\]\{(\d+)\}\}\}/g,
    (_m, k, n, prefix, cls, m) => (k ? random(CLASSES[k], Number(n)) : prefix + random(classChars(cls), Number(m)))
  );
}

export interface Materialised extends Vector {
  /** The text a file gets. */
  body: string;
  /** A single-line value for ENV/ARG/LABEL, when the vector is one. */
  single?: string;
  holdOut: boolean;
}

/** ~30 % of vectors, chosen by a hash of their id: the bench reports them apart and nothing is tuned on them. */
export const isHoldOut = (id: string) => createHash('sha256').update(`holdout:${id}`).digest()[0] < 77;

export function materialiseCorpus(vectors = loadCorpus()): Materialised[] {
  return vectors.map((v) => {
    const body = materialise(v.value ?? v.text ?? '');
    const single = v.value !== undefined && !body.includes('\n') && body.length <= 300 ? body : undefined;
    return { ...v, body, single, holdOut: isHoldOut(v.id) };
  });
}

/**
 * What the scanner reports for one vector's text as a file (`path`), the way the image scan reads files.
 * `flagged`: a finding of warning or error severity; info-only matches are reported but not counted as flagged.
 */
export function verdict(body: string, file = 'app/config.txt'): { found: boolean; flagged: boolean; hits: Hit[] } {
  const hits = scanText(body, { path: file });
  return { found: hits.length > 0, flagged: hits.some((h) => h.severity !== 'info'), hits };
}

/** The same for a value in ENV/ARG/LABEL under a neutral name (history/config scanning of NAME=value). */
export function pairVerdict(name: string, value: string): { found: boolean; flagged: boolean } {
  const hits = scanText(`${name}=${value}`).filter((h) => h.index >= name.length);
  if (hits.length) return { found: true, flagged: hits.some((h) => h.severity !== 'info') };
  const named = assessNamedValue(name, value);
  return { found: !!named, flagged: !!named };
}
