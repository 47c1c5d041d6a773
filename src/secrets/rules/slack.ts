// Slack tokens: bot/user/app/legacy (xoxb-, xoxp-, xoxa-, xoxo-, xoxs-, xoxr-, xoxe-, xapp-), configuration
// tokens (xoxe.xoxp-, xoxe.xoxb-) and incoming/workflow webhooks (hooks.slack.com/services|workflows|triggers/…,
// over https or http). Doc placeholders are rejected by class: x runs, `####`, `…Here`, and numeric segments of
// four digits or fewer (`xoxp-1234-1234-1234-…`); real workspace and user ids are longer; and short tails.
import { entropy, isMaskedBody, isPlaceholder } from '../noise.js';
import type { Detector } from './types.js';

function slackPlaceholder(v: string): boolean {
  const body = v.replace(/^(?:xoxe\.)?(?:xox[a-z]|xapp)-/, '');
  if (isPlaceholder(v) || isMaskedBody(body) || /#{2,}|here$|^(?:\d-)?(?:random|initial|xxx)/i.test(body)) return true;
  const parts = body.split('-');
  const numeric = parts.filter((p) => /^\d+$/.test(p));
  // `1234-1234-1234` ids, or a word-ish body (`abcd234`, `my-bot-token`, `Slack_BOT_TOKEN`).
  if (numeric.length >= 2 && numeric.some((p) => p.length <= 4 && p.length > 1)) return true;
  // Bot and user tokens end in a long random segment (16+); a short tail (`xoxb-12345-abcd234`) is typed.
  const last = parts[parts.length - 1] ?? '';
  if (/^xox[bp]-/.test(v) && numeric.length <= 1 && last.length < 16) return true;
  if (!/\d/.test(body) && !/^(?:xox[ar]|xoxe)/.test(v)) return true;
  return body.length < 12 || entropy(body) < 2.5;
}

export const slackToken: Detector = {
  id: 'slack-token',
  title: 'Slack token',
  description: 'Slack token (xoxb-, xoxp-, xoxa-, xoxo-, xoxs-, xoxr-, xoxe-, xoxe.xoxp-, xapp-).',
  severity: 'error',
  keywords: ['xox', 'xapp-', 'XOX'],
  pattern:
    /(?<![A-Za-z0-9_-])(?<secret>(?:xoxe\.xox[bp]-\d-[A-Za-z0-9]{20,200}|xoxe-\d-[A-Za-z0-9]{20,200}|xox[abposre]-[0-9A-Za-z][0-9A-Za-z-]{6,249}[0-9A-Za-z]|xapp-\d-[A-Za-z0-9]+-\d+-[A-Za-z0-9]+))(?![A-Za-z0-9_#*-])/g,
  assess: (v) => (slackPlaceholder(v) ? undefined : { confidence: 'high' }),
  maskPrefix: (v) => v.slice(0, v.indexOf('-') + 1)
};

export const slackWebhook: Detector = {
  id: 'slack-webhook',
  title: 'Slack webhook URL',
  description: 'Slack incoming or workflow webhook URL (hooks.slack.com/services|workflows|triggers/…): anyone holding it can post to the channel.',
  severity: 'error',
  keywords: ['hooks.slack.com'],
  pattern: /(?<secret>(?:https?:\/\/)?hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9+/]{40,160})(?![A-Za-z0-9+/])/g,
  assess: (v) => {
    const path = v.replace(/^.*?hooks\.slack\.com\/[a-z]+\//, '');
    return isPlaceholder(v) || isMaskedBody(path.replace(/\//g, '')) || entropy(path) < 3.5 ? undefined : { confidence: 'high' };
  },
  maskPrefix: (v) => v.slice(0, v.indexOf('/', v.indexOf('hooks.slack.com/') + 'hooks.slack.com/'.length) + 1)
};
