// Plain-Node implementation of Runtime, used by the CLI and by tests.
import { spawn } from 'node:child_process';
import type { CommandRunner, Logger, RunOptions, RunResult, Runtime } from './runtime.js';

export const nodeCommandRunner: CommandRunner = {
  run(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(command, args, {
        cwd: options.cwd,
        env: options.env ? { ...process.env, ...options.env } : process.env,
        stdio: ['ignore', 'pipe', 'pipe']
      });
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
      child.on('error', reject);
      child.on('close', (code) => resolve({ exitCode: code ?? 1, stdout, stderr }));
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
