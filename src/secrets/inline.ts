// Secrets written inline in the Dockerfile (a token in a RUN, an ENV value, an ARG default). They are known
// before the build starts, so they are registered with the host (core.setSecret / the CLI logger's mask) before
// BuildKit's progress lines, which echo every instruction, can print them.
import { splitPairs } from './history.js';
import { maskFor } from './mask.js';
import { assessNamedValue, secretName } from './rules/secret-name.js';
import type { Confidence, Detector } from './rules/types.js';
import { scanText } from './scan-text.js';
import type { Severity } from '../report/types.js';

export interface InlineSecret {
  value: string;
  masked: string;
  detector: Detector;
  confidence: Confidence;
  severity: Severity;
  /** 1-based Dockerfile lines of the instruction that holds it. */
  line: number;
  endLine: number;
  /** ENV/ARG/LABEL name, for name-based matches. */
  name?: string;
}

/** Values that are worth hiding in logs everywhere: not low-confidence guesses and not informational matches. */
export function isMaskable(s: { confidence: Confidence; severity: Severity; value: string }): boolean {
  return s.confidence !== 'low' && s.severity !== 'info' && s.value.trim().length >= 4;
}

interface Instruction {
  line: number;
  endLine: number;
  keyword: string;
  args: string;
}

/** Instructions with their continuation lines joined (comments inside continuations dropped). */
function instructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*([A-Za-z]+)\s+(.*)$/.exec(lines[i]);
    if (!m || lines[i].trimStart().startsWith('#')) continue;
    const start = i;
    let args = m[2];
    while (/\\\s*$/.test(args) && i + 1 < lines.length) {
      args = args.replace(/\\\s*$/, ' ');
      i++;
      if (!lines[i].trimStart().startsWith('#')) args += lines[i];
    }
    out.push({ line: start + 1, endLine: i + 1, keyword: m[1].toUpperCase(), args });
  }
  return out;
}

/** Every secret written literally in a Dockerfile's text, by token shape or (ENV/ARG/LABEL) by name. */
export function inlineDockerfileSecrets(text: string): InlineSecret[] {
  // Every occurrence (the same value in an ARG default and a RUN is two), once per instruction.
  const found = new Map<string, InlineSecret>();
  const add = (s: InlineSecret) => {
    const key = `${s.line}\0${s.value}`;
    const seen = found.get(key);
    if (!seen || (!isMaskable(seen) && isMaskable(s))) found.set(key, s);
  };
  for (const ins of instructions(text)) {
    for (const h of scanText(ins.args)) {
      add({
        value: h.value,
        masked: maskFor(h.detector, h.value),
        detector: h.detector,
        confidence: h.confidence,
        severity: h.severity,
        line: ins.line,
        endLine: ins.endLine
      });
    }
    if (ins.keyword === 'ENV' || ins.keyword === 'ARG' || ins.keyword === 'LABEL') {
      // `ENV NAME value` (legacy form) has one pair; `ENV A=1 B=2` several.
      const legacy = /^([A-Za-z_][A-Za-z0-9_.-]*)\s+([^=\s].*)$/.exec(ins.args.trim());
      const pairs =
        legacy && !legacy[1].includes('=') ? [{ name: legacy[1], value: legacy[2].trim() }] : splitPairs(ins.args.trim(), undefined, undefined, true).pairs;
      for (const p of pairs) {
        if (!p.value || found.has(`${ins.line}\0${p.value.trim()}`)) continue;
        const named = assessNamedValue(p.name, p.value);
        const value = p.value.trim();
        if (named)
          add({
            value,
            masked: maskFor(secretName, value),
            detector: secretName,
            confidence: named.confidence,
            severity: secretName.severity,
            line: ins.line,
            endLine: ins.endLine,
            name: p.name
          });
      }
    }
  }
  return [...found.values()];
}
