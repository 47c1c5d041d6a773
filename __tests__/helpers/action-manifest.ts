// action.yml as the runner reads it: parsed by a YAML parser (the `yaml` package, strict: duplicate keys and
// any parse error or warning fail), with the input → INPUT_* mapping the runner applies.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { repoRoot } from './engine.js';

export interface ManifestInput {
  description?: unknown;
  required?: unknown;
  default?: unknown;
  deprecationMessage?: unknown;
}

export interface ActionManifest {
  name?: unknown;
  author?: unknown;
  description?: unknown;
  branding?: { icon?: unknown; color?: unknown };
  inputs?: Record<string, ManifestInput>;
  outputs?: Record<string, { description?: unknown }>;
  runs?: { using?: unknown; main?: unknown; pre?: unknown; post?: unknown };
}

export const actionYmlPath = path.join(repoRoot, 'action.yml');

/** Parses action.yml text; throws with every YAML error and warning (the runner refuses a file with errors). */
export function parseActionManifest(text: string): ActionManifest {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  const problems = [...doc.errors, ...doc.warnings].map((e) => e.message);
  if (problems.length) throw new Error(`action.yml is not valid YAML:\n${problems.join('\n')}`);
  const value = doc.toJS() as unknown;
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('action.yml is not a mapping');
  return value as ActionManifest;
}

export const loadActionManifest = (file = actionYmlPath): ActionManifest => parseActionManifest(readFileSync(file, 'utf8'));

/** The runner's variable name for an input: `INPUT_` + name upper-cased, spaces → `_`, hyphens kept. */
export const inputVariable = (name: string): string => `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;

/**
 * The INPUT_* variables the runner sets for a step: every declared input with a default gets that default
 * (expressions evaluated from `expressions`, e.g. `github.token`), then the step's `with:` values win.
 */
export function runnerInputEnv(
  withValues: Record<string, string>,
  expressions: Record<string, string> = {},
  manifest = loadActionManifest()
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, input] of Object.entries(manifest.inputs ?? {})) {
    if (input?.default === undefined || input.default === null) continue;
    const text = String(input.default).replace(/\$\{\{\s*([\w.-]+)\s*\}\}/g, (_, expr: string) => {
      if (!(expr in expressions)) throw new Error(`action.yml default of ${name} uses \${{ ${expr} }}: give its value`);
      return expressions[expr];
    });
    env[inputVariable(name)] = text;
  }
  for (const [name, value] of Object.entries(withValues)) env[inputVariable(name)] = value;
  return env;
}
