// The retention sweep removes sent and given-up notifications older than 30 days, and nothing else:
// not a pending one however old, not a recent one.
import { describe, expect, it } from 'vitest';
import { serverForFile } from '../../test/harness.js';
import { Notification, type NotificationStatus } from './notification.entity.js';

const f = serverForFile('commands: []\nlogs: []\n');
const DAY = 86_400_000;

describe('notifications past 30 days', () => {
  it('the sweep removes old SENT and FAILED rows; PENDING and recent rows stay', async () => {
    const app = f.s.app.services;
    const now = Date.now();
    const rows: [string, NotificationStatus, number][] = [
      ['old-sent', 'SENT', 31],
      ['old-failed', 'FAILED', 45],
      ['old-pending', 'PENDING', 60],
      ['new-sent', 'SENT', 29],
    ];
    const em = app.orm.em.fork();
    for (const [subject, status, days] of rows) {
      const n = new Notification();
      Object.assign(n, {
        target: 'nowhere',
        event: 'TEST',
        subject,
        body: subject,
        status,
        createdAt: new Date(now - days * DAY),
        // never due: the notifier must not pick the pending one up during the test
        nextAt: new Date(now + 365 * DAY),
      });
      em.persist(n);
    }
    await em.flush();
    const report = await app.retention.sweep(now);
    expect(report).toMatchObject({ notifications: 2 });
    const left = await app.orm.em.fork().find(Notification, {}, { orderBy: { subject: 'asc' } });
    expect(left.map((n) => n.subject)).toEqual(['new-sent', 'old-pending']);
    expect(f.s.logText()).toMatch(/"retention sweep".*"notifications":2/);
  });
});
