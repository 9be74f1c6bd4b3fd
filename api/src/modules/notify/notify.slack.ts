// `type: slack`: a Slack-compatible incoming webhook (Slack, Mattermost, Rocket.Chat): {"text": …}.
import type { NotifyTargetSpec } from '../../config/agent-config.types.js';
import { post } from './notify.http.js';
import type { NotifyPayload } from './notify.payload.js';

type SlackTarget = Extract<NotifyTargetSpec, { type: 'slack' }>;

export function sendSlack(t: SlackTarget, p: NotifyPayload, signal: AbortSignal) {
  const link = p.url ? `\n<${p.url}|Open the run>` : '';
  // the body in a code block: output is shown as it is, not read as markup
  const text = `*${escape(p.subject)}*\n\`\`\`\n${p.body.replaceAll('```', "'''")}\n\`\`\`${link}`;
  return post(t.url, { 'content-type': 'application/json' }, JSON.stringify({ text }), signal);
}

// Slack's three control characters in message text
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
