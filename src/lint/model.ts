// The Dockerfile as the rules see it: stages (with which ones ship), and steps with their parsed RUN scripts,
// COPY sources and mounts. Built once per lint from dockerfile-ast; rules never touch the AST for anything
// this model already answers.
import { Argument, DockerfileParser, Instruction, type Flag, type From } from 'dockerfile-ast';
import { parseImageRef, type ImageRef } from './images.js';
import { parseShell, type ShellCommand } from './shell.js';
import { UserError } from '../util/errors.js';

export interface AstRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

export interface Mount {
  type: string;
  target?: string;
  id?: string;
}

export interface RunInfo {
  /** The shell script the RUN executes (heredoc bodies for `RUN <<EOF`, `sh -c` text for exec form). */
  script: string;
  commands: ShellCommand[];
  mounts: Mount[];
  /** Other flags (`--network`, `--security`) that change what the RUN can do. */
  otherFlags: string[];
}

export interface CopyInfo {
  sources: string[];
  dest?: string;
  /** `--from` stage or image (COPY only). */
  from?: string;
  /** `COPY <<EOF file` writes inline content, no context files. */
  heredoc: boolean;
  /** `COPY . .`, `ADD . /app`: the whole build context. */
  wholeContext: boolean;
}

export interface Step {
  instruction: Instruction;
  /** Upper-case keyword (`RUN`). */
  keyword: string;
  /** Undefined for ARGs before the first FROM. */
  stage?: Stage;
  /** 1-based lines; columns 1-based with endColumn one past the last character (as SARIF). */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** Keyword, flags and arguments on one line, whitespace collapsed: what the fingerprint hashes. */
  text: string;
  flags: Flag[];
  /** Arguments after the flags, continuation lines joined (dockerfile-ast recomputes this on every call). */
  args: string;
  /** ENV/ARG name=value pairs. */
  properties?: { name: string; value: string | null; range: AstRange }[];
  run?: RunInfo;
  copy?: CopyInfo;
}

export interface Stage {
  index: number;
  /** `AS name`, lower-cased as BuildKit does. */
  name?: string;
  /** Name, or the index as text: what messages show. */
  label: string;
  fromStep: Step;
  /** The FROM argument after global ARG substitution. */
  baseText: string;
  /** Set when the stage is built FROM an earlier stage. */
  parent?: Stage;
  /** Set when the stage is built FROM an image (not another stage). */
  baseImage?: ImageRef;
  steps: Step[];
  /** True for the final stage (or `target`) and every stage it is built FROM, transitively. */
  shipped: boolean;
}

export interface DockerfileModel {
  /** The path as the caller gave it (findings use it as `file`). */
  file: string;
  source: string;
  stages: Stage[];
  /** ARG instructions before the first FROM. */
  globalSteps: Step[];
  /** Every step in file order. */
  steps: Step[];
  /** The stage the build produces. */
  finalStage?: Stage;
  escapeChar: string;
  hasSyntaxDirective: boolean;
  /** Offset of each line's first character (index 0 = line 1). */
  lineStarts: number[];
  /** Comment lines (1-based) with their text, for inline ignores. */
  comments: { line: number; text: string }[];
}

const WHITESPACE = /\s+/g;
const KNOWN_DIRECTIVES = new Set(['syntax', 'escape', 'check']);

/** `RUN apt-get install -y gcc` on one line: keyword, flags and arguments, whitespace collapsed. */
export function normaliseInstruction(instr: Instruction): string {
  return normalisedText(instr.getKeyword(), flagsOf(instr), instr.getArgumentsContent() ?? '');
}

const normalisedText = (keyword: string, flags: Flag[], args: string): string =>
  [keyword.toUpperCase(), ...flags.map((f) => f.toString()), args].join(' ').replace(WHITESPACE, ' ').trim();

function flagsOf(instr: Instruction): Flag[] {
  return 'getFlags' in instr && typeof instr.getFlags === 'function' ? (instr.getFlags() as Flag[]) : [];
}

function parseMount(value: string | null): Mount {
  const mount: Mount = { type: 'bind' };
  for (const part of (value ?? '').split(',')) {
    const eq = part.indexOf('=');
    const key = (eq === -1 ? part : part.slice(0, eq)).trim().toLowerCase();
    const val = eq === -1 ? '' : part.slice(eq + 1).trim();
    if (key === 'type') mount.type = val.toLowerCase();
    else if (key === 'target' || key === 'dst' || key === 'destination') mount.target = val;
    else if (key === 'id') mount.id = val;
  }
  return mount;
}

const HEREDOC_MARKER = /<<-?\s*(["']?)([A-Za-z_][A-Za-z0-9_]*)\1/g;
const SHELLS = new Set(['', 'sh', 'bash', 'ash', 'dash', 'zsh', '/bin/sh', '/bin/bash', '/bin/ash', '/usr/bin/env bash', 'set -e', 'set -ex', 'set -eux']);

function runInfo(instr: Instruction, flags: Flag[], content: string): RunInfo {
  const mounts = flags.filter((f) => f.getName().toLowerCase() === 'mount').map((f) => parseMount(f.getValue()));
  const otherFlags = flags.filter((f) => f.getName().toLowerCase() !== 'mount').map((f) => f.toString());
  let script = content;
  const trimmed = content.trim();
  if (trimmed.startsWith('[')) {
    // Exec form. dockerfile-ast's JSON strings drop spaces inside values, so parse the JSON ourselves.
    try {
      const argv: unknown = JSON.parse(trimmed);
      if (Array.isArray(argv) && argv.every((a) => typeof a === 'string')) {
        const words = argv as string[];
        const shellC = /(^|\/)(ba|da|a|z)?sh$/.test(words[0] ?? '') && words[1] === '-c';
        script = shellC ? (words[2] ?? '') : words.map((w) => (/[\s'"]/.test(w) ? `'${w.replace(/'/g, `'\\''`)}'` : w)).join(' ');
      }
    } catch {
      // Not valid JSON: Docker runs it as a shell command, so do we.
    }
  } else if (content.includes('<<')) {
    // Run exposes getHeredocs(); the base Instruction type keeps it protected.
    const heredocs = (instr as unknown as { getHeredocs(): { getContentRange(): { start: { line: number }; end: { line: number } } | null }[] }).getHeredocs();
    if (heredocs.length > 0) {
      const firstLine = content.split('\n', 1)[0];
      const command = firstLine.replace(HEREDOC_MARKER, '').trim();
      const lines = content.split('\n');
      // The heredoc body is the script when it is fed to a shell; `RUN python3 <<EOF` runs python, not sh.
      if (SHELLS.has(command) || /^(ba|da|a)?sh(\s|$)/.test(command)) {
        const startLine = instr.getRange().start.line;
        const bodies = heredocs
          .map((h) => h.getContentRange())
          .filter((r): r is NonNullable<typeof r> => r !== null)
          .map((r) => lines.slice(r.start.line - startLine, r.end.line - startLine + 1).join('\n'));
        script = [command, ...bodies].join('\n');
      } else {
        script = command;
      }
    }
  }
  return { script, commands: parseShell(script), mounts, otherFlags };
}

function splitCopyArgs(rawContent: string): { args: string[]; heredoc: boolean } {
  const content = rawContent.trim();
  if (content.startsWith('[')) {
    try {
      const argv: unknown = JSON.parse(content);
      if (Array.isArray(argv) && argv.every((a) => typeof a === 'string')) return { args: argv as string[], heredoc: false };
    } catch {
      // fall through to word splitting
    }
  }
  const heredoc = /^<<|\s<</.test(content.split('\n', 1)[0]);
  const firstLine = heredoc ? content.split('\n', 1)[0] : content;
  return { args: firstLine.split(WHITESPACE).filter(Boolean), heredoc };
}

function copyInfo(flags: Flag[], content: string): CopyInfo {
  const { args, heredoc } = splitCopyArgs(content);
  const from = flags.find((f) => f.getName().toLowerCase() === 'from')?.getValue() ?? undefined;
  const sources = heredoc ? [] : args.slice(0, -1);
  const dest = args.length > 0 ? args[args.length - 1] : undefined;
  const wholeContext = !from && !heredoc && sources.some((s) => /^(\.|\.\/|\.\/\.|\/)$/.test(s) || s === './*' || s === '*');
  return { sources, dest, from, heredoc, wholeContext };
}

/** Substitutes `$VAR`, `${VAR}`, `${VAR:-default}` with global ARG defaults. Unknown variables stay. */
function substitute(text: string, vars: Map<string, string>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-+]([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, braced, fallback, bare) => {
    const name = (braced ?? bare) as string;
    const value = vars.get(name);
    if (value !== undefined && value !== '') return value;
    if (fallback !== undefined && /:-|-/.test(whole)) return fallback as string;
    return whole;
  });
}

function makeStep(instr: Instruction, stage: Stage | undefined): Step {
  const range = instr.getRange();
  const keyword = instr.getKeyword().toUpperCase();
  const flags = flagsOf(instr);
  const args = instr.getArgumentsContent() ?? '';
  const step: Step = {
    instruction: instr,
    keyword,
    stage,
    line: range.start.line + 1,
    column: range.start.character + 1,
    endLine: range.end.line + 1,
    endColumn: range.end.character + 1,
    text: normalisedText(keyword, flags, args),
    flags,
    args
  };
  if (keyword === 'RUN') step.run = runInfo(instr, flags, args);
  else if (keyword === 'COPY' || keyword === 'ADD') step.copy = copyInfo(flags, args);
  else if (keyword === 'ENV' || keyword === 'ARG') {
    step.properties = (instr as unknown as { getProperties(): { getName(): string; getValue(): string | null; getRange(): AstRange }[] })
      .getProperties()
      .map((p) => ({ name: p.getName(), value: p.getValue(), range: p.getRange() }));
  }
  return step;
}

// Instructions BuildKit's Dockerfile frontend knows; anything else is a parse error there ("unknown instruction").
const INSTRUCTIONS = new Set([
  'ADD',
  'ARG',
  'CMD',
  'COPY',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'FROM',
  'HEALTHCHECK',
  'LABEL',
  'MAINTAINER',
  'ONBUILD',
  'RUN',
  'SHELL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR'
]);

/**
 * A file BuildKit cannot build (empty, binary, no FROM, an instruction before the first FROM other than ARG, an
 * unknown instruction) is a UserError: linting it would report PASS for something that never builds.
 */
function assertBuildable(file: string, source: string, instructions: Instruction[]): void {
  const cannot = (why: string, fix: string) => new UserError(`${file} is not a Dockerfile BuildKit can build: ${why}. ${fix}`);
  // NUL bytes or undecodable bytes (read as U+FFFD) mean binary content, not a text Dockerfile.
  const replacement = source.match(/\uFFFD/g)?.length ?? 0;
  if (source.includes('\u0000') || (replacement > 0 && replacement * 20 > source.length)) {
    throw cannot('it is binary data, not text', 'Point `dockerfile` (flag --file) at the Dockerfile, not at a build output or archive.');
  }
  if (instructions.length === 0) {
    throw cannot('it is empty (no instructions)', 'A Dockerfile needs at least a `FROM <image>` line; check the path given as `dockerfile` (flag --file).');
  }
  const unknown = instructions.find((i) => !INSTRUCTIONS.has(i.getKeyword().toUpperCase()));
  if (unknown) {
    const word = unknown
      .getKeyword()
      .slice(0, 40)
      .replace(/[^\x20-\x7e]/g, '?');
    throw cannot(
      `line ${unknown.getRange().start.line + 1} starts with \`${word}\`, which is not a Dockerfile instruction`,
      'Fix that line, or check that the path given as `dockerfile` (flag --file) is a Dockerfile.'
    );
  }
  const first = instructions.find((i) => i.getKeyword().toUpperCase() !== 'ARG');
  if (!first) throw cannot('it has no FROM instruction', 'Start the build stage with `FROM <image>`.');
  if (first.getKeyword().toUpperCase() !== 'FROM') {
    throw cannot(
      `line ${first.getRange().start.line + 1} (${first.getKeyword().toUpperCase()}) comes before the first FROM`,
      'Only ARG may come before the first `FROM <image>`.'
    );
  }
}

// Every dockerfile-ast getter (and each instruction's constructor, several times) tokenises the arguments afresh
// through getRawArguments(): a third of the lint time of a long Dockerfile. An instruction's text never changes
// after parsing, so the tokens are kept from the first call. Each call still gets new Argument objects with new
// ranges, because dockerfile-ast's getters change what they are given (FROM's getImageName() moves the end of the
// image argument's range; ModifiableInstruction shifts the flags off the array).
const RAW_ARGUMENTS = Symbol('image-audit raw arguments');
type Memoised = { getRawArguments: () => Argument[]; [RAW_ARGUMENTS]?: Argument[] };
const instructionProto = Instruction.prototype as unknown as Memoised & { imageAuditTokenise?: () => Argument[] };
/** dockerfile-ast's own tokeniser, never memoised (tests compare the memoised answers with it). */
export const tokeniseArguments: (this: unknown) => Argument[] = (instructionProto.imageAuditTokenise ??= instructionProto.getRawArguments);
instructionProto.getRawArguments = function (this: Memoised) {
  const tokens = (this[RAW_ARGUMENTS] ??= tokeniseArguments.call(this));
  return tokens.map((a) => {
    const { start, end } = a.getRange();
    return new Argument(a.getValue(), { start: { line: start.line, character: start.character }, end: { line: end.line, character: end.character } });
  });
};

/** Parses the Dockerfile and resolves stages. An unknown `target` or a file BuildKit cannot build is a UserError. */
export function buildModel(file: string, source: string, target?: string): DockerfileModel {
  const df = DockerfileParser.parse(source);
  const instructions = df.getInstructions();
  assertBuildable(file, source, instructions);
  const stages: Stage[] = [];
  const globalSteps: Step[] = [];
  const steps: Step[] = [];
  const globalArgs = new Map<string, string>();
  let current: Stage | undefined;

  for (const instr of instructions) {
    const keyword = instr.getKeyword().toUpperCase();
    if (keyword === 'FROM') {
      const step = makeStep(instr, undefined);
      const from = instr as From;
      const baseText = substitute(from.getImage() ?? '', globalArgs);
      const stageName = from.getBuildStage()?.toLowerCase() ?? undefined;
      const parent = stages.find((s) => s.name !== undefined && s.name === baseText.toLowerCase());
      current = {
        index: stages.length,
        name: stageName,
        label: stageName ?? String(stages.length),
        fromStep: step,
        baseText,
        parent,
        baseImage: parent ? undefined : parseImageRef(baseText),
        steps: [step],
        shipped: false
      };
      step.stage = current;
      stages.push(current);
      steps.push(step);
      continue;
    }
    const step = makeStep(instr, current);
    steps.push(step);
    if (current) current.steps.push(step);
    else {
      globalSteps.push(step);
      if (keyword === 'ARG') {
        // A default may use earlier ARGs (`ARG BASE=$REGISTRY/$OWNER/app`), which BuildKit expands.
        for (const prop of step.properties ?? []) globalArgs.set(prop.name, substitute(prop.value ?? '', globalArgs));
      }
    }
  }

  let finalStage: Stage | undefined = stages[stages.length - 1];
  if (target !== undefined) {
    finalStage = stages.find((s) => s.name === target.toLowerCase());
    if (!finalStage) {
      const names = stages.map((s) => s.name).filter((n): n is string => n !== undefined);
      throw new UserError(
        `Build target '${target}' is not a stage of ${file}. ` +
          (names.length > 0 ? `Its named stages are: ${names.join(', ')}.` : 'It has no named stages (add `AS <name>` to a FROM line).') +
          ' Set target to one of them or leave it empty to build the last stage.'
      );
    }
  }
  for (let s: Stage | undefined = finalStage; s; s = s.parent) s.shipped = true;

  const lineStarts = [0];
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  // dockerfile-ast reads every `# key=value` comment at the top of the file as a parser directive (so
  // `# hadolint ignore=DL3008` on line 1 is not a comment to it); BuildKit knows only a few directives and
  // treats the rest as comments. Take those lines back from the source text.
  const directiveComments = df
    .getDirectives()
    .filter((d) => !KNOWN_DIRECTIVES.has(d.getName().toLowerCase()))
    .map((d) => {
      const line = d.getRange().start.line;
      const text = source
        .slice(lineStarts[line], lineStarts[line + 1] ?? source.length)
        .trim()
        .replace(/^#/, '');
      return { line: line + 1, text };
    });
  const comments = [...directiveComments, ...df.getComments().map((c) => ({ line: c.getRange().start.line + 1, text: c.getContent() }))];
  return {
    file,
    source,
    lineStarts,
    stages,
    globalSteps,
    steps,
    finalStage,
    escapeChar: df.getEscapeCharacter(),
    hasSyntaxDirective: df.getDirectives().some((d) => d.getName().toLowerCase() === 'syntax'),
    comments
  };
}

/** The stage chain from `stage` up to the one built FROM an image: [stage, parent, grandparent…]. */
export function stageChain(stage: Stage): Stage[] {
  const chain: Stage[] = [];
  for (let s: Stage | undefined = stage; s && !chain.includes(s); s = s.parent) chain.push(s);
  return chain;
}

const stageEndEnv = new WeakMap<Stage, Map<string, string>>();

/** ENV values in effect at the end of a stage, inherited from the stages it is built FROM (memoised). */
function envAtEnd(stage: Stage, seen: Set<Stage> = new Set()): Map<string, string> {
  const cached = stageEndEnv.get(stage);
  if (cached) return cached;
  seen.add(stage);
  const env = stage.parent && !seen.has(stage.parent) ? new Map(envAtEnd(stage.parent, seen)) : new Map<string, string>();
  for (const s of stage.steps) for (const p of s.properties && s.keyword === 'ENV' ? s.properties : []) env.set(p.name, p.value ?? '');
  stageEndEnv.set(stage, env);
  return env;
}

/** ENV values in effect just before `step` (inherited from parent stages). */
export function envBefore(step: Step): Map<string, string> {
  const stage = step.stage;
  if (!stage) return new Map();
  const env = stage.parent ? new Map(envAtEnd(stage.parent, new Set([stage]))) : new Map<string, string>();
  for (const s of stage.steps) {
    if (s === step) break;
    if (s.keyword === 'ENV') for (const p of s.properties ?? []) env.set(p.name, p.value ?? '');
  }
  return env;
}

/** 1-based line and column of an offset inside the source. */
export function positionAt(model: DockerfileModel, offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = model.lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (model.lineStarts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - model.lineStarts[lo] + 1 };
}

/** Offset of a 1-based line/column in the source. */
export function offsetOf(model: DockerfileModel, line: number, column: number): number {
  const start = model.lineStarts[line - 1];
  return start === undefined ? model.source.length : start + column - 1;
}
