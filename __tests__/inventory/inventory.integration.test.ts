// Every package type, read from images built with the real engine: Debian through apt, the others from files
// laid out as their tools lay them out (npm install in the build, pip's dist-info, go build, maven jars, rpm).
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from '@jest/globals';
import type { Package } from '../../src/inventory/index.js';
import { requireEngine } from '../helpers/engine.js';
import { inventoryOf } from './helpers.js';

requireEngine();

const find = (ps: Package[], type: string, name: string) => ps.find((p) => p.type === type && p.name === name);
const run = (tag: string, ...cmd: string[]) => execFileSync('docker', ['run', '--rm', '--entrypoint', cmd[0], tag, ...cmd.slice(1)], { encoding: 'utf8' });

describe('package inventory', () => {
  it('reads dpkg status and attributes each package to the layer that installed it', async () => {
    const { analysis, inventory, tag } = await inventoryOf('deb', 'full');
    const debs = inventory.packages.filter((p) => p.type === 'deb');
    const expected = run(tag, 'dpkg-query', '-W', '-f', '${Package} ${Version} ${Installed-Size}\\n').trim().split('\n');
    expect(debs).toHaveLength(expected.length);
    for (const line of expected) {
      const [name, version, kib] = line.split(' ');
      const p = find(debs, 'deb', name);
      expect(p?.version).toBe(version);
      expect(p?.size).toBe(Number(kib) * 1024);
    }
    const last = analysis.layers.length - 1;
    expect(find(debs, 'deb', 'jq')?.layer).toBe(last);
    expect(find(debs, 'deb', 'libjq1')?.layer).toBe(last);
    expect(find(debs, 'deb', 'base-files')?.layer).toBeLessThan(last);
  });

  it('reads distroless status.d files', async () => {
    const { inventory } = await inventoryOf('deb', 'statusd');
    expect(inventory.packages.map((p) => p.name).sort()).toEqual(['base-files', 'libc6', 'tzdata']);
    expect(inventory.packages.every((p) => p.type === 'deb' && p.version && p.size! > 0 && p.layer === 0)).toBe(true);
  });

  it('reads the apk installed database', async () => {
    const { inventory } = await inventoryOf('apk');
    expect(inventory.packages.filter((p) => p.type === 'apk')).toEqual([
      expect.objectContaining({ name: 'busybox', version: '1.36.1-r15', size: 947200 }),
      expect.objectContaining({ name: 'musl', version: '1.2.4-r2', size: 622592 }),
      expect.objectContaining({ name: 'zlib', version: '1.3.1-r0', size: 110592 })
    ]);
  });

  it('reads rpmdb.sqlite written by rpm, and reports a BerkeleyDB Packages file as not read', async () => {
    const { inventory } = await inventoryOf('rpm', 'sqlite');
    const rpms = inventory.packages.filter((p) => p.type === 'rpm');
    expect(rpms.map((p) => `${p.name} ${p.version}`)).toEqual(['hello-1 1.0.0-2', 'hello-2 2.5.1-1']);
    expect(rpms.every((p) => p.size === 20000)).toBe(true);
    const bdb = await inventoryOf('rpm', 'bdb');
    expect(bdb.inventory.packages).toEqual([]);
    expect(bdb.inventory.unread).toEqual([expect.objectContaining({ path: 'var/lib/rpm/Packages', reason: expect.stringMatching(/BerkeleyDB.*not read/) })]);
  });

  it('reads node_modules installed by npm, marks devDependencies from the lockfile, sizes each package by its files', async () => {
    const { inventory, tag } = await inventoryOf('npm');
    const ts = find(inventory.packages, 'npm', 'typescript');
    const ms = find(inventory.packages, 'npm', 'ms');
    expect(ts).toMatchObject({ version: '5.4.5', dev: true, path: 'app/node_modules/typescript/package.json' });
    expect(ms).toMatchObject({ version: '2.1.3' });
    expect(ms?.dev).toBeUndefined();
    const du = Number(run(tag, 'sh', '-c', 'find /app/node_modules/typescript -type f -exec stat -c %s {} + | awk "{s+=\\$1} END {print s}"').trim());
    expect(ts?.size).toBe(du);
  });

  it('reads Python dist-info and egg-info, with RECORD sizes and dev extras', async () => {
    const { inventory } = await inventoryOf('python');
    const py = inventory.packages.filter((p) => p.type === 'python');
    expect(py.map((p) => `${p.name} ${p.version}${p.dev ? ' dev' : ''}`).sort()).toEqual([
      'idna 3.6',
      'iniconfig 2.0.0 dev',
      'my-service 1.0.0',
      'pytest 7.4.0 dev',
      'requests 2.31.0',
      'six 1.16.0'
    ]);
    expect(find(py, 'python', 'requests')?.size).toBeGreaterThan(42000);
    expect(find(py, 'python', 'six')?.size).toBeGreaterThan(34000);
  });

  it('reads the module list from a Go binary', async () => {
    const { inventory, tag } = await inventoryOf('go');
    const go = inventory.packages.filter((p) => p.type === 'go');
    expect(go).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'example.com/server', version: '(devel)', path: 'server' }),
        expect.objectContaining({ name: 'example.com/greet', version: 'v1.2.3' }),
        expect.objectContaining({ name: 'stdlib', version: expect.stringMatching(/^go1\./) })
      ])
    );
    expect(tag).toBeTruthy();
  });

  it('reads pom.properties from jars, including a fat jar', async () => {
    const { inventory } = await inventoryOf('jar');
    const mvn = inventory.packages.filter((p) => p.type === 'maven');
    expect(mvn.map((p) => `${p.name} ${p.version} ${p.path}`).sort()).toEqual([
      'com.example:hello 1.4.2 app/hello-1.4.2.jar',
      'com.example:service 3.0.0 app/service.jar',
      'org.slf4j:slf4j-api 2.0.9 app/service.jar'
    ]);
    expect(mvn.every((p) => p.size === undefined || p.size > 0)).toBe(true);
  });
});
