// SARIF 2.1.0 as github/codeql-action/upload-sarif accepts it: the structure is checked field by field.
import { describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { defaultConfig } from '../../src/config/types.js';
import { lintDockerfile, lintRules } from '../../src/lint/index.js';
import { renderSarif } from '../../src/render/sarif.js';
import type { RuleMeta } from '../../src/report/rule-meta.js';
import type { Finding, Report } from '../../src/report/types.js';
import { repoRoot } from '../helpers/engine.js';

type Json = any;

/** The checks upload-sarif and the SARIF 2.1.0 schema make that matter here. */
function validateSarif(sarif: Json): void {
  expect(sarif.version).toBe('2.1.0');
  expect(sarif.$schema).toMatch(/sarif/);
  expect(Array.isArray(sarif.runs)).toBe(true);
  for (const run of sarif.runs) {
    const driver = run.tool?.driver;
    expect(typeof driver.name).toBe('string');
    const ids = driver.rules.map((r: Json) => r.id);
    expect(new Set(ids).size).toBe(ids.length); // one rule per id
    for (const rule of driver.rules) {
      expect(typeof rule.id).toBe('string');
      expect(typeof rule.shortDescription.text).toBe('string');
      if (rule.defaultConfiguration) expect(['error', 'warning', 'note', 'none']).toContain(rule.defaultConfiguration.level);
      expect(Array.isArray(rule.properties.tags)).toBe(true);
    }
    const used = new Set<string>();
    for (const result of run.results) {
      used.add(result.ruleId);
      expect(driver.rules[result.ruleIndex].id).toBe(result.ruleId);
      expect(['error', 'warning', 'note', 'none']).toContain(result.level);
      expect(typeof result.message.text).toBe('string');
      expect(result.message.text.length).toBeGreaterThan(0);
      expect(result.locations.length).toBeGreaterThan(0);
      for (const loc of result.locations) {
        if (loc.physicalLocation) {
          const uri: string = loc.physicalLocation.artifactLocation.uri;
          expect(uri).not.toMatch(/^(\/|file:|[A-Za-z]:)/);
          expect(uri).not.toContain('\\');
          const r = loc.physicalLocation.region;
          expect(Number.isInteger(r.startLine) && r.startLine >= 1).toBe(true);
          if (r.startColumn !== undefined) expect(r.startColumn).toBeGreaterThanOrEqual(1);
          if (r.endLine !== undefined) expect(r.endLine).toBeGreaterThanOrEqual(r.startLine);
          if (r.endColumn !== undefined && (r.endLine ?? r.startLine) === r.startLine) expect(r.endColumn).toBeGreaterThan(r.startColumn ?? 0);
        } else {
          expect(loc.logicalLocations.length).toBeGreaterThan(0);
        }
      }
      for (const v of Object.values(result.partialFingerprints)) expect(typeof v).toBe('string');
    }
    expect(new Set(ids)).toEqual(used);
  }
}

function report(findings: Finding[], source?: Report['source']): Report {
  return { schemaVersion: 1, tool: { name: 'image-audit', version: '0.1.0' }, generatedAt: '2025-01-01T00:00:00.000Z', source, layers: [], findings };
}

describe('renderSarif', () => {
  it('renders real lint findings with rule metadata, ranges and fingerprints', async () => {
    const dockerfile = path.join('fixtures', 'lint', 'package-cache-not-cleaned', 'bad', 'Dockerfile');
    const findings = await lintDockerfile({ dockerfile, cwd: repoRoot, config: defaultConfig() });
    const sarif = JSON.parse(renderSarif(report(findings, { dockerfile }), { root: repoRoot }));
    validateSarif(sarif);
    const run = sarif.runs[0];
    const result = run.results.find((r: Json) => r.ruleId === 'package-cache-not-cleaned');
    expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe('fixtures/lint/package-cache-not-cleaned/bad/Dockerfile');
    expect(result.locations[0].physicalLocation.region).toEqual({ startLine: 2, startColumn: 1, endLine: 2, endColumn: 70 });
    expect(result.level).toBe('warning');
    expect(result.partialFingerprints['imageAuditFingerprint/v1']).toBe(findings.find((f) => f.rule === 'package-cache-not-cleaned')?.fingerprint);
    const rule = run.tool.driver.rules[result.ruleIndex];
    const meta = lintRules.find((m) => m.id === 'package-cache-not-cleaned')!;
    expect(rule.shortDescription.text).toBe(meta.shortDescription);
    expect(rule.fullDescription.text).toBe(meta.fullDescription);
    expect(rule.help.markdown).toBe(meta.help);
    expect(rule.defaultConfiguration.level).toBe('warning');
    expect(rule.properties.tags).toContain('size');
    // info → note
    expect(run.results.find((r: Json) => r.ruleId === 'consecutive-run').level).toBe('note');
  });

  it('points image and secret findings at the Dockerfile step, or at a logical location', () => {
    const masked = 'ghp_…r8';
    const findings: Finding[] = [
      {
        rule: 'secret-file',
        severity: 'error',
        category: 'secret',
        message: 'A GitHub token in app/.env',
        path: 'app/.env',
        masked,
        layer: 3,
        line: 7,
        fingerprint: 'a'.repeat(64)
      },
      { rule: 'wasted-space', severity: 'warning', category: 'image', message: '40 MB hidden', bytes: 40e6, layer: 2, fingerprint: 'b'.repeat(64) },
      {
        rule: 'custom-rule',
        severity: 'info',
        category: 'image',
        message: 'from another stage',
        fingerprint: 'c'.repeat(64),
        suppressed: { by: 'fingerprint', reason: 'known' }
      }
    ];
    const withFile = JSON.parse(renderSarif(report(findings, { dockerfile: './docker/Dockerfile' })));
    validateSarif(withFile);
    const [secret, waste, custom] = withFile.runs[0].results;
    expect(secret.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'docker/Dockerfile', uriBaseId: '%SRCROOT%' }, region: { startLine: 7 } });
    expect(secret.locations[0].logicalLocations[0].fullyQualifiedName).toBe('image:/app/.env');
    expect(secret.message.text).toContain(masked);
    expect(waste.locations[0].physicalLocation.region).toEqual({ startLine: 1 });
    expect(custom.suppressions).toEqual([{ kind: 'external', justification: 'known' }]);
    const rules = withFile.runs[0].tool.driver.rules;
    expect(rules.map((r: Json) => r.id)).toEqual(['secret-file', 'wasted-space', 'custom-rule']);
    expect(rules[0].properties['security-severity']).toBe('8.0');
    expect(rules[2].shortDescription.text).toBe('custom-rule');

    const noFile = JSON.parse(renderSarif(report(findings)));
    validateSarif(noFile);
    expect(noFile.runs[0].results[0].locations[0].logicalLocations[0].name).toBe('app/.env');
    expect(noFile.runs[0].results[1].locations[0].logicalLocations[0].name).toBe('layer 2');
  });

  it('uses extraRules metadata for rules of other stages', () => {
    const extra: RuleMeta = {
      id: 'custom-rule',
      category: 'image',
      defaultSeverity: 'info',
      shortDescription: 'Something custom',
      fullDescription: 'Longer text.',
      help: 'Fix it.',
      tags: ['size']
    };
    const sarif = JSON.parse(
      renderSarif(report([{ rule: 'custom-rule', severity: 'info', category: 'image', message: 'm', fingerprint: 'd'.repeat(64) }]), { extraRules: [extra] })
    );
    validateSarif(sarif);
    expect(sarif.runs[0].tool.driver.rules[0].shortDescription.text).toBe('Something custom');
  });

  it('marks inline-suppressed lint findings as suppressed in source', async () => {
    const dockerfile = 'fixtures/lint/inline-ignore/Dockerfile';
    const findings = await lintDockerfile({ dockerfile, cwd: repoRoot, config: defaultConfig() });
    const sarif = JSON.parse(renderSarif(report(findings, { dockerfile }), { root: repoRoot }));
    validateSarif(sarif);
    const suppressed = sarif.runs[0].results.filter((r: Json) => r.suppressions);
    expect(suppressed.map((r: Json) => [r.ruleId, r.suppressions[0].kind])).toEqual([
      ['apt-no-install-recommends', 'inSource'],
      ['package-cache-not-cleaned', 'inSource']
    ]);
  });

  it('an empty report is still valid SARIF', () => {
    const sarif = JSON.parse(renderSarif(report([])));
    validateSarif(sarif);
    expect(sarif.runs[0].results).toEqual([]);
  });
});
