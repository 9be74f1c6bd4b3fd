import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../app.js';
import { ConfigError, loadConfig } from '../../config/config.js';
import { startServer, type TestServer } from '../../test/harness.js';
import { AuditEvent } from './audit-event.entity.js';
import { sweepAuditEvents } from './audit.retention.js';

const DAY = 86_400_000;
let s: TestServer;
beforeAll(async () => {
  s = await startServer({ AUDIT_RETENTION_DAYS: '30' });
});
afterAll(() => s.stop());

async function insert(count: number, at: (i: number) => Date, target: string): Promise<void> {
  const em = s.app.services.orm.em.fork();
  await em.insertMany(
    AuditEvent,
    Array.from({ length: count }, (_, i) =>
      Object.assign(new AuditEvent(), { at: at(i), action: 'RUN_STARTED', target }),
    ),
  );
}
const count = (target: string) => s.app.services.orm.em.fork().count(AuditEvent, { target });

describe('audit retention', () => {
  it('removes events older than AUDIT_RETENTION_DAYS in batches of at most 1,000, keeps the rest, and logs how many', async () => {
    const now = Date.now();
    await insert(2_500, (i) => new Date(now - 31 * DAY - i * 1000), 'old');
    await insert(40, (i) => new Date(now - 29 * DAY - i * 1000), 'young');

    const swept = await sweepAuditEvents(s.app.services, now);
    expect(swept).toEqual({ removed: 2_500, batches: 3 });
    expect(await count('old')).toBe(0);
    expect(await count('young')).toBe(40);
    const line = s
      .logText()
      .split('\n')
      .find((l) => l.includes('audit events past retention removed'));
    expect(JSON.parse(line!)).toMatchObject({ removed: 2_500, batches: 3, days: 30 });

    // nothing left to do: a second sweep removes nothing and says nothing
    expect(await sweepAuditEvents(s.app.services, now)).toEqual({ removed: 0, batches: 0 });
  });

  it('a server sweeps at start-up, and its stop waits for the sweep', async () => {
    await insert(1_200, () => new Date(Date.now() - 60 * DAY), 'before-start');
    // a second app on the same database: createApp alone starts the retention sweeper
    const second = await createApp({ ...s.config });
    await expect.poll(() => count('before-start'), { timeout: 10_000 }).toBe(0);
    await second.stop();
  });

  it('keeps every event when AUDIT_RETENTION_DAYS is 0', async () => {
    await insert(5, () => new Date(Date.now() - 5000 * DAY), 'ancient');
    const forever = {
      ...s.app.services,
      config: { ...s.app.services.config, AUDIT_RETENTION_DAYS: 0 },
    };
    expect(await sweepAuditEvents(forever)).toEqual({ removed: 0, batches: 0 });
    expect(await count('ancient')).toBe(5);
  });

  it('AUDIT_RETENTION_DAYS defaults to 365 and must be a whole number of days, 0 or more', () => {
    expect(loadConfig({}).AUDIT_RETENTION_DAYS).toBe(365);
    expect(loadConfig({ AUDIT_RETENTION_DAYS: '0' }).AUDIT_RETENTION_DAYS).toBe(0);
    for (const bad of ['-1', '1.5', 'forever', '100000']) {
      expect(() => loadConfig({ AUDIT_RETENTION_DAYS: bad }), bad).toThrow(ConfigError);
      expect(() => loadConfig({ AUDIT_RETENTION_DAYS: bad })).toThrow(/AUDIT_RETENTION_DAYS/);
    }
  });
});
