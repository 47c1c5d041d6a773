// buildModel memoises dockerfile-ast's argument tokeniser (src/lint/model.ts). That is only sound while no getter
// changes what it was given: here every getter the rules use runs twice, in two orders, on every corpus file, and
// the answers must equal a fresh parse's and dockerfile-ast's own, unmemoised tokeniser.
import { describe, expect, it } from '@jest/globals';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { readdirSync, readFileSync } from 'node:fs';
import { tokeniseArguments } from '../../src/lint/model.js';
import { fixture } from '../helpers/engine.js';

type AnyInstruction = Instruction & Record<string, unknown>;
const GETTERS = [
  'getArguments',
  'getArgumentsContent',
  'getArgumentsRange',
  'getArgumentsRanges',
  'getRawArgumentsContent',
  'getFlags',
  'getProperties',
  'getImage',
  'getImageName',
  'getImageTag',
  'getImageDigest',
  'getRegistry',
  'getBuildStage',
  'getJSONStrings',
  'getExpandedArguments',
  'toString'
];

/** Plain data of a getter's answer: values and ranges, whatever the objects are. */
function plain(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(plain);
  const out: Record<string, unknown> = {};
  for (const name of ['getName', 'getValue', 'getRange', 'getNameRange', 'getValueRange']) {
    const fn = (value as Record<string, unknown>)[name];
    if (typeof fn === 'function') out[name] = plain((fn as () => unknown).call(value));
  }
  return Object.keys(out).length > 0 ? out : JSON.parse(JSON.stringify(value));
}

function answers(instr: AnyInstruction, order: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of order) {
    const fn = instr[name];
    if (typeof fn === 'function') out[name] = plain((fn as () => unknown).call(instr));
  }
  return out;
}

const dir = fixture('lint', 'corpus');
const files = readdirSync(dir).filter((f) => f.endsWith('.Dockerfile'));

describe('memoised dockerfile-ast arguments', () => {
  it.each(files)('%s: every getter answers as a fresh parse does, in any order', (name) => {
    const text = readFileSync(`${dir}/${name}`, 'utf8');
    const a = DockerfileParser.parse(text).getInstructions() as AnyInstruction[];
    const b = DockerfileParser.parse(text).getInstructions() as AnyInstruction[];
    expect(a.length).toBeGreaterThan(0);
    const reversed = [...GETTERS].reverse();
    for (let i = 0; i < a.length; i++) {
      const first = answers(a[i], GETTERS);
      expect(answers(a[i], reversed)).toEqual(first);
      expect(answers(a[i], GETTERS)).toEqual(first);
      expect(answers(b[i], reversed)).toEqual(first);
      expect(plain((a[i] as unknown as { getRawArguments(): unknown[] }).getRawArguments())).toEqual(plain(tokeniseArguments.call(a[i])));
    }
  });
});
