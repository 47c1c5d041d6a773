import { describe, expect, it } from '@jest/globals';
import { compareVersions, dpkgCompare, pep440Compare, rpmCompare } from '../../src/inventory/version.js';

const sign = (n: number) => Math.sign(n);

describe('version ordering', () => {
  it('orders Debian versions as dpkg --compare-versions does', () => {
    // Pairs checked against `dpkg --compare-versions a lt b` (deb-version(7) examples).
    const ascending = [
      ['1.0~rc1', '1.0'],
      ['1.0', '1.0-1'],
      ['1.0-1', '1.0-1+deb12u1'],
      ['2.36-9', '2.36-9+deb12u4'],
      ['12.2.0-14', '12.2.0-14+deb12u1'],
      ['1:0.9', '2.0'].reverse(),
      ['1.2.3a', '1.2.3b'],
      ['1.9', '1.10'],
      ['7.88.1-10+deb12u5', '7.88.1-10+deb12u12']
    ];
    for (const [a, b] of ascending) {
      expect([a, b, sign(dpkgCompare(a, b))]).toEqual([a, b, -1]);
      expect(sign(dpkgCompare(b, a))).toBe(1);
    }
    expect(dpkgCompare('1.0-1', '1.0-1')).toBe(0);
    expect(dpkgCompare('0:1.0', '1.0')).toBe(0);
  });

  it('orders RPM versions as rpmvercmp does', () => {
    const ascending = [
      ['1.0', '1.0.1'],
      ['1.0~rc1', '1.0'],
      ['1.0', '1.0^post1'],
      ['2.5.1-1', '2.5.1-2'],
      ['1.a', '1.1'],
      ['5.9-1.fc39', '5.10-1.fc39'],
      ['0:9.9', '1:1.0']
    ];
    for (const [a, b] of ascending) expect([a, b, sign(rpmCompare(a, b))]).toEqual([a, b, -1]);
    expect(rpmCompare('1.01', '1.1')).toBe(0);
  });

  it('orders PEP 440 versions', () => {
    const ascending = ['1.0.dev1', '1.0a1', '1.0b2', '1.0rc1', '1.0', '1.0.post1', '1.1', '2!0.1'];
    for (let i = 1; i < ascending.length; i++) expect([ascending[i - 1], sign(pep440Compare(ascending[i - 1], ascending[i]))]).toEqual([ascending[i - 1], -1]);
    expect(pep440Compare('1.0', '1.0.0')).toBe(0);
  });

  it('orders npm versions as semver', () => {
    expect(sign(compareVersions('npm', '5.4.5', '5.10.0'))).toBe(-1);
    expect(sign(compareVersions('npm', '1.0.0-beta.2', '1.0.0'))).toBe(-1);
    expect(sign(compareVersions('go', 'v1.2.3', 'v1.10.0'))).toBe(-1);
  });
});
