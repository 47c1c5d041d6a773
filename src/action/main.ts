// Entry point of the bundled action (action.yml → dist/index.js): wires the real host services into run().
import { actionRuntime, coreHost } from './host.js';
import { contextFromEnv, run } from './run.js';

await run({ host: coreHost, runtime: actionRuntime(), context: contextFromEnv(process.env), cwd: process.cwd() });
