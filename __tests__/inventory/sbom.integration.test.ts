// The SBOM of real images (every package type) validates against the official CycloneDX 1.5 schema.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { renderSbom, purlOf } from '../../src/render/sbom.js';
import type { Package, Report } from '../../src/report/types.js';
import { fixture as _fixture, requireEngine, repoRoot } from '../helpers/engine.js';
import { inventoryOf } from './helpers.js';

requireEngine();
void _fixture;

const schema = (name: string) => JSON.parse(readFileSync(`${repoRoot}/__tests__/fixtures/cyclonedx/${name}`, 'utf8'));

function validator() {
  const ajv = new Ajv({ strict: false, allErrors: true });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  // Formats ajv-formats does not define: accept them (the JSON Schema spec makes unknown formats annotations).
  for (const f of ['iri-reference', 'idn-email', 'iri']) ajv.addFormat(f, true);
  ajv.addSchema(schema('spdx.schema.json'), 'spdx.schema.json');
  ajv.addSchema(schema('jsf-0.82.schema.json'), 'jsf-0.82.schema.json');
  return ajv.compile(schema('bom-1.5.schema.json'));
}

describe('CycloneDX SBOM', () => {
  it('lists every package of real images and validates against bom-1.5.schema.json', async () => {
    const packages: Package[] = [];
    let base: Awaited<ReturnType<typeof inventoryOf>> | undefined;
    for (const [dir, target] of [['deb', 'full'], ['apk'], ['rpm', 'sqlite'], ['python'], ['go'], ['jar'], ['npm']] as [string, string?][]) {
      const r = await inventoryOf(dir, target);
      base ??= r;
      packages.push(...r.inventory.packages);
    }
    const report: Report = {
      schemaVersion: 1,
      tool: { name: 'image-audit', version: '0.0.0-test' },
      generatedAt: new Date().toISOString(),
      image: base!.analysis.image,
      layers: base!.analysis.layers,
      findings: [],
      packages,
      distro: base!.inventory.distro
    };
    expect(report.distro).toMatchObject({ id: 'debian', versionId: '12' });
    const bom = JSON.parse(renderSbom(report));
    const validate = validator();
    const ok = validate(bom);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    expect(bom.components).toHaveLength(packages.length);
    const purls = bom.components.map((c: { purl: string }) => c.purl);
    expect(purls).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^pkg:deb\/debian\/jq@1\.6-[^?]+\?distro=debian-12$/),
        'pkg:npm/typescript@5.4.5',
        'pkg:pypi/requests@2.31.0',
        'pkg:golang/example.com/greet@v1.2.3',
        'pkg:maven/org.slf4j/slf4j-api@2.0.9'
      ])
    );
    expect(bom.components.find((c: { name: string }) => c.name === 'typescript').scope).toBe('excluded');
    // A schema violation is caught (the test can fail).
    expect(validate({ ...bom, specVersion: 1.5 })).toBe(false);
  });

  it('encodes purl parts', () => {
    expect(purlOf({ type: 'npm', name: '@types/node', version: '20.1.0' })).toBe('pkg:npm/%40types/node@20.1.0');
    expect(purlOf({ type: 'deb', name: 'libstdc++6', version: '1:12.2.0-14' }, { id: 'ubuntu', versionId: '24.04' })).toBe(
      'pkg:deb/ubuntu/libstdc%2B%2B6@1%3A12.2.0-14?distro=ubuntu-24.04'
    );
  });
});
