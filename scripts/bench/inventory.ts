// Inventory cost: analyseImage on the bench image without and with the inventory subscriber (and its build
// step and the three inventory rules), alternating, each run in a fresh Node process so neither warms the other.
// Target: the inventory adds ≤ 10 % to the analysis time.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBenchImage } from './image.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const seconds = (ns: bigint) => Number(ns) / 1e9;

interface Sample {
  seconds: number;
  /** user + system CPU of the analysing process: what the inventory adds, less disturbed by other load. */
  cpuSeconds: number;
  maxRssMB: number;
  packages?: number;
  byType?: Record<string, number>;
  findings?: string[];
}

function child(ref: string, withInventory: boolean): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, [fileURLToPath(import.meta.url), '--inventory-child', ref, withInventory ? 'on' : 'off'], {
      stdio: ['ignore', 'pipe', 'inherit']
    });
    let out = '';
    c.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    c.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as Sample) : reject(new Error(`inventory bench child exited ${code}`))));
  });
}

async function childMain(ref: string, withInventory: boolean): Promise<void> {
  const src = path.resolve(here, '../../src');
  const { analyseImage } = await import(path.join(src, 'image/analyse.js'));
  const { createInventoryScan } = await import(path.join(src, 'inventory/index.js'));
  const { INVENTORY_RULES, runImageRules } = await import(path.join(src, 'image/rules/index.js'));
  const { nodeRuntime } = await import(path.join(src, 'util/node-runtime.js'));
  const { defaultConfig } = await import(path.join(src, 'config/types.js'));
  const config = defaultConfig();
  const start = process.hrtime.bigint();
  const scan = withInventory ? createInventoryScan() : undefined;
  const a = await analyseImage({ ref, runtime: nodeRuntime(), config, baseLayerCount: 1, subscribers: scan ? [scan.subscriber] : [] });
  let sample: Omit<Sample, 'seconds' | 'cpuSeconds' | 'maxRssMB'> = {};
  if (scan) {
    const inventory = await scan.build(a.model);
    const findings = runImageRules({ ...a, config, inventory }, INVENTORY_RULES);
    const byType: Record<string, number> = {};
    for (const p of inventory.packages as { type: string }[]) byType[p.type] = (byType[p.type] ?? 0) + 1;
    sample = { packages: inventory.packages.length, byType, findings: findings.map((f: { rule: string; path?: string }) => `${f.rule} /${f.path ?? ''}`) };
  }
  const cpu = process.cpuUsage();
  process.stdout.write(
    JSON.stringify({
      seconds: seconds(process.hrtime.bigint() - start),
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      maxRssMB: process.resourceUsage().maxRSS / 1024,
      ...sample
    })
  );
}

export async function run(): Promise<void> {
  const ref = await ensureBenchImage();
  await child(ref, false); // warm the page cache
  const off: Sample[] = [];
  const on: Sample[] = [];
  for (let i = 0; i < 5; i++) {
    off.push(await child(ref, false));
    on.push(await child(ref, true));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const t0 = median(off.map((s) => s.seconds));
  const t1 = median(on.map((s) => s.seconds));
  const c0 = median(off.map((s) => s.cpuSeconds));
  const c1 = median(on.map((s) => s.cpuSeconds));
  const last = on[on.length - 1];
  console.log(`analysis without inventory (median of 5): ${t0.toFixed(2)} s, peak RSS ${Math.max(...off.map((s) => s.maxRssMB)).toFixed(0)} MB`);
  console.log(`analysis with inventory    (median of 5): ${t1.toFixed(2)} s, peak RSS ${Math.max(...on.map((s) => s.maxRssMB)).toFixed(0)} MB`);
  console.log(`CPU time (user+sys, median of 5): ${c0.toFixed(2)} s → ${c1.toFixed(2)} s`);
  console.log(`inventory cost: wall ${(((t1 - t0) / t0) * 100).toFixed(1)} %, CPU ${(((c1 - c0) / c0) * 100).toFixed(1)} % (target ≤ 10 %)`);
  console.log(`inventory: ${last.packages} packages ${JSON.stringify(last.byType)}; findings: ${(last.findings ?? []).join(', ') || 'none'}`);
}

if (process.argv[2] === '--inventory-child') await childMain(process.argv[3], process.argv[4] === 'on');
