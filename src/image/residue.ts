// Package-manager residue: caches and indexes a package manager leaves behind that a running container never
// needs. Each location is reported under its own key (the directory, without a leading slash).

export interface ResidueLocation {
  /** Stable id used in fingerprints and config (e.g. `apt-lists`). */
  id: string;
  label: string;
  /** Matches a file path; capture group 1 is the location key (the cache directory). */
  pattern: RegExp;
  /** How to avoid shipping it. */
  fix: string;
}

const HOME = '(?:root|home/[^/]+)';

export const RESIDUE_LOCATIONS: ResidueLocation[] = [
  {
    id: 'apt-lists',
    label: 'apt package lists',
    pattern: /^(var\/lib\/apt\/lists)\/(?!lock$)/,
    fix: 'add `&& rm -rf /var/lib/apt/lists/*` to the same RUN as `apt-get update`'
  },
  {
    id: 'apt-archives',
    label: 'apt cache: .deb archives and package caches',
    pattern: /^(var\/cache\/apt)\/(?:archives\/.*\.deb$|[^/]+\.bin$)/,
    fix: 'run `apt-get clean` (or `rm -rf /var/cache/apt/*`) in the same RUN, or use a `--mount=type=cache` for /var/cache/apt'
  },
  {
    id: 'apk-cache',
    label: 'apk cache',
    pattern: /^(var\/cache\/apk|etc\/apk\/cache)\//,
    fix: 'use `apk add --no-cache`'
  },
  {
    id: 'dnf-yum-cache',
    label: 'dnf/yum cache',
    pattern: /^(var\/cache\/(?:dnf|yum))\//,
    fix: 'run `dnf clean all` (or `yum clean all`) in the same RUN'
  },
  {
    id: 'pip-cache',
    label: 'pip cache',
    pattern: new RegExp(`^(${HOME}/\\.cache/pip)/`),
    fix: 'use `pip install --no-cache-dir` or a `--mount=type=cache,target=/root/.cache/pip`'
  },
  {
    id: 'npm-cache',
    label: 'npm cache',
    pattern: new RegExp(`^(${HOME}/\\.npm/_cacache)/`),
    fix: 'run `npm cache clean --force` in the same RUN or use a `--mount=type=cache,target=/root/.npm`'
  },
  {
    id: 'yarn-cache',
    label: 'yarn cache',
    pattern: new RegExp(`^(usr/local/share/\\.cache/yarn|${HOME}/\\.cache/yarn|${HOME}/\\.yarn/berry/cache)/`),
    fix: 'run `yarn cache clean` in the same RUN or use a `--mount=type=cache` for the yarn cache'
  },
  {
    id: 'go-build-cache',
    label: 'Go build cache',
    pattern: new RegExp(`^(${HOME}/\\.cache/go-build|(?:${HOME}/)?go/pkg/mod/cache)/`),
    fix: 'build in a separate stage and copy only the binary, or use a `--mount=type=cache` for the build cache'
  },
  {
    id: 'maven-repository',
    label: 'Maven repository',
    pattern: new RegExp(`^(${HOME}/\\.m2/repository)/`),
    fix: 'build in a separate stage and copy only the artifact into the runtime image'
  },
  {
    id: 'gradle-cache',
    label: 'Gradle cache',
    pattern: new RegExp(`^(${HOME}/\\.gradle/caches)/`),
    fix: 'build in a separate stage and copy only the artifact into the runtime image'
  },
  {
    id: 'cargo-registry',
    label: 'Cargo registry cache',
    pattern: new RegExp(`^((?:${HOME}|usr/local)/\\.?cargo/registry)/`),
    fix: 'build in a separate stage and copy only the binary, or use a `--mount=type=cache` for the registry'
  }
];

/** The residue location a file path belongs to, with its key (the cache directory). */
export function residueLocationOf(path: string): { location: ResidueLocation; key: string } | undefined {
  // Cheap prefilter: every location lives under one of these top-level directories.
  const top = path.slice(0, path.indexOf('/'));
  if (top !== 'var' && top !== 'root' && top !== 'home' && top !== 'etc' && top !== 'usr' && top !== 'go') return undefined;
  for (const location of RESIDUE_LOCATIONS) {
    const m = location.pattern.exec(path);
    if (m) return { location, key: m[1] };
  }
  return undefined;
}
