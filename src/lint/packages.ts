// Package managers as the rules see them: which commands install, from a manifest or not, and where each
// keeps its download cache.
import { hasFlag, positionalsAfter, subcommand, type ShellCommand } from './shell.js';

export type LanguageManager =
  | 'npm' | 'yarn' | 'pnpm' | 'pip' | 'poetry' | 'pipenv' | 'uv' | 'go' | 'maven' | 'gradle' | 'cargo' | 'bundler' | 'composer';

export interface DependencyInstall {
  manager: LanguageManager;
  /** True when it installs what a manifest/lock file lists (`npm ci`, `pip install -r`, `go mod download`). */
  fromManifest: boolean;
}

/** Recognises a language dependency install (or a build that downloads dependencies). */
export function dependencyInstall(cmd: ShellCommand): DependencyInstall | undefined {
  const name = cmd.name;
  const sub = subcommand(cmd);
  switch (name) {
    case 'npm':
      if (sub === 'ci') return { manager: 'npm', fromManifest: true };
      if (sub === 'install' || sub === 'i' || sub === 'add') {
        return { manager: 'npm', fromManifest: positionalsAfter(cmd, sub).length === 0 && !hasFlag(cmd, '-g', '--global') };
      }
      return undefined;
    case 'yarn':
      if (sub === undefined || sub === 'install') return { manager: 'yarn', fromManifest: true };
      if (sub === 'add' || sub === 'global') return { manager: 'yarn', fromManifest: false };
      return undefined;
    case 'pnpm':
      if (sub === 'install' || sub === 'i' || sub === 'fetch') return { manager: 'pnpm', fromManifest: true };
      if (sub === 'add') return { manager: 'pnpm', fromManifest: false };
      return undefined;
    case 'pip':
    case 'pip3':
      if (sub !== 'install') return undefined;
      return {
        manager: 'pip',
        fromManifest: hasFlag(cmd, '-r', '--requirement') || positionalsAfter(cmd, sub).some((p) => p === '.' || p.startsWith('./') || p === '-e')
      };
    case 'poetry':
      return sub === 'install' || sub === 'sync' ? { manager: 'poetry', fromManifest: true } : undefined;
    case 'pipenv':
      return sub === 'install' || sub === 'sync' ? { manager: 'pipenv', fromManifest: true } : undefined;
    case 'uv':
      if (sub === 'sync') return { manager: 'uv', fromManifest: true };
      if (sub === 'pip' && cmd.args.includes('install')) return { manager: 'uv', fromManifest: hasFlag(cmd, '-r', '--requirement') };
      return undefined;
    case 'go':
      if (sub === 'mod' && cmd.args.includes('download')) return { manager: 'go', fromManifest: true };
      if (sub === 'build' || sub === 'install') return { manager: 'go', fromManifest: false };
      return undefined;
    case 'mvn':
    case 'mvnw':
      return cmd.args.slice(1).some((a) => /^(dependency:|package$|install$|verify$|compile$|test$)/.test(a))
        ? { manager: 'maven', fromManifest: true }
        : undefined;
    case 'gradle':
    case 'gradlew':
      return cmd.args.length > 1 ? { manager: 'gradle', fromManifest: true } : undefined;
    case 'cargo':
      return sub === 'build' || sub === 'fetch' ? { manager: 'cargo', fromManifest: true } : sub === 'install' ? { manager: 'cargo', fromManifest: false } : undefined;
    case 'bundle':
    case 'bundler':
      return sub === 'install' ? { manager: 'bundler', fromManifest: true } : undefined;
    case 'composer':
      return sub === 'install' ? { manager: 'composer', fromManifest: true } : undefined;
    default:
      return undefined;
  }
}

/** Substrings of a cache mount target that cover each manager's download cache. */
export const CACHE_PATH_HINTS: Record<LanguageManager, string[]> = {
  npm: ['.npm', 'npm'],
  yarn: ['yarn'],
  pnpm: ['pnpm'],
  pip: ['pip', '/.cache'],
  poetry: ['pypoetry', '/.cache'],
  pipenv: ['pipenv', 'pip', '/.cache'],
  uv: ['uv', '/.cache'],
  go: ['/go/pkg', 'go-build', 'gomod', '/.cache'],
  maven: ['.m2'],
  gradle: ['.gradle'],
  cargo: ['cargo', 'registry'],
  bundler: ['bundle', 'gem'],
  composer: ['composer']
};

/** Example cache mount target to suggest. */
export const CACHE_MOUNT_EXAMPLE: Record<LanguageManager, string> = {
  npm: '/root/.npm',
  yarn: '/usr/local/share/.cache/yarn',
  pnpm: '/root/.local/share/pnpm/store',
  pip: '/root/.cache/pip',
  poetry: '/root/.cache/pypoetry',
  pipenv: '/root/.cache/pipenv',
  uv: '/root/.cache/uv',
  go: '/go/pkg/mod',
  maven: '/root/.m2',
  gradle: '/root/.gradle',
  cargo: '/usr/local/cargo/registry',
  bundler: '/usr/local/bundle/cache',
  composer: '/tmp/cache'
};

// Files that declare dependencies; copying only these first keeps the install layer cached.
const MANIFEST_FILE = new RegExp(
  '^(package(-lock)?\\.json|package\\*\\.json|npm-shrinkwrap\\.json|yarn\\.lock|\\.yarnrc(\\.yml)?|\\.yarn|pnpm-lock\\.yaml|pnpm-workspace\\.yaml|\\.npmrc|' +
    'requirements[^/]*\\.(txt|in)|requirements|pyproject\\.toml|poetry\\.lock|pipfile(\\.lock)?|setup\\.(py|cfg)|uv\\.lock|' +
    'go\\.(mod|sum|work)|pom\\.xml|\\.mvn|mvnw|build\\.gradle(\\.kts)?|settings\\.gradle(\\.kts)?|gradle\\.properties|gradle|gradlew|' +
    'cargo\\.(toml|lock)|gemfile(\\.lock)?|[^/]*\\.gemspec|composer\\.(json|lock)|[^/]*\\.(cs|fs|vb)proj|[^/]*\\.sln|nuget\\.config|' +
    'directory\\.(build|packages)\\.props)$',
  'i'
);

/** True when the path is a dependency manifest or lock file (or a glob of them, `package*.json`). */
export function isManifestPath(path: string): boolean {
  const clean = path.replace(/\/+$/, '');
  const base = clean.slice(clean.lastIndexOf('/') + 1);
  return MANIFEST_FILE.test(base);
}
