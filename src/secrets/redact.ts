// Rewriting text that leaves the scanner: every found value is replaced by its mask wherever it appears in the
// report (history lines, layer `createdBy`, Dockerfile step text, config env/labels/cmd, any finding's message
// or details — a lint finding quoting a RUN line included).
import type { Finding, Report } from '../report/types.js';

export interface RedactionEntry {
  value: string;
  masked: string;
}

/** Values shorter than this are only replaced as whole words, so `ARG DB_PASSWORD=root1` doesn't mangle `/root1x`. */
const SHORT = 8;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class Redactor {
  private readonly masks = new Map<string, string>();
  private pattern: RegExp | undefined;
  /** The same long strings (a history line, a step) recur in many findings: redact each once. */
  private readonly cache = new Map<string, string>();

  /** Returns true when the value is new. */
  add(value: string, masked: string): boolean {
    if (this.masks.has(value)) return false;
    this.masks.set(value, masked);
    this.pattern = undefined;
    this.cache.clear();
    return true;
  }

  /** A copy that also replaces `value`: for a finding's own low-confidence value, never registered globally. */
  with(value: string, masked: string): Redactor {
    const r = new Redactor();
    for (const [v, m] of this.masks) r.add(v, m);
    r.add(value, masked);
    return r;
  }

  maskOf(value: string): string | undefined {
    return this.masks.get(value);
  }

  entries(): RedactionEntry[] {
    return [...this.masks].map(([value, masked]) => ({ value, masked }));
  }

  redact(text: string): string {
    if (this.masks.size === 0) return text;
    if (!this.pattern) {
      // Longest first, so a value that contains another is replaced whole.
      const alts = [...this.masks.keys()]
        .sort((a, b) => b.length - a.length)
        .map((v) => (v.length < SHORT ? `(?<![A-Za-z0-9_])${escape(v)}(?![A-Za-z0-9_])` : escape(v)));
      this.pattern = new RegExp(alts.join('|'), 'g');
    }
    if (text.length < 4) return text;
    const hit = this.cache.get(text);
    if (hit !== undefined) return hit;
    const out = text.replace(this.pattern, (m) => this.masks.get(m) ?? '…');
    if (text.length >= 64) this.cache.set(text, out);
    return out;
  }

  /** Deep copy of any JSON-like value with every string redacted (object keys too: labels are keyed by name). */
  redactDeep<T>(value: T): T {
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') return this.redact(v);
      if (Array.isArray(v)) return v.map(walk);
      if (v && typeof v === 'object') {
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) out[this.redact(k)] = walk(x);
        return out;
      }
      return v;
    };
    return walk(value) as T;
  }

  redactFinding(f: Finding): Finding {
    return this.redactDeep(f);
  }
}

export type RedactionSource = { readonly redactions: readonly RedactionEntry[] } | readonly RedactionEntry[];

/**
 * The report with every found secret value replaced by its mask, everywhere. The pipeline calls it last, after
 * all stages have added their parts. Also usable on any other JSON-like value (a diff, a rendered summary).
 */
export function redactReport<T = Report>(report: T, source: RedactionSource): T {
  const entries = Array.isArray(source) ? (source as readonly RedactionEntry[]) : (source as { redactions: readonly RedactionEntry[] }).redactions;
  const r = new Redactor();
  for (const e of entries) r.add(e.value, e.masked);
  return r.redactDeep(report);
}

/** Same, for a plain string (rendered markdown, a log line). */
export function redactText(text: string, source: RedactionSource): string {
  return redactReport<string>(text, source);
}
