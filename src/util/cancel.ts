// Cancellation of a run (a cancelled job, a timeout: the runner sends SIGINT, then SIGTERM, then SIGKILL).
// One registry per run: an AbortSignal that commands started through Runtime.exec honour (their whole process
// group is killed), and a stack of cleanups (secret files, the baseline git worktree) that run exactly once —
// on the normal path when their step ends, or on a signal, newest first, before the process exits.
import { CancelledError } from './errors.js';

/** Runs the cleanup (once); `dismiss()` drops it without running (nothing left to clean). */
export type Deferred = (() => Promise<void>) & { dismiss(): void };

interface Cleanup {
  label: string;
  run: () => Promise<void>;
}

export interface CancelResult {
  /** Labels of the cleanups that ran, in order (e.g. "removed the build secrets"). */
  done: string[];
  /** Cleanups that failed or did not finish before the deadline. */
  failed: string[];
}

export class Cancellation {
  private readonly controller = new AbortController();
  private readonly stack: Cleanup[] = [];
  /** Cleanups started (by a step's own `finally`, or by cancel) and not finished yet. */
  private readonly inflight = new Map<Promise<void>, string>();
  private readonly phases: string[] = [];
  private cancelling?: Promise<CancelResult>;
  /** What caused the cancellation, e.g. `SIGTERM`. */
  reason?: string;

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get cancelled(): boolean {
    return this.controller.signal.aborted;
  }

  /** Throws a CancelledError once the run is cancelled: call it before anything that writes or posts. */
  throwIfCancelled(): void {
    if (this.cancelled) throw new CancelledError(this.reason ?? 'cancelled');
  }

  /**
   * Registers a cleanup and returns the function that runs it (once: whoever calls first — the step's own
   * `finally` or the signal handler — runs it, the other gets the same promise).
   */
  defer(label: string, fn: () => Promise<void> | void): Deferred {
    let promise: Promise<void> | undefined;
    const entry: Cleanup = {
      label,
      run: () => {
        if (promise) return promise;
        const i = this.stack.indexOf(entry);
        if (i >= 0) this.stack.splice(i, 1);
        const p: Promise<void> = (async () => fn())().finally(() => this.inflight.delete(p));
        this.inflight.set(p, label);
        promise = p;
        return p;
      }
    };
    this.stack.push(entry);
    return Object.assign(() => entry.run(), {
      dismiss: () => {
        const i = this.stack.indexOf(entry);
        if (i >= 0) this.stack.splice(i, 1);
      }
    });
  }

  /** Names what the run is doing, for the cancellation message; returns the function that ends the phase. */
  enter(phase: string): () => void {
    this.phases.push(phase);
    return () => {
      const i = this.phases.lastIndexOf(phase);
      if (i >= 0) this.phases.splice(i, 1);
    };
  }

  /** The outermost phase (`the baseline build` while the base commit's build or analysis runs), if any. */
  get phase(): string | undefined {
    return this.phases[0];
  }

  /** Aborts the signal, then runs every pending cleanup, newest first, all within `deadlineMs`. Idempotent. */
  cancel(reason: string, deadlineMs = 5000): Promise<CancelResult> {
    if (this.cancelling) return this.cancelling;
    this.reason = reason;
    this.controller.abort(new CancelledError(reason));
    this.cancelling = (async () => {
      const result: CancelResult = { done: [], failed: [] };
      const deadline = Date.now() + deadlineMs;
      const settled = new Set<Promise<void>>();
      const settle = async (p: Promise<void>, label: string) => {
        if (settled.has(p)) return;
        settled.add(p);
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), Math.max(0, deadline - Date.now()))));
        const outcome = await Promise.race([
          p.then(
            () => 'ok' as const,
            () => 'error' as const
          ),
          timeout
        ]);
        clearTimeout(timer);
        (outcome === 'ok' ? result.done : result.failed).push(label);
      };
      // Wait for the ones already running (a step unwinding on its own after its command was killed)…
      const started = [...this.inflight];
      // …and run the rest, newest first (run() takes each off the stack).
      while (this.stack.length) {
        const entry = this.stack[this.stack.length - 1];
        await settle(entry.run(), entry.label);
      }
      for (const [p, label] of started) await settle(p, label);
      // Ones a step started while we were busy.
      for (const [p, label] of [...this.inflight]) await settle(p, label);
      return result;
    })();
    return this.cancelling;
  }
}

const SIGNAL_NUMBERS = { SIGINT: 2, SIGTERM: 15 } as const;
export type HandledSignal = keyof typeof SIGNAL_NUMBERS;

export interface SignalHandlerOptions {
  /** Reports the cancellation (must say "cancelled"); called once, after the cleanups. */
  report(message: string): void;
  /** Notes a signal that arrived while already cancelling. */
  note?(message: string): void;
  exit(code: number): void;
  deadlineMs?: number;
}

/** The message a shell prints: what was cancelled, during what, and what was cleaned up. */
export function cancelMessage(signal: string, phase: string | undefined, result: CancelResult): string {
  const during = phase ? ` during ${phase}` : '';
  const done = result.done.length ? ` Cleaned up: ${result.done.join('; ')}.` : '';
  const failed = result.failed.length ? ` Could not finish: ${result.failed.join('; ')}.` : '';
  return `image-audit was cancelled (${signal})${during}.${done}${failed}`;
}

/**
 * SIGINT and SIGTERM cancel the run: cleanups run, the message is reported, the process exits 128 + signal
 * number. A second signal while cleaning up is noted and otherwise ignored (the deadline bounds the wait).
 */
export function installSignalHandlers(cancel: Cancellation, opts: SignalHandlerOptions): () => void {
  const handler = (signal: HandledSignal) => {
    if (cancel.cancelled) {
      opts.note?.(`${signal} received while already cancelling; finishing the cleanup.`);
      return;
    }
    const phase = cancel.phase;
    void cancel.cancel(signal, opts.deadlineMs).then((result) => {
      opts.report(cancelMessage(signal, phase, result));
      opts.exit(128 + SIGNAL_NUMBERS[signal]);
    });
  };
  const onInt = () => handler('SIGINT');
  const onTerm = () => handler('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return () => {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  };
}
