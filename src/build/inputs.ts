// Build inputs, named as docker/build-push-action names them, and the pure translation into a
// `docker buildx build` argument list. Nothing here touches Docker, the file system or @actions/*.
import path from 'node:path';
import { UserError } from '../util/errors.js';

export interface BuildSecret {
  id: string;
  value: string;
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
  builder?: string;
  cacheFrom: string[];
  cacheTo: string[];
  noCache: boolean;
  platform?: string;
  tags: string[];
}

/** Raw inputs as strings (action inputs or CLI flags); empty strings count as unset. */
export type RawBuildInputs = Partial<Record<
  'context' | 'file' | 'target' | 'build-args' | 'secrets' | 'builder' | 'cache-from' | 'cache-to' | 'no-cache' | 'platform' | 'tags',
  string
>>;

/** Splits a multi-line input: one item per line, blank lines and surrounding spaces dropped. */
export function splitLines(text: string | undefined): string[] {
  return (text ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/** Splits list inputs that also accept commas (tags, cache-from/to accept one per line, as build-push-action). */
function splitList(text: string | undefined): string[] {
  return splitLines(text).flatMap((l) => (l.includes('type=') ? [l] : l.split(',').map((s) => s.trim()).filter(Boolean)));
}

function parseBoolean(name: string, text: string | undefined, fallback: boolean): boolean {
  const v = (text ?? '').trim().toLowerCase();
  if (v === '') return fallback;
  if (['true', 'yes', '1', 'on'].includes(v)) return true;
  if (['false', 'no', '0', 'off'].includes(v)) return false;
  throw new UserError(`Input ${name}: '${text}' is not a boolean.`, 'Use true or false.');
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

  const platform = raw.platform?.trim() || undefined;
  if (platform !== undefined) {
    if (platform.includes(',')) {
      throw new UserError(
        `Input platform: '${platform}' names several platforms; image-audit measures one image at a time.`,
        'Give exactly one platform (e.g. linux/amd64), or run the action once per platform in a matrix.'
      );
    }
    if (!PLATFORM.test(platform)) {
      throw new UserError(`Input platform: '${platform}' is not a platform.`, 'Use os/arch[/variant], e.g. linux/amd64 or linux/arm64/v8.');
    }
  }

  return {
    context,
    file,
    target: raw.target?.trim() || undefined,
    buildArgs,
    secrets,
    builder: raw.builder?.trim() || undefined,
    cacheFrom: splitList(raw['cache-from']),
    cacheTo: splitList(raw['cache-to']),
    noCache: parseBoolean('no-cache', raw['no-cache'], false),
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
