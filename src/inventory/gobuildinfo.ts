// Go build info: the module list the Go linker embeds in every binary (`go version -m`). Go ≥ 1.18 writes a
// 32-byte header (`\xff Go buildinf:`, pointer size, flags) followed, when flags&2, by two varint-prefixed
// strings: the Go version and the module info (`path`, `mod`, `dep`, `=>` lines between 16-byte sentinels).
// Older binaries point into the data segment instead; they are reported with no modules.

const MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');

export interface GoModule {
  path: string;
  version: string;
  /** `=> path version` replacement, when the module was replaced. */
  replacedBy?: string;
  main?: boolean;
}

export interface GoBuildInfo {
  goVersion: string;
  modules: GoModule[];
}

function varint(b: Buffer, at: number): [number, number] | undefined {
  let value = 0;
  let shift = 0;
  for (let i = at; i < b.length && i < at + 10; i++) {
    value += (b[i] & 0x7f) * 2 ** shift;
    if ((b[i] & 0x80) === 0) return [value, i + 1];
    shift += 7;
  }
  return undefined;
}

export function findGoBuildInfo(b: Buffer): GoBuildInfo | undefined {
  let at = b.indexOf(MAGIC);
  // The header is 16-byte aligned; an unaligned match is a string that happens to look like it.
  while (at >= 0 && at % 16 !== 0) at = b.indexOf(MAGIC, at + 1);
  if (at < 0 || at + 32 > b.length) return undefined;
  const flags = b[at + 15];
  if ((flags & 2) === 0) return { goVersion: 'unknown (before Go 1.18)', modules: [] };
  let p = at + 32;
  const strings: string[] = [];
  for (let k = 0; k < 2; k++) {
    const v = varint(b, p);
    if (!v || v[1] + v[0] > b.length) return undefined;
    strings.push(b.toString('utf8', v[1], v[1] + v[0]));
    p = v[1] + v[0];
  }
  const goVersion = strings[0];
  let mod = strings[1];
  if (mod.length >= 33 && mod[mod.length - 17] === '\n') mod = mod.slice(16, -16);
  return { goVersion, modules: parseModInfo(mod) };
}

export function parseModInfo(text: string): GoModule[] {
  const out: GoModule[] = [];
  for (const line of text.split('\n')) {
    const f = line.split('\t');
    if ((f[0] === 'mod' || f[0] === 'dep') && f[1]) out.push({ path: f[1], version: f[2] || '(devel)', main: f[0] === 'mod' || undefined });
    else if (f[0] === '=>' && out.length) out[out.length - 1].replacedBy = `${f[1]}${f[2] ? ` ${f[2]}` : ''}`;
  }
  return out;
}
