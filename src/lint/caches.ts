// Where each package manager leaves its cache in a layer, and what keeps it out: a flag or environment variable
// on the install, a clean command or `rm` AFTER the last install of the same RUN (order matters: cleaning first
// cleans nothing), or a cache/tmpfs mount over the cache folder. package-cache-not-cleaned and
// missing-cache-mount both read this table, so they agree on when a cache exists.
import { envBefore, type Step } from './model.js';
import { hasFlag, subcommand, type ShellCommand } from './shell.js';

export type CacheManager = 'apt' | 'apk' | 'pip' | 'uv' | 'npm' | 'yarn' | 'yum' | 'dnf' | 'zypper' | 'conda' | 'composer' | 'go' | 'cargo';

/** The environment a command of a RUN sees: ENV/ARG before the step, `export` earlier in the script, inline `A=b`. */
export interface CommandEnv {
  get(name: string): string | undefined;
}

export interface CacheTool {
  manager: CacheManager;
  /** The hadolint rule that checks the same cache, if any. */
  hadolint?: string;
  /** This command writes the cache (the last one of these in a RUN must be followed by a clean). */
  fills(cmd: ShellCommand, cmds: ShellCommand[], index: number): boolean;
  /** This install writes no cache at all (`apk add --no-cache`, `pip install --no-cache-dir`, PIP_NO_CACHE_DIR). */
  noCache?(cmd: ShellCommand, env: CommandEnv): boolean;
  /** A command that empties the cache (`yum clean all`, `npm cache clean --force`). */
  cleans?(cmd: ShellCommand): boolean;
  /** Folders of the cache: `rm -rf` of one (or of a parent) after the install cleans; a cache/tmpfs mount keeps it out. */
  dirs: string[];
  /** Environment variables that move the cache (PIP_CACHE_DIR): their values are cache folders too. */
  envDirs?: string[];
  /** What the message says is left and how to fix it. */
  message: string;
}

const isPip = (c: ShellCommand) => /^pip(\d+(\.\d+)?)?$/.test(c.name);
const sub = (c: ShellCommand) => subcommand(c);
const subIn = (c: ShellCommand, names: string[], subs: string[]) => names.includes(c.name) && subs.includes(sub(c) ?? '');
const argsHave = (c: ShellCommand, ...words: string[]) => words.every((w) => c.args.includes(w));

// pip reads PIP_NO_CACHE_DIR through strtobool only to validate it, then disables the cache for ANY valid
// boolean, "false" and "0" included (pip/_internal/cli/cmdoptions.py, _handle_no_cache_dir); an empty value is
// ignored (parser.py, _get_ordered_configuration_items); an invalid one makes pip exit with an error.
const PIP_BOOLEANS = new Set(['y', 'yes', 't', 'true', 'on', '1', 'n', 'no', 'f', 'false', 'off', '0']);
export function pipNoCacheDir(value: string | undefined): boolean {
  if (value === undefined || value === '') return false;
  const v = value.toLowerCase().replace(/^["']|["']$/g, '');
  return PIP_BOOLEANS.has(v) || v.includes('$'); // a variable: assume it holds what its author meant
}

const keepcacheOff = (c: ShellCommand) => c.args.some((a) => /^--setopt=keepcache=(0|false|no)$/i.test(a)) || argsHave(c, '--setopt', 'keepcache=0');

const YUM_FILLS = ['install', 'update', 'upgrade', 'groupinstall', 'localinstall', 'reinstall', 'makecache'];
const DNF_FILLS = [
  'install',
  'in',
  'upgrade',
  'up',
  'update',
  'upgrade-minimal',
  'up-min',
  'reinstall',
  'rei',
  'groupinstall',
  'localinstall',
  'makecache',
  'distro-sync'
];
const APT = ['apt-get', 'apt', 'aptitude'];

export const CACHE_TOOLS: readonly CacheTool[] = [
  {
    manager: 'apt',
    hadolint: 'DL3009',
    // `apt-get update` writes the lists. A RUN that only updates is apt-update-alone's finding, not this one.
    fills: (c, cmds) =>
      subIn(c, APT, ['update']) && cmds.some((o) => subIn(o, APT, ['install', 'upgrade', 'dist-upgrade', 'full-upgrade', 'build-dep', 'reinstall', 'satisfy'])),
    cleans: (c) => subIn(c, ['apt-get', 'apt'], ['dist-clean']),
    dirs: ['/var/lib/apt/lists'],
    message:
      'apt-get update leaves the package lists (/var/lib/apt/lists, typically 20–50 MB) in this layer; end the same RUN with `&& rm -rf /var/lib/apt/lists/*` or mount /var/cache/apt and /var/lib/apt as caches.'
  },
  {
    manager: 'apk',
    hadolint: 'DL3019',
    // `apk update` writes the index to /var/cache/apk whatever a later `apk add --no-cache` does; add and upgrade
    // fetch it too unless told --no-cache.
    fills: (c) => c.name === 'apk' && ['add', 'update', 'upgrade'].includes(sub(c) ?? ''),
    noCache: (c) => hasFlag(c, '--no-cache'),
    cleans: (c) => c.name === 'apk' && sub(c) === 'cache' && c.args.includes('clean'),
    dirs: ['/var/cache/apk', '/etc/apk/cache'],
    message:
      'apk update, or apk add/upgrade without --no-cache, leaves the package index in /var/cache/apk in this layer; drop the separate `apk update` and use `apk add --no-cache` (or end the same RUN with `rm -rf /var/cache/apk/*`).'
  },
  {
    manager: 'pip',
    hadolint: 'DL3042',
    fills: (c) => isPip(c) && sub(c) === 'install',
    noCache: (c, env) => hasFlag(c, '--no-cache-dir') || pipNoCacheDir(env.get('PIP_NO_CACHE_DIR')),
    cleans: (c) => isPip(c) && sub(c) === 'cache' && (c.args.includes('purge') || c.args.includes('remove')),
    dirs: ['.cache/pip', '$(pip cache dir)'],
    envDirs: ['PIP_CACHE_DIR'],
    message:
      'pip install without --no-cache-dir keeps downloaded wheels in ~/.cache/pip in this layer; add --no-cache-dir (or ENV PIP_NO_CACHE_DIR=1) or mount /root/.cache/pip as a cache.'
  },
  {
    manager: 'uv',
    fills: (c) => c.name === 'uv' && (sub(c) === 'sync' || (sub(c) === 'pip' && c.args.includes('install'))),
    noCache: (c, env) => hasFlag(c, '--no-cache', '-n') || /^(1|true|yes|on)$/i.test(env.get('UV_NO_CACHE') ?? ''),
    cleans: (c) => c.name === 'uv' && sub(c) === 'cache' && (c.args.includes('clean') || c.args.includes('prune')),
    dirs: ['.cache/uv'],
    envDirs: ['UV_CACHE_DIR'],
    message: 'uv keeps downloaded packages in ~/.cache/uv in this layer; add --no-cache (or ENV UV_NO_CACHE=1) or mount /root/.cache/uv as a cache.'
  },
  {
    manager: 'npm',
    fills: (c) => c.name === 'npm' && ['install', 'i', 'ci', 'add', 'update', 'install-clean', 'isntall'].includes(sub(c) ?? ''),
    cleans: (c) => c.name === 'npm' && sub(c) === 'cache' && c.args.includes('clean'),
    dirs: ['.npm', '$(npm config get cache)'],
    envDirs: ['npm_config_cache', 'NPM_CONFIG_CACHE'],
    message: 'npm install keeps its download cache (~/.npm) in this layer; add `&& npm cache clean --force` to the same RUN or mount /root/.npm as a cache.'
  },
  {
    manager: 'yarn',
    hadolint: 'DL3060',
    fills: (c) => {
      if (c.name !== 'yarn') return false;
      const s = sub(c);
      if (s === undefined) return !c.args.some((a) => /^(-v|--version|-h|--help)$/.test(a));
      return s === 'install' || s === 'add' || (s === 'global' && c.args.includes('add')) || (s === 'workspaces' && c.args.includes('focus'));
    },
    cleans: (c) => c.name === 'yarn' && sub(c) === 'cache' && c.args.includes('clean'),
    dirs: ['.cache/yarn', '.yarn/berry/cache', '.yarn/cache', '$(yarn cache dir)', '$(yarn config get cacheFolder)'],
    envDirs: ['YARN_CACHE_FOLDER', 'YARN_GLOBAL_FOLDER'],
    message:
      'yarn install keeps its package cache in this layer (yarn 1: /usr/local/share/.cache/yarn; yarn 2+: ~/.yarn/berry/cache); add `&& yarn cache clean` (yarn 2+: `yarn cache clean --all`) to the same RUN or mount the cache folder.'
  },
  {
    manager: 'yum',
    hadolint: 'DL3032',
    fills: (c) => subIn(c, ['yum'], YUM_FILLS),
    noCache: keepcacheOff,
    cleans: (c) => c.name === 'yum' && sub(c) === 'clean' && (c.args.includes('all') || c.args.includes('metadata')),
    dirs: ['/var/cache/yum'],
    message: 'yum leaves its metadata and package cache (/var/cache/yum) in this layer; end the same RUN with `&& yum clean all`.'
  },
  {
    manager: 'dnf',
    hadolint: 'DL3040',
    fills: (c) => subIn(c, ['dnf', 'microdnf', 'dnf5', 'tdnf'], DNF_FILLS),
    noCache: keepcacheOff,
    cleans: (c) => ['dnf', 'microdnf', 'dnf5', 'tdnf', 'yum'].includes(c.name) && sub(c) === 'clean' && (c.args.includes('all') || c.args.includes('metadata')),
    dirs: ['/var/cache/dnf', '/var/cache/yum', '/var/cache/libdnf5', '/var/cache/tdnf'],
    message:
      'dnf/microdnf leave their metadata and package cache (/var/cache/dnf, /var/cache/yum) in this layer; end the same RUN with `&& dnf clean all` (`microdnf clean all`).'
  },
  {
    manager: 'zypper',
    hadolint: 'DL3036',
    fills: (c) => subIn(c, ['zypper'], ['install', 'in', 'update', 'up', 'dist-upgrade', 'dup', 'patch', 'refresh', 'ref', 'source-install', 'si']),
    cleans: (c) => c.name === 'zypper' && ['clean', 'cc'].includes(sub(c) ?? ''),
    dirs: ['/var/cache/zypp'],
    message: 'zypper leaves its metadata and package cache (/var/cache/zypp) in this layer; end the same RUN with `&& zypper clean --all`.'
  },
  {
    manager: 'conda',
    // conda, mamba and micromamba keep every downloaded package tarball in <prefix>/pkgs.
    fills: (c) =>
      ['conda', 'mamba', 'micromamba'].includes(c.name) &&
      ['install', 'create', 'update', 'upgrade'].includes(
        sub(c) === 'env' ? (c.args.includes('create') ? 'create' : c.args.includes('update') ? 'update' : '') : (sub(c) ?? '')
      ),
    cleans: (c) =>
      ['conda', 'mamba', 'micromamba'].includes(c.name) &&
      sub(c) === 'clean' &&
      c.args.some((a) => a === '--all' || /^-[a-z]*a/.test(a) || a === '--tarballs' || /^-[a-z]*t/.test(a)),
    dirs: ['/opt/conda/pkgs', 'conda/pkgs', 'mamba/pkgs', '/root/.conda/pkgs'],
    envDirs: ['CONDA_PKGS_DIRS'],
    message:
      'conda keeps every downloaded package in <prefix>/pkgs in this layer; end the same RUN with `&& conda clean --all --yes` (mamba/micromamba: `clean --all --yes`).'
  },
  {
    manager: 'composer',
    fills: (c) => c.name === 'composer' && ['install', 'update', 'require', 'i', 'u'].includes(sub(c) ?? ''),
    noCache: (c, env) => hasFlag(c, '--no-cache') || env.get('COMPOSER_CACHE_DIR') === '/dev/null',
    cleans: (c) => c.name === 'composer' && ['clear-cache', 'clearcache', 'cc'].includes(sub(c) ?? ''),
    dirs: ['.composer/cache', '.cache/composer', '/tmp/cache'],
    envDirs: ['COMPOSER_CACHE_DIR'],
    message: 'composer keeps downloaded packages in its cache (~/.composer/cache) in this layer; add --no-cache or `&& composer clear-cache` to the same RUN.'
  },
  {
    manager: 'go',
    fills: (c) =>
      c.name === 'go' && (['build', 'install', 'get', 'test', 'generate'].includes(sub(c) ?? '') || (sub(c) === 'mod' && c.args.includes('download'))),
    cleans: (c) => c.name === 'go' && sub(c) === 'clean' && (c.args.includes('-cache') || c.args.includes('-modcache')),
    dirs: ['/go/pkg/mod', '.cache/go-build', '$(go env GOCACHE)', '$(go env GOMODCACHE)'],
    message:
      'go keeps the module cache (/go/pkg/mod) and build cache (/root/.cache/go-build) in this layer; build in a separate stage, or mount both as caches.'
  },
  {
    manager: 'cargo',
    fills: (c) => c.name === 'cargo' && ['build', 'install', 'fetch'].includes(sub(c) ?? ''),
    dirs: ['cargo/registry', '.cargo/registry', 'cargo/git'],
    message: 'cargo keeps the crate registry cache ($CARGO_HOME/registry) in this layer; build in a separate stage, or mount $CARGO_HOME/registry as a cache.'
  }
];

const norm = (p: string): string =>
  p
    .replace(/^(~|\$HOME|\$\{HOME\})(?=\/|$)/, '/root')
    .replace(/(\/\*|\/\.|\/)+$/, '')
    .replace(/\*+$/, '');

/** True when the path (an `rm` argument or a mount target) is one of the folders or a parent of one. */
export function coversDir(path: string, dirs: string[]): boolean {
  if (path.startsWith('$(')) return dirs.some((d) => path.startsWith(d));
  const p = norm(path);
  // `rm -rf /tmp/*` or a mount at /root says nothing about one cache.
  if (['', '/', '/root', '/var', '/tmp', '/usr', '/home', '/var/cache', '/var/lib'].includes(p)) return dirs.includes(p);
  return dirs.some((d) => {
    if (d.startsWith('$(')) return false;
    if (d.startsWith('/')) return d === p || d.startsWith(p + '/');
    // Relative to some home folder: `/home/app/.cache/pip` is the cache, `/root/.cache` a parent of it.
    if (p.includes(`/${d}/`) || p.endsWith(`/${d}`)) return true;
    const parts = d.split('/');
    for (let k = 1; k < parts.length; k++) if (p.endsWith('/' + parts.slice(0, k).join('/'))) return true;
    return false;
  });
}

/** A cache or tmpfs mount over one of the folders (a target with a variable counts: it may well be one). */
export function mountCovers(step: Step, dirs: string[]): boolean {
  return (step.run?.mounts ?? []).some(
    (m) => (m.type === 'cache' || m.type === 'tmpfs') && m.target !== undefined && (m.target.includes('$') || coversDir(m.target, dirs))
  );
}

function removes(cmd: ShellCommand, dirs: string[]): boolean {
  if (cmd.name !== 'rm' && cmd.name !== 'find' && cmd.name !== 'rmdir') return false;
  return cmd.args.slice(1).some((a) => !a.startsWith('-') && coversDir(a, dirs));
}

/** The environment each command of the RUN sees (index → lookup). */
export function commandEnvs(step: Step): CommandEnv[] {
  const base = runEnvBefore(step);
  const exported = new Map<string, string>();
  const out: CommandEnv[] = [];
  for (const cmd of step.run?.commands ?? []) {
    const inline = new Map<string, string>();
    for (const a of cmd.assignments) {
      const eq = a.indexOf('=');
      inline.set(a.slice(0, eq), a.slice(eq + 1));
    }
    const snapshot = new Map(exported);
    out.push({ get: (name) => inline.get(name) ?? snapshot.get(name) ?? base.get(name) });
    if (cmd.name === 'export' || cmd.name === 'declare' || cmd.name === 'typeset') {
      for (const a of cmd.args.slice(1)) {
        const eq = a.indexOf('=');
        if (eq > 0) exported.set(a.slice(0, eq), a.slice(eq + 1));
      }
    }
  }
  return out;
}

const runEnvCache = new WeakMap<Step, Map<string, string>>();

/** ENV in effect before the step plus the stage's ARG defaults (build args are in a RUN's environment too). */
export function runEnvBefore(step: Step): Map<string, string> {
  const cached = runEnvCache.get(step);
  if (cached) return cached;
  const env = new Map<string, string>();
  for (const s of step.stage?.steps ?? []) {
    if (s === step) break;
    if (s.keyword === 'ARG') for (const p of s.properties ?? []) if (p.value !== null) env.set(p.name, p.value);
  }
  for (const [k, v] of envBefore(step)) env.set(k, v);
  runEnvCache.set(step, env);
  return env;
}

export interface CacheUse {
  tool: CacheTool;
  /** Index (in the RUN's commands) of the last install that writes the cache. */
  lastFill: number;
  /** True when the cache is gone at the end of the RUN or never reaches the layer. */
  clean: boolean;
  /** True when every install of this manager writes no cache (a cache mount would not be used). */
  noCacheByChoice: boolean;
}

const usesCache = new WeakMap<Step, CacheUse[]>();

/** For each manager whose installs run in this RUN: does its cache end up in the layer? */
export function cacheUses(step: Step): CacheUse[] {
  const cached = usesCache.get(step);
  if (cached) return cached;
  const cmds = step.run?.commands ?? [];
  const out: CacheUse[] = [];
  let envs: CommandEnv[] | undefined;
  for (const tool of CACHE_TOOLS) {
    let lastFill = -1;
    let anyFill = false;
    for (let i = 0; i < cmds.length; i++) {
      if (!tool.fills(cmds[i], cmds, i)) continue;
      anyFill = true;
      envs ??= commandEnvs(step);
      if (tool.noCache?.(cmds[i], envs[i])) continue;
      lastFill = i;
    }
    if (!anyFill) continue;
    const moved = (tool.envDirs ?? []).map((v) => runEnvBefore(step).get(v)).filter((d): d is string => !!d && d.startsWith('/'));
    const dirs = moved.length > 0 ? [...tool.dirs, ...moved] : tool.dirs;
    let clean = lastFill === -1 || mountCovers(step, dirs);
    for (let i = lastFill + 1; !clean && i < cmds.length; i++) clean = (tool.cleans?.(cmds[i]) ?? false) || removes(cmds[i], dirs);
    out.push({ tool, lastFill, clean, noCacheByChoice: lastFill === -1 });
  }
  usesCache.set(step, out);
  return out;
}

/**
 * apt: an earlier `rm /etc/apt/apt.conf.d/docker-clean` (in this stage chain or this RUN) keeps downloaded .debs
 * in /var/cache/apt, so a mount over the lists alone is not enough (as hadolint DL3009 has it).
 */
export function dockerCleanRemoved(step: Step): boolean {
  const stages: Step[][] = [];
  for (let s = step.stage; s && stages.length < 50; s = s.parent) stages.push(s.steps);
  for (const steps of stages) {
    for (const s of steps) {
      if ((s.run?.commands ?? []).some((c) => c.name === 'rm' && c.args.some((a) => a.includes('docker-clean')))) return true;
      if (s === step) break;
    }
  }
  return false;
}
