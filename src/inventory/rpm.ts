// RPM databases. Fedora ≥ 33, RHEL/UBI ≥ 9 and Amazon Linux 2023 keep `/var/lib/rpm/rpmdb.sqlite` (older
// layouts `/usr/lib/sysimage/rpm/rpmdb.sqlite`): an SQLite file whose `Packages` table holds one RPM header blob
// per package. SQLite is read with sql.js (SQLite compiled to WebAssembly, the wasm inlined: no native build,
// no file beside the bundle, runs on Node 20 where node:sqlite does not exist). The header blob is parsed here.
// BerkeleyDB (`Packages`) and NDB (`Packages.db`) databases are reported as not read, never guessed.

export interface RpmEntry {
  name: string;
  version: string;
  release?: string;
  epoch?: number;
  arch?: string;
  installedBytes?: number;
}

const TAG = { name: 1000, version: 1001, release: 1002, epoch: 1003, size: 1009, arch: 1022, longsize: 5009 } as const;
const TYPE = { int32: 4, int64: 5, string: 6, stringArray: 8, i18n: 9 } as const;

/**
 * Parses a header blob as rpm stores it in its database (headerExport: no lead, no 8-byte magic):
 * big-endian int32 index count `il`, int32 data length `dl`, `il` 16-byte entries (tag, type, offset, count),
 * then `dl` bytes of data. Returns undefined when the blob is not a well-formed header.
 */
export function parseRpmHeader(blob: Uint8Array): RpmEntry | undefined {
  const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (buf.length < 8) return undefined;
  const il = buf.readUInt32BE(0);
  const dl = buf.readUInt32BE(4);
  const dataStart = 8 + il * 16;
  if (il === 0 || il > 0xffff || dataStart + dl > buf.length) return undefined;
  const values = new Map<number, string | number>();
  for (let i = 0; i < il; i++) {
    const e = 8 + i * 16;
    const tag = buf.readUInt32BE(e);
    const type = buf.readUInt32BE(e + 4);
    const offset = buf.readInt32BE(e + 8);
    const count = buf.readUInt32BE(e + 12);
    if (!Object.values(TAG).includes(tag as never) || offset < 0 || offset >= dl || count < 1) continue;
    const at = dataStart + offset;
    if (type === TYPE.string || type === TYPE.i18n || type === TYPE.stringArray) {
      const end = buf.indexOf(0, at);
      if (end < 0 || end > dataStart + dl) continue;
      values.set(tag, buf.toString('utf8', at, end));
    } else if (type === TYPE.int32 && at + 4 <= dataStart + dl) {
      values.set(tag, buf.readUInt32BE(at));
    } else if (type === TYPE.int64 && at + 8 <= dataStart + dl) {
      values.set(tag, Number(buf.readBigUInt64BE(at)));
    }
  }
  const name = values.get(TAG.name);
  const version = values.get(TAG.version);
  if (typeof name !== 'string' || typeof version !== 'string') return undefined;
  const size = values.get(TAG.longsize) ?? values.get(TAG.size);
  const epoch = values.get(TAG.epoch);
  const release = values.get(TAG.release);
  const arch = values.get(TAG.arch);
  return {
    name,
    version,
    release: typeof release === 'string' ? release : undefined,
    epoch: typeof epoch === 'number' ? epoch : undefined,
    arch: typeof arch === 'string' ? arch : undefined,
    installedBytes: typeof size === 'number' ? size : undefined
  };
}

/** `[epoch:]version-release`, as rpm -q prints it (epoch only when set). */
export const rpmEvr = (e: RpmEntry) => `${e.epoch ? `${e.epoch}:` : ''}${e.version}${e.release ? `-${e.release}` : ''}`;

// @ts-expect-error the inline build (wasm embedded as base64) has no typings of its own; its API is sql.js's
import initSqlJs from 'sql.js/dist/sql-wasm-inline.js';

type SqlJsInit = (opts?: object) => Promise<{ Database: new (data: Uint8Array) => SqlDatabase }>;
interface SqlDatabase {
  exec(sql: string): { columns: string[]; values: unknown[][] }[];
  close(): void;
}

let sqlJs: ReturnType<SqlJsInit> | undefined;

/** Every package header in an rpmdb.sqlite file. Throws when the file is not an SQLite database rpm wrote. */
export async function readRpmSqlite(file: Uint8Array): Promise<RpmEntry[]> {
  // Compiled on first use only: most images have no rpmdb. (A static import: rollup's CommonJS interop resolves a
  // dynamic import of this CommonJS module to undefined inside the single-file bundle.)
  sqlJs ??= (initSqlJs as unknown as SqlJsInit)();
  const SQL = await sqlJs;
  const db = new SQL.Database(file);
  try {
    const rows = db.exec('SELECT blob FROM Packages');
    const out: RpmEntry[] = [];
    for (const row of rows[0]?.values ?? []) {
      const blob = row[0];
      if (!(blob instanceof Uint8Array)) continue;
      const entry = parseRpmHeader(blob);
      if (entry && entry.name !== 'gpg-pubkey') out.push(entry);
    }
    return out;
  } finally {
    db.close();
  }
}
