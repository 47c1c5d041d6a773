// Version ordering per ecosystem, for upgrade/downgrade in the package diff: dpkg's algorithm (deb, and apk,
// whose `-rN` suffix orders the same way), rpmvercmp (rpm), semver (npm, via the `semver` package npm itself
// uses), PEP 440 (python, the common subset: epoch, release, pre/post/dev, local), and a dotted-number
// comparison for the rest (Go modules are semver with a `v`; Maven falls back to it).
import semver from 'semver';
import type { PackageType } from './types.js';

/** <0, 0, >0 like a sort comparator. */
export function compareVersions(type: PackageType, a: string, b: string): number {
  if (a === b) return 0;
  switch (type) {
    case 'deb':
    case 'apk':
      return dpkgCompare(a, b);
    case 'rpm':
      return rpmCompare(a, b);
    case 'npm':
    case 'go': {
      const sa = semver.valid(a.replace(/^v/, ''), { loose: true });
      const sb = semver.valid(b.replace(/^v/, ''), { loose: true });
      if (sa && sb) return semver.compare(sa, sb, { loose: true });
      return dpkgCompare(a, b);
    }
    case 'python':
      return pep440Compare(a, b);
    default:
      return dpkgCompare(a, b);
  }
}

// ---- dpkg (deb-version(7)): [epoch:]upstream[-revision]; `~` sorts before everything, even the end.
function splitDpkg(v: string): [number, string, string] {
  const colon = v.indexOf(':');
  const epoch = colon > 0 && /^\d+$/.test(v.slice(0, colon)) ? Number(v.slice(0, colon)) : 0;
  const rest = colon > 0 ? v.slice(colon + 1) : v;
  const dash = rest.lastIndexOf('-');
  return dash > 0 ? [epoch, rest.slice(0, dash), rest.slice(dash + 1)] : [epoch, rest, '0'];
}

const dpkgOrder = (c: string | undefined): number => {
  if (c === undefined) return 0;
  if (c === '~') return -1;
  if (/[a-zA-Z]/.test(c)) return c.charCodeAt(0);
  return c.charCodeAt(0) + 256;
};

function dpkgPart(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let diff = 0;
    while ((i < a.length && !/\d/.test(a[i])) || (j < b.length && !/\d/.test(b[j]))) {
      const ac = i < a.length && !/\d/.test(a[i]) ? a[i] : undefined;
      const bc = j < b.length && !/\d/.test(b[j]) ? b[j] : undefined;
      const d = dpkgOrder(ac) - dpkgOrder(bc);
      if (d) return d;
      if (ac !== undefined) i++;
      if (bc !== undefined) j++;
    }
    while (a[i] === '0') i++;
    while (b[j] === '0') j++;
    while (i < a.length && /\d/.test(a[i]) && j < b.length && /\d/.test(b[j])) {
      if (!diff) diff = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (i < a.length && /\d/.test(a[i])) return 1;
    if (j < b.length && /\d/.test(b[j])) return -1;
    if (diff) return diff;
  }
  return 0;
}

export function dpkgCompare(a: string, b: string): number {
  const [ea, ua, ra] = splitDpkg(a);
  const [eb, ub, rb] = splitDpkg(b);
  return ea - eb || dpkgPart(ua, ub) || dpkgPart(ra, rb);
}

// ---- rpmvercmp (rpm's lib/rpmvercmp.c), on [epoch:]version-release.
function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  const alnum = (c: string | undefined) => c !== undefined && /[a-zA-Z0-9]/.test(c);
  while (i < a.length || j < b.length) {
    while (i < a.length && !alnum(a[i]) && a[i] !== '~' && a[i] !== '^') i++;
    while (j < b.length && !alnum(b[j]) && b[j] !== '~' && b[j] !== '^') j++;
    if (a[i] === '~' || b[j] === '~') {
      if (a[i] !== '~') return 1;
      if (b[j] !== '~') return -1;
      i++;
      j++;
      continue;
    }
    if (a[i] === '^' || b[j] === '^') {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (a[i] !== '^') return 1;
      if (b[j] !== '^') return -1;
      i++;
      j++;
      continue;
    }
    if (i >= a.length || j >= b.length) break;
    const numeric = /\d/.test(a[i]);
    const re = numeric ? /^\d+/ : /^[a-zA-Z]+/;
    const sa = re.exec(a.slice(i))?.[0] ?? '';
    const sb = re.exec(b.slice(j))?.[0] ?? '';
    if (!sb) return numeric ? 1 : -1; // different segment types: numeric is newer
    i += sa.length;
    j += sb.length;
    if (numeric) {
      const na = sa.replace(/^0+/, '');
      const nb = sb.replace(/^0+/, '');
      if (na.length !== nb.length) return na.length - nb.length;
      if (na !== nb) return na < nb ? -1 : 1;
    } else if (sa !== sb) {
      return sa < sb ? -1 : 1;
    }
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

export function rpmCompare(a: string, b: string): number {
  const parse = (v: string): [number, string, string] => {
    const colon = v.indexOf(':');
    const epoch = colon > 0 ? Number(v.slice(0, colon)) || 0 : 0;
    const rest = colon > 0 ? v.slice(colon + 1) : v;
    const dash = rest.lastIndexOf('-');
    return dash > 0 ? [epoch, rest.slice(0, dash), rest.slice(dash + 1)] : [epoch, rest, ''];
  };
  const [ea, va, ra] = parse(a);
  const [eb, vb, rb] = parse(b);
  return ea - eb || rpmvercmp(va, vb) || (ra && rb ? rpmvercmp(ra, rb) : 0);
}

// ---- PEP 440: [N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]
interface Pep440 {
  epoch: number;
  release: number[];
  pre?: [number, number];
  post?: number;
  dev?: number;
  local: string;
}

function parsePep440(v: string): Pep440 | undefined {
  const m =
    /^v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\d*))?(?:(?:-(\d+))|(?:[-_.]?(?:post|rev|r)[-_.]?(\d*)))?(?:[-_.]?dev[-_.]?(\d*))?(?:\+([a-z0-9.]+))?$/i.exec(
      v.trim()
    );
  if (!m) return undefined;
  const preKind = m[3]?.toLowerCase();
  const preRank = preKind === undefined ? undefined : preKind.startsWith('a') ? 0 : preKind.startsWith('b') ? 1 : 2;
  return {
    epoch: Number(m[1] ?? 0),
    release: m[2].split('.').map(Number),
    pre: preRank === undefined ? undefined : [preRank, Number(m[4] || 0)],
    post: m[5] !== undefined ? Number(m[5]) : m[6] !== undefined ? Number(m[6] || 0) : undefined,
    dev: m[7] !== undefined ? Number(m[7] || 0) : undefined,
    local: m[8] ?? ''
  };
}

export function pep440Compare(a: string, b: string): number {
  const pa = parsePep440(a);
  const pb = parsePep440(b);
  if (!pa || !pb) return dpkgCompare(a, b);
  if (pa.epoch !== pb.epoch) return pa.epoch - pb.epoch;
  const n = Math.max(pa.release.length, pb.release.length);
  for (let i = 0; i < n; i++) {
    const d = (pa.release[i] ?? 0) - (pb.release[i] ?? 0);
    if (d) return d;
  }
  // 1.0.dev0 < 1.0a1 < 1.0 < 1.0.post1
  const preKey = (p: Pep440): [number, number] => (p.pre ? p.pre : p.dev !== undefined && p.post === undefined ? [-1, 0] : [3, 0]);
  const [ka, na] = preKey(pa);
  const [kb, nb] = preKey(pb);
  if (ka !== kb) return ka - kb;
  if (na !== nb) return na - nb;
  const post = (pa.post ?? -1) - (pb.post ?? -1);
  if (post) return post;
  const dev = (pa.dev ?? Infinity) - (pb.dev ?? Infinity);
  if (dev && Number.isFinite(dev)) return dev;
  if (pa.dev === undefined && pb.dev !== undefined) return 1;
  if (pb.dev === undefined && pa.dev !== undefined) return -1;
  return pa.local < pb.local ? -1 : pa.local > pb.local ? 1 : 0;
}
