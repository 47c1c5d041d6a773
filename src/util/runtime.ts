// What the pure core needs from its host. The action implements these with @actions/*, the CLI with plain
// Node; tests use the Node ones. Keeping them injected is what keeps @actions/* out of the core.

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
}
