// Build inputs, named as docker/build-push-action names them, and the pure translation into a
// `docker buildx build` argument list. Nothing here touches Docker, the file system or @actions/*.
import path from 'node:path';
import { parseBoolean } from '../util/boolean.js';
import { UserError } from '../util/errors.js';

export interface BuildSecret {
  id: string;
  value: string;
}

/** A secret buildx reads itself: from an environment variable (`secret-envs`) or a file (`secret-files`). */
export interface BuildSecretSource {
  id: string;
  /** Environment variable name (secret-envs) or file path (secret-files). */
  from: string;
}

export interface BuildInputs {
  /** Build context folder (default `.`). */
  context: string;
  /** Dockerfile path (default `<context>/Dockerfile`). */
  file: string;
  target?: string;
  /** `KEY=VALUE` strings, in input order. */
  buildArgs: string[];
  secrets: BuildSecret[];
  /** `secret-envs: id=ENVVAR` lines → `--secret id=ID,env=ENVVAR`. */
  secretEnvs: BuildSecretSource[];
  /** `secret-files: id=/path` lines → `--secret id=ID,src=/path`. */
  secretFiles: BuildSecretSource[];
  builder?: string;
  cacheFrom: string[];
  cacheTo: string[];
  noCache: boolean;
  platform?: string;
  tags: string[];
}

/** Raw inputs as strings (action inputs or CLI flags); empty strings count as unset. */
export type RawBuildInputs = Partial<Record<
  | 'context' | 'file' | 'target' | 'build-args' | 'secrets' | 'secret-envs' | 'secret-files' | 'builder' | 'cache-from' | 'cache-to'
  | 'no-cache' | 'platforms' | 'platform' | 'tags',
  string
>>;

/** Splits a multi-line input: one item per line, blank lines and surrounding spaces dropped. */
export function splitLines(text: string | undefined): string[] {
  return (text ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/**
 * Splits a list input the way build-push-action's getInputList does: one item per line, and, unless
 * `keepCommas`, also per comma. cache-from/cache-to keep the commas inside a line (`type=gha,scope=x` is one entry);
 * tags split on commas too.
 */
export function splitList(text: string | undefined, opts: { keepCommas?: boolean } = {}): string[] {
  const lines = splitLines(text);
  if (opts.keepCommas) return lines;
  return lines.flatMap((l) => l.split(',').map((s) => s.trim()).filter(Boolean));
}

/** `id=value` lines of secret-envs / secret-files (build-push-action's syntax). */
function secretSources(name: 'secret-envs' | 'secret-files', text: string | undefined): BuildSecretSource[] {
  return splitLines(text).map((line) => {
    const eq = line.indexOf('=');
    const id = eq > 0 ? line.slice(0, eq).trim() : '';
    const from = eq > 0 ? line.slice(eq + 1).trim() : '';
    const example = name === 'secret-envs' ? 'npm_token=NPM_TOKEN' : 'npm_token=/home/runner/.npmrc';
    if (!/^[A-Za-z0-9_.-]+$/.test(id) || from === '') {
      throw new UserError(`Input ${name}: '${line}' is not of the form id=${name === 'secret-envs' ? 'ENVVAR' : '/path'}.`, `Give one per line, e.g.\n  ${name}: |\n    ${example}`);
    }
    if (name === 'secret-envs' && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(from)) {
      throw new UserError(`Input secret-envs: '${from}' is not an environment variable name.`, 'Name the variable, not its value: e.g. npm_token=NPM_TOKEN, with env: NPM_TOKEN: ${{ secrets.NPM_TOKEN }} on the step.');
    }
    return { id, from };
  });
}

const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/;

export function parseBuildInputs(raw: RawBuildInputs): BuildInputs {
  const context = raw.context?.trim() || '.';
  const file = raw.file?.trim() || path.join(context, 'Dockerfile');

  const buildArgs = splitLines(raw['build-args']);
  for (const arg of buildArgs) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(arg)) {
      throw new UserError(
        `Input build-args: '${arg.split('=')[0]}' is not of the form KEY=VALUE.`,
        'Give one KEY=VALUE per line, e.g.\n  build-args: |\n    NODE_ENV=production'
      );
    }
  }

  const secrets: BuildSecret[] = splitLines(raw.secrets).map((line) => {
    const eq = line.indexOf('=');
    const id = eq > 0 ? line.slice(0, eq).trim() : '';
    if (!/^[A-Za-z0-9_.-]+$/.test(id)) {
      // Never echo the line: it holds the secret value.
      throw new UserError(
        'Input secrets: every line must be id=value with an id of letters, digits, dot, dash or underscore.',
        'Example:\n  secrets: |\n    npm_token=${{ secrets.NPM_TOKEN }}\nand in the Dockerfile: RUN --mount=type=secret,id=npm_token …'
      );
    }
    let value = line.slice(eq + 1);
    // build-push-action accepts "id=\"value\""; strip one level of matching quotes.
    if (value.length >= 2 && ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'")))) {
      value = value.slice(1, -1);
    }
    return { id, value };
  });

  // `platforms` is build-push-action's name; `platform` stays as an alias. Both given and different: ambiguous.
  const platforms = splitList(raw.platforms).join(',') || undefined;
  const alias = splitList(raw.platform).join(',') || undefined;
  if (platforms !== undefined && alias !== undefined && platforms !== alias) {
    throw new UserError(`Inputs platforms ('${platforms}') and platform ('${alias}') disagree.`, 'Set only platforms (platform is its older alias).');
  }
  const platformInput = platforms !== undefined ? 'platforms' : 'platform';
  const platform = platforms ?? alias;
  if (platform !== undefined) {
    if (platform.includes(',')) {
      throw new UserError(
        `Input ${platformInput}: '${platform}' names several platforms; image-audit measures one image at a time.`,
        'Give exactly one platform (e.g. linux/amd64), or run the action once per platform in a matrix.'
      );
    }
    if (!PLATFORM.test(platform)) {
      throw new UserError(`Input ${platformInput}: '${platform}' is not a platform.`, 'Use os/arch[/variant], e.g. linux/amd64 or linux/arm64/v8.');
    }
  }

  return {
    context,
    file,
    target: raw.target?.trim() || undefined,
    buildArgs,
    secrets,
    secretEnvs: secretSources('secret-envs', raw['secret-envs']),
    secretFiles: secretSources('secret-files', raw['secret-files']),
    builder: raw.builder?.trim() || undefined,
    cacheFrom: splitList(raw['cache-from'], { keepCommas: true }),
    cacheTo: splitList(raw['cache-to'], { keepCommas: true }),
    noCache: parseBoolean('Input no-cache', raw['no-cache'], false),
    platform,
    tags: splitList(raw.tags)
  };
}

/** Files the build writes its results to; secretFiles maps secret id → private temp file with its value. */
export interface BuildFiles {
  iidFile: string;
  metadataFile: string;
  secretFiles: Record<string, string>;
}

/** The `docker` argument list for one build. Pure: same inputs, same list. */
export function buildxArgs(inputs: BuildInputs, files: BuildFiles): string[] {
  const args = ['buildx', 'build'];
  if (inputs.builder) args.push('--builder', inputs.builder);
  args.push('--file', inputs.file);
  if (inputs.target) args.push('--target', inputs.target);
  for (const a of inputs.buildArgs) args.push('--build-arg', a);
  for (const s of inputs.secrets) {
    const src = files.secretFiles[s.id];
    if (!src) throw new Error(`no temp file for secret ${s.id}`);
    args.push('--secret', `id=${s.id},src=${src}`);
  }
  for (const s of inputs.secretEnvs ?? []) args.push('--secret', `id=${s.id},env=${s.from}`);
  for (const s of inputs.secretFiles ?? []) args.push('--secret', `id=${s.id},src=${s.from}`);
  for (const c of inputs.cacheFrom) args.push('--cache-from', c);
  for (const c of inputs.cacheTo) args.push('--cache-to', c);
  if (inputs.noCache) args.push('--no-cache');
  if (inputs.platform) args.push('--platform', inputs.platform);
  for (const t of inputs.tags) args.push('--tag', t);
  args.push('--load', '--iidfile', files.iidFile, '--metadata-file', files.metadataFile, '--progress', 'plain');
  // A context starting with '-' would read as a flag.
  args.push(inputs.context.startsWith('-') ? `./${inputs.context}` : inputs.context);
  return args;
}
