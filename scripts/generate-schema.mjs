// Writes schema/report.schema.json from the zod schema in src/report/schema.ts (`npm run schema`).
// `--check` only compares and exits 1 when the file is stale. schema.ts imports nothing but zod and types, so
// transpiling that one file is enough (no bundler, no ts runtime loader).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const source = readFileSync(path.join(root, 'src/report/schema.ts'), 'utf8');
const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
const outDir = path.join(root, 'build', 'schema');
mkdirSync(outDir, { recursive: true });
const compiled = path.join(outDir, 'schema.mjs');
writeFileSync(compiled, outputText);
const { reportJsonSchema } = await import(pathToFileURL(compiled).href);

const target = path.join(root, 'schema', 'report.schema.json');
const text = JSON.stringify(reportJsonSchema(), null, 2) + '\n';
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // no file yet: it is stale
  }
  if (current !== text) {
    console.error(`${path.relative(root, target)} is stale: run \`npm run schema\` and commit it.`);
    process.exit(1);
  }
  console.log(`${path.relative(root, target)} is up to date.`);
} else {
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, text);
  console.log(`wrote ${path.relative(root, target)}`);
}
