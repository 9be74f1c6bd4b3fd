import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../test/harness.js';
import { TriggerFiring } from './trigger.firing.entity.js';
import { pruneFirings } from './trigger.prune.js';

let s: TestServer;
beforeAll(async () => {
  s = await startServer();
});
afterAll(() => s?.stop());

async function insert(name: string, n: number) {
  const em = s.app.services.orm.em.fork();
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  for (let i = 0; i < n; i++)
    em.create(TriggerFiring, {
      triggerName: name,
      source: 'app',
      line: `line ${i}`,
      cursor: `${name}-${i}`,
      firedAt: new Date(t0 + i * 1000),
    } as TriggerFiring);
  await em.flush();
}

describe('pruneFirings', () => {
  it("keeps a trigger's newest firings and leaves other triggers alone", async () => {
    await insert('chatty', 15);
    await insert('other', 3);
    expect(await pruneFirings(s.app.services, 'chatty', 10)).toBe(5);
    const em = s.app.services.orm.em.fork();
    const kept = await em.find(
      TriggerFiring,
      { triggerName: 'chatty' },
      { orderBy: { firedAt: 'asc' } },
    );
    expect(kept.map((f) => f.line)).toEqual(Array.from({ length: 10 }, (_, i) => `line ${i + 5}`));
    expect(await em.count(TriggerFiring, { triggerName: 'other' })).toBe(3);
    expect(await pruneFirings(s.app.services, 'other', 10)).toBe(0);
  });
});
