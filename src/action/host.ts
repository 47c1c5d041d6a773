// Host services of the action, on @actions/core (commands run on the Node runner, which can cancel). `run()` takes them injected, so tests can
// run it in-process (with real core writing to GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files) as well as bundled.
import * as core from '@actions/core';
import { appendFile } from 'node:fs/promises';
import type { Cancellation } from '../util/cancel.js';
import { nodeCommandRunner } from '../util/node-runtime.js';
import type { CommandRunner, Logger, Runtime } from '../util/runtime.js';

export interface AnnotationProps {
  title?: string;
  file?: string;
  startLine?: number;
  endLine?: number;
}

export interface ActionHost {
  getInput(name: string): string;
  setOutput(name: string, value: string | number): void;
  appendSummary(markdown: string): Promise<void>;
  annotate(level: 'error' | 'warning' | 'notice', message: string, props: AnnotationProps): void;
  setFailed(message: string): void;
}

export const coreHost: ActionHost = {
  getInput: (name) => core.getInput(name),
  setOutput: (name, value) => core.setOutput(name, value),
  async appendSummary(markdown) {
    // Same file core.summary appends to; read per call because core.summary caches the first path it saw.
    const file = process.env.GITHUB_STEP_SUMMARY;
    if (!file) return; // not on a runner
    await appendFile(file, markdown.endsWith('\n') ? markdown : markdown + '\n', 'utf8');
  },
  annotate(level, message, props) {
    const fn = level === 'error' ? core.error : level === 'warning' ? core.warning : core.notice;
    fn(message, props);
  },
  setFailed: (message) => core.setFailed(message)
};

/**
 * Runs programs with argument arrays (never a shell), on the Node runner: unlike @actions/exec it can kill a
 * command's whole process group when the run is cancelled. Not silent: the command line and its output are
 * echoed the way @actions/exec does.
 */
export const actionsCommandRunner: CommandRunner = {
  run(command, args, options = {}) {
    if (options.silent ?? false) return nodeCommandRunner.run(command, args, options);
    core.info(`[command]${command} ${args.join(' ')}`);
    return nodeCommandRunner.run(command, args, {
      ...options,
      onStdout: (s) => {
        process.stdout.write(s);
        options.onStdout?.(s);
      },
      onStderr: (s) => {
        process.stdout.write(s);
        options.onStderr?.(s);
      }
    });
  }
};

export const coreLogger: Logger = {
  info: (m) => core.info(m),
  warning: (m) => core.warning(m),
  debug: (m) => core.debug(m),
  group: (name, fn) => core.group(name, fn)
};

export function actionRuntime(opts: { cancel?: Cancellation; tempRoot?: string } = {}): Runtime {
  return { log: coreLogger, exec: actionsCommandRunner, maskSecret: (v) => core.setSecret(v), ...opts };
}
