// Package-level diff of two reports: what the PR added, removed, upgraded and downgraded, with sizes, largest
// first. Pure; versions are ordered per ecosystem (inventory/version.ts).
import { compareVersions } from '../inventory/version.js';
import type { Package, PackageType, Report } from '../report/types.js';

export type PackageChangeKind = 'added' | 'removed' | 'upgraded' | 'downgraded';

export interface PackageChange {
  change: PackageChangeKind;
  type: PackageType;
  name: string;
  /** Head version (base version for removed packages). */
  version: string;
  /** Upgraded/downgraded: the base version. */
  baseVersion?: string;
  /** Head size (base size for removed packages). */
  size?: number;
  /** head size - base size (negative for removed packages). */
  sizeDelta: number;
  /** Layer (head side; base side for removed) and its Dockerfile line, when attributed. */
  layer?: number;
  line?: number;
}

export interface PackageDiff {
  added: PackageChange[];
  removed: PackageChange[];
  upgraded: PackageChange[];
  downgraded: PackageChange[];
}

/**
 * Identity of a package across builds: ecosystem + name; npm and Python also by location (an image can hold
 * several copies in different apps), without the version that Python puts in its dist-info folder name.
 */
function identity(p: Package): string {
  if (p.type === 'npm') return `npm\0${p.path ?? ''}`;
  if (p.type === 'python') return `python\0${(p.path ?? '').replace(/[^/]*$/, '').replace(/[^/]+\/$/, '')}\0${p.name.toLowerCase()}`;
  return `${p.type}\0${p.name}`;
}

const lineOf = (r: Report, layer: number | undefined) => (layer === undefined ? undefined : r.layers[layer]?.step?.line);

/** Undefined when either side has no inventory (an older report, or lint only). */
export function comparePackages(base: Report, head: Report): PackageDiff | undefined {
  if (!base.packages || !head.packages) return undefined;
  const index = (ps: Package[]) => {
    const m = new Map<string, Package>();
    for (const p of ps) if (!m.has(identity(p))) m.set(identity(p), p);
    return m;
  };
  const b = index(base.packages);
  const h = index(head.packages);
  const diff: PackageDiff = { added: [], removed: [], upgraded: [], downgraded: [] };
  const entry = (change: PackageChangeKind, p: Package, r: Report, extra: Partial<PackageChange> = {}): PackageChange => ({
    change,
    type: p.type,
    name: p.name,
    version: p.version,
    ...(p.size !== undefined ? { size: p.size } : {}),
    sizeDelta: change === 'removed' ? -(p.size ?? 0) : (p.size ?? 0),
    ...(p.layer !== undefined ? { layer: p.layer } : {}),
    ...(lineOf(r, p.layer) !== undefined ? { line: lineOf(r, p.layer) } : {}),
    ...extra
  });
  for (const [key, hp] of h) {
    const bp = b.get(key);
    if (!bp) diff.added.push(entry('added', hp, head));
    else if (bp.version !== hp.version) {
      const order = compareVersions(hp.type, hp.version, bp.version);
      if (order === 0) continue;
      diff[order > 0 ? 'upgraded' : 'downgraded'].push(
        entry(order > 0 ? 'upgraded' : 'downgraded', hp, head, { baseVersion: bp.version, sizeDelta: (hp.size ?? 0) - (bp.size ?? 0) })
      );
    }
  }
  for (const [key, bp] of b) if (!h.has(key)) diff.removed.push(entry('removed', bp, base));
  const bySize = (x: PackageChange, y: PackageChange) =>
    Math.abs(y.sizeDelta) - Math.abs(x.sizeDelta) || (y.size ?? 0) - (x.size ?? 0) || x.name.localeCompare(y.name);
  for (const list of Object.values(diff)) list.sort(bySize);
  return diff;
}

export const packageChangeCount = (d: PackageDiff) => d.added.length + d.removed.length + d.upgraded.length + d.downgraded.length;
