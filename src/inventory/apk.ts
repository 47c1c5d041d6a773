// Alpine's installed database (`/lib/apk/db/installed`): one stanza per package, one letter per field
// (P name, V version, I installed size in bytes), stanzas separated by blank lines.

export interface ApkEntry {
  name: string;
  version: string;
  installedBytes?: number;
  architecture?: string;
}

export function parseApkInstalled(text: string): ApkEntry[] {
  const out: ApkEntry[] = [];
  for (const stanza of text.split(/\n\s*\n/)) {
    let name = '';
    let version = '';
    let size: number | undefined;
    let arch: string | undefined;
    for (const line of stanza.split('\n')) {
      if (line.length < 2 || line[1] !== ':') continue;
      const value = line.slice(2);
      if (line[0] === 'P') name = value;
      else if (line[0] === 'V') version = value;
      else if (line[0] === 'I') size = Number(value);
      else if (line[0] === 'A') arch = value;
    }
    if (name && version) out.push({ name, version, installedBytes: Number.isFinite(size) ? size : undefined, architecture: arch });
  }
  return out;
}
