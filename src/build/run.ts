// Runs `docker buildx build --load` for BuildInputs and returns the built image id. The only place that
// writes build secrets to disk: private temp files, removed whatever happens.
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import type { Runtime } from '../util/runtime.js';
import { UserError } from '../util/errors.js';
import { buildxArgs, type BuildInputs } from './inputs.js';
import { describeBuildFailure, parseBuildFailure } from './failure.js';

export interface BuildResult {
  imageId: string;
  /** buildx --metadata-file content (digest, provenance…), when written. */
  metadata: Record<string, unknown>;
  /** Seconds the build took. */
  seconds: number;
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

export async function runBuild(inputs: BuildInputs, runtime: Runtime, cwd = process.cwd()): Promise<BuildResult> {
  checkBuildPaths(inputs, cwd);
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'image-audit-build-'));
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
    const args = buildxArgs(inputs, files);

    let log = '';
    const keep = (chunk: string) => {
      log += chunk;
      if (log.length > 256 * 1024) log = log.slice(-128 * 1024); // bounded: only the tail matters on failure
    };
    const result = await runtime.log.group(`docker ${args.slice(0, 2).join(' ')} ${inputs.file}`, async () => {
      runtime.log.info(`docker ${args.join(' ')}`);
      return runtime.exec.run('docker', args, { cwd, onStdout: keep, onStderr: keep });
    });
    if (result.exitCode !== 0) {
      const failure = parseBuildFailure(log, await dockerfileInstructions(path.resolve(cwd, inputs.file)));
      throw new UserError(describeBuildFailure(failure, inputs.file));
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
    await rm(tmp, { recursive: true, force: true });
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
