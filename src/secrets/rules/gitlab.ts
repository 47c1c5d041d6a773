// GitLab tokens carry a type prefix (docs.gitlab.com/ee/security/tokens/#token-prefixes): glpat- (personal),
// gldt- (deploy), glrt- (runner), glptt- (pipeline trigger, 40 hex), glft- (feed), glsoat- (SCIM), glcbt- (CI job),
// glimt- (incoming mail), glagent- (Kubernetes agent), gloas- (OAuth app secret), glffct- (feature flags), and
// GR1348941 runner registration tokens. Bodies are random base62 with `_`/`-`, not always holding a digit, so
// masks and low-entropy strings are what is rejected, not digit-free ones.
import { entropy, isMaskedBody, isPlaceholder } from '../noise.js';
import { startsWithAny, type Detector } from './types.js';

const PREFIXES = ['glpat-', 'gldt-', 'glrt-', 'glptt-', 'glft-', 'glsoat-', 'glcbt-', 'glimt-', 'glagent-', 'gloas-', 'glffct-', 'GR1348941'];

function randomBody(body: string): boolean {
  return !isMaskedBody(body) && !/^\d+$/.test(body) && entropy(body) >= 3;
}

export const gitlabToken: Detector = {
  id: 'gitlab-token',
  title: 'GitLab token',
  description: 'GitLab token (glpat-, gldt-, glrt-, glptt-, glft-, glsoat-, glcbt-, glimt-, glagent-, gloas-, glffct-, GR1348941…).',
  severity: 'error',
  keywords: ['glpat-', 'gldt-', 'glrt-', 'glptt-', 'glft-', 'glsoat-', 'glcbt-', 'glimt-', 'glagent-', 'gloas-', 'glffct-', 'GR1348941'],
  pattern: new RegExp(
    '(?<![A-Za-z0-9_-])(?<secret>' +
      [
        // Fixed lengths where GitLab documents one: trigger 40, incoming mail 25, agent 50, OAuth secret 64.
        'glptt-[0-9A-Za-z_-]{40}',
        'glimt-[0-9A-Za-z_-]{25}',
        'glagent-[0-9A-Za-z_-]{50}',
        'gloas-[0-9A-Za-z_-]{64}',
        'glcbt-[0-9a-zA-Z]{1,5}_[0-9a-zA-Z_-]{20,50}',
        '(?:glpat|gldt|glrt|glft|glsoat|glffct)-[0-9A-Za-z_-]{20,50}(?:\\.[0-9a-z]{2}[0-9a-z]{7})?',
        'glpat-[0-9A-Za-z_-]{27,300}\\.[0-9a-z]{2}[0-9a-z]{7}',
        'GR1348941[0-9A-Za-z_-]{20,50}'
      ].join('|') +
      ')(?![A-Za-z0-9_-])',
    'g'
  ),
  assess: (v) => {
    const prefix = PREFIXES.find((p) => v.startsWith(p)) ?? '';
    const body = v.slice(prefix.length);
    return isPlaceholder(v) || !randomBody(body) ? undefined : { confidence: 'high' };
  },
  maskPrefix: startsWithAny(PREFIXES)
};

export const gitlabSessionCookie: Detector = {
  id: 'gitlab-session-cookie',
  title: 'GitLab session cookie',
  description: 'GitLab session cookie (`_gitlab_session=…`).',
  severity: 'error',
  keywords: ['_gitlab_session='],
  pattern: /_gitlab_session=(?<secret>[0-9a-z]{32})(?![0-9a-z])/g,
  assess: (v) => (randomBody(v) ? { confidence: 'medium' } : undefined)
};
