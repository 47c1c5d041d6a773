// The inventory as a CycloneDX 1.5 JSON SBOM (https://cyclonedx.org/docs/1.5/json/), from the Report alone: one
// component per package with a package URL (purl), its layer, path and size as properties, and dev-only
// packages with scope `excluded`. Validated against the official schema in __tests__/inventory/sbom.test.ts.
import { randomUUID } from 'node:crypto';
import type { Package, Report } from '../report/types.js';

const OS_NAMESPACE: Record<string, string> = { deb: 'debian', apk: 'alpine', rpm: 'redhat' };

const enc = (s: string) => encodeURIComponent(s);

/** Package URL (https://github.com/package-url/purl-spec) for a package. */
export function purlOf(p: Package, distro?: Report['distro']): string {
  const version = `@${enc(p.version)}`;
  switch (p.type) {
    case 'deb':
    case 'apk':
    case 'rpm': {
      const ns = distro?.id ? enc(distro.id.toLowerCase()) : OS_NAMESPACE[p.type];
      const qualifiers = distro?.id && distro.versionId ? `?distro=${enc(`${distro.id}-${distro.versionId}`)}` : '';
      return `pkg:${p.type}/${ns}/${enc(p.name)}${version}${qualifiers}`;
    }
    case 'npm': {
      const [scope, name] = p.name.startsWith('@') ? p.name.split('/') : [undefined, p.name];
      return `pkg:npm/${scope ? `${enc(scope)}/` : ''}${enc(name ?? p.name)}${version}`;
    }
    case 'python':
      return `pkg:pypi/${enc(p.name.toLowerCase().replace(/[-_.]+/g, '-'))}${version}`;
    case 'go':
      return `pkg:golang/${p.name.split('/').map(enc).join('/')}${version}`;
    case 'maven': {
      const [group, artifact] = p.name.includes(':') ? p.name.split(':') : [p.group ?? '', p.name];
      return `pkg:maven/${enc(group)}/${enc(artifact)}${version}`;
    }
  }
}

export interface SbomOptions {
  /** Fixed serial number and timestamp (tests); default random / now. */
  serialNumber?: string;
  timestamp?: string;
}

export function renderSbom(report: Report, opts: SbomOptions = {}): string {
  const image = report.image;
  const seen = new Map<string, number>();
  const components = (report.packages ?? []).map((p) => {
    const purl = purlOf(p, report.distro);
    const n = seen.get(purl) ?? 0;
    seen.set(purl, n + 1);
    const properties = [
      ...(p.layer !== undefined ? [{ name: 'image-audit:layer', value: String(p.layer) }] : []),
      ...(p.layer !== undefined && report.layers[p.layer]?.step?.line !== undefined
        ? [{ name: 'image-audit:dockerfile-line', value: String(report.layers[p.layer].step!.line) }]
        : []),
      ...(p.size !== undefined ? [{ name: 'image-audit:size', value: String(p.size) }] : []),
      ...(p.path ? [{ name: 'image-audit:path', value: `/${p.path}` }] : []),
      { name: 'image-audit:package-type', value: p.type }
    ];
    return {
      type: p.type === 'go' && p.size !== undefined ? 'application' : 'library',
      'bom-ref': n === 0 ? purl : `${purl}#${n}`,
      ...(p.type === 'maven' && p.group ? { group: p.group } : {}),
      name: p.type === 'maven' && p.name.includes(':') ? p.name.split(':')[1] : p.name,
      version: p.version,
      ...(p.dev ? { scope: 'excluded' } : {}),
      purl,
      properties
    };
  });
  const bom = {
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    serialNumber: opts.serialNumber ?? `urn:uuid:${randomUUID()}`,
    version: 1,
    metadata: {
      timestamp: opts.timestamp ?? report.generatedAt,
      tools: { components: [{ type: 'application', name: report.tool.name, version: report.tool.version }] },
      ...(image
        ? {
            component: {
              type: 'container',
              'bom-ref': image.id,
              name: image.ref ?? image.tags[0] ?? image.id,
              version: image.id,
              properties: [
                { name: 'image-audit:size', value: String(image.size) },
                ...(report.distro ? [{ name: 'image-audit:distro', value: report.distro.prettyName ?? report.distro.id }] : []),
                ...(report.packageDatabasesNotRead ?? []).map((u) => ({ name: 'image-audit:database-not-read', value: `/${u.path}: ${u.reason}` }))
              ]
            }
          }
        : {})
    },
    components
  };
  return JSON.stringify(bom, null, 2) + '\n';
}
