import { describe, expect, test } from '@jest/globals';
import { attributeHistory, parseCreatedBy, shippedChain } from '../../src/pipeline/attribution.js';

const DOCKERFILE = `ARG BASE=image-audit/busybox
FROM \${BASE} AS build
RUN echo build > /out

FROM build AS mid
RUN echo mid

FROM image-audit/busybox:latest AS unrelated
RUN echo never shipped

FROM mid
ARG TOKEN=abc
WORKDIR /app
COPY --from=build --chmod=644 /out /app/out
RUN echo $TOKEN \\
  && echo two
USER 1000
`;

describe('shippedChain', () => {
  test('follows FROM <stage> back to the external base, skipping unrelated stages', () => {
    const c = shippedChain(DOCKERFILE);
    expect(c.baseImage).toBe('image-audit/busybox');
    expect(c.stages).toEqual(['build', 'mid', 'unrelated', '3']);
    expect(c.steps.map((s) => `${s.line} ${s.keyword}`)).toEqual(['3 RUN', '6 RUN', '12 ARG', '13 WORKDIR', '14 COPY', '15 RUN', '17 USER']);
    expect(c.steps.find((s) => s.line === 15)!.endLine).toBe(16);
  });

  test('target picks the shipped stage', () => {
    const c = shippedChain(DOCKERFILE, 'unrelated');
    expect(c.baseImage).toBe('image-audit/busybox:latest');
    expect(c.steps.map((s) => s.line)).toEqual([9]);
  });
});

describe('parseCreatedBy', () => {
  test.each([
    ['RUN |1 TOKEN=sekrit /bin/sh -c echo $TOKEN   && echo two # buildkit', 'RUN', 'echo $TOKEN && echo two'],
    ['RUN |1 TOKEN=sekrit echo exec # buildkit', 'RUN', 'echo exec'],
    ['COPY /out /app/out # buildkit', 'COPY', '/out /app/out'],
    ['WORKDIR /app', 'WORKDIR', '/app'],
    ['/bin/sh -c #(nop)  ENV A=1', 'ENV', 'A=1'],
    ['/bin/sh -c apt-get update', 'RUN', 'apt-get update'],
    ['', '', '']
  ])('%s', (createdBy, keyword, text) => expect(parseCreatedBy(createdBy)).toEqual({ keyword, text }));
});

describe('attributeHistory', () => {
  test('matches newest-first; base entries stay unattributed', () => {
    const history = [
      '', // imported base
      'RUN /bin/sh -c echo build > /out # buildkit',
      'RUN /bin/sh -c echo mid # buildkit',
      'ARG TOKEN=abc',
      'WORKDIR /app',
      'COPY /out /app/out # buildkit',
      'RUN |1 TOKEN=x /bin/sh -c echo $TOKEN   && echo two # buildkit',
      'USER 1000'
    ].map((createdBy) => ({ createdBy, emptyLayer: false }));
    const steps = attributeHistory(history, shippedChain(DOCKERFILE).steps);
    expect(steps.map((s) => s?.line)).toEqual([undefined, 3, 6, 12, 13, 14, 15, 17]);
  });

  test('a base image with its own RUN history is not mistaken for our steps', () => {
    const history = ['RUN /bin/sh -c echo from-base # buildkit', 'RUN /bin/sh -c echo mid # buildkit'].map((createdBy) => ({ createdBy, emptyLayer: false }));
    const steps = attributeHistory(history, shippedChain('FROM x\nRUN echo mid\n').steps);
    expect(steps.map((s) => s?.line)).toEqual([undefined, 2]);
  });
});
