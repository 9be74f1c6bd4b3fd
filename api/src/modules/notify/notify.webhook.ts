// `type: webhook`: the whole payload as JSON, with the target's headers (values from the environment).
import type { NotifyTargetSpec } from '../../config/agent-config.types.js';
import { post } from './notify.http.js';
import type { NotifyPayload } from './notify.payload.js';

type WebhookTarget = Extract<NotifyTargetSpec, { type: 'webhook' }>;

export function sendWebhook(t: WebhookTarget, p: NotifyPayload, signal: AbortSignal) {
  const headers = {
    ...t.headers,
    'content-type': 'application/json',
    'user-agent': 'tiny-agent',
  };
  return post(t.url, headers, JSON.stringify(p), signal);
}
