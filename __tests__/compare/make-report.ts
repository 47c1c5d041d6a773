// Builds Reports by construction for the pure compare/gate/render tests: every expected number in those tests
// is derived from the layers given here.
import { createHash } from 'node:crypto';
import type { Finding, LayerReport, Report } from '../../src/report/types.js';

export interface LayerSpec {
  instruction?: string;
  createdBy?: string;
  line?: number;
  size: number;
  fromBase?: boolean;
  /** Same content ⇒ same diffId; defaults to instruction+size. */
  content?: string;
  wasted?: number;
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

export function makeReport(layers: LayerSpec[], findings: Finding[] = [], extra: Partial<NonNullable<Report['image']>> = {}): Report {
  const layerReports: LayerReport[] = layers.map((l, index) => ({
    index,
    diffId: `sha256:${sha(l.content ?? `${l.instruction ?? l.createdBy}:${l.size}`)}`,
    size: l.size,
    compressedSize: Math.round(l.size / 2),
    createdBy: l.createdBy ?? `${l.instruction} # buildkit`,
    fromBase: l.fromBase ?? false,
    ...(l.instruction && !l.fromBase ? { step: { instruction: l.instruction, line: l.line, stage: '0' } } : {}),
    wastedBytes: l.wasted ?? 0
  }));
  const size = layerReports.reduce((n, l) => n + l.size, 0);
  const wastedBytes = layerReports.reduce((n, l) => n + (l.wastedBytes ?? 0), 0);
  return {
    schemaVersion: 1,
    tool: { name: 'image-audit', version: '0.0.0-test' },
    generatedAt: new Date(0).toISOString(),
    source: { dockerfile: 'Dockerfile' },
    image: {
      id: `sha256:${sha(JSON.stringify(layers))}`,
      tags: [],
      size,
      compressedSize: layerReports.reduce((n, l) => n + l.compressedSize, 0),
      layers: layerReports.length,
      wastedBytes,
      userWastedBytes: wastedBytes,
      baseWastedBytes: 0,
      efficiency: size === 0 ? 1 : (size - wastedBytes) / size,
      baseLayers: layerReports.filter((l) => l.fromBase).length,
      ...extra
    },
    layers: layerReports,
    findings
  };
}

export function finding(partial: Partial<Finding> & Pick<Finding, 'rule'>): Finding {
  return {
    severity: 'warning',
    category: 'lint',
    message: `${partial.rule} finding`,
    fingerprint: sha(JSON.stringify(partial)),
    ...partial
  };
}

export const MiB = 1024 * 1024;
