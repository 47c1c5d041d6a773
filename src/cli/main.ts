// `image-audit` bin entry: argv in, exit code out. Everything else lives in run.ts.
import { Cancellation, installSignalHandlers } from '../util/cancel.js';
import { nodeRuntime } from '../util/node-runtime.js';
import { runCli } from './run.js';

// Ctrl-C or a kill: the build is stopped and secret files removed before exiting 130/143 with "cancelled".
const cancel = new Cancellation();
installSignalHandlers(cancel, {
  report: (message) => process.stderr.write(`${message}\n`),
  note: (message) => process.stderr.write(`image-audit: ${message}\n`),
  exit: (code) => process.exit(code)
});

// Secret files go in a fresh 0700 folder (mkdtemp) under RUNNER_TEMP, else XDG_RUNTIME_DIR (a per-user tmpfs),
// else the system temp folder; it is removed when the build ends or the run is cancelled.
const code = await runCli(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  cwd: process.cwd(),
  env: process.env,
  stdoutIsTTY: process.stdout.isTTY,
  stderrIsTTY: process.stderr.isTTY,
  runtime: { ...nodeRuntime({ verbose: Boolean(process.env.IMAGE_AUDIT_DEBUG) }), cancel }
});
process.exitCode = code;
