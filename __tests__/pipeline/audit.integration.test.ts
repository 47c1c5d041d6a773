// runAudit ties every finding it can to a Dockerfile line: layer findings through the layer's step, history and
// config findings (an ENV with AWS keys) through the history step that set them — so the action can annotate it.
import { expect, test } from '@jest/globals';
import path from 'node:path';
import { defaultConfig } from '../../src/config/types.js';
import { parseBuildInputs } from '../../src/build/inputs.js';
import { runAudit } from '../../src/pipeline/audit.js';
import { nodeRuntime } from '../../src/util/node-runtime.js';
import { requireEngine } from '../helpers/engine.js';
import { renderFixture } from '../secrets/fixtures.js';
import * as gen from '../secrets/generate.js';

requireEngine();

const quiet = nodeRuntime({ logger: { info: () => {}, warning: () => {}, debug: () => {}, group: (_n, fn) => fn() } });

test('secret-config findings from an ENV point at the ENV line; nothing prints the key', async () => {
  const key = gen.awsSecretAccessKey();
  const ctx = renderFixture('env-aws', { AWS_ACCESS_KEY_ID: gen.awsAccessKeyId(), AWS_SECRET_ACCESS_KEY: key });
  const build = parseBuildInputs({ context: ctx, tags: 'ia-test-pipeline-env-aws' });
  const report = await runAudit({ build, config: defaultConfig() }, quiet);
  const config = report.findings.filter((f) => f.rule === 'secret-config');
  expect(config.length).toBe(2);
  for (const f of config) {
    expect(f.file).toBe(path.join(ctx, 'Dockerfile'));
    expect(f.line).toBe(2);
  }
  expect(JSON.stringify(report)).not.toContain(key);
  // The ENV's own lint finding is on the same line.
  expect(report.findings.find((f) => f.rule === 'secret-in-env-or-arg')?.line).toBe(2);
});
