// Compilers and SDKs in the final filesystem: build tools belong in a build stage, not in what ships.
import { formatBytes } from '../../util/bytes.js';
import { layerLabel } from './describe.js';
import type { ImageRule, RawImageFinding } from './types.js';

interface Toolchain {
  id: string;
  label: string;
  /** Name in a list, e.g. `gcc`. */
  short: string;
  /** A visible path proving the toolchain is installed; capture group 1, when present, is its root directory. */
  marker: RegExp;
  /** Paths whose bytes belong to the toolchain (besides everything under a captured root). */
  owns: RegExp[];
}

const TRIPLET = '[a-z0-9_]+-linux-gnu[a-z]*';

export const TOOLCHAINS: Toolchain[] = [
  {
    id: 'gcc',
    short: 'gcc',
    label: 'GCC C compiler (gcc/cc)',
    marker: /^usr\/(?:local\/)?(?:lib|libexec)\/gcc\/[^/]+\/[^/]+\/cc1$/,
    owns: [
      /^usr\/(?:local\/)?(?:lib|libexec)\/gcc\/(?!.*\/cc1plus$)/,
      new RegExp(`^usr\\/bin\\/(?:${TRIPLET}-)?(?:gcc|cc|c89|c99|cpp|gcov|lto-dump)(?:-[\\w.-]+)?$`)
    ]
  },
  {
    id: 'g++',
    short: 'g++',
    label: 'GCC C++ compiler (g++)',
    marker: /^usr\/(?:local\/)?(?:lib|libexec)\/gcc\/[^/]+\/[^/]+\/cc1plus$/,
    owns: [/\/cc1plus$/, /^usr\/include\/c\+\+\//, new RegExp(`^usr\\/bin\\/(?:${TRIPLET}-)?(?:g\\+\\+|c\\+\\+)(?:-[\\w.]+)?$`)]
  },
  {
    id: 'binutils',
    short: 'binutils',
    label: 'binutils (ld, as)',
    marker: new RegExp(`^usr\\/bin\\/(?:${TRIPLET}-)?ld(?:\\.bfd|\\.gold)?$`),
    owns: [
      new RegExp(
        `^usr\\/bin\\/(?:${TRIPLET}-)?(?:ld|ld\\.bfd|ld\\.gold|as|ar|ranlib|objdump|objcopy|readelf|strip|nm|size|strings|addr2line|c\\+\\+filt|gprof|elfedit|dwp|gprofng)$`
      ),
      /^usr\/lib\/[^/]+\/lib(?:bfd|opcodes|ctf|ctf-nobfd|sframe|gprofng)[-.]/
    ]
  },
  {
    id: 'go',
    short: 'Go',
    label: 'Go toolchain',
    marker: /^(usr\/local\/go|usr\/lib\/go(?:-[^/]+)?|(?:root|home\/[^/]+)\/(?:sdk\/go[^/]*|go\/go[^/]*)|opt\/go)\/bin\/go$/,
    owns: []
  },
  {
    id: 'rust',
    short: 'Rust',
    label: 'Rust toolchain (rustc/cargo)',
    marker: /^(usr\/local\/rustup|(?:root|home\/[^/]+)\/\.rustup)\/toolchains\/[^/]+\/bin\/rustc$|^usr\/bin\/rustc$/,
    owns: [/^usr\/lib\/rustlib\//, /^usr\/bin\/(?:rustc|cargo|rustdoc|rust-gdb|rust-lldb)$/, /^usr\/lib\/[^/]+\/librustc_driver/, /^usr\/local\/cargo\/bin\//]
  },
  {
    id: 'jdk',
    short: 'JDK',
    label: 'Java development kit (javac)',
    marker: /^((?:usr\/lib\/jvm|opt\/java|usr\/local|opt)\/[^/]+)\/bin\/javac$/,
    owns: []
  },
  {
    id: 'make',
    short: 'make',
    label: 'make',
    marker: /^usr\/(?:local\/)?bin\/g?make$/,
    owns: [/^usr\/(?:local\/)?bin\/g?make$/]
  },
  {
    id: 'c-headers',
    short: 'C headers',
    label: 'C library development headers (libc6-dev / build-essential)',
    marker: /^usr\/include\/stdio\.h$/,
    owns: [/^usr\/include\/(?!c\+\+\/)/]
  }
];

export const toolchainInImage: ImageRule = {
  meta: {
    id: 'toolchain-in-image',
    category: 'image',
    defaultSeverity: 'warning',
    shortDescription: 'Compilers, SDKs or development headers ship in the final image',
    fullDescription:
      'The final image contains build tools (gcc, g++, binutils, make, Go, Rust, a JDK, C headers) that the application does not need at run time. They add size and attack surface: a compiler in a production container helps an intruder more than the application.',
    help: 'Build in a separate stage and copy only the artifacts into a runtime image without the toolchain; or remove build-only packages in the same `RUN` that used them:\n\n```dockerfile\nFROM golang:1.22 AS build\nRUN go build -o /out/app .\nFROM gcr.io/distroless/static\nCOPY --from=build /out/app /app\n```',
    tags: ['size', 'security'],
    examples: {
      bad: 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev \\\n && rm -rf /var/lib/apt/lists/*\nCOPY hello.c .\nRUN gcc -o /usr/local/bin/hello hello.c',
      good: 'FROM debian:bookworm-slim AS build\nRUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev\nCOPY hello.c .\nRUN gcc -o /hello hello.c\n\nFROM debian:bookworm-slim\nCOPY --from=build /hello /usr/local/bin/hello'
    },
    hadolint: []
  },
  check({ model, layers }) {
    const present = new Map<Toolchain, { marker: string; root?: string }>();
    model.forEachVisible((f) => {
      if (f.kind === 'other') return;
      for (const tc of TOOLCHAINS) {
        if (present.has(tc)) continue;
        const m = tc.marker.exec(f.path);
        if (m) present.set(tc, { marker: f.path, root: m[1] });
      }
    });
    if (present.size === 0) return [];
    const totals = new Map<Toolchain, { bytes: number; byLayer: Map<number, number> }>();
    model.forEachVisible((f) => {
      for (const [tc, { root }] of present) {
        const mine = (root !== undefined && f.path.startsWith(`${root}/`)) || tc.owns.some((re) => re.test(f.path));
        if (!mine) continue;
        let t = totals.get(tc);
        if (!t) totals.set(tc, (t = { bytes: 0, byLayer: new Map() }));
        t.bytes += f.bytes;
        t.byLayer.set(f.layer, (t.byLayer.get(f.layer) ?? 0) + f.bytes);
      }
    });
    // One finding per layer: a base layer or one `apt-get install build-essential` brings several toolchains
    // at once, and that is one problem with one fix. Each toolchain belongs to the layer holding most of it.
    const byLayer = new Map<number | undefined, { tc: Toolchain; marker: string; root?: string; bytes: number; byLayer: Map<number, number> }[]>();
    for (const [tc, { marker, root }] of present) {
      const t = totals.get(tc) ?? { bytes: 0, byLayer: new Map<number, number>() };
      const top = [...t.byLayer.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0];
      const group = byLayer.get(top) ?? [];
      group.push({ tc, marker, root, bytes: t.bytes, byLayer: t.byLayer });
      byLayer.set(top, group);
    }
    const findings: RawImageFinding[] = [];
    for (const [top, group] of byLayer) {
      group.sort((a, b) => b.bytes - a.bytes || TOOLCHAINS.indexOf(a.tc) - TOOLCHAINS.indexOf(b.tc));
      const bytes = group.reduce((n, g) => n + g.bytes, 0);
      const lead = group[0];
      // The fingerprint names the toolchains (in table order), not the layer: stable across rebuilds, and the
      // same as before grouping when a layer holds one toolchain.
      const key = group
        .map((g) => g.tc)
        .sort((a, b) => TOOLCHAINS.indexOf(a) - TOOLCHAINS.indexOf(b))
        .map((tc) => tc.id)
        .join('+');
      const list = group.map((g) => `${g.tc.short} ${formatBytes(g.bytes)}`).join(', ');
      const where = top !== undefined ? `, added by ${layerLabel(layers, top)}` : '';
      const what =
        group.length === 1
          ? `${lead.tc.label} ships in the final image (${formatBytes(bytes)}${lead.root ? ` under /${lead.root}` : ''})`
          : `${group.length} toolchains ship in the final image (${formatBytes(bytes)}: ${list})`;
      const bytesByLayer: Record<number, number> = {};
      for (const g of group) for (const [l, n] of g.byLayer) bytesByLayer[l] = (bytesByLayer[l] ?? 0) + n;
      findings.push({
        key,
        message: `${what}${where}; build in a separate stage and copy only the artifacts.`,
        layer: top,
        path: lead.root ?? lead.marker,
        bytes,
        details: {
          toolchain: lead.tc.id,
          toolchains: group.map((g) => ({ id: g.tc.id, label: g.tc.label, bytes: g.bytes, marker: g.marker, ...(g.root ? { root: g.root } : {}) })),
          bytesByLayer
        }
      });
    }
    return findings.sort((a, b) => (b.bytes ?? 0) - (a.bytes ?? 0));
  }
};
