// Package managers as the rules see them: which commands install, from a manifest or not, and where each
// keeps its download cache.
import { hasFlag, positionalsAfter, subcommand, type ShellCommand } from './shell.js';

export type LanguageManager =
  'npm' | 'yarn' | 'pnpm' | 'bun' | 'pip' | 'poetry' | 'pipenv' | 'uv' | 'go' | 'maven' | 'gradle' | 'cargo' | 'bundler' | 'composer' | 'dotnet';

export interface DependencyInstall {
  manager: LanguageManager;
  /** True when it installs what a manifest/lock file lists (`npm ci`, `pip install -r`, `go mod download`). */
  fromManifest: boolean;
  /**
   * True for a build that downloads the dependencies itself when no earlier layer did (`go build`, `mvn package`):
   * it is no dependency layer of its own; only `go mod download` / `mvn dependency:go-offline` before the source
   * copy makes one.
   */
  buildsSource?: boolean;
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
      if (sub === undefined && cmd.args.some((a) => /^(-v|--version|-h|--help)$/.test(a))) return undefined;
      if (sub === undefined || sub === 'install') return { manager: 'yarn', fromManifest: true };
      if (sub === 'add' || sub === 'global') return { manager: 'yarn', fromManifest: false };
      return undefined;
    case 'pnpm':
      if (sub === 'install' || sub === 'i' || sub === 'fetch') return { manager: 'pnpm', fromManifest: true };
      if (sub === 'add') return { manager: 'pnpm', fromManifest: false };
      return undefined;
    case 'bun':
      // `bun install` / `bun i` install package.json's dependencies; `bun add x` and `bun install -g x` fetch named ones.
      if (sub === 'install' || sub === 'i') {
        return { manager: 'bun', fromManifest: positionalsAfter(cmd, sub).length === 0 && !hasFlag(cmd, '-g', '--global') };
      }
      return sub === 'add' ? { manager: 'bun', fromManifest: false } : undefined;
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
    case 'dotnet':
      // build/publish/test restore NuGet packages first unless told not to.
      if (sub === 'restore') return { manager: 'dotnet', fromManifest: true };
      if (['build', 'publish', 'test', 'pack', 'run'].includes(sub ?? '')) {
        return hasFlag(cmd, '--no-restore') ? undefined : { manager: 'dotnet', fromManifest: true, buildsSource: true };
      }
      if (sub === 'tool' && cmd.args.includes('install')) return { manager: 'dotnet', fromManifest: false };
      return undefined;
    case 'go':
      // `go mod vendor` fetches every module into ./vendor: a dependency layer like `go mod download`.
      if (sub === 'mod' && (cmd.args.includes('download') || cmd.args.includes('vendor'))) return { manager: 'go', fromManifest: true };
      // GOPATH-era `go get` fetches the sources of the dependencies.
      if (sub === 'get') return { manager: 'go', fromManifest: true };
      // `go install example.com/tool@v1` fetches a remote module; `go build ./…` builds the copied source.
      if (sub === 'install' && positionalsAfter(cmd, sub).some((p) => p.includes('@'))) return { manager: 'go', fromManifest: false };
      if (sub === 'build' || sub === 'install' || sub === 'test') return { manager: 'go', fromManifest: true, buildsSource: true };
      return undefined;
    case 'mvn':
    case 'mvnw':
    case 'mvnd':
      if (cmd.args.slice(1).some((a) => /^(dependency:|de\.qaware\.maven:go-offline)/.test(a))) return { manager: 'maven', fromManifest: true };
      return cmd.args.slice(1).some((a) => /^(package|install|verify|compile|test|spring-boot:\S+|quarkus:\S+)$/.test(a))
        ? { manager: 'maven', fromManifest: true, buildsSource: true }
        : undefined;
    case 'gradle':
    case 'gradlew':
      return cmd.args.length > 1 ? { manager: 'gradle', fromManifest: true } : undefined;
    case 'cargo':
      // `cargo chef cook` builds only the dependencies (cargo-chef): a dependency layer.
      if (sub === 'chef') return cmd.args.includes('cook') ? { manager: 'cargo', fromManifest: true } : undefined;
      if (sub === 'build' || sub === 'test') return { manager: 'cargo', fromManifest: true, buildsSource: true };
      // `cargo vendor` fetches every crate into ./vendor, as `cargo fetch` does into the registry.
      return sub === 'fetch' || sub === 'vendor'
        ? { manager: 'cargo', fromManifest: true }
        : sub === 'install'
          ? { manager: 'cargo', fromManifest: cmd.args.includes('--path') }
          : undefined;
    case 'bundle':
    case 'bundler':
      return sub === 'install' ? { manager: 'bundler', fromManifest: true } : undefined;
    case 'gem':
      // `gem install bundler` fetches named gems into the same cache bundler uses ($GEM_HOME/cache); a local
      // `gem install ./app.gem` (or `--local`) downloads nothing.
      if (sub !== 'install' || hasFlag(cmd, '--local', '-l')) return undefined;
      return positionalsAfter(cmd, sub).some((p) => !/\.gem$/.test(p)) ? { manager: 'bundler', fromManifest: false } : undefined;
    case 'composer':
      return sub === 'install' ? { manager: 'composer', fromManifest: true } : undefined;
    default:
      return undefined;
  }
}

/** True when the install downloads nothing (`pip --no-index`, `npm --offline`, `mvn -o`, `cargo --offline`). */
export function isOffline(manager: LanguageManager, cmd: ShellCommand, env: Map<string, string>): boolean {
  switch (manager) {
    case 'pip':
    case 'uv':
      return hasFlag(cmd, '--no-index', '--offline') || /^(1|true|yes|on)$/i.test(env.get('PIP_NO_INDEX') ?? '') || env.get('UV_OFFLINE') === '1';
    case 'npm':
    case 'yarn':
    case 'pnpm':
      return hasFlag(cmd, '--offline') || env.get('npm_config_offline') === 'true';
    case 'maven':
      return cmd.args.includes('-o') || hasFlag(cmd, '--offline');
    case 'gradle':
      return hasFlag(cmd, '--offline');
    case 'cargo':
      return hasFlag(cmd, '--offline', '--frozen') || env.get('CARGO_NET_OFFLINE') === 'true';
    case 'composer':
      return false;
    default:
      return false;
  }
}

// Files that declare dependencies; copying only these first keeps the install layer cached.
const MANIFEST_FILE = new RegExp(
  '^(package(-lock)?\\.json|package\\*\\.json|npm-shrinkwrap\\.json|yarn\\.lock|bun\\.lockb?|bunfig\\.toml|\\.yarnrc(\\.yml)?|\\.yarn|pnpm-lock\\.yaml|pnpm-workspace\\.yaml|\\.npmrc|' +
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
