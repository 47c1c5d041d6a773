// The cancellation registry and the command runner's process-group kill, on real processes.
import { describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { Cancellation, cancelMessage } from '../../src/util/cancel.js';
import { nodeCommandRunner } from '../../src/util/node-runtime.js';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return !/\bZ/.test(execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }));
  } catch {
    return false;
  }
};

describe('Cancellation', () => {
  test('cleanups run once, newest first, whether the step or the cancel runs them', async () => {
    const c = new Cancellation();
    const order: string[] = [];
    const a = c.defer('a', () => void order.push('a'));
    c.defer('b', () => void order.push('b'));
    const d = c.defer('c', () => void order.push('c'));
    await d(); // the step finished on its own
    const result = await c.cancel('SIGTERM');
    await a();
    expect(order).toEqual(['c', 'b', 'a']);
    expect(result).toEqual({ done: ['b', 'a'], failed: [] });
    expect(c.cancelled).toBe(true);
    expect(() => c.throwIfCancelled()).toThrow(/cancelled \(SIGTERM\)/);
    expect(await c.cancel('SIGINT')).toBe(result); // idempotent
  });

  test('cancel waits for a cleanup a step already started, and gives up on a stuck one at the deadline', async () => {
    const c = new Cancellation();
    let removed = false;
    const slow = c.defer('slow', () => new Promise<void>((r) => setTimeout(() => ((removed = true), r()), 100)));
    c.defer('stuck', () => new Promise<void>(() => {}));
    void slow();
    const result = await c.cancel('SIGTERM', 300);
    expect(removed).toBe(true);
    expect(result).toEqual({ done: ['slow'], failed: ['stuck'] });
  });

  test('the message names the signal, the outermost phase and what was cleaned up', () => {
    const c = new Cancellation();
    const end = c.enter('the baseline build');
    c.enter('the build');
    expect(c.phase).toBe('the baseline build');
    end();
    expect(c.phase).toBe('the build');
    expect(cancelMessage('SIGTERM', 'the build', { done: ['removed the build secrets'], failed: [] })).toBe(
      'image-audit was cancelled (SIGTERM) during the build. Cleaned up: removed the build secrets.'
    );
  });
});

describe('nodeCommandRunner with a cancellation', () => {
  test('cancelling kills the whole process group (children included) and rejects with CancelledError', async () => {
    const c = new Cancellation();
    // A parent that starts a child of its own, like docker starting its buildx plugin.
    const run = nodeCommandRunner.run('sh', ['-c', 'sleep 30 & echo $!; wait'], {
      cancel: c,
      onStdout: () => {}
    });
    let grandchild = 0;
    for (let i = 0; i < 50 && !grandchild; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const lines = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
        .split('\n')
        .filter((l) => /\bsleep 30$/.test(l.trim()));
      grandchild = lines.map((l) => Number(l.trim().split(/\s+/)[0])).find((p) => p > 0) ?? 0;
    }
    expect(grandchild).toBeGreaterThan(0);
    const result = await c.cancel('SIGTERM');
    expect(result.done).toEqual(['stopped sh -c sleep 30 & echo $!; wait']);
    await expect(run).rejects.toMatchObject({ name: 'CancelledError' });
    expect(alive(grandchild)).toBe(false);
  });

  test('an already cancelled run starts nothing', async () => {
    const c = new Cancellation();
    await c.cancel('SIGINT');
    await expect(nodeCommandRunner.run('true', [], { cancel: c })).rejects.toMatchObject({ name: 'CancelledError' });
  });

  test('without cancellation nothing changes: exit code and output as before', async () => {
    const c = new Cancellation();
    const r = await nodeCommandRunner.run('sh', ['-c', 'echo out; echo err >&2; exit 3'], { cancel: c });
    expect(r).toEqual({ exitCode: 3, stdout: 'out\n', stderr: 'err\n' });
    expect((await c.cancel('SIGTERM')).done).toEqual([]); // its stop was released when it ended
  });
});
