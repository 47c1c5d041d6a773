// Text from Dockerfiles, image history and file paths is attacker-controlled in a PR: it must render as plain
// text in GitHub Markdown, inside tables and inside HTML blocks, and must never ping anyone. Every character
// Markdown or HTML could interpret becomes a numeric entity (entities are decoded in text but never parsed
// again), and `@` gets a zero-width space after it so `@org/team` is not a mention. Control characters (a
// newline would end a table row) and bidirectional overrides (text that reads differently than it renders) go.

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '|': '&#124;',
  '`': '&#96;',
  '\\': '&#92;',
  '*': '&#42;',
  _: '&#95;',
  '[': '&#91;',
  ']': '&#93;',
  '(': '&#40;',
  ')': '&#41;',
  '#': '&#35;',
  '!': '&#33;',
  '~': '&#126;',
  $: '&#36;',
  ':': '&#58;',
  '@': '@&#8203;'
};

const ZWSP = '\u200B';
// C0/C1 controls (newlines, ESC), Unicode line/paragraph separators, and bidi embedding/override/isolate marks.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/g;
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** One line of plain text: no control character (newline, ESC, CR) and no bidi override survives. */
export const singleLine = (text: string): string => String(text).replace(/\r\n/g, ' ').replace(CONTROLS, ' ').replace(BIDI, '');

/** Inline text for Markdown or HTML: one line, every special character neutralised. */
export function escapeMarkdown(text: string): string {
  return (
    singleLine(text)
      .replace(/[&<>"'|`\\*_[\]()#!~$:@]/g, (c) => ENTITIES[c])
      // GFM autolinks `www.host` without any special character; a `.` entity stops it.
      .replace(/(www)\./gi, '$1&#46;')
  );
}

/**
 * Text for sinks that show plain text (annotations, check-run titles and annotations, issue titles, logs): one
 * line, at most `max` code points, and nothing any renderer could turn into a link, a mention or a tag — a
 * zero-width space breaks `](`, `@name`, `<tag`, `://` and `www.` without changing what a reader sees.
 */
export function plainText(text: string, max = 4096): string {
  return shorten(singleLine(text), max)
    .replace(/\]\(/g, `]${ZWSP}(`)
    .replace(/@(?=[\w-])/g, `@${ZWSP}`)
    .replace(/<(?=[A-Za-z/!?])/g, `<${ZWSP}`)
    .replace(/:\/\//g, `:${ZWSP}//`)
    .replace(/(www)\./gi, `$1${ZWSP}.`);
}

/** A number from a number: anything else (a hostile report bypassing the schema) renders as `–`. */
export const num = (n: unknown): string => (typeof n === 'number' && Number.isFinite(n) ? String(n) : '–');

/** Cuts to `max` code points with an ellipsis (before escaping, so no entity is ever cut in half). */
export function shorten(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : chars.slice(0, Math.max(1, max - 1)).join('') + '…';
}

/** Escaped, shortened text inside `<code>` (not a backtick span: entities are not decoded in code spans). */
export const code = (text: string, max = 100): string => `<code>${escapeMarkdown(shorten(text, max))}</code>`;

/** A label Mermaid accepts inside double quotes: plain ASCII words only. */
export function mermaidLabel(text: string, max = 24): string {
  const cleaned = text
    .replace(/[^A-Za-z0-9 ._=+-]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return `"${shorten(cleaned, max).replace(/…$/, '..')}"`;
}

/** A hidden HTML comment marker; `--` and `>` cannot appear inside, so user text can never close it early. */
export function htmlCommentMarker(key: string): string {
  return `<!-- image-audit:${key.replace(/-{2,}/g, '-').replace(/[<>\r\n]/g, '_')} -->`;
}
