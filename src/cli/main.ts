// `image-audit` bin entry: argv in, exit code out. Everything else lives in run.ts.
import { nodeRuntime } from '../util/node-runtime.js';
import { runCli } from './run.js';

const code = await runCli(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  cwd: process.cwd(),
  env: process.env,
  stdoutIsTTY: process.stdout.isTTY,
  stderrIsTTY: process.stderr.isTTY,
  runtime: nodeRuntime({ verbose: Boolean(process.env.IMAGE_AUDIT_DEBUG) })
});
process.exitCode = code;
