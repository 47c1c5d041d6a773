// dpkg's status database (`/var/lib/dpkg/status`) and distroless's one-stanza-per-package `status.d/` files:
// RFC 822-style stanzas separated by blank lines.

export interface DpkgEntry {
  name: string;
  version: string;
  architecture?: string;
  /** Installed-Size is KiB. */
  installedBytes?: number;
  source?: string;
}

/** Installed packages of a status file (stanzas whose Status ends in `installed`; status.d files have none). */
export function parseDpkgStatus(text: string, requireStatus = true): DpkgEntry[] {
  const out: DpkgEntry[] = [];
  for (const stanza of text.split(/\n\s*\n/)) {
    const fields = parseStanza(stanza);
    const name = fields.get('package');
    const version = fields.get('version');
    if (!name || !version) continue;
    const status = fields.get('status');
    if (status !== undefined || requireStatus) {
      if (!status || !/\binstalled$/.test(status) || /not-installed|config-files/.test(status)) continue;
    }
    const size = Number(fields.get('installed-size'));
    out.push({
      name,
      version,
      architecture: fields.get('architecture'),
      installedBytes: Number.isFinite(size) && size > 0 ? size * 1024 : undefined,
      source: fields.get('source')?.split(' ')[0]
    });
  }
  return out;
}

/** Field name (lower-cased) → value; continuation lines are dropped (only single-line fields are used). */
export function parseStanza(stanza: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of stanza.split('\n')) {
    if (line === '' || line[0] === ' ' || line[0] === '\t' || line[0] === '#') continue;
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const key = line.slice(0, i).toLowerCase();
    if (!fields.has(key)) fields.set(key, line.slice(i + 1).trim());
  }
  return fields;
}
