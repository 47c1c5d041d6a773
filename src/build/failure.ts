// Turns a failed buildx run's plain-progress log into one actionable paragraph: which step failed, where it
// is in the Dockerfile, and the last lines of the log. Pure, so it is unit-tested on recorded logs.

export interface BuildFailure {
  /** e.g. `[3/4] RUN ls /nope` (as buildx names the vertex). */
  step?: string;
  /** Dockerfile line of the failing instruction, when it could be found. */
  line?: number;
  /** The error buildx reported (`exit code: 1`, `failed to compute cache key…`). */
  error: string;
  /** Last log lines, for context. */
  tail: string[];
}

const collapse = (s: string) => s.replace(/\\\r?\n/g, ' ').replace(/\s+/g, ' ').trim();

/**
 * @param log the build's combined output (progress=plain)
 * @param dockerfileInstructions instruction text by first line, to locate the failing step
 */
export function parseBuildFailure(log: string, dockerfileInstructions: { line: number; text: string }[] = [], tailLines = 15): BuildFailure {
  const lines = log.split(/\r?\n/);
  const headings = new Map<string, string>();
  let failedVertex: string | undefined;
  let error = '';
  for (const l of lines) {
    const h = /^#(\d+) (\[[^\]]+\] .*)$/.exec(l);
    if (h && !headings.has(h[1])) headings.set(h[1], h[2]);
    const e = /^#(\d+) ERROR: (.*)$/.exec(l);
    if (e) {
      failedVertex ??= e[1];
      error ||= e[2];
    }
  }
  const solve = lines.filter((l) => /^ERROR: /.test(l)).pop();
  if (!error && solve) error = solve.replace(/^ERROR: (failed to solve: )?/, '');
  if (!error) error = lines.filter((l) => l.trim()).pop() ?? 'the build failed';
  const step = failedVertex ? headings.get(failedVertex) : undefined;

  let line: number | undefined;
  const explicit = /Dockerfile:(\d+)/.exec(log);
  if (explicit) line = Number(explicit[1]);
  else if (step) {
    const instr = collapse(step.replace(/^\[[^\]]+\]\s*/, ''));
    const hit = dockerfileInstructions.find((i) => collapse(i.text) === instr) ??
      dockerfileInstructions.find((i) => instr.startsWith(collapse(i.text).slice(0, 40)));
    line = hit?.line;
  }
  const tail = lines.filter((l) => l.trim() !== '').slice(-tailLines);
  return { step, line, error: error.trim(), tail };
}

export function describeBuildFailure(f: BuildFailure, dockerfile: string): string {
  const where = f.step ? `at step ${f.step}${f.line ? ` (${dockerfile}:${f.line})` : ''}` : '';
  return [
    `The image build failed${where ? ' ' + where : ''}: ${f.error}`,
    'Fix the step (run the same docker buildx build locally to reproduce). Last lines of the build log:',
    ...f.tail.map((l) => '  ' + l)
  ].join('\n');
}
