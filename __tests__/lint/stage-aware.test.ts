// Rules about what ships fire only in stages that ship: the final stage (or target) and the stages it is
// built FROM. fixtures/lint/stage-aware has the same RUN on line 2 (builder) and line 6 (shipped).
import { describe, expect, it } from '@jest/globals';
import { lintFixture, lintText, only } from './helpers.js';

const SHIPPED_ONLY = ['package-cache-not-cleaned', 'apt-no-install-recommends'];

describe('stage awareness', () => {
  it.each(SHIPPED_ONLY)('%s fires on the shipped stage only', async (rule) => {
    const hits = only(await lintFixture('stage-aware'), rule);
    expect(hits.map((f) => f.line)).toEqual([6]);
    expect(hits[0].details?.stage).toBe('1');
  });

  it('with target=build the builder ships and the last stage is not built', async () => {
    const findings = await lintFixture('stage-aware', { target: 'build' });
    for (const rule of SHIPPED_ONLY) expect(only(findings, rule).map((f) => f.line)).toEqual([2]);
    // The builder never sets USER.
    expect(only(findings, 'final-stage-root').map((f) => f.line)).toEqual([1]);
  });

  it('the builder-stage RUN and the shipped RUN get different fingerprints although their text is equal', async () => {
    const mount = await lintText(
      'FROM alpine:3.20 AS a\nRUN npm ci && npm cache clean --force\nFROM alpine:3.20\nRUN npm ci && npm cache clean --force\nUSER 1\n'
    );
    const hits = only(mount, 'missing-cache-mount');
    expect(hits).toHaveLength(2);
    expect(hits[0].fingerprint).not.toBe(hits[1].fingerprint);
  });

  it('a stage the final one is built FROM ships (transitively)', async () => {
    const text = [
      'FROM debian:12.5-slim AS os',
      'RUN apt-get update && apt-get install -y --no-install-recommends curl',
      'FROM os AS runtime',
      'RUN echo runtime',
      'FROM debian:12.5-slim AS unrelated',
      'RUN apt-get update && apt-get install -y --no-install-recommends curl',
      'FROM runtime',
      'USER 1000'
    ].join('\n');
    const hits = only(await lintText(text), 'package-cache-not-cleaned');
    expect(hits.map((f) => f.line)).toEqual([2]);
  });

  it('COPY --from a builder does not make the builder ship', async () => {
    const text =
      'FROM debian:12.5-slim AS build\nRUN apt-get update && apt-get install -y gcc\nFROM debian:12.5-slim\nCOPY --from=build /usr/bin/gcc /x\nUSER 1\n';
    expect(only(await lintText(text), 'package-cache-not-cleaned')).toEqual([]);
  });

  it('USER is inherited from the stage the final one is built FROM', async () => {
    const text = 'FROM alpine:3.20 AS base\nUSER 1000\nFROM base\nRUN echo hi\n';
    expect(only(await lintText(text), 'final-stage-root')).toEqual([]);
  });

  it('an unknown target is a UserError that lists the stages', async () => {
    await expect(lintFixture('stage-aware', { target: 'prod' })).rejects.toMatchObject({
      name: 'UserError',
      message: expect.stringContaining('Its named stages are: build')
    });
  });
});
