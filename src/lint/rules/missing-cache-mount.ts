import { cacheUses, coversDir, runEnvBefore } from '../caches.js';
import type { Step } from '../model.js';
import { stageChain } from '../model.js';
import { dependencyInstall, isOffline, type LanguageManager } from '../packages.js';
import { commandsOf } from '../rule-helpers.js';
import { subcommand, type ShellCommand } from '../shell.js';
import type { LintRule, RuleHit } from '../types.js';
import { cachesLeft } from './package-cache-not-cleaned.js';

/** A cache folder a mount would keep between builds: what to mount and what counts as already mounted. */
interface CacheDir {
  target: string;
  covers: string[];
}

const dir = (target: string, ...covers: string[]): CacheDir => ({ target, covers: covers.length > 0 ? covers : [target] });

const goBuild = (env: Map<string, string>) => {
  const target = env.get('GOCACHE') || '/root/.cache/go-build';
  return dir(target, target, '.cache/go-build', 'go-build', '$(go env GOCACHE)');
};
const goMod = (env: Map<string, string>) => {
  const target = env.get('GOMODCACHE') || `${(env.get('GOPATH') || '/go').split(':')[0]}/pkg/mod`;
  return dir(target, target, 'go/pkg/mod', '$(go env GOMODCACHE)');
};

const isYarnBerry = (cmd: ShellCommand) =>
  cmd.args.some((a) => /^--(immutable|immutable-cache|check-cache|mode)(=|$)/.test(a)) || subcommand(cmd) === 'workspaces';

/** True when an earlier step of the stage (or a stage it is built FROM) already ran a matching command. */
function ranBefore(step: Step, matches: (cmd: ShellCommand) => boolean): boolean {
  for (const stage of step.stage ? stageChain(step.stage) : []) {
    for (const s of stage.steps) {
      if (s === step) break;
      if (commandsOf(s).some(matches)) return true;
    }
  }
  return false;
}

const modulesDownloadedBefore = (step: Step) =>
  ranBefore(
    step,
    (c) => c.name === 'go' && ((subcommand(c) === 'mod' && (c.args.includes('download') || c.args.includes('vendor'))) || subcommand(c) === 'get')
  );

/** The cache folders this install uses, for its manager. */
function cacheDirsOf(manager: LanguageManager, cmd: ShellCommand, step: Step, env: Map<string, string>): CacheDir[] {
  switch (manager) {
    case 'npm': {
      const moved = env.get('npm_config_cache') || env.get('NPM_CONFIG_CACHE');
      return [moved ? dir(moved) : dir('/root/.npm', '.npm')];
    }
    case 'yarn':
      return isYarnBerry(cmd) ? [dir('/root/.yarn/berry/cache', '.yarn/berry/cache', 'yarn')] : [dir('/usr/local/share/.cache/yarn', '.cache/yarn', 'yarn')];
    case 'pnpm':
      return [dir(env.get('PNPM_HOME') ? `${env.get('PNPM_HOME')}/store` : '/root/.local/share/pnpm/store', 'pnpm')];
    case 'bun':
      return [dir(env.get('BUN_INSTALL_CACHE_DIR') || '/root/.bun/install/cache', '.bun/install/cache', '.bun')];
    case 'pip':
      return [env.get('PIP_CACHE_DIR') ? dir(env.get('PIP_CACHE_DIR')!) : dir('/root/.cache/pip', '.cache/pip')];
    case 'poetry':
      return [dir('/root/.cache/pypoetry', '.cache/pypoetry')];
    case 'pipenv':
      return [dir('/root/.cache/pip', '.cache/pip', '.cache/pipenv')];
    case 'uv':
      return [env.get('UV_CACHE_DIR') ? dir(env.get('UV_CACHE_DIR')!) : dir('/root/.cache/uv', '.cache/uv')];
    case 'go': {
      if (subcommand(cmd) === 'mod' || subcommand(cmd) === 'get') return [goMod(env)];
      const vendored = cmd.args.includes('-mod=vendor') || /-mod=vendor/.test(env.get('GOFLAGS') ?? '') || env.get('GOPROXY') === 'off';
      return vendored || modulesDownloadedBefore(step) ? [goBuild(env)] : [goBuild(env), goMod(env)];
    }
    case 'dotnet':
      return [env.get('NUGET_PACKAGES') ? dir(env.get('NUGET_PACKAGES')!) : dir('/root/.nuget/packages', '.nuget/packages', '.nuget', 'nuget')];
    case 'maven':
      return [dir('/root/.m2', '.m2')];
    case 'gradle':
      return [env.get('GRADLE_USER_HOME') ? dir(env.get('GRADLE_USER_HOME')!) : dir('/root/.gradle', '.gradle')];
    case 'cargo':
      return [dir(`${env.get('CARGO_HOME') ?? '/usr/local/cargo'}/registry`, 'cargo/registry', '.cargo/registry', 'cargo')];
    case 'bundler':
      return [dir('/usr/local/bundle/cache', 'bundle', 'gem')];
    case 'composer':
      return [dir(env.get('COMPOSER_HOME') ? `${env.get('COMPOSER_HOME')}/cache` : '/root/.composer/cache', 'composer', '/tmp/cache')];
  }
}

const mounted = (step: Step, d: CacheDir): boolean =>
  (step.run?.mounts ?? []).some(
    (m) =>
      (m.type === 'cache' || m.type === 'tmpfs') &&
      m.target !== undefined &&
      (m.target.includes('$') || coversDir(m.target, d.covers) || d.covers.some((c) => !c.startsWith('/') && !c.includes('.') && m.target!.includes(c)))
  );

/**
 * True when this RUN mounts every cache a build keeps its dependencies in: the downloads and, for go and cargo, the
 * compiled ones (go's build cache, cargo's target folder). A source change then rebuilds the application only.
 */
export function dependencyCachesMounted(step: Step, manager: LanguageManager, cmd: ShellCommand): boolean {
  if ((step.run?.mounts ?? []).length === 0) return false;
  const env = runEnvBefore(step);
  const dirs = manager === 'go' ? [goBuild(env), goMod(env)] : cacheDirsOf(manager, cmd, step, env);
  if (manager === 'cargo') {
    const k = cmd.args.indexOf('--target-dir');
    const target = (k > 0 ? cmd.args[k + 1] : undefined) ?? env.get('CARGO_TARGET_DIR') ?? 'target';
    dirs.push(dir(target, target, 'target'));
  }
  return dirs.every((d) => mounted(step, d));
}

export const missingCacheMount: LintRule = {
  meta: {
    id: 'missing-cache-mount',
    category: 'lint',
    defaultSeverity: 'info',
    shortDescription: 'A dependency install downloads everything again on every build',
    fullDescription:
      'Without a BuildKit cache mount, every cache miss of the install step downloads all dependencies again. A cache mount keeps the download cache between builds and out of the image. Not reported where a mount would not be used (`--no-cache-dir`, offline or vendored builds), nor where package-cache-not-cleaned already gives the same advice for the same install.',
    help: 'Mount the package manager cache:\n\n```dockerfile\n# syntax=docker/dockerfile:1\nRUN --mount=type=cache,target=/root/.npm npm ci\nRUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt\nRUN --mount=type=cache,target=/go/pkg/mod go mod download\nRUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build go build ./...\n```',
    tags: ['cache', 'build-time'],
    examples: {
      bad: 'FROM golang:1.22 AS build\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN go build -o /out/app .\nFROM scratch\nCOPY --from=build /out/app /app\n',
      good: '# syntax=docker/dockerfile:1\nFROM golang:1.22 AS build\nCOPY go.mod go.sum ./\nRUN --mount=type=cache,target=/go/pkg/mod go mod download\nCOPY . .\nRUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build go build -o /out/app .\nFROM scratch\nCOPY --from=build /out/app /app\n'
    },
    hadolint: []
  },
  check({ model }) {
    const hits: RuleHit[] = [];
    for (const step of model.steps) {
      if (!step.run) continue;
      // `--network=none`: nothing is downloaded.
      if (step.run.otherFlags.some((f) => /^--network=none$/.test(f))) continue;
      const cmds = commandsOf(step);
      const byManager = new Map<LanguageManager, CacheDir[]>();
      let env: Map<string, string> | undefined;
      for (const cmd of cmds) {
        const install = dependencyInstall(cmd);
        if (!install) continue;
        env ??= runEnvBefore(step);
        if (isOffline(install.manager, cmd, env)) continue;
        // `mvn package` after `mvn dependency:go-offline`, `dotnet publish` after `dotnet restore`: the downloads
        // are in the earlier layer. (go build still has its compile cache, handled in cacheDirsOf.)
        if (install.buildsSource && install.manager !== 'go' && ranBefore(step, (c) => dependencyInstall(c)?.manager === install.manager)) continue;
        if (install.manager === 'gradle' && ranBefore(step, (c) => dependencyInstall(c)?.manager === 'gradle')) continue;
        const dirs = byManager.get(install.manager) ?? [];
        for (const d of cacheDirsOf(install.manager, cmd, step, env)) if (!dirs.some((x) => x.target === d.target)) dirs.push(d);
        byManager.set(install.manager, dirs);
      }
      if (byManager.size === 0) continue;
      const uses = cacheUses(step);
      const left = step.stage?.shipped ? new Set(cachesLeft(step).map((u) => u.tool.manager as string)) : new Set<string>();
      for (const [manager, dirs] of byManager) {
        // `pip install --no-cache-dir`, `composer --no-cache`: the tool would not use a mount.
        if (uses.some((u) => u.tool.manager === manager && u.noCacheByChoice)) continue;
        // package-cache-not-cleaned already tells this install to mount its cache (or clean it).
        if (left.has(manager)) continue;
        const missing = dirs.filter((d) => !mounted(step, d));
        if (missing.length === 0) continue;
        const flags = missing.map((d) => `--mount=type=cache,target=${d.target}`).join(' ');
        hits.push({
          step,
          key: manager,
          message: `This ${manager} install has no cache mount, so a cache miss downloads every dependency again; add ${flags} to the RUN.`,
          details: { manager, targets: missing.map((d) => d.target) }
        });
      }
    }
    return hits;
  }
};
