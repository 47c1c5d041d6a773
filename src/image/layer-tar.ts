// Synchronous push parsers for tar (ustar, GNU and PAX extensions), fed chunk by chunk: one layer tar here, and
// the outer `docker save` archive in reader.ts on the same state machine. Why not tar-stream: it decodes PAX
// values as UTF-8, so two names that differ only in invalid bytes (`x\xff`, `x\xfe`) collapse into one `x\ufffd`;
// its per-entry stream objects cost more CPU than the whole rest of the analysis on a 45k-file layer; and on the
// outer archive its streams, iterators and promises per chunk cost 0.2 CPU-s per 650 MB (measured). These
// parsers allocate nothing per entry beyond the LayerEntry itself and the content a subscriber asked for.
import { isUtf8 } from 'node:buffer';
import type { EntryKind, LayerEntry, LayerSubscriber } from './types.js';

const BLOCK = 512;
/** PAX and GNU long-name records are small; anything bigger is not a header we should buffer. */
const MAX_META_BYTES = 1024 * 1024;

/** Thrown for bytes that are not a tar stream; the reader turns it into a UserError naming the image. */
export class TarFormatError extends Error {}

export interface LayerTarCounts {
  /** Regular-file bytes plus symlink target lengths, as Docker 20.10 counts an imported layer. */
  size: number;
  entries: number;
}

const enum State {
  Header,
  Data,
  Padding,
  End
}

const enum Meta {
  None,
  Pax,
  PaxGlobal,
  LongName,
  LongLink
}

const TYPE_KIND: Record<number, EntryKind> = {
  0x30: 'file', // '0'
  0x00: 'file', // old tar
  0x37: 'file', // '7' contiguous
  0x31: 'hardlink', // '1'
  0x32: 'symlink', // '2'
  0x35: 'directory' // '5'
};

/** A tar member's header, names still as raw bytes (a name's bytes are its identity). */
export interface TarMember {
  /** The typeflag byte (`'0'` file, `'2'` symlink…). */
  type: number;
  kind: EntryKind;
  name: Buffer;
  /** Link target of symlinks and hard links. */
  link?: Buffer;
  /** Content bytes that follow the header (PAX `size` wins). */
  size: number;
  mode: number;
}

/**
 * The tar state machine shared by the layer parser and the outer `docker save` archive: blocks, padding, PAX
 * (per entry and global) and GNU long names, fed chunk by chunk and fully synchronous, so a subclass sees every
 * member's header and then its content as it arrives, with no stream or promise per member.
 */
export abstract class TarPushParser {
  private state = State.Header;
  private header = Buffer.allocUnsafe(BLOCK);
  private headerFill = 0;
  /** Content bytes left in the current entry, then padding bytes left to the block boundary. */
  private remaining = 0;
  private padding = 0;
  private meta = Meta.None;
  private metaBuf?: Buffer;
  private metaFill = 0;
  private pax?: Map<string, Buffer>;
  private paxGlobal?: Map<string, Buffer>;
  private longName?: Buffer;
  private longLink?: Buffer;
  /** Whether the subclass asked for the current member's content. */
  private receiving = false;

  /** `what` names the stream in errors ("the layer tar", "the archive"). */
  constructor(private readonly what: string) {}

  /** A member's header; return true to get its content through onMemberData and onMemberEnd. */
  protected abstract onMember(member: TarMember): boolean;
  protected abstract onMemberData(chunk: Buffer, off: number, len: number): void;
  protected abstract onMemberEnd(): void;

  write(chunk: Buffer): void {
    let off = 0;
    const n = chunk.length;
    while (off < n) {
      switch (this.state) {
        case State.Header: {
          if (this.headerFill === 0 && n - off >= BLOCK) {
            this.onHeader(chunk, off);
            off += BLOCK;
          } else {
            const take = Math.min(BLOCK - this.headerFill, n - off);
            chunk.copy(this.header, this.headerFill, off, off + take);
            this.headerFill += take;
            off += take;
            if (this.headerFill === BLOCK) {
              this.headerFill = 0;
              this.onHeader(this.header, 0);
            }
          }
          break;
        }
        case State.Data: {
          const take = Math.min(this.remaining, n - off);
          if (this.meta !== Meta.None) {
            chunk.copy(this.metaBuf!, this.metaFill, off, off + take);
            this.metaFill += take;
          } else if (this.receiving) this.onMemberData(chunk, off, take);
          off += take;
          this.remaining -= take;
          if (this.remaining === 0) this.endData();
          break;
        }
        case State.Padding: {
          const take = Math.min(this.padding, n - off);
          off += take;
          this.padding -= take;
          if (this.padding === 0) this.state = State.Header;
          break;
        }
        case State.End:
          return; // trailing zero blocks and filler after the end-of-archive marker
      }
    }
  }

  /** Whether the end-of-archive marker (a zero block) has been read. */
  get ended(): boolean {
    return this.state === State.End;
  }

  /** All bytes are in; throws when the stream stopped inside a member. */
  end(): void {
    if (this.state === State.Data || this.state === State.Padding || this.headerFill !== 0) {
      throw new TarFormatError(`${this.what} ends in the middle of an entry (truncated)`);
    }
    if (this.meta !== Meta.None || this.pax || this.longName || this.longLink) {
      throw new TarFormatError(`${this.what} ends after an extended header with no entry`);
    }
  }

  private onHeader(buf: Buffer, at: number): void {
    if (isZeroBlock(buf, at)) {
      this.state = State.End;
      return;
    }
    if (!checksumOk(buf, at)) throw new TarFormatError(`${this.what} has a header with a bad checksum (not a tar stream, or corrupt)`);
    const type = buf[at + 156];
    const size = parseNumeric(buf, at + 124, 12);
    if (size < 0) throw new TarFormatError(`${this.what} has a header with an invalid size field`);
    this.remaining = size;
    this.padding = (BLOCK - (size % BLOCK)) % BLOCK;

    switch (type) {
      case 0x78: // 'x' PAX for the next entry
      case 0x67: // 'g' global PAX
      case 0x4c: // 'L' GNU long name
      case 0x4b: // 'K' GNU long link
        if (size > MAX_META_BYTES) throw new TarFormatError(`${this.what} has an extended header of ${size} bytes, too large`);
        this.meta = type === 0x78 ? Meta.Pax : type === 0x67 ? Meta.PaxGlobal : type === 0x4c ? Meta.LongName : Meta.LongLink;
        this.metaBuf = Buffer.allocUnsafe(size);
        this.metaFill = 0;
        this.afterHeader();
        return;
    }

    const kind: EntryKind = TYPE_KIND[type] ?? 'other';
    const ustar = buf.toString('latin1', at + 257, at + 262) === 'ustar' && buf[at + 262] === 0; // POSIX (not GNU) has a prefix field
    const paxPath = this.paxValue('path');
    const paxLink = this.paxValue('linkpath');
    const paxSize = this.paxValue('size');
    if (paxSize) {
      const s = Number(paxSize.toString('latin1', 0, paxSize.length));
      if (!Number.isSafeInteger(s) || s < 0) throw new TarFormatError(`${this.what} has an invalid PAX size`);
      this.remaining = s;
      this.padding = (BLOCK - (s % BLOCK)) % BLOCK;
    }
    let name: Buffer;
    if (paxPath) name = paxPath;
    else if (this.longName) name = cString(this.longName, 0, this.longName.length);
    else {
      const base = cString(buf, at, 100);
      const prefix = ustar ? cString(buf, at + 345, 155) : undefined;
      name = prefix && prefix.length ? Buffer.concat([prefix, SLASH, base]) : Buffer.from(base);
    }
    let link: Buffer | undefined;
    if (kind === 'symlink' || kind === 'hardlink') {
      link = paxLink ?? (this.longLink ? cString(this.longLink, 0, this.longLink.length) : Buffer.from(cString(buf, at + 157, 100)));
    }
    this.pax = undefined;
    this.longName = undefined;
    this.longLink = undefined;
    this.receiving = this.onMember({ type, kind, name, link, size: this.remaining, mode: parseNumeric(buf, at + 100, 8) });
    this.afterHeader();
  }

  private afterHeader(): void {
    if (this.remaining > 0) this.state = State.Data;
    else this.endData();
  }

  private endData(): void {
    this.state = this.padding > 0 ? State.Padding : State.Header;
    if (this.meta !== Meta.None) {
      const data = this.metaBuf!;
      const kind = this.meta;
      this.meta = Meta.None;
      this.metaBuf = undefined;
      if (kind === Meta.LongName) this.longName = data;
      else if (kind === Meta.LongLink) this.longLink = data;
      else if (kind === Meta.PaxGlobal) this.paxGlobal = new Map([...(this.paxGlobal ?? []), ...parsePax(data)]);
      else this.pax = parsePax(data);
      return;
    }
    if (this.receiving) {
      this.receiving = false;
      this.onMemberEnd();
    }
  }

  private paxValue(key: string): Buffer | undefined {
    return this.pax?.get(key) ?? this.paxGlobal?.get(key);
  }
}

interface PendingEntry {
  entry: LayerEntry;
  /** Bytes of content subscribers want (0: none). */
  want: number;
  content: Buffer;
  have: number;
}

/** One layer tar: every member becomes a LayerEntry for the subscribers, with the content they asked for. */
export class LayerTarParser extends TarPushParser {
  private current?: PendingEntry;
  readonly counts: LayerTarCounts = { size: 0, entries: 0 };

  constructor(
    private readonly layerKey: string,
    private readonly subscribers: readonly LayerSubscriber[]
  ) {
    super('the layer tar');
  }

  protected onMember(m: TarMember): boolean {
    this.counts.entries++;
    const { kind } = m;
    const fileSize = kind === 'file' ? m.size : 0;
    // Docker sizes a layer from its unpacked diff: regular files (hard links once) plus symlink target lengths.
    this.counts.size += fileSize + (kind === 'symlink' && m.link ? m.link.length : 0);

    const path = normalisePath(decodeRawName(m.name));
    const base = path.slice(path.lastIndexOf('/') + 1);
    // Root entries and AUFS metadata (`.wh..wh.plnk`, `.wh..wh.aufs`) are not part of the filesystem.
    if (path === '' || (base.startsWith('.wh..wh.') && base !== '.wh..wh..opq')) return false;
    const entry: LayerEntry = { layerKey: this.layerKey, path, kind, size: fileSize, mode: m.mode };
    if (m.link !== undefined) {
      const link = decodeRawName(m.link);
      entry.linkname = kind === 'hardlink' ? normalisePath(link) : link;
    }
    if (base.startsWith('.wh.')) {
      const dir = path.slice(0, Math.max(0, path.lastIndexOf('/')));
      entry.whiteout = base === '.wh..wh..opq' ? { kind: 'opaque', target: dir } : { kind: 'delete', target: dir ? `${dir}/${base.slice(4)}` : base.slice(4) };
    }
    let want = 0;
    for (const sub of this.subscribers) {
      sub.onEntry?.(entry);
      if (kind === 'file' && fileSize > 0 && sub.wantContent) want = Math.max(want, sub.wantContent(entry));
    }
    want = Math.min(want, fileSize);
    if (want <= 0) return false;
    this.current = { entry, want, have: 0, content: Buffer.allocUnsafe(want) };
    return true;
  }

  protected onMemberData(chunk: Buffer, off: number, len: number): void {
    const cur = this.current!;
    if (cur.have >= cur.want) return;
    const take = Math.min(len, cur.want - cur.have);
    chunk.copy(cur.content, cur.have, off, off + take);
    cur.have += take;
  }

  protected onMemberEnd(): void {
    const cur = this.current!;
    this.current = undefined;
    const { entry, content } = cur;
    const truncated = entry.size > cur.want;
    for (const sub of this.subscribers) {
      if (!sub.onContent || !sub.wantContent) continue;
      const w = sub.wantContent(entry);
      if (w <= 0) continue;
      sub.onContent(entry, w < content.length ? content.subarray(0, w) : content, truncated || entry.size > w);
    }
  }
}

const SLASH = Buffer.from('/');

/** `len key=value\n` records; keys are ASCII, values stay raw bytes (a path's bytes are its identity). */
function parsePax(buf: Buffer): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let i = 0;
  while (i < buf.length) {
    const space = buf.indexOf(0x20, i);
    if (space < 0) break;
    const len = Number(buf.toString('latin1', i, space));
    if (!Number.isSafeInteger(len) || len <= 0 || i + len > buf.length) throw new TarFormatError('a layer tar PAX record is malformed');
    const rec = buf.subarray(space + 1, i + len - 1); // drop the trailing newline
    const eq = rec.indexOf(0x3d);
    if (eq > 0) out.set(rec.toString('latin1', 0, eq), rec.subarray(eq + 1));
    i += len;
  }
  return out;
}

function cString(buf: Buffer, at: number, len: number): Buffer {
  const end = buf.indexOf(0, at);
  return buf.subarray(at, end < 0 || end > at + len ? at + len : end);
}

function isZeroBlock(buf: Buffer, at: number): boolean {
  for (let i = at; i < at + BLOCK; i++) if (buf[i] !== 0) return false;
  return true;
}

function checksumOk(buf: Buffer, at: number): boolean {
  const stored = parseNumeric(buf, at + 148, 8);
  let sum = 8 * 0x20; // the checksum field counts as spaces
  for (let i = at; i < at + 148; i++) sum += buf[i];
  for (let i = at + 156; i < at + BLOCK; i++) sum += buf[i];
  if (sum === stored) return true;
  // Some old writers summed signed bytes.
  let signed = 8 * 0x20;
  for (let i = at; i < at + BLOCK; i++) if (i < at + 148 || i >= at + 156) signed += (buf[i] << 24) >> 24;
  return signed === stored;
}

/** Octal (NUL/space terminated) or GNU base-256 (high bit set). Returns -1 when unparsable. */
function parseNumeric(buf: Buffer, at: number, len: number): number {
  if (buf[at] & 0x80) {
    let v = buf[at] & 0x7f;
    for (let i = at + 1; i < at + len; i++) v = v * 256 + buf[i];
    return Number.isSafeInteger(v) ? v : -1;
  }
  let v = 0;
  let i = at;
  const end = at + len;
  while (i < end && (buf[i] === 0x20 || buf[i] === 0)) i++;
  let digits = 0;
  for (; i < end; i++) {
    const c = buf[i];
    if (c === 0 || c === 0x20) break;
    if (c < 0x30 || c > 0x37) return -1;
    v = v * 8 + (c - 0x30);
    digits++;
  }
  return digits === 0 ? 0 : v;
}

/**
 * A tar name's bytes → a string that keeps them distinct. Valid UTF-8 decodes as such; otherwise every byte that
 * is not part of valid UTF-8 maps to a lone surrogate U+DC80–U+DCFF (Python's `surrogateescape`, PEP 383), which
 * no valid UTF-8 can produce, so the mapping is one-to-one. `displayName` renders those as `\xNN`.
 */
export function decodeRawName(bytes: Buffer): string {
  let ascii = true;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return bytes.toString('latin1', 0, bytes.length);
  if (isUtf8(bytes)) return bytes.toString('utf8');
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const len = utf8SequenceLength(bytes, i);
    if (len > 0) {
      out += bytes.toString('utf8', i, i + len);
      i += len;
    } else {
      out += String.fromCharCode(0xdc00 + bytes[i]);
      i++;
    }
  }
  return out;
}

/** Length of the valid UTF-8 sequence at `i`, or 0 when the byte there does not start one. */
function utf8SequenceLength(b: Buffer, i: number): number {
  const c = b[i];
  if (c < 0x80) return 1;
  const len = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
  if (len === 0 || i + len > b.length) return 0;
  return isUtf8(b.subarray(i, i + len)) ? len : 0;
}

const LONE_ESCAPE = /(?<![\uD800-\uDBFF])[\uDC80-\uDCFF]/g;
const HAS_LONE_ESCAPE = /(?<![\uD800-\uDBFF])[\uDC80-\uDCFF]/;

/** Renders the raw bytes `decodeRawName` kept (lone surrogates) as `\xNN`, for people and for JSON. */
export function displayName(name: string): string {
  return HAS_LONE_ESCAPE.test(name) ? name.replace(LONE_ESCAPE, (c) => `\\x${(c.charCodeAt(0) - 0xdc00).toString(16).padStart(2, '0')}`) : name;
}

/** `./a//b/../c/` → `a/c`: no leading `./` or `/`, no trailing `/`, never above the root. */
export function normalisePath(p: string): string {
  if (p.length > 0 && p.charCodeAt(0) !== 0x2e && p.charCodeAt(0) !== 0x2f && !p.includes('//') && !p.includes('/.') && !p.endsWith('/')) return p;
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return out.join('/');
}

/**
 * Every string in a finished report with raw name bytes rendered (`displayName`): the analysis keys files by
 * their exact bytes, and only what people and JSON readers see is escaped. Returns the same object.
 */
export function displayRawNamesDeep<T>(value: T): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return displayName(v);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) v[i] = walk(v[i]);
      return v;
    }
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      for (const k of Object.keys(o)) {
        const nk = displayName(k);
        const nv = walk(o[k]);
        if (nk !== k) {
          delete o[k];
          o[nk] = nv;
        } else o[k] = nv;
      }
    }
    return v;
  };
  return walk(value) as T;
}
