// Adds lock entries for platform-specific optional packages the package registry of our machines does not
// serve (e.g. @rollup/rollup-android-arm-eabi). npm 11's `npm ci` refuses a lock that lacks an entry for any
// optional dependency; installs still skip them on other platforms by their os/cpu fields. Run after
// regenerating package-lock.json: `node scripts/complete-lock.mjs`.
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const OS = ['android', 'darwin', 'freebsd', 'linux', 'openbsd', 'openharmony', 'win32', 'sunos', 'aix'];
const CPU = ['arm', 'arm64', 'ia32', 'x64', 'loong64', 'ppc64', 'riscv64', 's390x', 'wasm32'];

let added = 0;
for (const [where, entry] of Object.entries(lock.packages)) {
  for (const [name, range] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    if (lock.packages[key]) continue;
    const parts = name.split('/').pop().split('-');
    const os = parts.find((p) => OS.includes(p));
    const cpu = parts.find((p) => CPU.includes(p));
    if (!os || !cpu) continue; // not a platform binary: leave it to npm
    const stub = { version: range, dev: Boolean(entry.dev), optional: true, os: [os], cpu: [cpu] };
    if (os === 'linux') stub.libc = [parts.some((p) => p.startsWith('musl')) ? 'musl' : 'glibc'];
    lock.packages[key] = stub;
    added++;
    void where;
  }
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
writeFileSync(file, JSON.stringify(lock, null, 2) + '\n');
console.log(`added ${added} platform entries`);
