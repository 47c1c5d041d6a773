// SARIF 2.1.0 for GitHub code scanning (github/codeql-action/upload-sarif). One rule entry per rule id used,
// results pointing at the Dockerfile (lint findings at their own range; image and secret findings at the step's
// line when known). Secret findings carry only their masked form, never a value.
import path from 'node:path';
import { lintRules } from '../lint/index.js';
import { stageRuleMetas, type RuleMeta } from '../report/rule-meta.js';
import type { Finding, Report, Severity } from '../report/types.js';
import { singleLine } from './escape.js';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const INFORMATION_URI = 'https://github.com/image-audit/image-audit';

type SarifLevel = 'error' | 'warning' | 'note';
const LEVEL: Record<Severity, SarifLevel> = { error: 'error', warning: 'warning', info: 'note' };
// GitHub ranks security alerts by `security-severity` (0–10) on the rule.
const SECURITY_SEVERITY: Record<Severity, string> = { error: '8.0', warning: '5.0', info: '2.0' };

export interface SarifOptions {
  /** Rule metadata beyond the built-in catalogue (later entries win for the same id). */
  extraRules?: readonly RuleMeta[];
  /** Repository root URIs are made relative to; default: process.cwd(). */
  root?: string;
}

/** Repository-relative, `/`-separated URI for a file path as findings carry it. */
function artifactUri(file: string, root: string): string {
  const rel = path.isAbsolute(file) ? path.relative(root, file) : path.normalize(file);
  return rel.split(path.sep).join('/').replace(/^\.\//, '').split('/').map(encodeURIComponent).join('/');
}

function ruleDescriptor(id: string, meta: RuleMeta | undefined) {
  if (!meta) {
    return { id, name: id, shortDescription: { text: id }, properties: { tags: [] as string[] } };
  }
  const security = meta.category === 'secret' || meta.tags.includes('security');
  return {
    id,
    name: id.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()),
    shortDescription: { text: meta.shortDescription },
    fullDescription: { text: meta.fullDescription },
    help: { text: meta.help.replace(/```[a-z]*\n?/g, ''), markdown: meta.help },
    helpUri: `${INFORMATION_URI}#${id}`,
    defaultConfiguration: { level: LEVEL[meta.defaultSeverity] },
    properties: {
      tags: [...new Set([meta.category, ...meta.tags])],
      ...(security ? { 'security-severity': SECURITY_SEVERITY[meta.defaultSeverity] } : {}),
      // The hadolint rules that check the same thing, for users mapping hadolint findings and ignores.
      ...(meta.hadolint && meta.hadolint.length > 0 ? { hadolint: meta.hadolint } : {})
    }
  };
}

function region(f: Pick<Finding, 'line' | 'column' | 'endLine' | 'endColumn'>) {
  const startLine = f.line && f.line > 0 ? f.line : 1;
  const r: Record<string, number> = { startLine };
  if (f.column && f.column > 0) r.startColumn = f.column;
  if (f.endLine && f.endLine >= startLine) r.endLine = f.endLine;
  if (f.endColumn && f.endColumn > 0 && (f.endLine === undefined || f.endLine > startLine || !f.column || f.endColumn > f.column)) r.endColumn = f.endColumn;
  return r;
}

function locationsOf(f: Finding, report: Report, root: string) {
  const file = f.file ?? report.source?.dockerfile;
  if (file) {
    // Image and secret findings have no range of their own: the whole line of the step, or the file's first line.
    const own = f.file !== undefined;
    return [
      {
        physicalLocation: {
          artifactLocation: { uri: artifactUri(file, root), uriBaseId: '%SRCROOT%' },
          region: own ? region(f) : { startLine: f.line && f.line > 0 ? f.line : 1 }
        },
        ...(f.path ? { logicalLocations: [{ name: f.path, fullyQualifiedName: `image:/${f.path}`, kind: 'resource' }] } : {})
      }
    ];
  }
  const name = f.path ?? (f.layer !== undefined ? `layer ${f.layer}` : report.image?.ref ?? 'image');
  return [{ logicalLocations: [{ name, fullyQualifiedName: f.path ? `image:/${f.path}` : name, kind: 'resource' }] }];
}

/**
 * SARIF message text: brackets escaped with `\\` as SARIF §3.11.5 requires for literal brackets, so report text
 * can never form an embedded link (`[text](…)`) in a code-scanning alert; one line, no control characters.
 */
export const sarifText = (text: string): string => singleLine(text).replace(/[\\[\]]/g, (c) => `\\${c}`);

function messageOf(f: Finding): string {
  // The masked form is already safe; mention it when the message does not.
  const text = f.masked && !f.message.includes(f.masked) ? `${f.message} (${f.masked})` : f.message;
  return sarifText(text);
}

/** SARIF 2.1.0 JSON text for the report's findings. */
export function renderSarif(report: Report, opts: SarifOptions = {}): string {
  const root = opts.root ?? process.cwd();
  const metas = new Map<string, RuleMeta>();
  for (const m of [...lintRules, ...stageRuleMetas, ...(opts.extraRules ?? [])]) metas.set(m.id, m);

  const ruleIndex = new Map<string, number>();
  const rules: ReturnType<typeof ruleDescriptor>[] = [];
  for (const f of report.findings) {
    if (ruleIndex.has(f.rule)) continue;
    ruleIndex.set(f.rule, rules.length);
    rules.push(ruleDescriptor(f.rule, metas.get(f.rule)));
  }

  const results = report.findings.map((f) => ({
    ruleId: f.rule,
    ruleIndex: ruleIndex.get(f.rule) as number,
    level: LEVEL[f.severity],
    kind: 'fail',
    message: { text: messageOf(f) },
    locations: locationsOf(f, report, root),
    partialFingerprints: { 'imageAuditFingerprint/v1': f.fingerprint },
    ...(f.suppressed
      ? { suppressions: [{ kind: f.suppressed.by === 'inline' ? 'inSource' : 'external', ...(f.suppressed.reason ? { justification: f.suppressed.reason } : {}) }] }
      : {}),
    properties: {
      category: f.category,
      ...(f.layer !== undefined ? { layer: f.layer } : {}),
      ...(f.path !== undefined ? { path: f.path } : {}),
      ...(f.bytes !== undefined ? { bytes: f.bytes } : {}),
      ...(f.masked !== undefined ? { masked: f.masked } : {})
    }
  }));

  const sarif = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            semanticVersion: report.tool.version,
            informationUri: INFORMATION_URI,
            rules
          }
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileUri(root) } },
        invocations: [{ executionSuccessful: true, endTimeUtc: report.generatedAt }],
        results
      }
    ]
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

function pathToFileUri(dir: string): string {
  const abs = path.resolve(dir).split(path.sep).join('/');
  return `file://${abs.startsWith('/') ? '' : '/'}${abs.split('/').map(encodeURIComponent).join('/')}/`;
}
