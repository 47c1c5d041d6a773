// Runs `docker buildx build --load` for BuildInputs and returns the built image id. The only place that
// writes build secrets to disk: private temp files (under RUNNER_TEMP in the action, which the runner wipes
// even after a SIGKILL), removed whatever happens — on a signal too, through the run's cancellation.
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { cancellationOf, tempRootOf, type Runtime } from '../util/runtime.js';
import { UserError } from '../util/errors.js';
import { buildxArgs, type BuildInputs } from './inputs.js';
import { describeBuildFailure, parseBuildFailure, type BuildFailure } from './failure.js';
import { logSafeArgs, secretBuildArgValues } from '../secrets/build-args.js';

export interface BuildResult {
  imageId: string;
  /** buildx --metadata-file content (digest, provenance…), when written. */
  metadata: Record<string, unknown>;
  /** Seconds the build took. */
  seconds: number;
}

/** The build ran and failed: the message is for people, `failure` (step, line, error) for the PR comment. */
export class BuildFailedError extends UserError {
  constructor(readonly failure: BuildFailure, readonly dockerfile: string) {
    super(describeBuildFailure(failure, dockerfile));
    this.name = 'BuildFailedError';
  }
}

/** Checks the context and Dockerfile exist before anything is started. */
export function checkBuildPaths(inputs: BuildInputs, cwd = process.cwd()): void {
  const context = path.resolve(cwd, inputs.context);
  if (!existsSync(context) || !statSync(context).isDirectory()) {
    throw new UserError(
      `The build context '${inputs.context}' is not a folder (looked in ${context}).`,
      'Set the context input (or --context) to the folder the Dockerfile builds from; paths are relative to the working directory.'
    );
  }
  const file = path.resolve(cwd, inputs.file);
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new UserError(
      `The Dockerfile '${inputs.file}' does not exist (looked in ${file}).`,
      'Set the file input (or --file) to the Dockerfile, relative to the working directory; by default it is <context>/Dockerfile.'
    );
  }
}

/**
 * `rewriteArgs` rewrites the argument list (build/publish.ts: --push or --output instead of --load).
 * `inlineSecrets`: values the Dockerfile itself holds (already registered with the host), hidden in the output too.
 */
export async function runBuild(
  inputs: BuildInputs,
  runtime: Runtime,
  cwd = process.cwd(),
  opts: { rewriteArgs?: (args: string[]) => string[]; inlineSecrets?: readonly string[] } = {}
): Promise<BuildResult> {
  const rewriteArgs = opts.rewriteArgs ?? ((a: string[]) => a);
  const inlineSecrets = opts.inlineSecrets ?? [];
  checkBuildPaths(inputs, cwd);
  const cancel = cancellationOf(runtime);
  cancel.throwIfCancelled();
  const endPhase = cancel.enter('the build');
  // mkdtemp makes it 0700; the secret files in it are 0600.
  const tmp = await mkdtemp(path.join(tempRootOf(runtime), 'image-audit-build-'));
  const removeTmp = cancel.defer('removed the build secrets', () => rm(tmp, { recursive: true, force: true }));
  const started = Date.now();
  try {
    const secretFiles: Record<string, string> = {};
    for (const s of inputs.secrets) {
      runtime.maskSecret(s.value);
      const file = path.join(tmp, `secret-${Object.keys(secretFiles).length}`);
      await writeFile(file, s.value, { mode: 0o600 });
      secretFiles[s.id] = file;
    }
    const files = { iidFile: path.join(tmp, 'iid'), metadataFile: path.join(tmp, 'metadata.json'), secretFiles };
    const args = rewriteArgs(buildxArgs(inputs, files));
    // Build args whose name or shape says secret are masked before anything is logged. BuildKit expands ARGs in
    // its progress lines (`#5 [2/3] RUN echo $TOKEN` shows the value), so build output is redacted here too,
    // whatever the host's own masking does.
    // (Secret input values were registered above, whatever their length.)
    const secretArgs = secretBuildArgValues(inputs.buildArgs).filter((v) => v.length >= 4);
    for (const value of secretArgs) runtime.maskSecret(value);
    // secret-envs: buildx reads each value from its environment. The variables are handed to it explicitly (and
    // checked first: a missing one would otherwise surface as a confusing RUN failure), and redacted from its output.
    const secretEnv: Record<string, string> = {};
    for (const s of inputs.secretEnvs ?? []) {
      const value = process.env[s.from];
      if (value === undefined) {
        throw new UserError(`Input secret-envs: the environment variable ${s.from} (for secret ${s.id}) is not set.`, `Set it on the step, e.g.\n  env:\n    ${s.from}: \${{ secrets.${s.from} }}`);
      }
      secretEnv[s.from] = value;
    }
    const envSecrets = Object.values(secretEnv).filter((v) => v.length >= 4);
    for (const value of envSecrets) runtime.maskSecret(value);
    const hidden = [...secretArgs, ...envSecrets, ...inlineSecrets, ...inputs.secrets.map((s) => s.value).filter((v) => v.length >= 4)];
    const redact = (line: string) => hidden.reduce((l, v) => l.split(v).join('***'), line);

    let log = '';
    let partial = '';
    // Output is streamed line by line through the logger (which masks secrets), not echoed raw by exec.
    const keep = (chunk: string) => {
      log += chunk;
      if (log.length > 256 * 1024) log = log.slice(-128 * 1024); // bounded: only the tail matters on failure
      const lines = (partial + chunk).split(/\r?\n/);
      partial = lines.pop() ?? '';
      for (const line of lines) runtime.log.info(redact(line));
    };
    const result = await runtime.log.group(`docker buildx build ${inputs.file}`, async () => {
      runtime.log.info(`docker ${logSafeArgs(args).join(' ')}`);
      const env = Object.keys(secretEnv).length ? secretEnv : undefined;
      const r = await runtime.exec.run('docker', args, { cwd, env, onStdout: keep, onStderr: keep, silent: true, cancel });
      if (partial) runtime.log.info(redact(partial));
      return r;
    });
    if (result.exitCode !== 0) {
      const failure = parseBuildFailure(redact(log), await dockerfileInstructions(path.resolve(cwd, inputs.file)));
      throw new BuildFailedError(failure, inputs.file);
    }
    const imageId = (await readFile(files.iidFile, 'utf8')).trim();
    let metadata: Record<string, unknown> = {};
    try {
      metadata = JSON.parse(await readFile(files.metadataFile, 'utf8'));
    } catch {
      // older buildx versions may not write it; the image id is what matters
    }
    return { imageId, metadata, seconds: (Date.now() - started) / 1000 };
  } finally {
    await removeTmp();
    endPhase();
  }
}

async function dockerfileInstructions(file: string): Promise<{ line: number; text: string }[]> {
  try {
    const df = DockerfileParser.parse(await readFile(file, 'utf8'));
    return df.getInstructions().map((i) => ({
      line: i.getRange().start.line + 1,
      text: `${i.getKeyword()} ${i.getArgumentsContent() ?? ''}`.replace(/\\\r?\n/g, ' ')
    }));
  } catch {
    return [];
  }
}
