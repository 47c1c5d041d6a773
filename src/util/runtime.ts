// What the pure core needs from its host. The action implements these with @actions/*, the CLI with plain
// Node; tests use the Node ones. Keeping them injected is what keeps @actions/* out of the core.
import os from 'node:os';
import { Cancellation } from './cancel.js';

export interface Logger {
  info(message: string): void;
  warning(message: string): void;
  debug(message: string): void;
  /** Runs `fn` inside a collapsible log group (the action) or under a heading (the CLI). */
  group<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** Streamed output (build logs). */
  onStdout?(chunk: string): void;
  onStderr?(chunk: string): void;
  /** Don't echo the command and its output to the log. */
  silent?: boolean;
  /**
   * The run's cancellation: when it fires, the command's whole process group is killed (docker → its buildx
   * plugin) and run() rejects with a CancelledError; the signal handler waits for the kill before exiting.
   */
  cancel?: Cancellation;
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs a program with an argument array. Never through a shell. Resolves with the exit code, never rejects on non-zero. */
export interface CommandRunner {
  run(command: string, args: string[], options?: RunOptions): Promise<RunResult>;
}

export interface Runtime {
  log: Logger;
  exec: CommandRunner;
  /** Registers a value that must never appear in logs (core.setSecret in the action). */
  maskSecret(value: string): void;
  /** The run's cancellation registry (signal handlers are installed by the shells). */
  cancel?: Cancellation;
  /**
   * Where private temp folders (secret files, the baseline worktree) are made: RUNNER_TEMP in the action, which
   * the runner wipes after every job, even one killed with SIGKILL.
   */
  tempRoot?: string;
}

/** The runtime's cancellation, or a private one that is never cancelled (its cleanups still run once). */
export const cancellationOf = (runtime: Runtime): Cancellation => runtime.cancel ?? new Cancellation();

/** Folder for private temp dirs: the runtime's, else RUNNER_TEMP, else a tmpfs XDG_RUNTIME_DIR, else os.tmpdir(). */
export const tempRootOf = (runtime: Runtime): string => runtime.tempRoot || process.env.RUNNER_TEMP || process.env.XDG_RUNTIME_DIR || os.tmpdir();
