import { describe, expect, test } from '@jest/globals';
import { commandHelp, FLAGS, parseCommand } from '../../src/cli/args.js';
import { useColor } from '../../src/cli/run.js';
import { UserError } from '../../src/util/errors.js';

describe('parseCommand', () => {
  test('audit flags', () => {
    const c = parseCommand([
      'audit',
      '--file',
      'F',
      '--context',
      'D',
      '--target',
      'T',
      '--build-arg',
      'A=1',
      '--build-arg',
      'B=2',
      '--format',
      'json',
      '--max-size',
      '200MB',
      '--fail-on',
      'warning',
      '--secret',
      'id=npm,env=NPM_TOKEN'
    ]);
    expect(c).toMatchObject({
      command: 'audit',
      file: 'F',
      context: 'D',
      target: 'T',
      buildArgs: ['A=1', 'B=2'],
      format: 'json',
      thresholds: { 'max-size': '200MB', 'fail-on': 'warning' },
      secrets: ['id=npm,env=NPM_TOKEN']
    });
  });

  test('baseline flags, --all-waste and colour', () => {
    expect(parseCommand(['audit', '--image', 'a', '--baseline-image', 'b'])).toMatchObject({ baselineImage: 'b' });
    expect(parseCommand(['audit', '--baseline-build', 'main'])).toMatchObject({ baselineBuild: 'main' });
    expect(parseCommand(['audit', '--baseline-report', 'r.json', '--all-waste', '--no-color'])).toMatchObject({
      baselineReport: 'r.json',
      allWaste: true,
      color: false
    });
    expect(() => parseCommand(['audit', '--baseline-report', 'r.json', '--baseline-image', 'x'])).toThrow('both name a baseline');
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

  test.each([
    ['--fail-onn', 'fail-on'],
    ['--baseline-img', 'baseline-image'],
    ['--max-wastd', 'max-wasted'],
    ['--formt', 'format'],
    ['--outptu', 'output']
  ])('did-you-mean: %s → --%s', (flag, hint) => {
    expect(() => parseCommand(['audit', flag, 'x'])).toThrow(`Did you mean --${hint}?`);
  });

  test('a far-off flag gets no guess', () => {
    expect(() => parseCommand(['audit', '--zzzzzzzzzz'])).toThrow(/Unknown option '--zzzzzzzzzz' for image-audit audit\.\n/);
  });

  test('help and version; <command> --help is help for that command', () => {
    expect(parseCommand([])).toEqual({ command: 'help' });
    expect(parseCommand(['--version'])).toEqual({ command: 'version' });
    expect(parseCommand(['audit', '--help'])).toEqual({ command: 'help', topic: 'audit' });
    expect(parseCommand(['lint', '-h'])).toEqual({ command: 'help', topic: 'lint' });
    expect(parseCommand(['audit', '--nope', '--help'])).toEqual({ command: 'help', topic: 'audit' });
    expect(parseCommand(['help', 'lint'])).toEqual({ command: 'help', topic: 'lint' });
  });

  test('command help lists every flag of the table for that command', () => {
    for (const cmd of ['audit', 'lint'] as const) {
      const help = commandHelp(cmd);
      for (const f of FLAGS.filter((f) => f.commands.includes(cmd))) expect(help).toContain(`--${f.name}`);
    }
    expect(commandHelp('lint')).not.toContain('--baseline-image');
  });
});

describe('colour', () => {
  test('TTY decides unless NO_COLOR or --color/--no-color', () => {
    expect(useColor(undefined, { env: {}, stdoutIsTTY: true })).toBe(true);
    expect(useColor(undefined, { env: {}, stdoutIsTTY: false })).toBe(false);
    expect(useColor(undefined, { env: { NO_COLOR: '1' }, stdoutIsTTY: true })).toBe(false);
    expect(useColor(true, { env: { NO_COLOR: '1' }, stdoutIsTTY: false })).toBe(true);
    expect(useColor(false, { env: {}, stdoutIsTTY: true })).toBe(false);
  });
});
