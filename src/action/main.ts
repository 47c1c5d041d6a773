// Entry point of the bundled action (action.yml → dist/index.js): wires the real host services into run().
import { actionRuntime, coreHost } from './host.js';
import { contextFromEnv, run } from './run.js';

// The context is read inside run(), so a broken event payload is one clear error, not a crash.
await run({ host: coreHost, runtime: actionRuntime(), context: () => contextFromEnv(process.env), cwd: process.cwd() });
