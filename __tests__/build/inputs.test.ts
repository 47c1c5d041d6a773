import { describe, expect, test } from '@jest/globals';
import { buildxArgs, parseBuildInputs, splitLines } from '../../src/build/inputs.js';
import { UserError } from '../../src/util/errors.js';

const files = { iidFile: '/tmp/x/iid', metadataFile: '/tmp/x/meta.json', secretFiles: { npm: '/tmp/x/secret-0' } };

describe('parseBuildInputs', () => {
  test('defaults follow build-push-action: context . and <context>/Dockerfile', () => {
    const i = parseBuildInputs({});
    expect(i.context).toBe('.');
    expect(i.file).toBe('Dockerfile');
    expect(parseBuildInputs({ context: 'app' }).file).toBe('app/Dockerfile');
    expect(i.noCache).toBe(false);
    expect(i.buildArgs).toEqual([]);
  });

  test('multi-line inputs split per line; tags also by comma', () => {
    const i = parseBuildInputs({ 'build-args': 'A=1\n\n  B=two words \n', tags: 'a:1,b:2\nc:3', 'cache-from': 'type=gha,scope=x\ntype=local,src=/c' });
    expect(i.buildArgs).toEqual(['A=1', 'B=two words']);
    expect(i.tags).toEqual(['a:1', 'b:2', 'c:3']);
    expect(i.cacheFrom).toEqual(['type=gha,scope=x', 'type=local,src=/c']);
  });

  test('secrets are id=value, quotes stripped, values never in errors', () => {
    const i = parseBuildInputs({ secrets: 'npm="s3cr3t=x"\ngh=abc' });
    expect(i.secrets).toEqual([{ id: 'npm', value: 's3cr3t=x' }, { id: 'gh', value: 'abc' }]);
    try {
      parseBuildInputs({ secrets: 'no-equals-sign-hunter2' });
      throw new Error('should have thrown');
    } catch (e) {
      expect(e).toBeInstanceOf(UserError);
      expect((e as Error).message).not.toContain('hunter2');
      expect((e as Error).message).toContain('secrets');
    }
  });

  test('several platforms are refused with a pointer to a matrix', () => {
    expect(() => parseBuildInputs({ platform: 'linux/amd64,linux/arm64' })).toThrow(/one platform.*matrix/s);
    expect(() => parseBuildInputs({ platform: 'amd64' })).toThrow(UserError);
    expect(parseBuildInputs({ platform: 'linux/arm64/v8' }).platform).toBe('linux/arm64/v8');
  });

  test('bad build-args and booleans name the input', () => {
    expect(() => parseBuildInputs({ 'build-args': 'NOEQUALS' })).toThrow(/build-args/);
    expect(() => parseBuildInputs({ 'no-cache': 'maybe' })).toThrow(/no-cache/);
    expect(parseBuildInputs({ 'no-cache': 'TRUE' }).noCache).toBe(true);
  });

  test('splitLines handles CRLF', () => expect(splitLines('a\r\nb\r\n')).toEqual(['a', 'b']));
});

describe('buildxArgs', () => {
  test('every input maps to its flag, as an argument array', () => {
    const inputs = parseBuildInputs({
      context: 'ctx', file: 'ctx/Dockerfile.prod', target: 'runtime', 'build-args': 'A=1\nB=$(rm -rf /)',
      secrets: 'npm=tok', builder: 'b1', 'cache-from': 'type=local,src=/c', 'cache-to': 'type=local,dest=/c',
      'no-cache': 'true', platform: 'linux/amd64', tags: 'app:1'
    });
    expect(buildxArgs(inputs, files)).toEqual([
      'buildx', 'build', '--builder', 'b1', '--file', 'ctx/Dockerfile.prod', '--target', 'runtime',
      '--build-arg', 'A=1', '--build-arg', 'B=$(rm -rf /)', '--secret', 'id=npm,src=/tmp/x/secret-0',
      '--cache-from', 'type=local,src=/c', '--cache-to', 'type=local,dest=/c', '--no-cache',
      '--platform', 'linux/amd64', '--tag', 'app:1',
      '--load', '--iidfile', '/tmp/x/iid', '--metadata-file', '/tmp/x/meta.json', '--progress', 'plain', 'ctx'
    ]);
  });

  test('a context that looks like a flag is made a path', () => {
    const args = buildxArgs(parseBuildInputs({ context: '-weird' }), files);
    expect(args[args.length - 1]).toBe('./-weird');
  });

  test('the secret value itself never appears in the arguments', () => {
    const args = buildxArgs(parseBuildInputs({ secrets: 'npm=super-secret-value' }), files);
    expect(args.join(' ')).not.toContain('super-secret-value');
  });
});
