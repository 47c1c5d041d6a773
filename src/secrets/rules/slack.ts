// Slack bot/user/app tokens (xoxb-, xoxp-, xoxa-, xoxo-, xoxs-, xoxr-, xapp-) and incoming webhooks.
import { isPlaceholder } from '../noise.js';
import type { Detector } from './types.js';

export const slackToken: Detector = {
  id: 'slack-token',
  title: 'Slack token',
  description: 'Slack token (xoxb-, xoxp-, xoxa-, xoxo-, xoxs-, xoxr-, xapp-).',
  severity: 'error',
  keywords: ['xox', 'xapp-'],
  pattern: /(?<![A-Za-z0-9_-])(?<secret>(?:xox[abposr]|xapp)-[0-9A-Za-z]{1,40}-[0-9A-Za-z-]{8,200})(?![A-Za-z0-9_-])/g,
  assess: (v) => (isPlaceholder(v) || !/\d/.test(v) ? undefined : { confidence: 'high' }),
  maskPrefix: (v) => v.slice(0, v.indexOf('-') + 1)
};

const WEBHOOK_PREFIX = 'https://hooks.slack.com/';

export const slackWebhook: Detector = {
  id: 'slack-webhook',
  title: 'Slack webhook URL',
  description: 'Slack incoming webhook URL (hooks.slack.com/services/…): anyone holding it can post to the channel.',
  severity: 'error',
  keywords: ['hooks.slack.com'],
  pattern: /(?<secret>https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9]{8,12}\/[A-Za-z0-9]{8,12}\/[A-Za-z0-9]{20,40})(?![A-Za-z0-9])/g,
  assess: (v) => (isPlaceholder(v) ? undefined : { confidence: 'high' }),
  maskPrefix: (v) => v.slice(0, v.indexOf('/', WEBHOOK_PREFIX.length) + 1)
};
