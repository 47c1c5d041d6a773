// The secret scanner: a layer subscriber for file contents (every layer, so deleted and overwritten files are
// seen too), plus history and image-config scanning once the analysis is done. Values are masked the moment
// they are found and registered with `runtime.maskSecret`; only masks and fingerprints leave this module.
import { createHmac, randomBytes } from 'node:crypto';
import type { AuditConfig } from '../config/types.js';
import type { ImageLayout, LayerEntry, LayerSubscriber } from '../image/types.js';
import type { Finding, HistoryEntry, ImageReport, LayerReport, Severity } from '../report/types.js';
import type { Runtime } from '../util/runtime.js';
import { declaredArgName, parseCreatedBy, shortStep, type NamedValue } from './history.js';
import { matchesAny } from './glob.js';
import { fingerprint, maskFor } from './mask.js';
import { isMaskable, type InlineSecret } from './inline.js';
import { contentBudget, looksBinary } from './places.js';
import { Redactor, type RedactionEntry } from './redact.js';
import { assessNamedValue, secretName } from './rules/secret-name.js';
import type { Confidence, Detector, Hit } from './rules/types.js';
import { scanText } from './scan-text.js';
import { applySuppressions } from './suppress.js';
import { VisibilityTracker, type FileVisibility, type VisibilityLookup } from './visibility.js';

export type SecretRuleId = 'secret-history' | 'secret-config' | 'secret-file';

/** What the scanner needs from the image analysis (structurally a subset of `analyseImage`'s result). */
export interface SecretScanAnalysis {
  image?: { history?: HistoryEntry[]; config?: ImageReport['config'] };
  layers: LayerReport[];
  /** Per-path visibility index from the image analysis; the scanner's own tracker is used when absent. */
  files?: VisibilityLookup;
}

export interface SecretScanOptions {
  config: AuditConfig;
  runtime: Runtime;
  /** Clock for suppression expiry (tests). */
  now?: Date;
}

export interface SecretScan {
  subscriber: LayerSubscriber;
  /** History + config findings, plus the file findings collected while the archive streamed. Call once. */
  findings(analysis: SecretScanAnalysis): Finding[];
  /** Every value found so far with its mask, for `redactReport` (low-confidence and info values excluded). */
  readonly redactions: readonly RedactionEntry[];
  /**
   * Secrets read from the Dockerfile before the build: registered with the host now, so the build log never
   * shows them, and masked in the report like any value the scan finds.
   */
  registerInline(secrets: readonly InlineSecret[]): void;
  /**
   * An in-process identity of the value behind a finding this scan made (an HMAC under a key that lives only in
   * this process), so findings of one secret in several places can be merged. Never serialised.
   */
  identityOf(finding: Finding): string | undefined;
  /** The same identity for a value (e.g. one the linter saw in the Dockerfile). */
  identityOfValue(value: string): string;
}

interface Candidate {
  rule: SecretRuleId;
  /** Stable location for the fingerprint (path, `history:arg:NAME`, `config:Env:NAME`). */
  location: string;
  value: string;
  detector: Detector;
  confidence: Confidence;
  severity: Severity;
  /** Human description of where, for the message (`build arg NPM_TOKEN`, `ENV AWS_SECRET_ACCESS_KEY`). */
  where: string;
  /** History steps (indices) where the value appears. */
  steps: number[];
  /** Line in the file (secret-file). */
  line?: number;
}

interface FileHit {
  layerKey: string;
  path: string;
  hit: Hit;
}

export function createSecretScan(opts: SecretScanOptions): SecretScan {
  const { config, runtime } = opts;
  const allowPaths = config.secrets.allowPaths;
  const redactor = new Redactor();
  const fileHits: FileHit[] = [];
  const tracker = new VisibilityTracker();
  let layout: ImageLayout | undefined;
  const identityKey = randomBytes(32);
  const identityOfValue = (value: string) => createHmac('sha256', identityKey).update(value).digest('hex');
  const identities = new WeakMap<Finding, string>();
  /** Masks of values not registered globally (low confidence, info): applied to their own finding only. */
  const localMasks = new Map<string, string>();

  /**
   * Called for every value the moment it is found: from here on the host masks it in logs. A low-confidence or
   * informational value (`postgres:postgres`, a sample JWT) is not registered: masking an ordinary word
   * everywhere in the output would garble it, and such a value is no credential worth hiding.
   */
  const remember = (detector: Detector, value: string, verdict?: { confidence: Confidence; severity: Severity }): string => {
    const masked = maskFor(detector, value);
    if (verdict && !isMaskable({ ...verdict, value })) {
      if (!redactor.maskOf(value)) localMasks.set(value, masked);
      return masked;
    }
    localMasks.delete(value);
    if (redactor.add(value, masked)) {
      runtime.maskSecret(value);
      // Multi-line values (PEM blocks): hosts mask line by line, so register each substantial line too.
      if (value.includes('\n')) for (const line of value.split(/\r?\n/)) if (line.trim().length >= 8) runtime.maskSecret(line.trim());
    }
    return masked;
  };

  const subscriber: LayerSubscriber = {
    onEntry(entry: LayerEntry) {
      tracker.onEntry(entry);
    },
    wantContent(entry: LayerEntry): number {
      if (entry.kind !== 'file' || entry.whiteout || matchesAny(entry.path, allowPaths)) return 0;
      return contentBudget(entry.path, entry.size);
    },
    onContent(entry: LayerEntry, content: Buffer) {
      if (looksBinary(content)) return;
      for (const hit of scanText(content.toString('utf8'), { path: entry.path })) {
        remember(hit.detector, hit.value, hit);
        fileHits.push({ layerKey: entry.layerKey, path: entry.path, hit });
      }
    },
    finish(l: ImageLayout) {
      layout = l;
      tracker.finish(l);
    }
  };

  function findings(analysis: SecretScanAnalysis): Finding[] {
    const history = analysis.image?.history ?? [];
    const historyCandidates = scanHistory(history);
    const configCandidates = scanConfig(analysis.image?.config, history);
    // An ENV/LABEL still in the config is reported there (with the step that set it), not twice.
    const inConfig = new Set(
      configCandidates.map((c) => `${c.location.replace(/^config:(Env|Labels):/, (_, k: string) => (k === 'Env' ? 'env:' : 'label:'))}\0${c.value}`)
    );
    const history2 = historyCandidates.filter((c) => !inConfig.has(`${c.location.replace(/^history:/, '')}\0${c.value}`));

    const out: { f: Finding; value: string }[] = [];
    for (const c of [...history2, ...configCandidates]) out.push({ f: toFinding(c, analysis), value: c.value });
    out.push(...fileFindings(analysis));
    const redacted = out.map(({ f, value }) => {
      const local = localMasks.get(value);
      return { f: local !== undefined ? redactor.with(value, local).redactFinding(f) : redactor.redactFinding(f), value };
    });
    const suppressed = applySuppressions(
      redacted.map((r) => r.f),
      config.secrets.suppressions,
      runtime,
      opts.now ?? new Date()
    );
    suppressed.forEach((f, i) => identities.set(f, identityOfValue(redacted[i].value)));
    return suppressed;
  }

  /** The mask of a value found by this scan (global or finding-local). */
  const maskOf = (value: string) => redactor.maskOf(value) ?? localMasks.get(value)!;
  /** A history line for a message: redacted whole before it is cut, so no prefix of a value survives the cut. */
  const quote = (createdBy: string | undefined) => shortStep(createdBy === undefined ? undefined : redactor.redact(createdBy));

  function addCandidate(list: Map<string, Candidate>, c: Omit<Candidate, 'steps'>, step?: number): void {
    const key = `${c.rule}\0${c.location}\0${c.value}`;
    let existing = list.get(key);
    if (!existing) list.set(key, (existing = { ...c, steps: [] }));
    if (step !== undefined && !existing.steps.includes(step)) existing.steps.push(step);
  }

  /** Token detectors on `NAME=value` (so name-context rules like the AWS secret key fire), else the name rule. */
  function scanPair(pair: NamedValue, rule: SecretRuleId, location: string, where: string, list: Map<string, Candidate>, step?: number): void {
    const text = `${pair.name}=${pair.value}`;
    const hits = scanText(text).filter((h) => h.index >= pair.name.length);
    for (const h of hits) {
      remember(h.detector, h.value, h);
      addCandidate(list, { rule, location, value: h.value, detector: h.detector, confidence: h.confidence, severity: h.severity, where }, step);
    }
    if (hits.length > 0) return;
    const named = assessNamedValue(pair.name, pair.value);
    if (named) {
      const value = pair.value.trim();
      remember(secretName, value, { confidence: named.confidence, severity: secretName.severity });
      addCandidate(list, { rule, location, value, detector: secretName, confidence: named.confidence, severity: secretName.severity, where }, step);
    }
  }

  function scanFreeText(text: string, rule: SecretRuleId, location: (d: Detector) => string, where: string, list: Map<string, Candidate>, step?: number): void {
    for (const h of scanText(text)) {
      remember(h.detector, h.value, h);
      addCandidate(
        list,
        { rule, location: location(h.detector), value: h.value, detector: h.detector, confidence: h.confidence, severity: h.severity, where },
        step
      );
    }
  }

  function scanHistory(history: HistoryEntry[]): Candidate[] {
    const list = new Map<string, Candidate>();
    const declared = new Set<string>();
    history.forEach((entry, i) => {
      const createdBy = entry.createdBy ?? '';
      if (!createdBy) return;
      const argName = declaredArgName(createdBy);
      if (argName) declared.add(argName);
      const step = parseCreatedBy(createdBy, declared);
      const rule: SecretRuleId = 'secret-history';
      switch (step.instruction) {
        case 'RUN':
          for (const p of step.pairs) scanPair(p, rule, `history:arg:${p.name}`, `build arg ${p.name}`, list, i);
          scanFreeText(step.text, rule, (d) => `history:run:${d.id}`, 'a RUN command', list, i);
          return;
        case 'ENV':
        case 'ARG':
        case 'LABEL': {
          const kind = step.instruction.toLowerCase();
          const label = step.instruction === 'ARG' ? 'build arg default' : step.instruction;
          for (const p of step.pairs) scanPair(p, rule, `history:${kind}:${p.name}`, `${label} ${p.name}`, list, i);
          if (step.text) scanFreeText(step.text, rule, (d) => `history:${kind}:${d.id}`, `a ${step.instruction} step`, list, i);
          return;
        }
        default:
          scanFreeText(
            createdBy,
            rule,
            (d) => `history:${(step.instruction || 'step').toLowerCase()}:${d.id}`,
            `a ${step.instruction || 'history'} step`,
            list,
            i
          );
      }
    });
    return [...list.values()];
  }

  function scanConfig(cfg: ImageReport['config'] | undefined, history: HistoryEntry[]): Candidate[] {
    const list = new Map<string, Candidate>();
    if (!cfg) return [];
    const rule: SecretRuleId = 'secret-config';
    // The step that set an ENV/LABEL, for the message: the last history entry that mentions `NAME=`.
    // Parsed once: an image with many ENV/LABEL entries would otherwise re-parse the history for each.
    const parsed = history.map((h) => parseCreatedBy(h.createdBy ?? ''));
    const setBy = (instruction: string, name: string): number | undefined => {
      for (let i = history.length - 1; i >= 0; i--) {
        const p = parsed[i];
        if (p.instruction === instruction && p.pairs.some((x) => x.name === name)) return i;
      }
      return undefined;
    };
    for (const env of cfg.env ?? []) {
      const eq = env.indexOf('=');
      const pair = eq < 0 ? { name: env, value: '' } : { name: env.slice(0, eq), value: env.slice(eq + 1) };
      if (!pair.value) continue;
      scanPair(pair, rule, `config:Env:${pair.name}`, `ENV ${pair.name}`, list, setBy('ENV', pair.name));
    }
    for (const [key, value] of Object.entries(cfg.labels ?? {})) {
      scanPair({ name: key, value }, rule, `config:Labels:${key}`, `LABEL ${key}`, list, setBy('LABEL', key));
    }
    for (const [field, args] of [
      ['Entrypoint', cfg.entrypoint],
      ['Cmd', cfg.cmd]
    ] as const) {
      if (!args?.length) continue;
      scanFreeText(args.join(' '), rule, () => `config:${field}`, field.toUpperCase(), list);
      // `--password=…` / `--api-key=…` options with a literal value.
      for (const arg of args) {
        const m = /^--?([A-Za-z][A-Za-z0-9_.-]*)=(.+)$/.exec(arg);
        if (m) scanPair({ name: m[1], value: m[2] }, rule, `config:${field}:${m[1]}`, `${field.toUpperCase()} option --${m[1]}`, list);
      }
    }
    for (const [field, value] of [
      ['User', cfg.user],
      ['WorkingDir', cfg.workdir]
    ] as const) {
      if (value) scanFreeText(value, rule, () => `config:${field}`, field, list);
    }
    return [...list.values()];
  }

  function toFinding(c: Candidate, analysis: SecretScanAnalysis): Finding {
    const history = analysis.image?.history ?? [];
    const masked = maskOf(c.value);
    const first = c.steps.length ? history[c.steps[0]] : undefined;
    const layer = c.steps.map((s) => history[s]?.layer).find((l) => l !== undefined);
    const title = c.detector.title;
    let message: string;
    if (c.rule === 'secret-history') {
      const n = c.steps.length;
      message =
        `${cap(title)} (${masked}) in ${c.where}, recorded in the image history` +
        (first ? ` by ${n > 1 ? `${n} steps, first ` : ''}\`${quote(first.createdBy)}\`` : '') +
        ': `docker history` shows it to anyone who can pull the image.';
    } else {
      message =
        `${cap(title)} (${masked}) in ${c.where} of the image config` +
        (first ? `, set by \`${quote(first.createdBy)}\`` : '') +
        ': every container and everyone who can pull the image can read it.';
    }
    return {
      rule: c.rule,
      severity: c.severity,
      category: 'secret',
      message,
      layer,
      masked,
      fingerprint: fingerprint(c.rule, c.location, masked, c.value.length),
      details: {
        detector: c.detector.id,
        confidence: c.confidence,
        location: c.location,
        steps: c.steps,
        ...(first ? { step: first.createdBy } : {})
      }
    };
  }

  function fileFindings(analysis: SecretScanAnalysis): { f: Finding; value: string }[] {
    const keyIndex = new Map((layout?.layerOrder ?? []).map((k, i) => [k, i]));
    const lookup: VisibilityLookup = analysis.files ?? tracker;
    // One finding per (path, value): the earliest layer that has it; later copies are listed.
    const byFingerprint = new Map<string, { f: FileHit; layer?: number; layers: number[] }>();
    for (const f of fileHits) {
      // Grouping key only (in memory): the reported fingerprint is computed from the mask below.
      const fp = `${f.path}\0${f.hit.value}`;
      const layer = keyIndex.get(f.layerKey);
      const seen = byFingerprint.get(fp);
      if (!seen) byFingerprint.set(fp, { f, layer, layers: layer === undefined ? [] : [layer] });
      else {
        if (layer !== undefined && !seen.layers.includes(layer)) seen.layers.push(layer);
        if (layer !== undefined && (seen.layer === undefined || layer < seen.layer)) Object.assign(seen, { f, layer });
      }
    }
    const out: { f: Finding; value: string }[] = [];
    for (const { f, layer, layers } of byFingerprint.values()) {
      layers.sort((a, b) => a - b);
      // Visible in the final filesystem if any copy (same path, same value) is; otherwise report the top copy's hider.
      const vis = layers.map((l) => ({ l, v: lookup.lookup(f.path, l) }));
      const visible = vis.find((x) => x.v?.visibleInFinal);
      const hidden: { l: number; v: FileVisibility | undefined } | undefined = visible ? undefined : vis[vis.length - 1];
      const fp = fingerprint('secret-file', f.path, maskOf(f.hit.value), f.hit.value.length);
      out.push({ f: fileFinding(fp, f, layer, layers, visible ? { visibleInFinal: true } : hidden?.v, analysis.layers), value: f.hit.value });
    }
    return out.sort((a, b) => (a.f.layer ?? 0) - (b.f.layer ?? 0) || (a.f.path ?? '').localeCompare(b.f.path ?? ''));
  }

  function fileFinding(
    fp: string,
    f: FileHit,
    layer: number | undefined,
    layers: number[],
    vis: FileVisibility | undefined,
    layerReports: LayerReport[]
  ): Finding {
    const { hit, path } = f;
    const masked = maskOf(hit.value);
    const addedBy = layer !== undefined ? layerReports[layer]?.createdBy : undefined;
    const hiddenBy = vis?.hiddenInLayer !== undefined ? layerReports[vis.hiddenInLayer]?.createdBy : undefined;
    const at = layer !== undefined ? `layer ${layer}${addedBy ? `, added by \`${quote(addedBy)}\`` : ''}` : 'a layer';
    const what = hit.name ? `${hit.detector.title} ${hit.name}` : hit.detector.title;
    let message = `${cap(what)} (${masked}) in /${path} line ${hit.line} (${at})`;
    if (vis?.visibleInFinal) message += ': still visible in the final filesystem.';
    else if (vis && vis.hiddenInLayer !== undefined) {
      const how = vis.how === 'overwritten' ? 'overwritten' : vis.how === 'opaque' ? 'hidden (directory replaced)' : 'deleted';
      message +=
        `; ${how} in layer ${vis.hiddenInLayer}${hiddenBy ? ` by \`${quote(hiddenBy)}\`` : ''}` +
        `, but layer ${layer} still ships it to everyone who pulls the image.`;
    } else message += '.';
    return {
      rule: 'secret-file',
      severity: hit.severity,
      category: 'secret',
      message,
      layer,
      path,
      masked,
      fingerprint: fp,
      details: {
        detector: hit.detector.id,
        confidence: hit.confidence,
        line: hit.line,
        addedInLayer: layer,
        ...(addedBy !== undefined ? { addedBy } : {}),
        ...(layers.length > 1 ? { alsoInLayers: layers.filter((l) => l !== layer) } : {}),
        visibleInFinal: vis?.visibleInFinal,
        ...(vis?.hiddenInLayer !== undefined ? { hiddenInLayer: vis.hiddenInLayer, how: vis.how } : {}),
        ...(hiddenBy !== undefined ? { hiddenBy } : {})
      }
    };
  }

  return {
    subscriber,
    findings,
    get redactions() {
      return redactor.entries();
    },
    registerInline(secrets) {
      for (const s of secrets) remember(s.detector, s.value, s);
    },
    identityOf: (f) => identities.get(f),
    identityOfValue
  };
}

/** Sentence case, except for names that are always lower case (npm, .npmrc). */
const cap = (s: string) => (/^(?:npm|\.)/.test(s) ? s : s.charAt(0).toUpperCase() + s.slice(1));
