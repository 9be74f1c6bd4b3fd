// Notifications with two instances on one PostgreSQL: each outbox row is sent once even when both
// instances look for due rows at the same moment, and a row an instance died holding is taken over.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Notification } from '../api/src/modules/notify/notification.entity.js';
import { enqueueNotifications } from '../api/src/modules/notify/notify.enqueue.js';
import { httpReceiver } from '../api/src/modules/notify/notify.testkit.js';
import { wakeNotifier } from '../api/src/modules/notify/notify.wake.js';
import { startServer, type TestServer } from '../api/src/test/harness.js';
import { waitUntil } from '../api/src/test/wait.js';
import { startPostgres, type Postgres } from './scale/cluster.js';

let pg: Postgres;
let http: Awaited<ReturnType<typeof httpReceiver>>;
let a: TestServer;
let b: TestServer;

beforeAll(async () => {
  pg = await startPostgres();
  http = await httpReceiver(() => 200);
  const yaml = `commands: []\nnotify:\n  - { name: ops, type: webhook, url: "${http.url}/hook" }\n`;
  a = await startServer({ DATABASE_URL: pg.url }, { agentYaml: yaml });
  b = await startServer({ DATABASE_URL: pg.url }, { agentYaml: yaml });
}, 60_000);
afterAll(async () => {
  await a?.stop();
  await b?.stop();
  await http?.close();
  await pg?.destroy();
});

const rows = () => a.app.services.orm.em.fork().find(Notification, {});
const subjects = () => http.got.map((r) => JSON.parse(r.body).subject as string);

describe('notifications on PostgreSQL, two instances', () => {
  it('each of 40 notifications queued on both instances at once is sent exactly once', async () => {
    const queue = (s: TestServer, from: number) =>
      Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          enqueueNotifications(s.app.services, ['ops'], {
            event: 'TEST',
            subject: `n-${from + i}`,
            body: 'once',
          }),
        ),
      );
    await Promise.all([queue(a, 0), queue(b, 20)]);
    // both look at once, again and again, while the rows are due
    for (let i = 0; i < 5; i++) {
      wakeNotifier(a.app.services.orm);
      wakeNotifier(b.app.services.orm);
    }
    await waitUntil(async () => (await rows()).every((n) => n.status === 'SENT'), {
      timeoutMs: 20_000,
      what: 'every notification sent',
    });
    expect((await rows()).map((n) => n.attempts)).toEqual(Array(40).fill(1));
    const got = subjects();
    expect(got).toHaveLength(40);
    expect(new Set(got).size).toBe(40);
  });

  it('a row held by an instance that died (its claim expired) is sent by a live one', async () => {
    const em = a.app.services.orm.em.fork();
    const n = em.create(Notification, {
      target: 'ops',
      event: 'TEST',
      subject: 'orphaned',
      body: 'its sender died',
      status: 'SENDING',
      claimedBy: '00000000-0000-4000-8000-0000000000de',
      claimedUntil: new Date(Date.now() - 1000),
    } as Notification);
    await em.flush();
    wakeNotifier(b.app.services.orm);
    await waitUntil(
      async () => (await em.fork().findOneOrFail(Notification, n.id)).status === 'SENT',
      { what: 'the orphaned notification sent' },
    );
    expect(subjects().filter((s) => s === 'orphaned')).toHaveLength(1);
  });
});
