// Text from Dockerfiles, image history and file paths is attacker-controlled in a PR: it must render as plain
// text in GitHub Markdown, inside tables and inside HTML blocks, and must never ping anyone. Every character
// Markdown or HTML could interpret becomes a numeric entity (entities are decoded in text but never parsed
// again), and `@` gets a zero-width space after it so `@org/team` is not a mention.

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

/** Inline text for Markdown or HTML: one line, every special character neutralised. */
export function escapeMarkdown(text: string): string {
  return text.replace(/\r?\n|\r|\t/g, ' ').replace(/[&<>"'|`\\*_[\]()#!~$:@]/g, (c) => ENTITIES[c]);
}

/** Cuts to `max` code points with an ellipsis (before escaping, so no entity is ever cut in half). */
export function shorten(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : chars.slice(0, Math.max(1, max - 1)).join('') + '…';
}

/** Escaped, shortened text inside `<code>` (not a backtick span: entities are not decoded in code spans). */
export const code = (text: string, max = 100): string => `<code>${escapeMarkdown(shorten(text, max))}</code>`;

/** A label Mermaid accepts inside double quotes: plain ASCII words only. */
export function mermaidLabel(text: string, max = 24): string {
  const cleaned = text.replace(/[^A-Za-z0-9 ._:/=+-]/g, ' ').replace(/\s+/g, ' ').trim();
  return `"${shorten(cleaned, max).replace(/…$/, '..')}"`;
}

/** A hidden HTML comment marker; `--` and `>` cannot appear inside, so user text can never close it early. */
export function htmlCommentMarker(key: string): string {
  return `<!-- image-audit:${key.replace(/-{2,}/g, '-').replace(/[<>\r\n]/g, '_')} -->`;
}
