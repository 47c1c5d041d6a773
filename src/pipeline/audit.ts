// The whole audit for one image: lint → build (or take an existing image) → one streaming analysis pass shared
// with the secret scanner → step attribution → one Report. No verdict here: the gate adds it, so a saved
// report stays a neutral baseline.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { renderHtml } from '../render/html.js';
import path from 'node:path';
import type { AuditConfig } from '../config/types.js';
import type { Finding, PlatformReport, Report, StageTimings } from '../report/types.js';
import { cancellationOf, type Runtime } from '../util/runtime.js';
import { UserError } from '../util/errors.js';
import type { BuildInputs } from '../build/inputs.js';
import { checkBuildPaths, runBuild } from '../build/run.js';
import { ensureBuildx, ensureEngine, ensureImage, imageExists, layerCount } from '../docker/engine.js';
import { lintDockerfile } from '../lint/index.js';
import { analyseImage, type ReadProgress } from '../image/analyse.js';
import { progressReporter } from './progress.js';
import { displayRawNamesDeep } from '../image/layer-tar.js';
import { createSecretScan, inlineDockerfileSecrets, isMaskable, mergeSecretFindings, redactReport, type RedactionEntry } from '../secrets/index.js';
import { openSource, parseSourceText, type ImageSource, type SourceImage } from '../image/sources/index.js';
import { registrySource } from '../image/sources/registry.js';
import { archiveSource } from '../image/sources/archive.js';
import { ociLayoutSource } from '../image/sources/layout.js';
import { checkPublishDriver, needsPublish, planPublish, publishArgs, type PublishInputs } from '../build/publish.js';
import { createInventoryScan } from '../inventory/index.js';
import { INVENTORY_RULES, runImageRules } from '../image/rules/index.js';
import { attributeHistory, shippedChain } from './attribution.js';
import { mergeSameCause } from './merge.js';
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
  /** For an image index: `os/arch[/variant]`, or `all` for every platform (attestations skipped). */
  platform?: string;
  /** Registries reachable over plain HTTP or with an unverified certificate (insecure-registries). */
  insecureRegistries?: string[];
  env?: NodeJS.ProcessEnv;
  /** Build-push-action's platforms/push/outputs: build without --load and analyse what was pushed or written. */
  publish?: PublishInputs;
  /** Progress while the image is read; default: a log line at most every 5 s (the Actions log). */
  onProgress?: (p: ReadProgress) => void;
  /** Write the interactive size map (render/html.ts) of the final filesystem to this path (resolved against cwd). */
  htmlReport?: string;
}

/**
 * Where `image` is read from: an explicit source (registry://, oci-layout://, docker-archive://, oci-archive://);
 * for a bare reference the local engine when it answers and has the image, else the registry. Undefined = engine.
 */
export async function chooseSource(image: string, opts: AuditOptions, runtime: Runtime): Promise<ImageSource | undefined> {
  const sourceOpts = { insecureRegistries: opts.insecureRegistries, env: opts.env, cwd: opts.cwd };
  const explicit = openSource(image, sourceOpts);
  if (explicit) return explicit;
  const { kind, rest } = parseSourceText(image);
  if (kind === 'engine') return undefined;
  let engineDown: unknown;
  await ensureEngine(runtime).catch((e: unknown) => (engineDown = e));
  if (!engineDown && !rest.startsWith('-') && (await imageExists(runtime, rest))) return undefined;
  if (rest.startsWith('-') || /^[0-9a-f]{12,64}$|^sha256:/.test(rest)) return undefined; // ids exist only in an engine
  runtime.log.info(`${rest} is not in ${engineDown ? 'a local engine (none reachable)' : 'the local engine'}; reading it from its registry.`);
  const registry = registrySource(rest, sourceOpts);
  // Both places were tried: when the registry fails too, say so for both.
  return {
    ...registry,
    resolve: (platform) =>
      registry.resolve(platform).catch((e: unknown) => {
        const why = (e instanceof Error ? e.message : String(e)).split('\n')[0];
        if (engineDown instanceof UserError) {
          throw new UserError(`${engineDown.message.split('\n')[0]} Reading ${rest} from its registry instead failed too: ${why}`, engineDown.hint);
        }
        throw new UserError(
          `The image '${rest}' does not exist locally and could not be pulled from its registry (${why.replace(/\.$/, '')}).`,
          'Check the name and tag (docker images lists local ones), log in to its registry first (docker login), or build it with the file/context inputs instead.'
        );
      })
  };
}

export async function runAudit(opts: AuditOptions, runtime: Runtime): Promise<Report> {
  const cwd = opts.cwd ?? process.cwd();
  const { build, config } = opts;
  if (!build && !opts.image) {
    throw new UserError('Nothing to audit.', 'Give a Dockerfile to build (file/context) or an existing image (image / --image).');
  }

  const findings: Finding[] = [];
  const timings: StageTimings = {};
  const started = Date.now();
  const timed = async <T>(stage: keyof StageTimings, fn: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    try {
      return await fn();
    } finally {
      timings[stage] = (timings[stage] ?? 0) + (Date.now() - t0);
    }
  };
  let dockerfileText: string | undefined;
  if (build) {
    if (!opts.image) checkBuildPaths(build, cwd);
    const dockerfilePath = path.resolve(cwd, build.file);
    dockerfileText = await readFile(dockerfilePath, 'utf8').catch(() => undefined);
    if (dockerfileText !== undefined && !opts.skipLint) {
      findings.push(
        ...(await timed('lint', () =>
          runtime.log.group('Lint Dockerfile', async () =>
            lintDockerfile({ dockerfile: build.file, context: path.resolve(cwd, build.context), target: build.target, config, contents: dockerfileText, cwd })
          )
        ))
      );
    }
  }

  // Secrets written in the Dockerfile itself are known now: register them with the host before BuildKit's
  // progress lines (which echo each instruction) or a build failure message can print them.
  const firstScan = createSecretScan({ config, runtime });
  const inlineSecrets = dockerfileText !== undefined ? inlineDockerfileSecrets(dockerfileText) : [];
  firstScan.registerInline(inlineSecrets);

  let ref: string;
  let source = opts.image ? await chooseSource(opts.image, opts, runtime) : undefined;
  let platform = opts.platform;
  if (!source) await ensureEngine(runtime);
  let buildMetadata: Record<string, unknown> | undefined;
  if (opts.image) {
    ref = opts.image;
    if (!source) {
      ref = parseSourceText(opts.image).rest;
      await ensureImage(runtime, ref);
    }
  } else {
    await ensureBuildx(runtime, build!.builder);
    const publish = needsPublish(opts.publish) ? opts.publish : undefined;
    const plan = publish ? planPublish(publish, build!.tags) : { kind: 'load' as const };
    if (publish) await checkPublishDriver(runtime, build!.builder, publish, plan);
    const result = await timed('build', () =>
      runBuild(build!, runtime, cwd, {
        rewriteArgs: publish ? (args) => publishArgs(args, publish, plan) : undefined,
        inlineSecrets: inlineSecrets.filter(isMaskable).map((s) => s.value)
      })
    );
    // Provenance records build args (which may hold secrets): not kept.
    const { ['buildx.build.provenance']: _provenance, ...metadata } = result.metadata;
    buildMetadata = metadata;
    ref = build!.tags[0] ?? result.imageId;
    runtime.log.info(`Built ${ref} in ${result.seconds.toFixed(1)} s`);
    if (publish) {
      // Read back what was published, never a --load: every platform of a multi-platform build by default.
      const sourceOpts = { insecureRegistries: opts.insecureRegistries, env: opts.env, cwd };
      const digest = String(result.metadata['containerimage.digest'] ?? '');
      if (plan.kind === 'registry')
        source = registrySource(/^sha256:[0-9a-f]{64}$/.test(digest) ? `${plan.ref.replace(/@.*$/, '')}@${digest}` : plan.ref, sourceOpts);
      else if (plan.kind === 'oci-layout') source = ociLayoutSource(plan.path, sourceOpts);
      else if (plan.kind === 'oci-archive') source = archiveSource('oci-archive', plan.path, sourceOpts);
      platform ??= publish.platforms.length > 1 ? 'all' : undefined;
    }
  }

  const chain = dockerfileText !== undefined ? shippedChain(dockerfileText, build?.target) : undefined;
  // Without an engine the base image's layer count is not known locally: base/user split stays unset.
  const baseLayerCount =
    chain?.baseImage === undefined ? undefined : chain.baseImage === 'scratch' ? 0 : await layerCount(runtime, chain.baseImage).catch(() => undefined);

  const images: (SourceImage | undefined)[] = source ? await source.resolve(platform) : [undefined];
  const redactions: RedactionEntry[] = [];
  const platforms: PlatformReport[] = [];
  const onProgress = opts.onProgress ?? progressReporter({ mode: 'log', write: (t) => runtime.log.info(t.trimEnd()) });
  for (const [i, sourceImage] of images.entries()) {
    // One scan per platform (its findings and redactions are that image's); the first is the one that saw the
    // Dockerfile's inline secrets before the build.
    const secretScan = i === 0 ? firstScan : createSecretScan({ config, runtime });
    if (i > 0) secretScan.registerInline(inlineSecrets);
    const inventoryScan = createInventoryScan();
    const label = sourceImage?.platform ? `${ref} (${sourceImage.platform})` : ref;
    const endAnalysis = cancellationOf(runtime).enter('the analysis'); // named in a cancellation message
    const analysis = await timed('analysis', () =>
      runtime.log.group(`Analyse ${label}`, () =>
        analyseImage({
          ref,
          runtime,
          config,
          subscribers: [secretScan.subscriber, inventoryScan.subscriber],
          baseLayerCount,
          source: sourceImage,
          onProgress
        }).finally(endAnalysis)
      )
    );
    const inventory = await inventoryScan.build(analysis.model);
    const inventoryFindings = runImageRules({ ...analysis, model: analysis.model, config, inventory }, INVENTORY_RULES);
    const imageFindings = [...analysis.findings, ...inventoryFindings, ...secretScan.findings(analysis)];
    if (chain && analysis.image.history) attribute(analysis, imageFindings, chain.steps, build!.file);
    redactions.push(...secretScan.redactions);
    // One finding per secret value, with all its places (after attribution, so every place has its line).
    const merged = mergeSecretFindings([...findings, ...imageFindings], { ...secretScan, inline: inlineSecrets, dockerfile: build?.file });
    platforms.push({
      platform: analysis.image.platform ?? `${analysis.image.os ?? 'unknown'}/${analysis.image.architecture ?? 'unknown'}`,
      image: analysis.image,
      layers: analysis.layers,
      findings: mergeSameCause(applyRuleConfig(merged, config)),
      ...({ wastedFiles: analysis.wastedFiles, largestDirectories: analysis.largestDirectories, space: analysis.space, inventory } as object)
    });
  }
  const first = platforms[0] as PlatformReport &
    Pick<Report, 'wastedFiles' | 'largestDirectories' | 'space'> & { inventory: Awaited<ReturnType<ReturnType<typeof createInventoryScan>['build']>> };
  const report: Report = {
    schemaVersion: 1,
    tool: { name: 'image-audit', version: TOOL_VERSION },
    generatedAt: new Date().toISOString(),
    source: build ? { dockerfile: build.file, context: build.context, target: build.target } : undefined,
    image: first.image,
    layers: first.layers,
    findings: [...first.findings],
    wastedFiles: first.wastedFiles,
    largestDirectories: first.largestDirectories,
    space: first.space,
    packages: first.inventory.packages,
    ...(first.inventory.unread.length ? { packageDatabasesNotRead: first.inventory.unread } : {}),
    ...(first.inventory.distro ? { distro: first.inventory.distro } : {}),
    timings: { ...timings, total: Date.now() - started },
    ...(buildMetadata ? { buildMetadata } : {})
  };
  if (platform === 'all' || platforms.length > 1) {
    report.platforms = platforms.map(({ platform, image, layers, findings: f }) => ({ platform, image, layers, findings: f }));
    // The gate and SARIF read top-level findings: a secret only in the arm64 image must count too. Findings of
    // other platforms join once (by fingerprint), named by platform; their layer indexes are not the top level's.
    const seen = new Set(report.findings.map((f) => f.fingerprint));
    for (const p of platforms.slice(1)) {
      for (const f of p.findings) {
        if (seen.has(f.fingerprint)) continue;
        seen.add(f.fingerprint);
        const { layer: _layer, ...rest } = f;
        report.findings.push({ ...rest, details: { ...f.details, platform: p.platform } });
      }
    }
  }
  // File names are keyed by their raw bytes during the analysis; the report shows invalid UTF-8 as `\xNN`.
  const redacted = displayRawNamesDeep(redactReport(report, redactions));
  if (opts.htmlReport) {
    const htmlPath = path.resolve(cwd, opts.htmlReport);
    await mkdir(path.dirname(htmlPath), { recursive: true });
    await writeFile(htmlPath, renderHtml(redacted, first.inventory.visible));
  }
  return redacted;
}

type Analysis = Awaited<ReturnType<typeof analyseImage>>;

/** Attribute layers (and the findings on them) to Dockerfile lines. */
function attribute(analysis: Analysis, findings: Finding[], chainSteps: Parameters<typeof attributeHistory>[1], dockerfile: string): void {
  const steps = attributeHistory(analysis.image.history!, chainSteps);
  analysis.image.history!.forEach((h, i) => {
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
      f.file = dockerfile;
      f.line = step.line;
      f.endLine = step.endLine;
    }
  }
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
export async function runLint(opts: { dockerfile: string; context?: string; target?: string; config: AuditConfig; cwd?: string }): Promise<Report> {
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
