// Parsers on real bytes where the machine has them (this host's own ELF binaries) and on inputs built with the
// same formats' writers (fflate's zip writer, an RPM header laid out as rpm's headerExport writes it).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { zipSync, strToU8 } from 'fflate';
import { parseElf } from '../../src/inventory/elf.js';
import { parseModInfo } from '../../src/inventory/gobuildinfo.js';
import { readJar } from '../../src/inventory/jar.js';
import { parseRpmHeader } from '../../src/inventory/rpm.js';
import { parseDpkgStatus } from '../../src/inventory/dpkg.js';
import { npmManifestPath, npmPackageRootOf, devKeysFromLock } from '../../src/inventory/npm.js';
import { parsePythonMetadata, pythonDevPackages } from '../../src/inventory/python.js';
import { buildSizeTree, scriptJson, type MapNode } from '../../src/render/html.js';
import { resolveFile } from '../../src/inventory/resolve.js';
import type { VisibleEntry } from '../../src/inventory/index.js';

describe('ELF', () => {
  it('reads the interpreter and needed libraries of a dynamic binary, and none of a static one', () => {
    const ls = parseElf(readFileSync('/bin/ls'))!;
    expect(ls.interpreter).toMatch(/ld-linux/);
    expect(ls.needed).toContain('libc.so.6');
    const busybox = parseElf(readFileSync('/bin/busybox'))!;
    expect(busybox.interpreter).toBeUndefined();
    expect(busybox.needed).toEqual([]);
    expect(parseElf(Buffer.from('#!/bin/sh\necho hi\n'.padEnd(64)))).toBeUndefined();
  });

  it('keeps the interpreter but leaves needed unknown when only the headers were read', () => {
    const ls = readFileSync('/bin/ls');
    const head = parseElf(ls.subarray(0, 1024))!;
    expect(head.interpreter).toMatch(/ld-linux/);
  });
});

describe('RPM header blob', () => {
  it('reads name, version, release, epoch and size tags', () => {
    const strings = Buffer.from('hello\0' + '2.5.1\0' + '3.fc39\0' + 'x86_64\0');
    const ints = Buffer.alloc(8);
    ints.writeUInt32BE(20000, 0);
    ints.writeUInt32BE(1, 4);
    const data = Buffer.concat([strings, Buffer.alloc(1), ints]); // pad to 4-byte alignment: 28 → 29? keep offsets explicit
    const intAt = strings.length + 1;
    const entries: [number, number, number, number][] = [
      [1000, 6, 0, 1],
      [1001, 6, 6, 1],
      [1002, 6, 12, 1],
      [1022, 6, 19, 1],
      [1009, 4, intAt, 1],
      [1003, 4, intAt + 4, 1]
    ];
    const head = Buffer.alloc(8 + entries.length * 16);
    head.writeUInt32BE(entries.length, 0);
    head.writeUInt32BE(data.length, 4);
    entries.forEach(([tag, type, off, count], i) => {
      head.writeUInt32BE(tag, 8 + i * 16);
      head.writeUInt32BE(type, 12 + i * 16);
      head.writeInt32BE(off, 16 + i * 16);
      head.writeUInt32BE(count, 20 + i * 16);
    });
    expect(parseRpmHeader(Buffer.concat([head, data]))).toEqual({
      name: 'hello',
      version: '2.5.1',
      release: '3.fc39',
      epoch: 1,
      arch: 'x86_64',
      installedBytes: 20000
    });
    expect(parseRpmHeader(Buffer.from([0, 0, 0, 9, 0, 0, 0, 1]))).toBeUndefined();
  });
});

describe('manifests', () => {
  it('dpkg: installed stanzas only', () => {
    const text = 'Package: a\nStatus: install ok installed\nVersion: 1.0\nInstalled-Size: 4\n\nPackage: b\nStatus: deinstall ok config-files\nVersion: 2\n';
    expect(parseDpkgStatus(text)).toEqual([expect.objectContaining({ name: 'a', version: '1.0', installedBytes: 4096 })]);
  });

  it('npm: package roots, lock keys and dev flags', () => {
    expect(npmManifestPath('app/node_modules/@types/node/package.json')).toEqual({
      appRoot: 'app',
      packageRoot: 'app/node_modules/@types/node',
      lockKey: 'node_modules/@types/node'
    });
    expect(npmManifestPath('app/node_modules/a/lib/package.json')).toBeUndefined();
    expect(npmPackageRootOf('app/node_modules/a/node_modules/b/index.js')).toBe('app/node_modules/a/node_modules/b');
    expect([...devKeysFromLock(JSON.stringify({ packages: { '': {}, 'node_modules/ts': { dev: true }, 'node_modules/ms': {} } }))!]).toEqual([
      'node_modules/ts'
    ]);
    expect([...devKeysFromLock(JSON.stringify({ dependencies: { jest: { dev: true, dependencies: { x: { dev: true } } } } }))!]).toEqual([
      'node_modules/jest',
      'node_modules/jest/node_modules/x'
    ]);
  });

  it('python: dev extras and what only they pull in', () => {
    const m = (t: string) => parsePythonMetadata(t)!;
    const dists = [
      m('Name: app\nVersion: 1\nRequires-Dist: requests\nRequires-Dist: pytest; extra == "test"\n'),
      m('Name: requests\nVersion: 2\nRequires-Dist: idna\n'),
      m('Name: idna\nVersion: 3\n'),
      m('Name: pytest\nVersion: 7\nRequires-Dist: iniconfig\nRequires-Dist: idna\n'),
      m('Name: iniconfig\nVersion: 2\n')
    ];
    expect([...pythonDevPackages(dists)].sort()).toEqual(['iniconfig', 'pytest']);
  });

  it('go: module lines, replacements', () => {
    expect(parseModInfo('path\tx/cmd\nmod\tx\t(devel)\t\ndep\ty\tv1.0.0\th1:abc=\n=>\t../y\t\ndep\tz\tv0.3.0\th1:def=\n')).toEqual([
      { path: 'x', version: '(devel)', main: true },
      { path: 'y', version: 'v1.0.0', main: undefined, replacedBy: '../y' },
      { path: 'z', version: 'v0.3.0', main: undefined }
    ]);
  });

  it('jars: pom.properties, also inside nested jars', () => {
    const pom = (g: string, a: string, v: string) => strToU8(`groupId=${g}\nartifactId=${a}\nversion=${v}\n`);
    const inner = zipSync({ 'META-INF/maven/org.x/lib/pom.properties': pom('org.x', 'lib', '1.2') });
    const outer = zipSync({
      'META-INF/maven/com.a/app/pom.properties': pom('com.a', 'app', '3.0'),
      'BOOT-INF/lib/lib-1.2.jar': [inner, { level: 0 }],
      'x.class': new Uint8Array(100)
    });
    expect(readJar(outer)).toEqual([
      { group: 'com.a', artifact: 'app', version: '3.0' },
      { group: 'org.x', artifact: 'lib', version: '1.2', nested: 'BOOT-INF/lib/lib-1.2.jar' }
    ]);
    expect(readJar(new Uint8Array(10))).toEqual([]);
  });
});

describe('final filesystem', () => {
  const v = (kind: VisibleEntry['kind'], link?: string): VisibleEntry => ({ kind, layer: 0, bytes: 1, mode: 0o755, link });
  it('resolves symlinked directories and files like the loader', () => {
    const fs = new Map<string, VisibleEntry>([
      ['lib64', v('symlink', 'usr/lib64')],
      ['usr/lib64/ld-linux-x86-64.so.2', v('symlink', '../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2')],
      ['usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2', v('file')],
      ['loop', v('symlink', '/loop')]
    ]);
    expect(resolveFile(fs, '/lib64/ld-linux-x86-64.so.2')).toBe('usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2');
    expect(resolveFile(fs, '/lib64/libc.so.6')).toBeUndefined();
    expect(resolveFile(fs, '/loop')).toBeUndefined();
  });

  it('size tree: bounded node count, bytes conserved per layer', () => {
    const visible = new Map<string, VisibleEntry>();
    let total = 0;
    for (let i = 0; i < 100_000; i++) {
      const bytes = 100 + (i % 997);
      total += bytes;
      visible.set(`d${i % 300}/s${i % 11}/f${i}`, { kind: 'file', layer: i % 3, bytes, mode: 0o644 });
    }
    const tree = buildSizeTree(visible);
    let nodes = 0;
    const perLayer = [0, 0, 0];
    const walk = (n: MapNode) => {
      nodes++;
      if (n[3]) n[3].forEach(walk);
      else perLayer[n[2]] += n[1];
    };
    walk(tree);
    expect(tree[1]).toBe(total);
    expect(nodes).toBeLessThan(25_000);
    const expected = [0, 1, 2].map((l) => [...visible.values()].filter((e) => e.layer === l).reduce((n, e) => n + e.bytes, 0));
    expect(perLayer).toEqual(expected);
    expect(scriptJson('</script><!--')).not.toContain('<');
  });
});
