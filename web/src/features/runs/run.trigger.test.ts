import { describe, expect, it } from 'vitest';
import { parseScheduleId, triggerText } from './run.trigger';

describe('triggerText', () => {
  it('names what started a run', () => {
    expect(triggerText('SCHEDULE', 'disk:0 3 * * *@Europe/Paris')).toBe(
      'Schedule 0 3 * * * (Europe/Paris)',
    );
    expect(triggerText('WEBHOOK', 'deploy')).toBe('Webhook deploy');
    expect(triggerText('LOG_PATTERN', 'oom')).toBe('Log trigger oom');
    expect(triggerText('MANUAL', null)).toBeNull();
    expect(triggerText('WEBHOOK', null)).toBe('Webhook');
  });

  it('reads a schedule id whose cron holds no @ or :, and refuses what is not one', () => {
    expect(parseScheduleId('a:*/2 * * * * *@UTC')).toEqual({
      cron: '*/2 * * * * *',
      timezone: 'UTC',
    });
    expect(parseScheduleId('no-colon@UTC')).toBeNull();
  });
});
