import { describe, expect, test } from '@jest/globals';
import { describeBuildFailure, parseBuildFailure } from '../../src/build/failure.js';

// Recorded from buildx 0.13 (docker driver) with --progress plain.
const LOG = `#4 [1/4] FROM docker.io/image-audit/busybox
#4 CACHED

#5 [2/4] RUN echo one
#5 0.160 one
#5 DONE 0.2s

#6 [3/4] RUN echo about to fail && ls /nope   && echo never
#6 0.330 about to fail
#6 0.330 ls: /nope: No such file or directory
#6 ERROR: executor failed running [/bin/sh -c echo about to fail && ls /nope   && echo never]: exit code: 1
------
 > [3/4] RUN echo about to fail && ls /nope   && echo never:
------
ERROR: failed to solve: executor failed running [/bin/sh -c echo about to fail && ls /nope   && echo never]: exit code: 1`;

describe('parseBuildFailure', () => {
  test('finds the failing step, its Dockerfile line and the error', () => {
    const f = parseBuildFailure(LOG, [
      { line: 1, text: 'FROM image-audit/busybox' },
      { line: 2, text: 'RUN echo one' },
      { line: 3, text: 'RUN echo about to fail && ls /nope \\\n  && echo never' }
    ]);
    expect(f.step).toBe('[3/4] RUN echo about to fail && ls /nope   && echo never');
    expect(f.line).toBe(3);
    expect(f.error).toMatch(/exit code: 1$/);
    expect(f.tail.length).toBeLessThanOrEqual(15);
    const text = describeBuildFailure(f, 'Dockerfile');
    expect(text).toContain('Dockerfile:3');
    expect(text).toContain('ls: /nope: No such file or directory');
  });

  test('newer buildx prints Dockerfile:N itself', () => {
    expect(parseBuildFailure('#7 [2/2] RUN false\n#7 ERROR: process "/bin/sh -c false" did not complete\n Dockerfile:9\nERROR: failed').line).toBe(9);
  });

  test('a log with no step still yields a message', () => {
    const f = parseBuildFailure('ERROR: failed to solve: failed to read dockerfile: open x: no such file');
    expect(f.step).toBeUndefined();
    expect(f.error).toContain('failed to read dockerfile');
  });
});
