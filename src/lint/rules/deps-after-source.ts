import { dependencyInstall, isManifestPath } from '../packages.js';
import { dependencyCachesMounted } from './missing-cache-mount.js';
import type { Stage, Step } from '../model.js';
import { commandsOf } from '../rule-helpers.js';
import { subcommand, type ShellCommand } from '../shell.js';
import type { LintRule, RuleHit } from '../types.js';

// Folders and files a dependency install commonly needs, or that are configuration rather than source: copying
// them before the install is not the mistake this rule is about.
const NEUTRAL_DIRS = new Set([
  'patches',
  '.yarn',
  'prisma',
  '.husky',
  'requirements',
  'vendor',
  'scripts',
  'bin',
  'docker',
  '.docker',
  'deploy',
  'deployment',
  'conf',
  'config',
  'configs',
  'etc',
  'certs',
  'ssl',
  'nginx',
  'supervisor',
  'rootfs',
  'root',
  'files',
  'licenses',
  '.git',
  '.github',
  'hooks',
  'migrations',
  'locale',
  'public',
  'static',
  'assets',
  'docs',
  'build',
  'dist',
  'out',
  'target',
  'node_modules',
  'tools',
  '.mvn',
  'gradle',
  '.cargo'
]);
const SOURCE_EXT =
  /\.(py|pyx|js|mjs|cjs|jsx|ts|tsx|vue|svelte|go|java|kt|kts|scala|clj|groovy|rb|php|rs|c|cc|cpp|h|hpp|cs|fs|vb|ex|exs|erl|swift|dart|lua|pl|hs|ml|zig)$/i;

// Scripts copied into a bin folder are tools, not application source.
const BIN_DEST = /^\/(usr\/(local\/)?)?s?bin(\/|$)|^\/docker-entrypoint|^\/entrypoint/;

/** True when a COPY source is application source (a folder of code, or code files), not a manifest or config. */
export function isSourcePath(src: string, dest?: string): boolean {
  if (src.includes('://') || src.startsWith('$')) return false;
  if (dest && BIN_DEST.test(dest)) return false;
  if (isManifestPath(src)) return false;
  const clean = src.replace(/^\.\//, '').replace(/\/+$/, '');
  if (clean === '' || clean === '.' || clean === '*' || clean === './*') return true;
  const first = clean.split('/')[0];
  const base = clean.slice(clean.lastIndexOf('/') + 1);
  // A glob of code files is source; one named file (`app.py`, `version.rb`, `rollup.config.mjs`) is usually a
  // file the install needs, or one that rarely changes.
  if (SOURCE_EXT.test(base)) return base.includes('*');
  if (NEUTRAL_DIRS.has(first.toLowerCase()) || NEUTRAL_DIRS.has(base.toLowerCase())) return false;
  if (/^(makefile|[^/]*\.mk|dockerfile|license|readme|notice|changelog)/i.test(base)) return false;
  // A name without an extension (`src`, `app`, `cmd/server`) is a folder of code.
  return !base.includes('.') && !base.includes('*');
}

const WORKSPACE_FILES = ['pnpm-workspace.yaml', 'lerna.json', 'nx.json', 'turbo.json', 'rush.json', 'go.work'];

/**
 * True when a COPY source is a workspace manifest, or a glob named after one that takes it along (`COPY go.* ./`
 * copies go.work); a bare `*.json` says nothing about a workspace.
 */
function copiesWorkspaceFile(src: string): boolean {
  const name = src.slice(src.lastIndexOf('/') + 1).toLowerCase();
  if (!/[*?[]/.test(name)) return WORKSPACE_FILES.includes(name);
  if (name.split(/[*?[]/)[0].length < 2) return false;
  const glob = new RegExp(
    `^${name
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '[^/]*')
      .replace(/\?/g, '[^/]')}$`
  );
  return WORKSPACE_FILES.some((f) => glob.test(f));
}

// `make deps`, `make install-deps`, `make vendor`: targets that only fetch dependencies.
const MAKE_DEPS_TARGET =
  /^(deps?|dependencies|install[-_]?deps|deps[-_]?install|install[-_]dependencies|vendor|setup|bootstrap|requirements|install[-_]requirements|mod|download|modules)$/;

function makeDeps(cmd: ShellCommand): boolean {
  if (cmd.name !== 'make' && cmd.name !== 'gmake') return false;
  return cmd.args
    .slice(1)
    .some((a, k, rest) => !a.startsWith('-') && !a.includes('=') && !['-C', '-f'].includes(rest[k - 1] ?? '') && MAKE_DEPS_TARGET.test(a));
}

interface DepsCommand {
  manager: string;
  buildsSource: boolean;
  /** A build whose RUN mounts its dependency caches: a source change rebuilds the application, not the dependencies. */
  cached?: boolean;
}

function depsCommands(step: Step): DepsCommand[] {
  const out: DepsCommand[] = [];
  for (const cmd of commandsOf(step)) {
    const install = dependencyInstall(cmd);
    if (install?.fromManifest) {
      const buildsSource = install.buildsSource ?? false;
      out.push({ manager: install.manager, buildsSource, cached: buildsSource && dependencyCachesMounted(step, install.manager, cmd) });
    } else if (makeDeps(cmd)) out.push({ manager: `make ${subcommand(cmd) ?? ''}`.trim(), buildsSource: false });
  }
  return out;
}

export const depsAfterSource: LintRule = {
  meta: {
    id: 'deps-after-source',
    category: 'lint',
    defaultSeverity: 'warning',
    shortDescription: 'Source is copied before dependencies are installed',
    fullDescription:
      'After `COPY . .` (or a copy of a source folder such as `COPY src/ ./src/`) any change to those files invalidates the cache of every later step, so the dependency install runs again on every commit even when the manifest did not change. The same holds for builds that download dependencies themselves: `go build` with no earlier `go mod download` layer, `mvn package` with no earlier `dependency:go-offline` layer (unless that RUN mounts the download and build caches, e.g. /go/pkg/mod and the go build cache, or the cargo registry and target folder), and installs run through `make deps`.',
    help: 'Copy only the manifest and lock files, install, then copy the rest:\n\n```dockerfile\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\n```\n```dockerfile\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN go build -o /out/app .\n```\n```dockerfile\nCOPY pom.xml ./\nRUN mvn -B dependency:go-offline\nCOPY src ./src\nRUN mvn -B -o package\n```',
    tags: ['cache', 'build-time'],
    examples: {
      bad: 'FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci\n',
      good: 'FROM node:20-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\n'
    },
    hadolint: []
  },
  check({ model }) {
    const hits: RuleHit[] = [];
    // Managers with a dependency layer before any source copy, per stage (a stage built FROM it inherits them).
    const layeredAtEnd = new Map<Stage, Set<string>>();
    // A stage built FROM another also inherits the source its parent copied: the parent's layers are its own.
    const stateAtEnd = new Map<Stage, { sourceCopy?: Step; preparedElsewhere: boolean; workspace: boolean }>();
    // The source copy of a parent is reported once, however many stages built on it install late.
    const reported = new Set<Step>();
    for (const stage of model.stages) {
      const inherited = stage.parent ? stateAtEnd.get(stage.parent) : undefined;
      let sourceCopy: Step | undefined = inherited?.sourceCopy;
      const layered = new Set<string>(stage.parent ? layeredAtEnd.get(stage.parent) : []);
      layeredAtEnd.set(stage, layered);
      // `COPY --from=deps /go/pkg/mod …`: dependencies prepared in another stage, so a build need not fetch them.
      let preparedElsewhere = inherited?.preparedElsewhere ?? false;
      // After a workspace manifest (pnpm-workspace.yaml, lerna.json…), folders copied before the install are
      // workspace packages the install needs.
      let workspace = inherited?.workspace ?? false;
      const state = () => stateAtEnd.set(stage, { sourceCopy, preparedElsewhere, workspace });
      for (const step of stage.steps) {
        if (step.copy) {
          if (step.copy.from && !sourceCopy) preparedElsewhere = true;
          if (step.copy.sources.some(copiesWorkspaceFile)) workspace = true;
          const source = !workspace && !step.copy.from && !step.copy.heredoc && step.copy.sources.some((src) => isSourcePath(src, step.copy?.dest));
          if (!sourceCopy && (source || (workspace && step.copy.wholeContext))) sourceCopy = step;
          continue;
        }
        if (depsCommands(step).length > 0 && !sourceCopy) workspace = false;
        const deps = depsCommands(step);
        if (!sourceCopy) {
          for (const d of deps) layered.add(d.manager);
          continue;
        }
        const late = deps.find(
          (d) => !layered.has(d.manager) && !(d.manager.startsWith('make') && layered.size > 0) && !(d.buildsSource && (preparedElsewhere || d.cached))
        );
        if (!late) continue;
        if (reported.has(sourceCopy)) break;
        reported.add(sourceCopy);
        const what = late.buildsSource
          ? `the ${late.manager} build at line ${step.line}, which downloads every dependency itself because no earlier layer did`
          : `the ${late.manager} dependency install at line ${step.line}`;
        const where = sourceCopy.stage !== stage ? ` (stage ${stage.label}, built on stage ${sourceCopy.stage?.label ?? '?'})` : '';
        const fix = late.buildsSource
          ? late.manager === 'go'
            ? 'copy go.mod and go.sum first and run `go mod download` in its own RUN, then copy the source'
            : late.manager === 'maven'
              ? 'copy pom.xml first and run `mvn dependency:go-offline` in its own RUN, then copy the source'
              : 'copy the build files first and fetch dependencies in their own RUN, then copy the source'
          : 'copy the manifest and lock files first, install, then copy the rest';
        const whole = sourceCopy.copy?.wholeContext;
        hits.push({
          step: sourceCopy,
          message: `${sourceCopy.keyword} of ${whole ? 'the whole context' : sourceCopy.copy?.sources.filter((src) => isSourcePath(src, sourceCopy?.copy?.dest)).join(', ')} at line ${sourceCopy.line} comes before ${what}${where}, so any source change reinstalls every dependency; ${fix}.`,
          details: { installLine: step.line, manager: late.manager, stage: stage.label }
        });
        break;
      }
      state();
    }
    return hits;
  }
};
