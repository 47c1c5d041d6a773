// Shared by the lint tests: run the linter on a fixture folder or on inline text written to a temp folder.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultConfig, type AuditConfig } from '../../src/config/types.js';
import { lintDockerfile } from '../../src/lint/index.js';
import type { Finding } from '../../src/report/types.js';
import { fixture } from '../helpers/engine.js';

export async function lintFixture(rel: string, opts: { file?: string; target?: string; config?: AuditConfig; context?: string } = {}): Promise<Finding[]> {
  const dir = fixture('lint', rel);
  return lintDockerfile({
    dockerfile: path.join(dir, opts.file ?? 'Dockerfile'),
    context: opts.context,
    target: opts.target,
    config: opts.config ?? defaultConfig()
  });
}

/** Writes the Dockerfile to a fresh temp folder (the context) and lints it. */
export async function lintText(text: string, opts: { target?: string; config?: AuditConfig } = {}): Promise<Finding[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ia-lint-'));
  const file = path.join(dir, 'Dockerfile');
  writeFileSync(file, text);
  return lintDockerfile({ dockerfile: file, target: opts.target, config: opts.config ?? defaultConfig() });
}

export const rulesOf = (findings: Finding[]): string[] => [...new Set(findings.map((f) => f.rule))].sort();
export const only = (findings: Finding[], rule: string): Finding[] => findings.filter((f) => f.rule === rule);
