// In-process CLI runs for the report tests, with the working directory and TTY-ness chosen per call.
import { runCli } from '../../src/cli/run.js';
import { nodeRuntime } from '../../src/util/node-runtime.js';
import { repoRoot } from '../helpers/engine.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function cli(argv: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; tty?: boolean } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const logger = {
    info: (m: string) => void (stderr += m + '\n'),
    warning: (m: string) => void (stderr += `warning: ${m}\n`),
    debug: () => {},
    group: <T>(_n: string, fn: () => Promise<T>) => fn()
  };
  const code = await runCli(argv, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    cwd: opts.cwd ?? repoRoot,
    env: opts.env ?? { ...process.env, NO_COLOR: '1' },
    runtime: nodeRuntime({ logger }),
    stdoutIsTTY: opts.tty,
    stderrIsTTY: opts.tty
  });
  return { code, stdout, stderr };
}
