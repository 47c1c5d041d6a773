// The one boolean parser for action inputs, the config file and CLI flags.
//
// It accepts what @actions/core's getBooleanInput accepts (the YAML 1.2 core schema: true | True | TRUE |
// false | False | FALSE) and, for compatibility with workflows written before this parser, the YAML 1.1 words
// that `lint:` and `comment:` used to take (yes/no, on/off, 1/0, in the same three casings). Rejecting them now
// would break a workflow that worked yesterday; accepting them is unambiguous.
import { UserError } from './errors.js';

const casings = (word: string): string[] => [word, word[0].toUpperCase() + word.slice(1), word.toUpperCase()];

/** YAML 1.2 core schema booleans, exactly as core.getBooleanInput takes them. */
export const YAML_CORE_TRUE = casings('true');
export const YAML_CORE_FALSE = casings('false');
/** Kept for compatibility (documented in the README, "Booleans"). */
const COMPAT_TRUE = [...casings('yes'), ...casings('on'), '1'];
const COMPAT_FALSE = [...casings('no'), ...casings('off'), '0'];

const TRUE = new Set([...YAML_CORE_TRUE, ...COMPAT_TRUE]);
const FALSE = new Set([...YAML_CORE_FALSE, ...COMPAT_FALSE]);

/** The boolean a text spells, or undefined when it spells none. Surrounding spaces are ignored. */
export function booleanFromText(text: string): boolean | undefined {
  const v = text.trim();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  return undefined;
}

/**
 * Parses a boolean setting. `where` names it in the error (`Input lint`, `--fail-on-secrets`,
 * `.image-audit.yml: thresholds.fail-on-secrets`). An empty text means "not given" → `fallback`.
 */
export function parseBoolean(where: string, value: string | boolean | undefined, fallback: boolean): boolean {
  if (typeof value === 'boolean') return value;
  if (value === undefined || value.trim() === '') return fallback;
  const b = booleanFromText(value);
  if (b === undefined) {
    throw new UserError(`${where}: '${value}' is not true or false.`, 'Use true or false (True/TRUE/False/FALSE, yes/no and on/off are accepted too).');
  }
  return b;
}
