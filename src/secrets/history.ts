// Reading `docker history` lines. BuildKit (and the legacy builder) record the build args a RUN step saw as
// `RUN |N NAME=value … /bin/sh -c <command>`, unquoted, so a value with spaces is ambiguous; the names of
// declared args (`ARG NAME` steps, also in the history) disambiguate where they can.

export interface NamedValue {
  name: string;
  value: string;
}

export interface ParsedStep {
  /** Upper-case instruction (`RUN`, `ENV`, `ARG`, `LABEL`, `COPY`…), or '' when unknown. */
  instruction: string;
  /** RUN: the `|N` build args. ENV/ARG/LABEL: the NAME=value pairs. */
  pairs: NamedValue[];
  /** The rest of the line (RUN: the command, without `# buildkit`). */
  text: string;
}

const LEGACY_NOP = /^\/bin\/sh -c #\(nop\)\s+/;
const IDENT = '[A-Za-z_][A-Za-z0-9_]*';
/** ENV and LABEL keys may hold dots and dashes (`com.example.maps-key`, `org.opencontainers.image.source`). */
const KEY = '[A-Za-z_][A-Za-z0-9_.-]*';

/** Splits `A=1 B=two words C=3` into pairs; a value runs until the next ` NAME=` (known names preferred). */
export function splitPairs(text: string, knownNames?: ReadonlySet<string>, count?: number, dottedKeys = false): { pairs: NamedValue[]; rest: string } {
  const pairs: NamedValue[] = [];
  let pos = 0;
  const key = dottedKeys ? KEY : IDENT;
  const head = new RegExp(`^(${key})=`);
  while (pos < text.length && (count === undefined || pairs.length < count)) {
    const m = head.exec(text.slice(pos));
    if (!m) break;
    const name = m[1];
    const valueStart = pos + m[0].length;
    const isLast = count !== undefined && pairs.length === count - 1;
    let end: number;
    if (isLast) {
      end = endOfLastArg(text, valueStart);
    } else {
      end = nextPairStart(text, valueStart, knownNames, count === undefined, key);
    }
    let value = text.slice(valueStart, end);
    if (count === undefined) value = unquote(value.trimEnd());
    pairs.push({ name, value });
    pos = end < text.length ? end + 1 : end;
  }
  return { pairs, rest: text.slice(pos) };
}

function nextPairStart(text: string, from: number, known: ReadonlySet<string> | undefined, quoted: boolean, key = IDENT): number {
  // ENV/LABEL values may be quoted: a quoted value ends at its closing quote.
  if (quoted && (text[from] === '"' || text[from] === "'")) {
    const close = text.indexOf(text[from], from + 1);
    if (close > 0) return close + 1 < text.length && text[close + 1] === ' ' ? close + 1 : text.length;
  }
  const re = new RegExp(` (${key})=`, 'g');
  re.lastIndex = from;
  let fallback = -1;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (!known || known.size === 0 || known.has(m[1])) return m.index;
    if (fallback < 0) fallback = m.index;
  }
  return fallback >= 0 ? fallback : text.length;
}

/** The last `|N` build arg ends where the shell starts (` /bin/sh -c `, any absolute program), else at a space. */
function endOfLastArg(text: string, from: number): number {
  const shell = text.indexOf(' /', from);
  const space = text.indexOf(' ', from);
  if (shell >= 0) return shell;
  return space >= 0 ? space : text.length;
}

function unquote(v: string): string {
  return v.length >= 2 && (v[0] === '"' || v[0] === "'") && v.endsWith(v[0]) ? v.slice(1, -1) : v;
}

/** Parses one `created_by`. `knownArgs`: names declared by earlier `ARG` steps. */
export function parseCreatedBy(createdBy: string, knownArgs?: ReadonlySet<string>): ParsedStep {
  let s = createdBy.trim().replace(/\s+# buildkit$/, '');
  let instruction = '';
  if (LEGACY_NOP.test(s)) {
    s = s.replace(LEGACY_NOP, '');
  } else if (/^\|\d+ /.test(s) || s.startsWith('/bin/sh -c ')) {
    instruction = 'RUN'; // legacy builder RUN
  }
  if (!instruction) {
    const m = /^([A-Z]+)(?:\s+|$)/.exec(s);
    if (m) {
      instruction = m[1];
      s = s.slice(m[0].length);
    }
  }
  if (instruction === 'RUN') {
    const n = /^\|(\d+) /.exec(s);
    if (n) {
      const { pairs, rest } = splitPairs(s.slice(n[0].length), knownArgs, Number(n[1]));
      return { instruction, pairs, text: rest };
    }
    return { instruction, pairs: [], text: s };
  }
  if (instruction === 'ENV' || instruction === 'ARG' || instruction === 'LABEL') {
    const { pairs, rest } = splitPairs(s, undefined, undefined, instruction !== 'ARG');
    // `ARG NAME` without default: a declaration, no value.
    if (instruction === 'ARG' && pairs.length === 0 && new RegExp(`^${IDENT}$`).test(s)) return { instruction, pairs: [], text: s };
    return { instruction, pairs, text: rest };
  }
  return { instruction, pairs: [], text: s };
}

/** Names declared by `ARG` steps (BuildKit records `ARG NAME` and `ARG NAME=default`). */
export function declaredArgName(createdBy: string): string | undefined {
  return new RegExp(`^ARG (${IDENT})(?:=|$)`).exec(createdBy.trim())?.[1];
}

/** `RUN |1 A=… /bin/sh -c npm ci # buildkit` → `RUN npm ci`, for messages. Long commands are cut. */
export function shortStep(createdBy: string | undefined, max = 80): string {
  if (!createdBy) return 'an unnamed step';
  const p = parseCreatedBy(createdBy);
  let text = p.instruction === 'RUN' ? `RUN ${p.text.replace(/^\/bin\/sh -c /, '')}` : createdBy.replace(LEGACY_NOP, '').replace(/\s+# buildkit$/, '');
  text = text.replace(/\s+/g, ' ').trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
