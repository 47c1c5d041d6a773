// The whole audit for one image: lint → build (or take an existing image) → one streaming analysis pass shared
// with the secret scanner → step attribution → one Report. No verdict here: the gate adds it, so a saved
// report stays a neutral baseline.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { renderHtml } from '../render/html.js';
import path from 'node:path';
import type { AuditConfig } from '../config/types.js';
import type { Finding, Report } from '../report/types.js';
import type { Runtime } from '../util/runtime.js';
import { UserError } from '../util/errors.js';
import type { BuildInputs } from '../build/inputs.js';
import { checkBuildPaths, runBuild } from '../build/run.js';
import { ensureBuildx, ensureEngine, ensureImage, layerCount } from '../docker/engine.js';
import { lintDockerfile } from '../lint/index.js';
import { analyseImage } from '../image/analyse.js';
import { createSecretScan, redactReport } from '../secrets/index.js';
import { createInventoryScan } from '../inventory/index.js';
import { INVENTORY_RULES, runImageRules } from '../image/rules/index.js';
import { attributeHistory, shippedChain } from './attribution.js';
import { TOOL_VERSION } from '../version.js';

export interface AuditOptions {
  /** Build from a Dockerfile… */
  build?: BuildInputs;
  /** …or analyse an existing image (a Dockerfile in `build` is then only linted and used for attribution). */
  image?: string;
  config: AuditConfig;
  /** Folder relative paths are resolved against (the repository root). */
  cwd?: string;
  /** Skip the Dockerfile lint (e.g. `lint` input false). */
  skipLint?: boolean;
  /** Write the interactive size map (render/html.ts) of the final filesystem to this path (resolved against cwd). */
  htmlReport?: string;
}

export async function runAudit(opts: AuditOptions, runtime: Runtime): Promise<Report> {
  const cwd = opts.cwd ?? process.cwd();
  const { build, config } = opts;
  if (!build && !opts.image) {
    throw new UserError('Nothing to audit.', 'Give a Dockerfile to build (file/context) or an existing image (image / --image).');
  }

  const findings: Finding[] = [];
  let dockerfileText: string | undefined;
  if (build) {
    if (!opts.image) checkBuildPaths(build, cwd);
    const dockerfilePath = path.resolve(cwd, build.file);
    dockerfileText = await readFile(dockerfilePath, 'utf8').catch(() => undefined);
    if (dockerfileText !== undefined && !opts.skipLint) {
      findings.push(
        ...(await runtime.log.group('Lint Dockerfile', async () =>
          lintDockerfile({ dockerfile: build.file, context: path.resolve(cwd, build.context), target: build.target, config, contents: dockerfileText, cwd })
        ))
      );
    }
  }

  await ensureEngine(runtime);
  let ref: string;
  if (opts.image) {
    await ensureImage(runtime, opts.image);
    ref = opts.image;
  } else {
    await ensureBuildx(runtime, build!.builder);
    const result = await runBuild(build!, runtime, cwd);
    ref = build!.tags[0] ?? result.imageId;
    runtime.log.info(`Built ${ref} in ${result.seconds.toFixed(1)} s`);
  }

  const chain = dockerfileText !== undefined ? shippedChain(dockerfileText, build?.target) : undefined;
  const baseLayerCount =
    chain?.baseImage === undefined ? undefined : chain.baseImage === 'scratch' ? 0 : await layerCount(runtime, chain.baseImage);

  const secretScan = createSecretScan({ config, runtime });
  const inventoryScan = createInventoryScan();
  const analysis = await runtime.log.group(`Analyse ${ref}`, () =>
    analyseImage({ ref, runtime, config, subscribers: [secretScan.subscriber, inventoryScan.subscriber], baseLayerCount })
  );
  const inventory = await inventoryScan.build(analysis.model);
  const inventoryFindings = runImageRules({ ...analysis, model: analysis.model, config, inventory }, INVENTORY_RULES);
  findings.push(...analysis.findings, ...inventoryFindings, ...secretScan.findings(analysis));

  // Attribute layers (and the findings on them) to Dockerfile lines.
  if (chain && analysis.image.history) {
    const steps = attributeHistory(analysis.image.history, chain.steps);
    analysis.image.history.forEach((h, i) => {
      const step = steps[i];
      if (step && h.layer !== undefined && analysis.layers[h.layer]) {
        const { instruction, line, endLine, stage } = step;
        analysis.layers[h.layer].step = { instruction, line, endLine, stage };
      }
    });
    for (const f of findings) {
      // Layer findings point at the layer's step; history/config findings (no layer) carry history indexes.
      const historyIndex = Array.isArray(f.details?.steps) ? (f.details.steps as number[])[0] : undefined;
      const step = f.layer !== undefined ? analysis.layers[f.layer]?.step : historyIndex !== undefined ? steps[historyIndex] : undefined;
      if (step && !f.file) {
        f.file = build!.file;
        f.line = step.line;
        f.endLine = step.endLine;
      }
    }
  }

  const report: Report = {
    schemaVersion: 1,
    tool: { name: 'image-audit', version: TOOL_VERSION },
    generatedAt: new Date().toISOString(),
    source: build ? { dockerfile: build.file, context: build.context, target: build.target } : undefined,
    image: analysis.image,
    layers: analysis.layers,
    findings: applyRuleConfig(findings, config),
    wastedFiles: analysis.wastedFiles,
    largestDirectories: analysis.largestDirectories,
    packages: inventory.packages,
    ...(inventory.unread.length ? { packageDatabasesNotRead: inventory.unread } : {}),
    ...(inventory.distro ? { distro: inventory.distro } : {})
  };
  const redacted = redactReport(report, secretScan);
  if (opts.htmlReport) {
    const htmlPath = path.resolve(cwd, opts.htmlReport);
    await mkdir(path.dirname(htmlPath), { recursive: true });
    await writeFile(htmlPath, renderHtml(redacted, inventory.visible));
  }
  return redacted;
}

/** `rules: { id: off | severity }` from the config applies to every stage's findings alike. */
function applyRuleConfig(findings: Finding[], config: AuditConfig): Finding[] {
  return findings
    .filter((f) => config.rules[f.rule] !== 'off')
    .map((f) => {
      const override = config.rules[f.rule];
      return override && override !== 'off' ? { ...f, severity: override } : f;
    });
}

/** Lint only (the `lint` command): no engine needed. */
export async function runLint(
  opts: { dockerfile: string; context?: string; target?: string; config: AuditConfig; cwd?: string }
): Promise<Report> {
  const cwd = opts.cwd ?? process.cwd();
  const findings = await lintDockerfile({
    dockerfile: opts.dockerfile,
    context: opts.context ? path.resolve(cwd, opts.context) : undefined,
    target: opts.target,
    config: opts.config,
    cwd
  });
  return {
    schemaVersion: 1,
    tool: { name: 'image-audit', version: TOOL_VERSION },
    generatedAt: new Date().toISOString(),
    source: { dockerfile: opts.dockerfile, context: opts.context, target: opts.target },
    layers: [],
    findings // lintDockerfile already applied the config's rule severities
  };
}
