// Small questions several rules ask about steps and commands.
import type { Severity } from '../report/types.js';
import type { DockerfileModel, Mount, Stage, Step } from './model.js';
import { subcommand, type ShellCommand } from './shell.js';
import type { RuleHit } from './types.js';

export const shippedStages = (model: DockerfileModel): Stage[] => model.stages.filter((s) => s.shipped);

export const runSteps = (stage: Stage): Step[] => stage.steps.filter((s) => s.run !== undefined);

export const commandsOf = (step: Step): ShellCommand[] => step.run?.commands ?? [];

export const isAptInstall = (cmd: ShellCommand): boolean =>
  (cmd.name === 'apt-get' || cmd.name === 'apt' || cmd.name === 'aptitude') && subcommand(cmd) === 'install';

export const isAptUpdate = (cmd: ShellCommand): boolean => (cmd.name === 'apt-get' || cmd.name === 'apt') && subcommand(cmd) === 'update';

export const isApkAdd = (cmd: ShellCommand): boolean => cmd.name === 'apk' && subcommand(cmd) === 'add';

/** A cache mount on the step whose target contains one of the hints (a target with a variable counts). */
export function cacheMountCovers(step: Step, hints: string[]): Mount | undefined {
  return step.run?.mounts.find((m) => m.type === 'cache' && m.target !== undefined && (m.target.includes('$') || hints.some((h) => m.target?.includes(h))));
}

/** `rm`/`find -delete` arguments in the step that mention one of the paths. */
export function removesPath(step: Step, fragments: string[]): boolean {
  return commandsOf(step).some((c) => (c.name === 'rm' || c.name === 'find') && c.args.slice(1).some((a) => fragments.some((f) => a.includes(f))));
}

/** Error where the stage ships, a step lower elsewhere. */
export const stageSeverity = (step: Step, shipped: Severity, other: Severity): Severity => (step.stage?.shipped ? shipped : other);

/** dockerfile-ast 0-based range → 1-based hit range (endColumn exclusive). */
interface AstRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

export function hitRange(range: AstRange | null | undefined): RuleHit['range'] {
  if (!range) return undefined;
  return { line: range.start.line + 1, column: range.start.character + 1, endLine: range.end.line + 1, endColumn: range.end.character + 1 };
}

/** First whole-context COPY/ADD (`COPY . .`) in the file. */
export const firstWholeContextCopy = (model: DockerfileModel): Step | undefined => model.steps.find((s) => s.copy?.wholeContext);

export const lineSpan = (a: Step, b: Step): string => (a.line === b.line ? `line ${a.line}` : `lines ${a.line}–${b.endLine}`);
