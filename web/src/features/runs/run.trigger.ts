// What started a run, in words, from `trigger` and `triggerName`. Pure.
import type { RunTrigger } from '../../lib/graphql/generated/graphql';

export const RUN_TRIGGERS: RunTrigger[] = ['MANUAL', 'SCHEDULE', 'WEBHOOK', 'LOG_PATTERN'];

export const triggerLabels: Record<RunTrigger, string> = {
  MANUAL: 'By hand',
  SCHEDULE: 'Schedule',
  WEBHOOK: 'Webhook',
  LOG_PATTERN: 'Log trigger',
};

/** A schedule's id is `<command>:<cron>@<timezone>`; the command name holds no `:`, the zone no `@`. */
export function parseScheduleId(id: string): { cron: string; timezone: string } | null {
  const colon = id.indexOf(':');
  const at = id.lastIndexOf('@');
  if (colon < 0 || at < colon) return null;
  return { cron: id.slice(colon + 1, at), timezone: id.slice(at + 1) };
}

/** `Schedule 0 3 * * * (Europe/Paris)`, `Webhook deploy`, `Log trigger oom`; null for a manual run. */
export function triggerText(trigger: RunTrigger, name: string | null | undefined): string | null {
  if (trigger === 'MANUAL') return null;
  if (!name) return triggerLabels[trigger];
  if (trigger === 'SCHEDULE') {
    const s = parseScheduleId(name);
    return s ? `Schedule ${s.cron} (${s.timezone})` : `Schedule ${name}`;
  }
  return `${triggerLabels[trigger]} ${name}`;
}
