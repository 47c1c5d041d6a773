// `npm run bench`: every benchmark prints its numbers beside its baseline in one run. Pass area names to run
// a subset (`npm run bench -- lint image`).
const AREAS = ['lint', 'image', 'secrets', 'registry', 'inventory'] as const;

const wanted = process.argv.slice(2).filter((a) => (AREAS as readonly string[]).includes(a));
for (const area of wanted.length ? wanted : AREAS) {
  console.log(`\n=== bench: ${area} ===`);
  const mod = (await import(`./${area}.js`)) as { run(): Promise<void> };
  await mod.run();
}
