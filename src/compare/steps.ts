// Pairs the layers of two reports by the Dockerfile step that made them, never by position: inserting a step
// must not make every later layer look changed. Pass 1 pairs equal normalised instructions (tolerant of line
// shifts), pass 2 pairs what is left by line number (an edited instruction that stayed in place).
import type { LayerReport, Report } from '../report/types.js';
import type { StepMatch } from './types.js';

interface StepUnit {
  key: string;
  instruction: string;
  line?: number;
  stage?: string;
  fromBase: boolean;
  layers: LayerReport[];
}

/** `RUN /bin/sh -c apt-get …  # buildkit` and `/bin/sh -c #(nop)  COPY …` → `RUN apt-get …` / `COPY …`. */
export function normaliseCreatedBy(createdBy: string): string {
  let text = createdBy.trim().replace(/\s+#\s*buildkit\s*$/, '');
  text = text.replace(/^\/bin\/sh -c #\(nop\)\s*/, '');
  // Legacy builder RUN: `/bin/sh -c cmd`; BuildKit RUN: `RUN /bin/sh -c cmd`, optionally with `|N ARG=v…` first.
  const run = /^(?:RUN\s+)?(?:\|\d+\s+(?:\S+=\S*\s+)*)?\/bin\/sh -c\s+(.*)$/s.exec(text);
  if (run) text = `RUN ${run[1]}`;
  return normaliseInstruction(text);
}

/** Whitespace collapsed (continuation lines joined), keyword upper-cased. */
export function normaliseInstruction(text: string): string {
  const collapsed = text
    .replace(/\\\r?\n/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return collapsed.replace(/^[a-z]+\b/i, (kw) => kw.toUpperCase());
}

function unitsOf(report: Report): StepUnit[] {
  const units: StepUnit[] = [];
  for (const layer of report.layers) {
    const instruction = layer.step ? normaliseInstruction(layer.step.instruction) : normaliseCreatedBy(layer.createdBy);
    const key = `${layer.fromBase ? 'base' : 'user'}\u0000${instruction}`;
    const previous = units[units.length - 1];
    // A step that made several consecutive layers (rare, but e.g. multi-layer attribution) stays one unit.
    if (previous && previous.key === key && layer.step && previous.line === layer.step.line) {
      previous.layers.push(layer);
      continue;
    }
    units.push({ key, instruction, line: layer.step?.line, stage: layer.step?.stage, fromBase: layer.fromBase, layers: [layer] });
  }
  return units;
}

const sum = (layers: LayerReport[], pick: (l: LayerReport) => number) => layers.reduce((n, l) => n + pick(l), 0);

function toMatch(base: StepUnit | undefined, head: StepUnit | undefined, matchedBy?: StepMatch['matchedBy']): StepMatch {
  const baseLayers = base?.layers ?? [];
  const headLayers = head?.layers ?? [];
  const baseSize = sum(baseLayers, (l) => l.size);
  const headSize = sum(headLayers, (l) => l.size);
  const sameContent = baseLayers.length === headLayers.length && baseLayers.every((l, i) => l.diffId === headLayers[i].diffId);
  const status: StepMatch['status'] = !base ? 'added' : !head ? 'removed' : sameContent ? 'unchanged' : 'changed';
  const shown = (head ?? base)!;
  return {
    instruction: shown.instruction,
    ...(base && head && base.instruction !== head.instruction ? { baseInstruction: base.instruction } : {}),
    baseLine: base?.line,
    headLine: head?.line,
    stage: shown.stage,
    fromBase: shown.fromBase,
    baseLayers: baseLayers.map((l) => l.index),
    headLayers: headLayers.map((l) => l.index),
    baseSize,
    headSize,
    baseCompressedSize: sum(baseLayers, (l) => l.compressedSize),
    headCompressedSize: sum(headLayers, (l) => l.compressedSize),
    delta: headSize - baseSize,
    status,
    ...(matchedBy ? { matchedBy } : {})
  };
}

export function matchSteps(base: Report, head: Report): StepMatch[] {
  const baseUnits = unitsOf(base);
  const headUnits = unitsOf(head);
  const pairedBase = new Map<StepUnit, StepUnit>(); // head unit → base unit
  const used = new Set<StepUnit>();

  // Pass 1: same instruction. Repeated instructions pair in order of occurrence.
  const byKey = new Map<string, StepUnit[]>();
  for (const u of baseUnits) byKey.set(u.key, [...(byKey.get(u.key) ?? []), u]);
  const how = new Map<StepUnit, StepMatch['matchedBy']>();
  for (const h of headUnits) {
    const candidates = byKey.get(h.key);
    const b = candidates?.shift();
    if (b) {
      pairedBase.set(h, b);
      used.add(b);
      how.set(h, 'instruction');
    }
  }
  // Pass 2: same Dockerfile line, same side of the FROM boundary (an instruction edited in place).
  for (const h of headUnits) {
    if (pairedBase.has(h) || h.line === undefined) continue;
    const b = baseUnits.find((u) => !used.has(u) && u.line === h.line && u.fromBase === h.fromBase && u.stage === h.stage);
    if (b) {
      pairedBase.set(h, b);
      used.add(b);
      how.set(h, 'line');
    }
  }

  const matches = headUnits.map((h) => toMatch(pairedBase.get(h), h, how.get(h)));
  for (const b of baseUnits) if (!used.has(b)) matches.push(toMatch(b, undefined));
  return matches;
}
