import { describe, expect, test } from '@jest/globals';
import { parseCommand } from '../../src/cli/args.js';
import { UserError } from '../../src/util/errors.js';

describe('parseCommand', () => {
  test('audit flags', () => {
    const c = parseCommand(['audit', '--file', 'F', '--context', 'D', '--target', 'T', '--build-arg', 'A=1', '--build-arg', 'B=2',
      '--format', 'json', '--max-size', '200MB', '--fail-on-lint', 'warning', '--secret', 'id=npm,env=NPM_TOKEN']);
    expect(c).toMatchObject({
      command: 'audit', file: 'F', context: 'D', target: 'T', buildArgs: ['A=1', 'B=2'], format: 'json',
      thresholds: { 'max-size': '200MB', 'fail-on-lint': 'warning' }, secrets: ['id=npm,env=NPM_TOKEN']
    });
  });

  test('--image alone', () => expect(parseCommand(['audit', '--image', 'app:1'])).toMatchObject({ command: 'audit', image: 'app:1', format: 'text' }));

  test('lint takes the Dockerfile as a positional', () => {
    expect(parseCommand(['lint', 'Dockerfile', '--format', 'sarif'])).toMatchObject({ command: 'lint', dockerfile: 'Dockerfile', format: 'sarif' });
  });

  test.each([
    [['audit', '--nope'], /Unknown option '--nope'/],
    [['audit', '--format', 'xml'], /--format xml is not supported/],
    [['audit', 'stray'], /Unexpected argument 'stray'/],
    [['lint'], /lint needs a Dockerfile/],
    [['lint', 'Dockerfile', '--format', 'markdown'], /not supported/],
    [['frobnicate'], /Unknown command 'frobnicate'/]
  ])('%j is a usage error', (argv, message) => {
    expect(() => parseCommand(argv as string[])).toThrow(UserError);
    expect(() => parseCommand(argv as string[])).toThrow(message);
  });

  test('help and version', () => {
    expect(parseCommand([])).toEqual({ command: 'help' });
    expect(parseCommand(['--version'])).toEqual({ command: 'version' });
  });
});
