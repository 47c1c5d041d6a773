// Reads a saved JSON report (a baseline) and checks it is one, so a wrong file fails with a clear message
// instead of producing a nonsense diff.
import { readFile } from 'node:fs/promises';
import type { Report } from './types.js';
import { UserError } from '../util/errors.js';

export function parseReport(text: string, source: string): Report {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new UserError(`${source} is not valid JSON (${(e as Error).message}).`, 'Give a report written by image-audit (the report output or --output FILE).');
  }
  const r = data as Partial<Report>;
  const problems: string[] = [];
  if (!r || typeof r !== 'object') problems.push('it is not an object');
  else {
    if (r.schemaVersion !== 1) problems.push(`schemaVersion is ${JSON.stringify(r.schemaVersion)}, expected 1`);
    if (!Array.isArray(r.layers)) problems.push('layers is missing');
    if (!Array.isArray(r.findings)) problems.push('findings is missing');
    if (r.image !== undefined && (typeof r.image.size !== 'number' || typeof r.image.layers !== 'number')) problems.push('image.size/image.layers are missing');
  }
  if (problems.length) {
    throw new UserError(`${source} is not an image-audit report: ${problems.join('; ')}.`, 'Give a report written by image-audit (the report output or --output FILE) by the same major version.');
  }
  return r as Report;
}

export async function readReportFile(file: string): Promise<Report> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UserError(`The baseline report ${file} cannot be read.`, 'Check the path (relative to the working directory), or restore it first (e.g. with actions/cache).');
  }
  return parseReport(text, `The baseline report ${file}`);
}
