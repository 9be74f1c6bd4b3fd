// `type: ntfy`: the body as the message text, the subject as its title (ntfy's publish API).
import type { NotifyTargetSpec } from '../../config/agent-config.types.js';
import { post } from './notify.http.js';
import type { NotifyPayload } from './notify.payload.js';

type NtfyTarget = Extract<NotifyTargetSpec, { type: 'ntfy' }>;

// a failure is worth a louder push than a success
const PRIORITY: Record<string, number> = { RUN_FAILED: 4, TRIGGER_FIRED: 4 };
const TAGS: Record<string, string> = {
  RUN_FAILED: 'x',
  RUN_SUCCEEDED: 'white_check_mark',
  TRIGGER_FIRED: 'mag',
  TEST: 'bell',
};

export function sendNtfy(t: NtfyTarget, p: NotifyPayload, signal: AbortSignal) {
  const headers: Record<string, string> = {
    'content-type': 'text/plain; charset=utf-8',
    // header values are Latin-1: anything else is sent as RFC 2047 UTF-8, which ntfy decodes
    title: headerText(p.subject),
    priority: String(t.priority ?? PRIORITY[p.event] ?? 3),
    tags: TAGS[p.event] ?? 'robot',
  };
  if (p.url) headers.click = p.url;
  if (t.token) headers.authorization = `Bearer ${t.token}`;
  return post(t.url, headers, p.body, signal);
}

function headerText(s: string): string {
  const line = s.replace(/[\r\n]+/g, ' ');
  if (/^[\x20-\x7e]*$/.test(line)) return line;
  return `=?UTF-8?B?${Buffer.from(line).toString('base64')}?=`;
}
