// GitLab tokens carry a type prefix: glpat- (personal), gldt- (deploy), glrt- (runner), glptt- (pipeline trigger).
import { isPlaceholder } from '../noise.js';
import { startsWithAny, type Detector } from './types.js';

const PREFIXES = ['glpat-', 'gldt-', 'glrt-', 'glptt-'];

export const gitlabToken: Detector = {
  id: 'gitlab-token',
  title: 'GitLab token',
  description: 'GitLab personal, deploy, runner or trigger token (glpat-, gldt-, glrt-, glptt-).',
  severity: 'error',
  keywords: PREFIXES,
  pattern: /(?<![A-Za-z0-9_-])(?<secret>(?:glpat|gldt|glrt|glptt)-[A-Za-z0-9_-]{20,64}(?:\.[0-9a-z]{2}\.[0-9a-z]{7,10})?)(?![A-Za-z0-9_-])/g,
  assess: (v) => (isPlaceholder(v) || !/[0-9]/.test(v.slice(5)) ? undefined : { confidence: 'high' }),
  maskPrefix: startsWithAny(PREFIXES)
};
