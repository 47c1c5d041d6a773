// The build path for images that cannot (or should not) be loaded into the runner's engine: multi-platform
// builds and builds on remote BuildKit builders push to a registry (`push: true`) or write an OCI layout/archive
// (`outputs: type=oci,dest=…`), and the analysis then reads that instead of `--load`ing the image. Pure planning
// here; the driver check asks `docker buildx inspect`.
import { UserError } from '../util/errors.js';
import type { Runtime } from '../util/runtime.js';

export interface PublishInputs {
  /** build-push-action `platforms`: one or more `os/arch[/variant]`. */
  platforms: string[];
  /** build-push-action `push`. */
  push: boolean;
  /** build-push-action `outputs`, e.g. `type=oci,dest=out.tar` or `type=oci,dest=out,tar=false`. */
  outputs: string[];
}

/** Where the analysis reads the built image from. */
export type AnalyseFrom =
  | { kind: 'load' }
  | { kind: 'registry'; ref: string }
  | { kind: 'oci-archive' | 'oci-layout'; path: string };

const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/;

function parseOutput(spec: string): Record<string, string> {
  return Object.fromEntries(
    spec.split(',').map((kv) => {
      const i = kv.indexOf('=');
      return i < 0 ? [kv.trim(), ''] : [kv.slice(0, i).trim(), kv.slice(i + 1).trim()];
    })
  );
}

/** Whether these inputs leave the `--load` path at all. */
export const needsPublish = (p: PublishInputs | undefined): p is PublishInputs =>
  !!p && (p.push || p.outputs.length > 0 || p.platforms.length > 1);

export function planPublish(p: PublishInputs, tags: string[]): AnalyseFrom {
  for (const platform of p.platforms) {
    if (!PLATFORM.test(platform)) throw new UserError(`Input platforms: '${platform}' is not a platform.`, 'Use os/arch[/variant], comma-separated, e.g. linux/amd64,linux/arm64.');
  }
  if (p.outputs.length > 1) throw new UserError('Input outputs: give one output.', 'image-audit reads the image back from that one output (e.g. type=oci,dest=image.tar).');
  const out = p.outputs[0] ? parseOutput(p.outputs[0]) : undefined;
  const pushByOutput = out && (out.type === 'registry' || (out.type === 'image' && out.push === 'true'));
  if (out && !pushByOutput) {
    if (out.type !== 'oci') {
      throw new UserError(
        `Input outputs: '${p.outputs[0]}' cannot be analysed.`,
        'Use type=oci,dest=FILE (an OCI archive) or type=oci,dest=DIR,tar=false (an OCI layout), or push: true (type=registry).'
      );
    }
    if (!out.dest) throw new UserError(`Input outputs: '${p.outputs[0]}' has no dest.`, 'Add dest=FILE (or dest=DIR with tar=false).');
    return { kind: out.tar === 'false' ? 'oci-layout' : 'oci-archive', path: out.dest };
  }
  if (p.push || pushByOutput) {
    const tag = tags[0];
    if (!tag) throw new UserError('push: true needs a tag to push to.', 'Set tags to the registry reference, e.g. ghcr.io/OWNER/APP:pr-42.');
    return { kind: 'registry', ref: tag };
  }
  throw new UserError(
    `'${p.platforms.join(',')}' names several platforms; a multi-platform image cannot be loaded into the local engine, so image-audit reads it from where it is published.`,
    'Set push: true (with tags naming a registry) or outputs: type=oci,dest=image.tar, or build one platform (platform: linux/amd64).'
  );
}

/** The `docker buildx build` arguments for `plan`: `--load` replaced, all platforms passed. */
export function publishArgs(args: string[], p: PublishInputs, plan: AnalyseFrom): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--platform') {
      i++; // replaced below by the full list
      continue;
    }
    if (args[i] === '--load') {
      if (plan.kind === 'registry' && !p.outputs.length) out.push('--push');
      else out.push('--output', p.outputs[0] ?? 'type=registry');
      if (p.platforms.length) out.push('--platform', p.platforms.join(','));
      continue;
    }
    out.push(args[i]);
  }
  return out;
}

/**
 * The docker driver builds one platform into the engine's store and can push it, but cannot build several
 * platforms at once or export OCI: say which driver is needed before a long build fails.
 */
export async function checkPublishDriver(runtime: Runtime, builder: string | undefined, p: PublishInputs, plan: AnalyseFrom): Promise<void> {
  const r = await runtime.exec.run('docker', ['buildx', 'inspect', ...(builder ? [builder] : [])], { silent: true });
  const driver = /^Driver:\s*(\S+)/m.exec(r.stdout)?.[1];
  if (driver !== 'docker') return;
  const what = p.platforms.length > 1 ? `a multi-platform build (${p.platforms.join(', ')})` : plan.kind === 'registry' ? undefined : 'an OCI output (outputs: type=oci)';
  if (!what) return; // one platform, pushed: the docker driver can do that
  throw new UserError(
    `The buildx builder '${builder ?? 'default'}' uses the docker driver, which cannot do ${what}.`,
    'Use a builder with the docker-container driver (or kubernetes / remote): `docker buildx create --driver docker-container --use`, ' +
      'in a workflow docker/setup-buildx-action, and set builder to it; or turn on the containerd image store of the engine.'
  );
}
