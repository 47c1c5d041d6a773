// Ties image layers (history `created_by`) to Dockerfile instructions and lines, so a report can say
// "line 7 `RUN apt-get install …` added 134 MB". BuildKit records each step as its instruction text
// (`RUN /bin/sh -c …`, `RUN |1 K=V …`, `COPY src dst`, flags dropped), newest last, so we match the shipped
// stage's instructions to the history from the top down: what is left at the bottom is the base image.
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import type { HistoryEntry, StepRef } from '../report/types.js';

export interface DockerfileStep extends StepRef {
  keyword: string;
  /** Instruction arguments with continuation lines joined and whitespace collapsed. */
  args: string;
}

export interface ShippedChain {
  /** Instructions of the shipped stage and the stages it is built FROM, oldest first (FROM lines excluded). */
  steps: DockerfileStep[];
  /** The external image the chain starts from (`scratch` included), with stage-local ARG defaults resolved. */
  baseImage?: string;
  /** Names (or indexes) of every stage, for error messages. */
  stages: string[];
}

const collapse = (s: string) =>
  s
    .replace(/\\\r?\n/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** Parses a Dockerfile and returns the instruction chain that ends up in the shipped image. */
export function shippedChain(contents: string, target?: string): ShippedChain {
  const df = DockerfileParser.parse(contents);
  const froms = df.getFROMs();
  const stages = froms.map((f, i) => f.getBuildStage() ?? String(i));
  const globalArgs = new Map<string, string>();
  const firstFrom = froms.length ? froms[0].getRange().start.line : Number.MAX_SAFE_INTEGER;
  for (const ins of df.getInstructions()) {
    if (ins.getKeyword() === 'ARG' && ins.getRange().start.line < firstFrom) {
      const [name, ...rest] = (ins.getArgumentsContent() ?? '').split('=');
      if (rest.length)
        globalArgs.set(
          name.trim(),
          rest
            .join('=')
            .trim()
            .replace(/^["']|["']$/g, '')
        );
    }
  }
  const instructionsOf = (stageIndex: number): Instruction[] => {
    const start = froms[stageIndex].getRange().start.line;
    const end = stageIndex + 1 < froms.length ? froms[stageIndex + 1].getRange().start.line : Number.MAX_SAFE_INTEGER;
    return df.getInstructions().filter((i) => {
      const l = i.getRange().start.line;
      return l > start && l < end;
    });
  };

  let index = froms.length - 1;
  if (target) {
    index = stages.findIndex((s) => s.toLowerCase() === target.toLowerCase());
    if (index < 0) index = froms.length - 1; // the linter reports unknown targets; attribution just degrades
  }
  const chain: number[] = [];
  let baseImage: string | undefined;
  const seen = new Set<number>();
  while (index >= 0 && !seen.has(index)) {
    seen.add(index);
    chain.unshift(index);
    const image = (froms[index].getImageName() ?? '').replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (m, n) => globalArgs.get(n) ?? m);
    const tag = froms[index].getImageTag();
    const digest = froms[index].getImageDigest();
    const parent = stages.findIndex((s, i) => i < index && s.toLowerCase() === image.toLowerCase());
    if (parent >= 0) {
      index = parent;
    } else {
      baseImage = image + (digest ? `@${digest}` : tag ? `:${tag}` : '');
      break;
    }
  }
  const steps: DockerfileStep[] = chain.flatMap((si) =>
    instructionsOf(si).map((ins) => ({
      keyword: ins.getKeyword().toUpperCase(),
      args: collapse(ins.getArgumentsContent() ?? ''),
      instruction: collapse(ins.getTextContent?.() ?? `${ins.getKeyword()} ${ins.getArgumentsContent() ?? ''}`),
      line: ins.getRange().start.line + 1,
      endLine: ins.getRange().end.line + 1,
      stage: stages[si]
    }))
  );
  return { steps, baseImage, stages };
}

/** The instruction keyword and comparable text of a history `created_by`. */
export function parseCreatedBy(createdBy: string): { keyword: string; text: string } {
  let s = createdBy.trim().replace(/\s*# buildkit$/, '');
  // Classic builder: `/bin/sh -c #(nop)  ENV A=1` or `/bin/sh -c apt-get …`
  const nop = /^\/bin\/sh -c #\(nop\)\s+(.*)$/s.exec(s);
  if (nop) s = nop[1];
  else if (/^\/bin\/sh -c /.test(s)) s = 'RUN ' + s;
  const keyword = (/^(\S+)/.exec(s)?.[1] ?? '').toUpperCase();
  let text = s.slice(keyword.length).trim();
  if (keyword === 'RUN') {
    // `RUN |2 A=1 B=2 /bin/sh -c cmd`: drop the build-arg prefix (its values are the secret scanner's business).
    const m = /^\|(\d+)\s+/.exec(text);
    if (m) {
      let rest = text.slice(m[0].length);
      for (let i = 0; i < Number(m[1]); i++) rest = rest.replace(/^\S+=\S*\s*/, '');
      text = rest;
    }
    text = text.replace(/^\/bin\/sh -c /, '');
  }
  return { keyword, text: collapse(text) };
}

function similar(a: string, b: string): boolean {
  if (a === b) return true;
  const norm = (s: string) =>
    s
      .replace(/^\[|\]$/g, '')
      .replace(/["',]/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
  return norm(a) === norm(b) || norm(a).includes(norm(b)) || norm(b).includes(norm(a));
}

/**
 * Assigns a Dockerfile step to each history entry, walking both newest-first. Keyword must agree; for RUN the
 * command text must agree too (BuildKit keeps it verbatim, minus heredoc bodies and flags).
 */
export function attributeHistory(history: HistoryEntry[], steps: DockerfileStep[]): (DockerfileStep | undefined)[] {
  const out: (DockerfileStep | undefined)[] = history.map(() => undefined);
  let s = steps.length - 1;
  for (let h = history.length - 1; h >= 0 && s >= 0; h--) {
    const { keyword, text } = parseCreatedBy(history[h].createdBy);
    if (!keyword) break; // imported/base layers have no created_by: we reached the base image
    // Look a few steps back at most: steps BuildKit skips in history (none today) must not derail the walk.
    for (let k = s; k >= Math.max(0, s - 3); k--) {
      const step = steps[k];
      if (step.keyword !== keyword) continue;
      if (keyword === 'RUN' && !similar(text, step.args.replace(/^(--\S+\s+)+/, ''))) continue;
      out[h] = step;
      s = k - 1;
      break;
    }
  }
  return out;
}
