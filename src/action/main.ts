// Entry point of the bundled action (action.yml → dist/index.js): wires the real host services into run().
import * as core from '@actions/core';
import os from 'node:os';
import { Cancellation, installSignalHandlers } from '../util/cancel.js';
import { actionRuntime, coreHost } from './host.js';
import { contextFromEnv, run } from './run.js';

// A cancelled job (or a timeout) sends SIGINT, then SIGTERM: secret files, the baseline worktree and the
// buildx process are cleaned up, then the step fails saying it was cancelled.
const cancel = new Cancellation();
installSignalHandlers(cancel, {
  report: (message) => core.setFailed(message),
  note: (message) => core.info(message),
  exit: (code) => process.exit(code)
});

// Secret files go under RUNNER_TEMP: the runner wipes it after the job, even one killed with SIGKILL.
const runtime = actionRuntime({ cancel, tempRoot: process.env.RUNNER_TEMP || process.env.XDG_RUNTIME_DIR || os.tmpdir() });
// The context is read inside run(), so a broken event payload is one clear error, not a crash.
await run({ host: coreHost, runtime, context: () => contextFromEnv(process.env), cwd: process.cwd() });
