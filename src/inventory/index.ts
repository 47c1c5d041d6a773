// The inventory subscriber: during the image's one streaming pass it keeps only the small files package
// managers leave (databases, manifests, metadata; each bounded) and the parsed headers of executables and jars
// (their bytes are dropped as soon as they are parsed). After the pass, `build` resolves which copy of each file
// is visible in the final filesystem and which layer added each package.
import type { FilesystemModel } from '../image/fs-model.js';
import type { ImageLayout, LayerEntry, LayerSubscriber } from '../image/types.js';
import { parseApkInstalled } from './apk.js';
import { parseDpkgStatus } from './dpkg.js';
import { isElf, parseElf } from './elf.js';
import { findGoBuildInfo, type GoBuildInfo } from './gobuildinfo.js';
import { isJarPath, readJar, type MavenArtifact } from './jar.js';
import { devKeysFromLock, npmAppFile, npmManifestPath, npmPackageRootOf, parseNpmManifest } from './npm.js';
import { parsePythonMetadata, pythonDevPackages, pythonFileKind, pythonMetaDir, recordBytes, normalisePythonName, type PythonMetadata } from './python.js';
import { readRpmSqlite, rpmEvr } from './rpm.js';
import type { ElfInfo, Package, UnreadDatabase } from './types.js';

export type { Package, PackageType, UnreadDatabase, ElfInfo } from './types.js';
export type { Distro } from '../report/types.js';
import type { Distro } from '../report/types.js';

const MiB = 1024 * 1024;
/** Byte budgets: what the inventory may buffer for one file of each kind. */
export const INVENTORY_LIMITS = {
  packageDb: 64 * MiB,
  rpmSqlite: 256 * MiB,
  manifest: 4 * MiB,
  lockfile: 32 * MiB,
  /** Executables are read whole up to this size (Go build info sits after the code), else only the headers. */
  executable: 48 * MiB,
  elfHeaders: 64 * 1024,
  jar: 64 * MiB
};

const DPKG_STATUS = 'var/lib/dpkg/status';
const DPKG_STATUS_D = /^var\/lib\/dpkg\/status\.d\/[^/]+$/;
const APK_INSTALLED = 'lib/apk/db/installed';
const RPM_SQLITE = /^(?:var\/lib\/rpm|usr\/lib\/sysimage\/rpm)\/rpmdb\.sqlite$/;
/** Trees a distro's package manager owns (deb/rpm/apk-installed npm and Python packages). */
const OS_MANAGED = /^usr\/(?:share|lib|lib64)\//;
const RPM_UNREAD = /^(?:var\/lib\/rpm|usr\/lib\/sysimage\/rpm)\/(Packages|Packages\.db)$/;

type Kind = 'os-release' | 'dpkg' | 'dpkg-d' | 'apk' | 'rpm' | 'npm' | 'npm-app' | 'npm-lock' | 'py-meta' | 'py-record' | 'py-egg-files';

interface Captured {
  kind: Kind;
  layerKey: string;
  path: string;
  content: Buffer;
}

export interface ElfFile {
  path: string;
  layer: number;
  size: number;
  mode: number;
  elf: ElfInfo;
  go?: GoBuildInfo;
}

/** A visible non-directory entry of the final filesystem. */
export interface VisibleEntry {
  kind: 'file' | 'symlink' | 'hardlink' | 'other';
  layer: number;
  bytes: number;
  mode: number;
  /** Symlink target as stored. */
  link?: string;
}

export interface Inventory {
  packages: Package[];
  unread: UnreadDatabase[];
  /** ELF files visible in the final filesystem, with what they need to start. */
  elfFiles: ElfFile[];
  /** The final filesystem's non-directory entries by path. */
  visible: Map<string, VisibleEntry>;
  /** From /etc/os-release (or /usr/lib/os-release), when present. */
  distro?: Distro;
}

export interface InventoryScan {
  subscriber: LayerSubscriber;
  /** Call after the pass (the model has finished). */
  build(model: FilesystemModel): Promise<Inventory>;
}

function kindOf(e: LayerEntry): Kind | undefined {
  const p = e.path;
  if (p === 'etc/os-release' || p === 'usr/lib/os-release') return 'os-release';
  if (p === DPKG_STATUS) return 'dpkg';
  if (DPKG_STATUS_D.test(p) && !p.endsWith('.md5sums')) return 'dpkg-d';
  if (p === APK_INSTALLED) return 'apk';
  if (RPM_SQLITE.test(p)) return 'rpm';
  if (p.endsWith('package.json') || p.endsWith('package-lock.json')) {
    if (npmManifestPath(p)) return 'npm';
    const app = npmAppFile(p);
    if (app) return app === 'lock' ? 'npm-lock' : 'npm-app';
  }
  if (p.includes('-info')) {
    const py = pythonFileKind(p);
    if (py) return py === 'metadata' ? 'py-meta' : py === 'record' ? 'py-record' : 'py-egg-files';
  }
  return undefined;
}

const budget = (k: Kind) =>
  k === 'dpkg' || k === 'apk'
    ? INVENTORY_LIMITS.packageDb
    : k === 'rpm'
      ? INVENTORY_LIMITS.rpmSqlite
      : k === 'npm-lock'
        ? INVENTORY_LIMITS.lockfile
        : INVENTORY_LIMITS.manifest;

export function createInventoryScan(): InventoryScan {
  const captured: Captured[] = [];
  const elfByKey: { layerKey: string; path: string; size: number; mode: number; elf: ElfInfo; go?: GoBuildInfo }[] = [];
  const jars: { layerKey: string; path: string; size: number; artifacts: MavenArtifact[] }[] = [];
  const unreadSeen: { layerKey: string; path: string }[] = [];
  const symlinks = new Map<string, Map<string, string>>();
  let layout: ImageLayout | undefined;

  const subscriber: LayerSubscriber = {
    onEntry(e) {
      if (e.kind === 'symlink' && e.linkname !== undefined) {
        let m = symlinks.get(e.layerKey);
        if (!m) symlinks.set(e.layerKey, (m = new Map()));
        m.set(e.path, e.linkname);
      } else if (e.kind === 'file' && RPM_UNREAD.test(e.path)) unreadSeen.push({ layerKey: e.layerKey, path: e.path });
    },
    wantContent(e) {
      if (e.kind !== 'file' || e.whiteout) return 0;
      const k = kindOf(e);
      if (k) return budget(k);
      if (isJarPath(e.path)) return e.size <= INVENTORY_LIMITS.jar ? e.size : 0;
      if ((e.mode & 0o111) !== 0 && e.size >= 64) return e.size <= INVENTORY_LIMITS.executable ? e.size : INVENTORY_LIMITS.elfHeaders;
      return 0;
    },
    onContent(e, content, truncated) {
      const k = kindOf(e);
      if (k) {
        if (!truncated) captured.push({ kind: k, layerKey: e.layerKey, path: e.path, content: Buffer.from(content) });
        return;
      }
      if (isJarPath(e.path)) {
        if (!truncated) {
          const artifacts = readJar(content);
          if (artifacts.length) jars.push({ layerKey: e.layerKey, path: e.path, size: e.size, artifacts });
        }
        return;
      }
      if ((e.mode & 0o111) === 0 || !isElf(content)) return;
      const elf = parseElf(content);
      if (!elf) return;
      const go = truncated ? undefined : findGoBuildInfo(content);
      elfByKey.push({ layerKey: e.layerKey, path: e.path, size: e.size, mode: e.mode, elf, go });
    },
    finish(l) {
      layout = l;
    }
  };

  async function build(model: FilesystemModel): Promise<Inventory> {
    if (!layout) throw new Error('inventory built before the archive was read');
    const indexes = new Map<string, number[]>();
    layout.layerOrder.forEach((key, i) => indexes.set(key, [...(indexes.get(key) ?? []), i]));
    const files = model.visibility();
    /** Stack index of the visible copy of `path` from layer `key`, or undefined when it is hidden. */
    const visibleLayer = (key: string, path: string): number | undefined =>
      [...(indexes.get(key) ?? [])].reverse().find((i) => files.lookup(path, i).visibleInFinal);
    const layersOf = (key: string) => indexes.get(key) ?? [];

    // One walk of the final filesystem: the entries by path, and the bytes under each npm package root.
    const visible = new Map<string, VisibleEntry>();
    const npmBytes = new Map<string, number>();
    model.forEachVisible((f) => {
      const entry: VisibleEntry = { kind: f.kind, layer: f.layer, bytes: f.bytes, mode: f.mode };
      if (f.kind === 'symlink') entry.link = symlinks.get(layout!.layerOrder[f.layer])?.get(f.path);
      visible.set(f.path, entry);
      if (f.bytes > 0 && f.path.includes('node_modules/')) {
        const root = npmPackageRootOf(f.path);
        if (root) npmBytes.set(root, (npmBytes.get(root) ?? 0) + f.bytes);
      }
    });

    const packages: Package[] = [];
    // OS databases: every layer's copy, so each package is attributed to the lowest layer of the unbroken run
    // of copies (ending in the visible one) that already had this version.
    const historyOf = async (kind: Kind, parse: (c: Captured) => Promise<Map<string, { version: string; size?: number }>>) => {
      const copies: { layer: number; pkgs: Map<string, { version: string; size?: number }>; visible: boolean; path: string }[] = [];
      for (const c of captured.filter((x) => x.kind === kind)) {
        const v = visibleLayer(c.layerKey, c.path);
        const pkgs = await parse(c);
        for (const layer of layersOf(c.layerKey)) copies.push({ layer, pkgs, visible: layer === v, path: c.path });
      }
      copies.sort((a, b) => a.layer - b.layer);
      const top = copies.findIndex((c) => c.visible);
      if (top < 0) return [];
      const out: { name: string; version: string; size?: number; layer: number; path: string }[] = [];
      for (const [name, p] of copies[top].pkgs) {
        let layer = copies[top].layer;
        for (let i = top - 1; i >= 0 && copies[i].pkgs.get(name)?.version === p.version; i--) layer = copies[i].layer;
        out.push({ name, version: p.version, size: p.size, layer, path: copies[top].path });
      }
      return out;
    };
    for (const p of await historyOf(
      'dpkg',
      async (c) => new Map(parseDpkgStatus(c.content.toString('utf8')).map((e) => [e.name, { version: e.version, size: e.installedBytes }]))
    )) {
      packages.push({ type: 'deb', ...p });
    }
    for (const c of captured.filter((x) => x.kind === 'dpkg-d')) {
      const layer = visibleLayer(c.layerKey, c.path);
      if (layer === undefined) continue;
      for (const e of parseDpkgStatus(c.content.toString('utf8'), false)) {
        packages.push({ type: 'deb', name: e.name, version: e.version, size: e.installedBytes, layer, path: c.path });
      }
    }
    for (const p of await historyOf(
      'apk',
      async (c) => new Map(parseApkInstalled(c.content.toString('utf8')).map((e) => [e.name, { version: e.version, size: e.installedBytes }]))
    )) {
      packages.push({ type: 'apk', ...p });
    }
    const unread: UnreadDatabase[] = [];
    const rpmHistory = await historyOf('rpm', async (c) => {
      try {
        return new Map((await readRpmSqlite(c.content)).map((e) => [e.name, { version: rpmEvr(e), size: e.installedBytes }]));
      } catch (err) {
        if (visibleLayer(c.layerKey, c.path) !== undefined) unread.push({ path: c.path, reason: `not an SQLite rpm database (${(err as Error).message})` });
        return new Map();
      }
    });
    for (const p of rpmHistory) packages.push({ type: 'rpm', ...p });
    for (const u of unreadSeen) {
      const layer = visibleLayer(u.layerKey, u.path);
      if (layer === undefined) continue;
      const what = u.path.endsWith('.db') ? 'an NDB rpm database' : 'a BerkeleyDB rpm database';
      unread.push({ path: u.path, layer, reason: `${what}: not read (only rpmdb.sqlite is); its packages are not listed` });
    }

    // npm: visible manifests, dev flags from the app's lockfile or package.json.
    const visibleCaptured = (kind: Kind) =>
      captured
        .filter((c) => c.kind === kind)
        .map((c) => ({ c, layer: visibleLayer(c.layerKey, c.path) }))
        .filter((x): x is { c: Captured; layer: number } => x.layer !== undefined);
    const appDirOf = (p: string) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');
    const devKeys = new Map<string, Set<string>>();
    for (const { c } of visibleCaptured('npm-lock')) {
      const keys = devKeysFromLock(c.content.toString('utf8'));
      if (!keys) continue;
      // `app/node_modules/.package-lock.json` describes `app`, like `app/package-lock.json`.
      const dir = c.path.endsWith('node_modules/.package-lock.json') ? appDirOf(appDirOf(c.path)) : appDirOf(c.path);
      devKeys.set(dir, new Set([...(devKeys.get(dir) ?? []), ...keys]));
    }
    const directDev = new Map<string, Set<string>>();
    for (const { c } of visibleCaptured('npm-app')) {
      const m = parseNpmManifest(c.content.toString('utf8'));
      if (m) directDev.set(appDirOf(c.path), new Set(m.devDependencies.filter((d) => !m.dependencies.includes(d))));
    }
    for (const { c, layer } of visibleCaptured('npm')) {
      const where = npmManifestPath(c.path)!;
      const m = parseNpmManifest(c.content.toString('utf8'));
      if (!m?.name || !m.version) continue;
      const lock = devKeys.get(where.appRoot);
      // Distro-packaged JavaScript (Debian's /usr/share/nodejs, /usr/lib/nodejs) keeps upstream package.json
      // files whose devDependencies the distro never installs as such: only apps are judged.
      const dev = OS_MANAGED.test(where.appRoot)
        ? false
        : lock
          ? lock.has(where.lockKey)
          : (directDev.get(where.appRoot)?.has(m.name) ?? false) && where.lockKey === `node_modules/${m.name}`;
      packages.push({
        type: 'npm',
        name: m.name,
        version: m.version,
        size: npmBytes.get(where.packageRoot) ?? 0,
        layer,
        path: c.path,
        ...(dev ? { dev } : {})
      });
    }

    // Python: metadata + RECORD (sizes) per distribution directory.
    const records = new Map(visibleCaptured('py-record').map(({ c }) => [pythonMetaDir(c.path), recordBytes(c.content.toString('utf8'))]));
    const eggFiles = new Map(visibleCaptured('py-egg-files').map(({ c }) => [pythonMetaDir(c.path), c.content.toString('utf8')]));
    const dists: { meta: PythonMetadata; layer: number; path: string; dir: string }[] = [];
    for (const { c, layer } of visibleCaptured('py-meta')) {
      const meta = parsePythonMetadata(c.content.toString('utf8'));
      if (meta) dists.push({ meta, layer, path: c.path, dir: pythonMetaDir(c.path) });
    }
    const pyDev = pythonDevPackages(dists.map((d) => d.meta));
    for (const d of dists) {
      let size = records.get(d.dir);
      const egg = eggFiles.get(d.dir);
      if (size === undefined && egg !== undefined) {
        size = 0;
        for (const rel of egg.split('\n').filter(Boolean)) size += visible.get(joinPath(d.dir, rel))?.bytes ?? 0;
      }
      const dev = !OS_MANAGED.test(d.dir) && pyDev.has(normalisePythonName(d.meta.name));
      packages.push({ type: 'python', name: d.meta.name, version: d.meta.version, size, layer: d.layer, path: d.path, ...(dev ? { dev } : {}) });
    }

    // Executables: the visible ones; Go build info lists the modules compiled in.
    const elfFiles: ElfFile[] = [];
    for (const x of elfByKey) {
      const layer = visibleLayer(x.layerKey, x.path);
      if (layer === undefined) continue;
      elfFiles.push({ path: x.path, layer, size: x.size, mode: x.mode, elf: x.elf, go: x.go });
      if (!x.go) continue;
      packages.push({ type: 'go', name: 'stdlib', version: x.go.goVersion, layer, path: x.path });
      for (const m of x.go.modules) {
        packages.push({ type: 'go', name: m.path, version: m.version, layer, path: x.path, ...(m.main ? { size: x.size } : {}) });
      }
    }
    for (const j of jars) {
      const layer = visibleLayer(j.layerKey, j.path);
      if (layer === undefined) continue;
      const own = j.artifacts.filter((a) => !a.nested);
      for (const a of j.artifacts) {
        // The jar's bytes go to its own artifact when it has exactly one; bundled ones are listed without size.
        const size = !a.nested && own.length === 1 ? j.size : undefined;
        packages.push({
          type: 'maven',
          group: a.group,
          name: `${a.group}:${a.artifact}`,
          version: a.version,
          layer,
          path: a.nested ? `${j.path}!/${a.nested}` : j.path,
          ...(size !== undefined ? { size } : {})
        });
      }
    }
    let distro: Distro | undefined;
    for (const path of ['etc/os-release', 'usr/lib/os-release']) {
      const c = visibleCaptured('os-release').find((x) => x.c.path === path);
      if (c && !distro) distro = parseOsRelease(c.c.content.toString('utf8'));
    }
    captured.length = 0;
    return { packages: sortPackages(packages), unread, elfFiles, visible, ...(distro ? { distro } : {}) };
  }

  return { subscriber, build };
}

export const sortPackages = (ps: Package[]) =>
  ps.sort(
    (a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name) || a.version.localeCompare(b.version) || (a.path ?? '').localeCompare(b.path ?? '')
  );

export function parseOsRelease(text: string): Distro | undefined {
  const v = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) v.set(m[1], m[2].replace(/^(["'])(.*)\1$/, '$2'));
  }
  const id = v.get('ID');
  return id
    ? { id, ...(v.get('VERSION_ID') ? { versionId: v.get('VERSION_ID') } : {}), ...(v.get('PRETTY_NAME') ? { prettyName: v.get('PRETTY_NAME') } : {}) }
    : undefined;
}

/** `dir` + a relative path (`../x`), normalised. */
export function joinPath(dir: string, rel: string): string {
  const out = rel.startsWith('/') ? [] : dir.split('/').filter(Boolean);
  for (const part of rel.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return out.join('/');
}
