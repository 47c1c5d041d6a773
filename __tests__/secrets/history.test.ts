import { describe, expect, test } from '@jest/globals';
import { declaredArgName, parseCreatedBy, shortStep } from '../../src/secrets/history.js';

describe('parseCreatedBy', () => {
  test('BuildKit RUN with build args', () => {
    const p = parseCreatedBy('RUN |2 NPM_TOKEN=npm_abc OTHER=x /bin/sh -c npm ci # buildkit', new Set(['NPM_TOKEN', 'OTHER']));
    expect(p).toEqual({
      instruction: 'RUN',
      pairs: [
        { name: 'NPM_TOKEN', value: 'npm_abc' },
        { name: 'OTHER', value: 'x' }
      ],
      text: '/bin/sh -c npm ci'
    });
  });
  test('values with spaces are split at the next declared arg name', () => {
    const p = parseCreatedBy('RUN |2 A_TOKEN=hello world B=x y /bin/sh -ec echo hi # buildkit', new Set(['A_TOKEN', 'B']));
    expect(p.pairs).toEqual([
      { name: 'A_TOKEN', value: 'hello world' },
      { name: 'B', value: 'x y' }
    ]);
    expect(p.text).toBe('/bin/sh -ec echo hi');
  });
  test('exec-form RUN and RUN without args', () => {
    expect(parseCreatedBy('RUN |1 T=v echo hi # buildkit')).toEqual({ instruction: 'RUN', pairs: [{ name: 'T', value: 'v' }], text: 'echo hi' });
    expect(parseCreatedBy('RUN /bin/sh -c apk add curl # buildkit')).toEqual({ instruction: 'RUN', pairs: [], text: '/bin/sh -c apk add curl' });
  });
  test('legacy builder lines', () => {
    expect(parseCreatedBy('|1 NPM_TOKEN=abc /bin/sh -c npm ci').pairs).toEqual([{ name: 'NPM_TOKEN', value: 'abc' }]);
    expect(parseCreatedBy('/bin/sh -c #(nop)  ENV A=1 B=two')).toEqual({
      instruction: 'ENV',
      pairs: [
        { name: 'A', value: '1' },
        { name: 'B', value: 'two' }
      ],
      text: ''
    });
  });
  test('ENV, ARG and LABEL pairs, quoted values', () => {
    expect(parseCreatedBy('ENV PASSWORD="a b c" X=1').pairs).toEqual([
      { name: 'PASSWORD', value: 'a b c' },
      { name: 'X', value: '1' }
    ]);
    expect(parseCreatedBy('ARG NPM_TOKEN').pairs).toEqual([]);
    expect(parseCreatedBy('ARG NPM_TOKEN=abc').pairs).toEqual([{ name: 'NPM_TOKEN', value: 'abc' }]);
    expect(declaredArgName('ARG NPM_TOKEN')).toBe('NPM_TOKEN');
    expect(declaredArgName('ARG NPM_TOKEN=x')).toBe('NPM_TOKEN');
  });
  test('shortStep drops the build-arg prefix and the shell', () => {
    expect(shortStep('RUN |1 NPM_TOKEN=secret /bin/sh -c rm /root/.npmrc # buildkit')).toBe('RUN rm /root/.npmrc');
    expect(shortStep('COPY id_rsa /root/.ssh/id_rsa # buildkit')).toBe('COPY id_rsa /root/.ssh/id_rsa');
    expect(shortStep(undefined)).toBe('an unnamed step');
  });
});
