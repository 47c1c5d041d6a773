// Building the secret fixtures with generated values, and scanning images through the real reader + analysis.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultConfig, type AuditConfig } from '../../src/config/types.js';
import { analyseImage, type ImageAnalysis } from '../../src/image/analyse.js';
import type { Finding } from '../../src/report/types.js';
import { createSecretScan, type SecretScan } from '../../src/secrets/index.js';
import { nodeRuntime } from '../../src/util/node-runtime.js';
import type { Logger, Runtime } from '../../src/util/runtime.js';
import { buildFixture, fixture } from '../helpers/engine.js';

/** A temp copy of fixtures/secrets/<name> with `@@VAR@@` markers replaced and extra files written. */
export function renderFixture(name: string, vars: Record<string, string> = {}, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), `ia-secrets-${name}-`));
  cpSync(fixture('secrets', name), dir, { recursive: true });
  for (const f of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!f.isFile()) continue;
    const p = path.join(f.parentPath, f.name);
    const text = readFileSync(p, 'utf8');
    const out = text.replace(/@@([A-Z0-9_]+)@@/g, (m, k: string) => vars[k] ?? m);
    if (out !== text) writeFileSync(p, out);
  }
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

/** Builds a rendered fixture as `ia-test-secrets-<name>`; build args given as NAME → value. */
export function buildSecretFixture(
  name: string,
  opts: { vars?: Record<string, string>; files?: Record<string, string>; buildArgs?: Record<string, string> } = {}
) {
  const dir = renderFixture(name, opts.vars, opts.files);
  const tag = `ia-test-secrets-${name}`;
  const args = Object.entries(opts.buildArgs ?? {}).flatMap(([k, v]) => ['--build-arg', `${k}=${v}`]);
  const id = buildFixture(dir, tag, args);
  return { dir, tag, id };
}

export interface CapturedRuntime extends Runtime {
  lines: string[];
  masked: string[];
}

export function capturingRuntime(): CapturedRuntime {
  const lines: string[] = [];
  const masked: string[] = [];
  const log: Logger = {
    info: (m) => lines.push(m),
    warning: (m) => lines.push(`warning: ${m}`),
    debug: (m) => lines.push(`debug: ${m}`),
    group: async (n, fn) => (lines.push(n), fn())
  };
  return { ...nodeRuntime({ logger: log }), maskSecret: (v) => masked.push(v), lines, masked };
}

export async function scanImage(
  ref: string,
  config: AuditConfig = defaultConfig()
): Promise<{ analysis: ImageAnalysis; findings: Finding[]; scan: SecretScan; runtime: CapturedRuntime }> {
  const runtime = capturingRuntime();
  const scan = createSecretScan({ config, runtime });
  const analysis = await analyseImage({ ref, runtime, config, subscribers: [scan.subscriber] });
  return { analysis, findings: scan.findings(analysis), scan, runtime };
}
