// Plain-Node implementation of Runtime, used by the CLI and by tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { CancelledError } from './errors.js';
import type { CommandRunner, Logger, RunOptions, RunResult, Runtime } from './runtime.js';

const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

/** Signals the child's process group (it leads one: spawned detached); falls back to the child alone. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

/** SIGTERM to the group (docker cancels the build), SIGKILL after `graceMs`; resolves once the child is gone. */
export async function killProcessGroup(child: ChildProcess, graceMs = 2000): Promise<void> {
  if (exited(child)) {
    signalGroup(child, 'SIGKILL'); // grandchildren the leader left behind
    return;
  }
  const closed = once(child, 'exit').then(() => undefined);
  signalGroup(child, 'SIGTERM');
  const timer = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), graceMs).unref());
  if ((await Promise.race([closed, timer])) === 'late') signalGroup(child, 'SIGKILL');
  await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
  signalGroup(child, 'SIGKILL');
}

export const nodeCommandRunner: CommandRunner = {
  run(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
    const cancel = options.cancel;
    if (cancel?.cancelled) return Promise.reject(new CancelledError(cancel.reason ?? 'cancelled'));
    return new Promise((resolve, reject) => {
      const child = spawn(command, args, {
        cwd: options.cwd,
        env: options.env ? { ...process.env, ...options.env } : process.env,
        stdio: ['ignore', 'pipe', 'pipe'],
        // Its own process group, so cancelling kills docker and the buildx plugin it started, not just docker.
        detached: cancel !== undefined
      });
      // On cancellation: kill the group; the signal handler waits for this before the process exits.
      const stop = cancel?.defer(`stopped ${command} ${args.slice(0, 2).join(' ')}`, () => killProcessGroup(child));
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (c: string) => {
        stdout += c;
        options.onStdout?.(c);
      });
      child.stderr.setEncoding('utf8').on('data', (c: string) => {
        stderr += c;
        options.onStderr?.(c);
      });
      child.on('error', (e) => {
        stop?.dismiss();
        reject(e);
      });
      child.on('close', (code) => {
        if (cancel?.cancelled) {
          void stop?.();
          reject(new CancelledError(cancel.reason ?? 'cancelled'));
          return;
        }
        // Ended on its own: nothing left to stop.
        stop?.dismiss();
        resolve({ exitCode: code ?? 1, stdout, stderr });
      });
    });
  }
};

/** Logger writing to stderr (stdout is reserved for the report, e.g. `--format json`). */
export function stderrLogger(verbose = false): Logger {
  const write = (s: string) => process.stderr.write(s.endsWith('\n') ? s : s + '\n');
  return {
    info: (m) => write(m),
    warning: (m) => write(`warning: ${m}`),
    debug: (m) => {
      if (verbose) write(`debug: ${m}`);
    },
    async group(name, fn) {
      write(`── ${name}`);
      return fn();
    }
  };
}

/**
 * Like the Actions runner's log masking: every value registered with maskSecret is replaced by `***` in
 * everything the CLI logs (build output included), so a RUN that echoes a token does not print it.
 */
export function nodeRuntime(opts: { verbose?: boolean; logger?: Logger } = {}): Runtime {
  const secrets = new Set<string>();
  const mask = (text: string) => {
    let out = text;
    for (const s of secrets) out = out.split(s).join('***');
    return out;
  };
  const inner = opts.logger ?? stderrLogger(opts.verbose);
  const log: Logger = {
    info: (m) => inner.info(mask(m)),
    warning: (m) => inner.warning(mask(m)),
    debug: (m) => inner.debug(mask(m)),
    group: (name, fn) => inner.group(mask(name), fn)
  };
  return {
    log,
    exec: nodeCommandRunner,
    // Short values would mask ordinary words; the Actions runner has the same floor in spirit.
    maskSecret: (value) => {
      if (value.trim().length >= 4) secrets.add(value.trim());
    }
  };
}
