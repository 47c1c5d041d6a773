// Preconditions on the Docker side, each failing with one actionable paragraph.
import type { Runtime } from '../util/runtime.js';
import { UserError } from '../util/errors.js';

const START_HINT =
  'Start one and try again: on a GitHub-hosted runner Docker is already running; on Debian/Ubuntu run ' +
  '`sudo systemctl start docker` (or `sudo dockerd &`); in this repository `bash scripts/engine.sh` installs and starts one.';

// What one audit already asked the engine, so that choosing the source and then reading the image do not ask
// again (each docker CLI call costs about 20 ms before the export can start). Only answers that hold for the
// audit's span are kept: the engine answered, the image was there.
const known = new WeakMap<Runtime, { version?: string; images: Set<string> }>();
const knownOf = (runtime: Runtime) => {
  let k = known.get(runtime);
  if (!k) known.set(runtime, (k = { images: new Set() }));
  return k;
};

/** Throws a UserError when the docker CLI is missing or no engine answers. Returns the server version. */
export async function ensureEngine(runtime: Runtime): Promise<string> {
  const k = knownOf(runtime);
  if (k.version !== undefined) return k.version;
  k.version = await askEngine(runtime);
  return k.version;
}

async function askEngine(runtime: Runtime): Promise<string> {
  let result;
  try {
    result = await runtime.exec.run('docker', ['version', '--format', '{{.Server.Version}}'], { silent: true });
  } catch {
    throw new UserError('The docker command was not found on PATH.', 'Install the Docker CLI (Debian: apt-get install docker.io).');
  }
  if (result.exitCode !== 0 || !result.stdout.trim()) {
    const why = lastLine(result.stderr) || 'no answer';
    throw new UserError(`No Docker engine is reachable (${why}).`, START_HINT);
  }
  return result.stdout.trim();
}

export async function ensureBuildx(runtime: Runtime, builder?: string): Promise<void> {
  const v = await runtime.exec.run('docker', ['buildx', 'version'], { silent: true });
  if (v.exitCode !== 0) {
    throw new UserError(
      'docker buildx is not installed, and image-audit builds with buildx.',
      'Install the buildx plugin (GitHub runners have it; Debian: apt-get install docker-buildx; or use docker/setup-buildx-action), or analyse an existing image with --image / the image input.'
    );
  }
  if (builder) {
    const b = await runtime.exec.run('docker', ['buildx', 'inspect', builder], { silent: true });
    if (b.exitCode !== 0) {
      throw new UserError(
        `The buildx builder '${builder}' does not exist.`,
        'Create it first (docker buildx create --name NAME, or docker/setup-buildx-action) or leave the builder input empty to use the default.'
      );
    }
  }
}

/** The one message for an image the engine does not have, with what the engine said when it said something. */
export function imageNotFound(ref: string, said?: string): UserError {
  return new UserError(`Image ${ref} not found locally; build it or check the name.`, said || undefined);
}

export async function imageExists(runtime: Runtime, ref: string): Promise<boolean> {
  const k = knownOf(runtime);
  if (k.images.has(ref)) return true;
  const r = await runtime.exec.run('docker', ['image', 'inspect', '--format', '{{.Id}}', ref], { silent: true });
  if (r.exitCode === 0) k.images.add(ref);
  return r.exitCode === 0;
}

/** Makes sure `ref` is in the local image store, pulling it when a registry is reachable. */
export async function ensureImage(runtime: Runtime, ref: string): Promise<void> {
  if (ref.startsWith('-')) throw new UserError(`Image reference '${ref}' is not valid.`, 'Give a name like app:1.2 or an image id.');
  if (await imageExists(runtime, ref)) return;
  runtime.log.info(`Image ${ref} is not local; pulling it.`);
  const pull = await runtime.exec.run('docker', ['pull', ref], { silent: true });
  if (pull.exitCode !== 0) {
    throw new UserError(
      `The image '${ref}' does not exist locally and could not be pulled (${lastLine(pull.stderr) || 'pull failed'}).`,
      'Check the name and tag (docker images lists local ones), log in to its registry first (docker login), or build it with the file/context inputs instead.'
    );
  }
}

/** Number of filesystem layers of a local image, or undefined when it is not local. */
export async function layerCount(runtime: Runtime, ref: string): Promise<number | undefined> {
  const r = await runtime.exec.run('docker', ['image', 'inspect', '--format', '{{len .RootFS.Layers}}', ref], { silent: true });
  if (r.exitCode !== 0) return undefined;
  const n = Number(r.stdout.trim());
  return Number.isInteger(n) ? n : undefined;
}

export function lastLine(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return lines[lines.length - 1] ?? '';
}
