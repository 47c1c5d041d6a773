// Multi-platform diffs: each platform of the head against the same platform of the base (linux/arm64 against
// linux/arm64), never against another architecture. A single-platform report counts as its own platform.
import type { PlatformReport, Report } from '../report/types.js';

export interface PlatformMetrics {
  size: number;
  compressedSize: number;
  layers: number;
  wastedBytes: number;
  /** Active (not suppressed) findings. */
  findings: number;
}

export interface PlatformDiff {
  platform: string;
  head?: PlatformMetrics;
  base?: PlatformMetrics;
}

/** The report's platforms; a single-platform report is one entry named by its os/arch. */
export function platformsOf(report: Report): PlatformReport[] {
  if (report.platforms?.length) return report.platforms;
  if (!report.image) return [];
  const platform = report.image.platform ?? (report.image.os && report.image.architecture ? `${report.image.os}/${report.image.architecture}` : 'image');
  return [{ platform, image: report.image, layers: report.layers, findings: report.findings }];
}

export function platformMetrics(p: PlatformReport): PlatformMetrics {
  return {
    size: p.image.size,
    compressedSize: p.image.compressedSize,
    layers: p.image.layers,
    wastedBytes: p.image.wastedBytes,
    findings: p.findings.filter((f) => !f.suppressed).length
  };
}

/** Only for multi-platform heads or bases; undefined otherwise (the metrics table covers one image). */
export function comparePlatforms(base: Report, head: Report): PlatformDiff[] | undefined {
  if (!head.platforms?.length && !base.platforms?.length) return undefined;
  const heads = platformsOf(head);
  const bases = new Map(platformsOf(base).map((p) => [p.platform, p]));
  const out: PlatformDiff[] = heads.map((h) => {
    const b = bases.get(h.platform);
    bases.delete(h.platform);
    return { platform: h.platform, head: platformMetrics(h), ...(b ? { base: platformMetrics(b) } : {}) };
  });
  for (const b of bases.values()) out.push({ platform: b.platform, base: platformMetrics(b) });
  return out;
}
