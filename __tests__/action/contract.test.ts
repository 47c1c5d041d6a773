// The action as the runner sees it: action.yml parsed by a YAML parser, its inputs and outputs against what the
// code reads and sets, and runs.main against dist/. Nothing here reads action.yml other than as YAML.
import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ACTION_INPUTS, readInputs } from '../../src/action/inputs.js';
import { repoRoot } from '../helpers/engine.js';
import { actionYmlPath, loadActionManifest, runnerInputEnv, type ActionManifest } from '../helpers/action-manifest.js';

const text = readFileSync(actionYmlPath, 'utf8');
// Parsed lazily inside the tests, so a YAML error fails the first test with the parser's message.
let cached: ActionManifest | undefined;
const manifest = () => (cached ??= loadActionManifest());

function sourceFiles(dir = path.join(repoRoot, 'src')): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}
const sources = sourceFiles().map((file) => ({ file: path.relative(repoRoot, file), code: readFileSync(file, 'utf8') }));

/** Every `fn(` call in src with its first argument's text and its line. */
// Matched over the whole file, so a call Prettier wraps over several lines is still seen. The host wrapper that
// only forwards (`getInput: (name) => host.getInput(name)`, tolerantHost's setOutput) is not a read or a set.
const FORWARDING = /^(getInput: \(name\) => host\.getInput\(name\),|setOutput\(name, value\) \{|host\.setOutput\(name, value\);)$/;
function calls(fn: string): { file: string; arg: string; line: string }[] {
  const re = new RegExp(`\\b${fn}\\(\\s*([^,)]*)`, 'g');
  return sources.flatMap(({ file, code }) =>
    [...code.matchAll(re)]
      .map((m) => {
        const start = code.lastIndexOf('\n', m.index) + 1;
        const end = code.indexOf('\n', m.index);
        return { file, arg: m[1].trim(), line: code.slice(start, end < 0 ? undefined : end).trim() };
      })
      .filter(({ line }) => !FORWARDING.test(line))
  );
}
const literal = (arg: string) => /^'([^']+)'$/.exec(arg)?.[1];

describe('action.yml loads as the runner loads it', () => {
  test('is valid YAML (yaml package, strict about duplicate keys, no warnings)', () => {
    expect(() => loadActionManifest()).not.toThrow();
  });

  // A second, independent parser: PyYAML, when this machine has it (the issue named both).
  const hasPyYaml = spawnSync('python3', ['-c', 'import yaml'], { stdio: 'ignore' }).status === 0;
  (hasPyYaml ? test : test.skip)('is valid YAML for PyYAML too, with the same content', () => {
    const py = spawnSync('python3', ['-c', 'import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin)))'], { input: text, encoding: 'utf8' });
    expect(py.stderr).toBe('');
    expect(JSON.parse(py.stdout)).toEqual(manifest());
  });

  test('has only the keys the runner knows, a name, a branding and a description of at most 125 characters', () => {
    const m = manifest();
    expect(Object.keys(m).filter((k) => !['name', 'author', 'description', 'inputs', 'outputs', 'runs', 'branding'].includes(k))).toEqual([]);
    expect(typeof m.name).toBe('string');
    expect(String(m.name).trim()).not.toBe('');
    expect(typeof m.description).toBe('string');
    expect(String(m.description).length).toBeLessThanOrEqual(125);
    expect(typeof m.branding?.icon).toBe('string');
    expect(['white', 'black', 'yellow', 'blue', 'green', 'orange', 'red', 'purple', 'gray-dark']).toContain(m.branding?.color);
  });

  test('runs on node24 from a dist/ file that exists', () => {
    const runs = manifest().runs;
    expect(runs?.using).toBe('node24');
    expect(typeof runs?.main).toBe('string');
    const main = String(runs?.main);
    expect(main.startsWith('dist/')).toBe(true);
    expect(existsSync(path.join(repoRoot, main))).toBe(true);
  });

  test('every input has a string description, a boolean `required` and a string default when it has one', () => {
    for (const [name, input] of Object.entries(manifest().inputs ?? {})) {
      expect({ name, description: typeof input?.description }).toEqual({ name, description: 'string' });
      if (input.required !== undefined) expect({ name, required: typeof input.required }).toEqual({ name, required: 'boolean' });
      if (input.default !== undefined) expect({ name, default: typeof input.default }).toEqual({ name, default: 'string' });
    }
    for (const [name, output] of Object.entries(manifest().outputs ?? {})) {
      expect({ name, description: typeof output?.description }).toEqual({ name, description: 'string' });
    }
  });
});

describe('inputs: what action.yml declares is what the code reads', () => {
  const declared = () => Object.keys(manifest().inputs ?? {}).sort();

  test('ACTION_INPUTS (the names readInputs may read) are exactly the declared inputs', () => {
    expect([...ACTION_INPUTS].sort()).toEqual(declared());
  });

  test('readInputs reads every declared input, and nothing else', () => {
    const read = new Set<string>();
    readInputs((name) => (read.add(name), ''));
    expect([...read].sort()).toEqual(declared());
  });

  test('no code reads an input other than through readInputs (no stray getInput, no INPUT_* variable)', () => {
    const stray = calls('getInput')
      .filter(({ file, arg, line }) => {
        if (file === 'src/action/host.ts') return arg !== 'name: string' && arg !== 'name'; // the host's own definition
        if (file === 'src/action/inputs.ts') return !(literal(arg) ?? ['name'].includes(arg)); // literals, or the typed list loops
        return !/\breadInputs\(/.test(line); // the host's getInput handed to readInputs
      })
      .map(({ file, line }) => ({ file, line }));
    expect(stray).toEqual([]);
    for (const { file, arg } of calls('getInput')) {
      const name = literal(arg);
      if (name) expect({ file, name, declared: declared().includes(name) }).toEqual({ file, name, declared: true });
    }
    expect(sources.filter(({ code }) => /\bINPUT_[A-Z]/.test(code)).map((s) => s.file)).toEqual([]);
  });

  test("the code's fallbacks for empty inputs equal action.yml's defaults", () => {
    const env = runnerInputEnv({}, { 'github.token': 'the-token' });
    const withDefaults = readInputs((name) => env[`INPUT_${name.toUpperCase()}`] ?? '');
    const empty = readInputs(() => '');
    expect({ ...withDefaults, githubToken: undefined }).toEqual({ ...empty, githubToken: undefined });
    expect(withDefaults.githubToken).toBe('the-token');
  });
});

describe('outputs: what action.yml declares is what the code sets', () => {
  const setters = () => calls('setOutput').filter(({ file }) => file.startsWith('src/action/') && file !== 'src/action/host.ts');

  test('every setOutput names its output with a literal (so this test sees every output)', () => {
    expect(
      setters()
        .filter(({ arg }) => !literal(arg))
        .map(({ file, line }) => ({ file, line }))
    ).toEqual([]);
    expect(calls('setOutput').filter(({ file }) => !file.startsWith('src/action/'))).toEqual([]);
  });

  test('every output set is declared, and every declared output is set somewhere', () => {
    const set = [...new Set(setters().map(({ arg }) => literal(arg)!))].sort();
    expect(set).toEqual(Object.keys(manifest().outputs ?? {}).sort());
  });
});
