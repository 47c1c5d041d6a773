// The Dockerfile linter: stage-aware static checks, run before the build and by `image-audit lint`.
//
// Inline ignores: a comment `# image-audit ignore=rule-a,rule-b` (or hadolint's `# hadolint ignore=DL3009`) on
// the line(s) directly above an instruction suppresses those rules for that instruction, line 1 included; a
// trailing `# reason` is allowed; `# image-audit global ignore=…` suppresses them everywhere in the file. Suppressed findings are KEPT, marked `suppressed: {by: 'inline'}`,
// so reports show them and gates skip them (as with every other suppression).
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { AuditConfig } from '../config/types.js';
import type { RuleMeta } from '../report/rule-meta.js';
import type { Finding } from '../report/types.js';
import { UserError } from '../util/errors.js';
import { findDockerignore } from './context-files.js';
import { buildModel, type DockerfileModel, type Step } from './model.js';
import type { LintContext, LintRule, RuleHit } from './types.js';
import { aptNoInstallRecommends } from './rules/apt-no-install-recommends.js';
import { aptUpdateAlone } from './rules/apt-update-alone.js';
import { cleanupInSeparateLayer } from './rules/cleanup-in-separate-layer.js';
import { consecutiveRun } from './rules/consecutive-run.js';
import { copySecretFile } from './rules/copy-secret-file.js';
import { depsAfterSource } from './rules/deps-after-source.js';
import { dockerignoreIncomplete } from './rules/dockerignore-incomplete.js';
import { finalStageRoot } from './rules/final-stage-root.js';
import { finalStageToolchain } from './rules/final-stage-toolchain.js';
import { heavyFinalBase } from './rules/heavy-final-base.js';
import { missingCacheMount } from './rules/missing-cache-mount.js';
import { missingDockerignore } from './rules/missing-dockerignore.js';
import { missingSyntaxDirective } from './rules/missing-syntax-directive.js';
import { packageCacheNotCleaned } from './rules/package-cache-not-cleaned.js';
import { secretFileRemovedLater } from './rules/secret-file-removed-later.js';
import { secretInEnvOrArg } from './rules/secret-in-env-or-arg.js';
import { secretInRun } from './rules/secret-in-run.js';
import { unpinnedBaseImage } from './rules/unpinned-base-image.js';

export { normaliseInstruction } from './model.js';

const RULES: readonly LintRule[] = [
  finalStageToolchain,
  heavyFinalBase,
  depsAfterSource,
  packageCacheNotCleaned,
  aptNoInstallRecommends,
  cleanupInSeparateLayer,
  consecutiveRun,
  missingCacheMount,
  secretInEnvOrArg,
  secretInRun,
  copySecretFile,
  secretFileRemovedLater,
  finalStageRoot,
  missingDockerignore,
  dockerignoreIncomplete,
  unpinnedBaseImage,
  aptUpdateAlone,
  missingSyntaxDirective
];

/** The lint rule catalogue (ids are part of the report contract). */
export const lintRules: readonly RuleMeta[] = RULES.map((r) => r.meta);

export interface LintOptions {
  /** Path of the Dockerfile, as the user gave it (findings carry it as `file`). */
  dockerfile: string;
  /** Build context; default: the Dockerfile's folder. */
  context?: string;
  /** Build target stage; default: the last stage. */
  target?: string;
  config: AuditConfig;
  /** Dockerfile text, when already read (the file is then not read). */
  contents?: string;
  /** Folder relative paths are resolved against; default: process.cwd(). */
  cwd?: string;
}

// `# image-audit ignore=a,b` / `# hadolint ignore=DL3009,DL3015`, optionally `global`, optionally followed by
// `# why`. hadolint ids suppress the rules that name them in `hadolint` (see docs/hadolint.md).
const IGNORE_COMMENT = /^(image-audit|hadolint)\s+(global\s+)?ignore\s*=\s*([A-Za-z0-9_,\s-]*?)\s*(#.*)?$/i;

interface Ignores {
  /** Rule ids (ours or hadolint's) ignored per instruction start line. */
  byLine: Map<number, Set<string>>;
  /** Ignored for the whole file (`global ignore=`). */
  global: Set<string>;
}

function addRules(into: Set<string>, list: string): void {
  for (const r of list.split(',')) if (r.trim()) into.add(/^dl\d+$/i.test(r.trim()) ? r.trim().toUpperCase() : r.trim());
}

/** Rules ignored per instruction, from ignore comments on the line(s) directly above it, and file-wide. */
function inlineIgnores(model: DockerfileModel): Ignores {
  const byLine = new Map<number, string>();
  const global = new Set<string>();
  for (const c of model.comments) {
    byLine.set(c.line, c.text);
    const m = IGNORE_COMMENT.exec(c.text.trim());
    if (m && m[2]) addRules(global, m[3]);
  }
  const out = new Map<number, Set<string>>();
  for (const step of model.steps) {
    const rules = new Set<string>();
    for (let line = step.line - 1; byLine.has(line); line--) {
      const m = IGNORE_COMMENT.exec((byLine.get(line) ?? '').trim());
      if (m && !m[2]) addRules(rules, m[3]);
    }
    if (rules.size > 0) out.set(step.line, rules);
  }
  return { byLine: out, global };
}

/** True when an ignore list names the rule, or the hadolint rule this hit (or, lacking one, the rule) matches. */
function ignoredBy(list: Set<string> | undefined, rule: LintRule, hit: RuleHit): boolean {
  if (!list || list.size === 0) return false;
  if (list.has(rule.meta.id)) return true;
  const ids = hit.hadolint !== undefined ? [hit.hadolint] : (rule.meta.hadolint ?? []);
  return ids.some((id) => list.has(id));
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Lints a Dockerfile. A missing Dockerfile or an unknown target is a UserError. */
export async function lintDockerfile(opts: LintOptions): Promise<Finding[]> {
  const cwd = opts.cwd ?? process.cwd();
  const dockerfilePath = path.resolve(cwd, opts.dockerfile);
  let source = opts.contents;
  if (source === undefined) {
    try {
      source = await fs.readFile(dockerfilePath, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UserError(
        code === 'ENOENT'
          ? `Dockerfile not found: ${opts.dockerfile} (looked in ${dockerfilePath}). Pass the path of an existing Dockerfile (input \`dockerfile\`, flag --file).`
          : `Cannot read the Dockerfile ${opts.dockerfile}: ${(e as Error).message}. Check the path and its permissions.`
      );
    }
  }
  const model = buildModel(opts.dockerfile, source, opts.target);
  const contextDir = path.resolve(cwd, opts.context ?? path.dirname(dockerfilePath));
  const ctx: LintContext = { model, dockerfilePath, contextDir, cwd };
  if (model.steps.some((s) => s.copy?.wholeContext)) ctx.dockerignore = await findDockerignore(dockerfilePath, contextDir);

  const ignores = inlineIgnores(model);
  const seen = new Map<string, number>();
  const findings: Finding[] = [];
  for (const rule of RULES) {
    const override = opts.config.rules[rule.meta.id];
    if (override === 'off') continue;
    const hits = await rule.check(ctx);
    for (const hit of hits) findings.push(toFinding(rule, hit, override, model, ignores, seen));
  }
  return findings.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0) || a.rule.localeCompare(b.rule));
}

/** Rules whose instruction text carries the secret value (their hit key holds its masked form). */
const VALUE_BEARING_RULES = new Set(['secret-in-run', 'secret-in-env-or-arg']);

function toFinding(
  rule: LintRule,
  hit: RuleHit,
  override: AuditConfig['rules'][string] | undefined,
  model: DockerfileModel,
  ignores: Ignores,
  seen: Map<string, number>
): Finding {
  const step: Step = hit.step;
  const range = hit.range ?? { line: step.line, column: step.column, endLine: step.endLine, endColumn: step.endColumn };
  // Rule + file + instruction text (+ what tells several hits apart): stable when lines move. Identical
  // instructions (e.g. the same RUN in two stages) get an occurrence number.
  // A secret rule's instruction text holds the secret itself: its fingerprint uses the hit's key (kind + masked
  // form), never the text, so the published hash cannot be used to guess a weak value offline.
  const text = VALUE_BEARING_RULES.has(rule.meta.id) ? step.keyword : step.text;
  let identity = [rule.meta.id, model.file, text, hit.key ?? ''].join('\u0000');
  const n = seen.get(identity) ?? 0;
  seen.set(identity, n + 1);
  if (n > 0) identity += `\u0000#${n}`;
  const finding: Finding = {
    rule: rule.meta.id,
    severity: override && override !== 'off' ? override : (hit.severity ?? rule.meta.defaultSeverity),
    category: 'lint',
    message: hit.message,
    file: model.file,
    line: range.line,
    column: range.column,
    endLine: range.endLine,
    endColumn: range.endColumn,
    fingerprint: sha256(identity)
  };
  const details = { ...(hit.details ?? {}), ...(step.stage ? { stage: step.stage.label } : {}) };
  if (Object.keys(details).length > 0) finding.details = details;
  const ignoreLines = [step.line, ...(hit.alsoIgnoredAt ?? []).map((s) => s.line)];
  if (ignoreLines.some((line) => ignoredBy(ignores.byLine.get(line), rule, hit)) || ignoredBy(ignores.global, rule, hit)) {
    finding.suppressed = { by: 'inline' };
  }
  return finding;
}
