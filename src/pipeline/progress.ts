// Progress while an image is read: on a terminal one line rewritten in place (layers n/N, bytes read, MiB/s,
// ETA from the image size); in a log (the Actions log, a redirected CLI) one line at most every 5 s.
import type { ReadProgress } from '../image/analyse.js';
import { formatBytes } from '../util/bytes.js';

export interface ProgressSink {
  /** `tty`: rewrite one line with \r; `log`: whole lines, throttled. */
  mode: 'tty' | 'log';
  write(text: string): void;
  /** Milliseconds between lines in log mode (5000) and between redraws on a TTY (200). */
  intervalMs?: number;
  now?: () => number;
}

export function formatProgress(p: ReadProgress): string {
  const seconds = p.elapsedMs / 1000;
  const rate = seconds > 0 ? p.bytesRead / seconds : 0;
  const parts = [`layers ${p.layersSeen}/${p.layers}`, `${formatBytes(p.bytesRead)}${p.totalBytes ? ` of ~${formatBytes(p.totalBytes)}` : ''}`];
  if (rate > 0) parts.push(`${formatBytes(rate)}/s`);
  if (p.done) parts.push(`done in ${seconds.toFixed(1)} s`);
  // Before 2 % is read the rate is mostly docker save's start-up: no ETA rather than a wild one.
  else if (rate > 0 && p.totalBytes > p.bytesRead && p.bytesRead >= p.totalBytes / 50) parts.push(`ETA ${Math.ceil((p.totalBytes - p.bytesRead) / rate)} s`);
  return `Reading image: ${parts.join(', ')}`;
}

/** A throttled onProgress callback for analyseImage. */
export function progressReporter(sink: ProgressSink): (p: ReadProgress) => void {
  const now = sink.now ?? Date.now;
  const interval = sink.intervalMs ?? (sink.mode === 'tty' ? 200 : 5000);
  let last = now();
  let drawn = false;
  return (p) => {
    const t = now();
    if (p.done) {
      if (sink.mode === 'tty') {
        if (drawn) sink.write(`\r\u001b[K${formatProgress(p)}\n`);
      } else if (p.elapsedMs >= interval) sink.write(formatProgress(p) + '\n');
      return;
    }
    if (t - last < interval) return;
    last = t;
    drawn = true;
    sink.write(sink.mode === 'tty' ? `\r\u001b[K${formatProgress(p)}` : formatProgress(p) + '\n');
  };
}
