// Reads a saved JSON report (a baseline, or `from-report`) and validates it against the schema (schema.ts):
// such a file may come from untrusted PR code, so a wrong one fails with one clear message naming the JSON path,
// never with a stack or a nonsense diff, and nothing unvalidated reaches a renderer.
import { readFile } from 'node:fs/promises';
import type { Report } from './types.js';
import { REPORT_SCHEMA_URL, validateReport } from './schema.js';
import { UserError } from '../util/errors.js';

const HINT = 'Give a report written by image-audit (the report output or --output FILE) by the same major version.';

export function parseReport(text: string, source: string): Report {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new UserError(`${source} is not valid JSON (${(e as Error).message.slice(0, 200)}).`, HINT);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    throw new UserError(`${source} is not an image-audit report: it is not a JSON object.`, HINT);
  }
  const version = (data as { schemaVersion?: unknown }).schemaVersion;
  if (version !== 1) {
    const shown = typeof version === 'number' || version === undefined ? String(version) : typeof version;
    throw new UserError(`${source} is not an image-audit report: schemaVersion is ${shown}, expected 1.`, HINT);
  }
  const result = validateReport(data);
  if (!result.ok) throw new UserError(`${source} is not a valid image-audit report: ${result.problems.join('; ')}.`, HINT);
  return result.report;
}

export async function readReportFile(file: string): Promise<Report> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UserError(
      `The baseline report ${file} cannot be read.`,
      'Check the path (relative to the working directory), or restore it first (e.g. with actions/cache).'
    );
  }
  return parseReport(text, `The baseline report ${file}`);
}

/** A report as written to disk or stdout: `$schema` first, so editors and readers find the schema. */
export function serializeReport(report: Report): string {
  const { $schema: _ignored, ...rest } = report;
  return JSON.stringify({ $schema: REPORT_SCHEMA_URL, ...rest }, null, 2) + '\n';
}
