import { describe, expect, it } from '@jest/globals';
import { comparePackages } from '../../src/compare/packages.js';
import { compareReports } from '../../src/compare/index.js';
import { renderPackageChangesMarkdown, renderPackagesText } from '../../src/render/packages.js';
import { renderSummary } from '../../src/render/markdown.js';
import type { Package } from '../../src/report/types.js';
import { makeReport } from '../compare/make-report.js';

const MiB = 1024 * 1024;
const deb = (name: string, version: string, size: number, layer = 1): Package => ({ type: 'deb', name, version, size, layer, path: 'var/lib/dpkg/status' });

function reports() {
  const base = makeReport([
    { instruction: 'FROM debian', size: 100, fromBase: true },
    { instruction: 'RUN apt-get install -y curl', line: 3, size: 10 }
  ]);
  const head = makeReport([
    { instruction: 'FROM debian', size: 100, fromBase: true },
    { instruction: 'RUN apt-get install -y curl gcc-12', line: 7, size: 60 }
  ]);
  base.packages = [
    deb('curl', '7.88.1-10+deb12u5', 500_000),
    deb('libc6', '2.36-9+deb12u4', 12 * MiB, 0),
    deb('wget', '1.21-1', 3 * MiB),
    deb('tzdata', '2024a-0+deb12u1', 2 * MiB, 0)
  ];
  head.packages = [
    deb('curl', '7.88.1-10+deb12u12', 520_000),
    deb('libc6', '2.36-9+deb12u4', 12 * MiB, 0),
    deb('gcc-12', '12.2.0-14', 48 * MiB),
    deb('cpp-12', '12.2.0-14', 30 * MiB),
    deb('tzdata', '2023c-8', 2 * MiB, 0),
    { type: 'npm', name: '<img src=x>', version: '1.0.0', size: 10, layer: 1, path: 'app/node_modules/x/package.json' }
  ];
  return { base, head };
}

describe('package diff', () => {
  it('lists added, removed, upgraded and downgraded packages, largest first, with their Dockerfile line', () => {
    const { base, head } = reports();
    const d = comparePackages(base, head)!;
    expect(d.added.map((c) => [c.name, c.size, c.line])).toEqual([
      ['gcc-12', 48 * MiB, 7],
      ['cpp-12', 30 * MiB, 7],
      ['<img src=x>', 10, 7]
    ]);
    expect(d.removed.map((c) => [c.name, c.sizeDelta, c.line])).toEqual([['wget', -3 * MiB, 3]]);
    expect(d.upgraded.map((c) => [c.name, c.baseVersion, c.version, c.sizeDelta])).toEqual([['curl', '7.88.1-10+deb12u5', '7.88.1-10+deb12u12', 20_000]]);
    expect(d.downgraded.map((c) => c.name)).toEqual(['tzdata']);
    expect(comparePackages({ ...base, packages: undefined }, head)).toBeUndefined();
  });

  it('renders a collapsible, escaped Markdown section and text lines', () => {
    const { base, head } = reports();
    const diff = compareReports(base, head);
    const md = renderPackageChangesMarkdown(diff);
    expect(md).toMatch(/^<details><summary>Packages&#58; 3 added, 1 removed, 1 upgraded, 1 downgraded/);
    const decoded = md.replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)));
    expect(decoded).toContain('- + gcc-12 12.2.0-14 (48.0 MiB, line 7)');
    expect(md).toContain('- &#43; gcc-12');
    expect(md).toContain('- &#45; wget');
    expect(md).not.toContain('<img');
    expect(md.indexOf('gcc-12')).toBeLessThan(md.indexOf('cpp-12'));
    expect(renderSummary(head, diff)).toContain(md);
    const text = renderPackagesText(head, diff).join('\n');
    expect(text).toContain('+ gcc-12 12.2.0-14 (48.0 MiB, line 7)');
    expect(text).toContain('↑ curl 7.88.1-10+deb12u5 → 7.88.1-10+deb12u12 (+19.5 KiB, line 7)');
    expect(renderPackagesText(head, undefined).join('\n')).toContain('Packages: 5 deb, 1 npm');
  });
});
