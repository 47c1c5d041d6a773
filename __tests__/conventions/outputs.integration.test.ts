// build-push-action's names through the action shell with the real engine: `platforms`, `secret-envs`,
// `secret-files`, and the outputs `imageid` (alias `image-id`), `digest` and `metadata`.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { actionRuntime, coreHost } from '../../src/action/host.js';
import { contextFromEnv, run } from '../../src/action/run.js';
import { inspect, requireEngine } from '../helpers/engine.js';
import { startFakeGitHub, type FakeGitHub } from '../helpers/fake-github.js';
import { captureStdout, stepEnv, withEnv } from '../action/action-env.js';

requireEngine();

const TAG = 'conventions-outputs:test';
let gh: FakeGitHub;
beforeAll(async () => {
  gh = await startFakeGitHub();
});
afterAll(async () => {
  await gh.stop();
  execFileSync('docker', ['image', 'rm', '-f', TAG], { stdio: 'ignore' });
});

describe('build-push-action inputs and outputs', () => {
  test('platforms + secret-envs + secret-files build; imageid, image-id, digest and metadata are set', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ia-conv-out-'));
    const secretFile = path.join(dir, 'netrc.secret');
    writeFileSync(secretFile, 'machine example.test login u password conventions-file-secret\n');
    // The build fails unless buildx hands both secrets in: from the environment and from the file.
    writeFileSync(
      path.join(dir, 'Dockerfile'),
      'FROM image-audit/busybox\nRUN --mount=type=secret,id=tok --mount=type=secret,id=netrc test -s /run/secrets/tok && grep -q machine /run/secrets/netrc && echo ok > /ok\n'
    );
    const arch = execFileSync('docker', ['version', '--format', '{{.Server.Arch}}'], { encoding: 'utf8' }).trim();
    const step = stepEnv({
      apiUrl: gh.url,
      eventName: 'workflow_dispatch',
      dir,
      inputs: {
        context: dir,
        tags: TAG,
        platforms: `linux/${arch}`,
        'secret-envs': 'tok=CONVENTIONS_TOKEN',
        'secret-files': `netrc=${secretFile}`,
        comment: 'false',
        'fail-on-lint': 'none',
        baseline: 'none'
      }
    });
    const { result, stdout } = await withEnv({ ...step.env, CONVENTIONS_TOKEN: 'conventions-env-secret-value' }, () =>
      captureStdout(() => run({ host: coreHost, runtime: actionRuntime(), context: contextFromEnv(process.env), cwd: dir }))
    );
    expect({ failed: result.failed, message: result.message }).toEqual({ failed: false, message: 'passed' });
    // Registered with the runner's masking (`::add-mask::`, which the runner consumes), and nowhere else.
    expect(stdout).toContain('::add-mask::conventions-env-secret-value');
    expect(
      stdout
        .split('\n')
        .filter((l) => !l.startsWith('::add-mask::'))
        .join('\n')
    ).not.toContain('conventions-env-secret-value');

    const outputs = step.outputs();
    const image = inspect(TAG);
    expect(outputs.imageid).toBe(image.Id);
    expect(outputs['image-id']).toBe(image.Id);
    const metadata = JSON.parse(outputs.metadata);
    expect(metadata).not.toHaveProperty('buildx.build.provenance');
    if (metadata['containerimage.digest'] !== undefined) expect(outputs.digest).toBe(metadata['containerimage.digest']);
    expect(outputs.digest ?? metadata['containerimage.config.digest']).toMatch(/^sha256:[0-9a-f]{64}$/);
  }, 300_000);
});
