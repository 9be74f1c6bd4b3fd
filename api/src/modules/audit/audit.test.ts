import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../test/harness.js';
import { AuditEvent, type AuditAction } from './audit-event.entity.js';

const code = (r: { errors?: { extensions?: { code?: string } }[] }) =>
  r.errors?.[0]?.extensions?.code;
const EVENTS = `query($first: Int, $after: String, $action: AuditAction, $actor: ID, $since: DateTime, $until: DateTime) {
  auditEvents(first: $first, after: $after, action: $action, actor: $actor, since: $since, until: $until) {
    edges { cursor node { id at action actor { id username } actorName ip target detail } }
    pageInfo { hasNextPage endCursor }
  }
}`;

type Node = {
  id: string;
  at: string;
  action: AuditAction;
  actor: { id: string; username: string } | null;
  actorName: string | null;
  target: string | null;
};

let s: TestServer;
let admin: Awaited<ReturnType<TestServer['login']>>;
let alice: Awaited<ReturnType<TestServer['createUser']>>;
const BASE = Date.parse('2031-01-01T00:00:00.000Z'); // after anything the server records itself

/** Rows written straight to the table, as a long-running server would have accumulated them. */
async function insert(rows: Partial<AuditEvent>[]): Promise<void> {
  const em = s.app.services.orm.em.fork();
  await em.insertMany(
    AuditEvent,
    rows.map((r) => Object.assign(new AuditEvent(), r)),
  );
}

async function all(vars: Record<string, unknown>, first = 100): Promise<Node[]> {
  const out: Node[] = [];
  let after: string | null = null;
  for (;;) {
    const r: { data?: any; errors?: unknown } = await s.gql(
      EVENTS,
      { ...vars, first, after },
      admin,
    );
    expect(r.errors).toBeUndefined();
    out.push(...r.data.auditEvents.edges.map((e: { node: Node }) => e.node));
    if (!r.data.auditEvents.pageInfo.hasNextPage) return out;
    after = r.data.auditEvents.pageInfo.endCursor;
  }
}

beforeAll(async () => {
  s = await startServer();
  admin = await s.login();
  alice = await s.createUser('alice');
  // 240 events a second apart, by three actors; ten share one instant (the id breaks the tie)
  const actors = [
    { actorId: admin.userId, actorName: 'admin' },
    { actorId: alice.userId, actorName: 'alice' },
    { actorId: randomUUID(), actorName: 'gone' }, // a deleted user: the name stays, the user is null
  ];
  const actions: AuditAction[] = ['RUN_STARTED', 'FILE_UPLOADED', 'FILE_DELETED'];
  await insert(
    Array.from({ length: 240 }, (_, i) => ({
      at: new Date(BASE + (i < 10 ? 0 : i) * 1000),
      action: actions[i % 3]!,
      ...actors[i % 3]!,
      ip: '127.0.0.1',
      target: `t-${i}`,
    })),
  );
});
afterAll(() => s.stop());

describe('auditEvents', () => {
  it('is for administrators: signed out is UNAUTHENTICATED, a USER is FORBIDDEN', async () => {
    expect(code(await s.gql(EVENTS, {}))).toBe('UNAUTHENTICATED');
    const forbidden = await s.gql(EVENTS, {}, alice);
    expect(code(forbidden)).toBe('FORBIDDEN');
    expect(forbidden.data?.auditEvents).toBeUndefined();
    expect(code(await s.gql(EVENTS, {}, admin))).toBeUndefined();
  });

  it('answers the same over WebSocket: FORBIDDEN for a USER, the events for an admin', async () => {
    const query = `{ auditEvents(first: 1) { edges { node { action } } } }`;
    const asUser = s.subscribeWs(query, {}, { token: alice.token });
    await asUser.waitEnd();
    const userErrors =
      asUser.events[0]?.errors ?? (asUser.ended?.error as { message?: string }[] | undefined);
    expect(JSON.stringify(userErrors)).toContain('FORBIDDEN');
    const asAdmin = s.subscribeWs(query, {}, { token: admin.token });
    await asAdmin.waitEnd();
    expect(asAdmin.events[0]?.data?.auditEvents.edges).toHaveLength(1);
  });

  it('pages newest first, every event once, even where several share an instant', async () => {
    const seen = await all({ since: new Date(BASE).toISOString() }, 7);
    expect(seen).toHaveLength(240);
    expect(new Set(seen.map((n) => n.id)).size).toBe(240);
    const order = seen.map((n) => [Date.parse(n.at), n.id] as const);
    const sorted = [...order].sort(
      (a, b) => b[0] - a[0] || (a[1] < b[1] ? 1 : a[1] > b[1] ? -1 : 0),
    );
    expect(order).toEqual(sorted);
    expect(seen[0]!.target).toBe('t-239');
  });

  it('defaults to 50 and caps `first` at 100', async () => {
    const byDefault = await s.gql(
      `{ auditEvents { edges { cursor } pageInfo { hasNextPage } } }`,
      {},
      admin,
    );
    expect(byDefault.data.auditEvents.edges).toHaveLength(50);
    const big = await s.gql(EVENTS, { first: 10_000 }, admin);
    expect(big.data.auditEvents.edges).toHaveLength(100);
    expect(big.data.auditEvents.pageInfo.hasNextPage).toBe(true);
  });

  it('filters by action, actor and time range (both ends included), combined', async () => {
    const since = new Date(BASE).toISOString();
    const runs = await all({ action: 'RUN_STARTED', since });
    expect(runs).toHaveLength(80);
    expect(runs.every((n) => n.action === 'RUN_STARTED')).toBe(true);

    const byAlice = await all({ actor: alice.userId, since });
    expect(byAlice).toHaveLength(80);
    expect(byAlice.every((n) => n.actor?.username === 'alice' && n.actorName === 'alice')).toBe(
      true,
    );

    const range = await all({
      since: new Date(BASE + 100_000).toISOString(),
      until: new Date(BASE + 199_000).toISOString(),
    });
    expect(range.map((n) => n.target)).toEqual(
      Array.from({ length: 100 }, (_, i) => `t-${199 - i}`),
    );

    const combined = await all({
      action: 'FILE_UPLOADED',
      actor: alice.userId,
      since: new Date(BASE + 200_000).toISOString(),
    });
    expect(combined.map((n) => n.target)).toEqual([
      't-238',
      't-235',
      't-232',
      't-229',
      't-226',
      't-223',
      't-220',
      't-217',
      't-214',
      't-211',
      't-208',
      't-205',
      't-202',
    ]);
  });

  it('names a deleted actor by the name it had, with no user behind it', async () => {
    const gone = (await all({ action: 'FILE_DELETED', since: new Date(BASE).toISOString() }))[0]!;
    expect(gone.actor).toBeNull();
    expect(gone.actorName).toBe('gone');
  });

  it('refuses a range that ends before it starts, an oversized actor id and a forged cursor', async () => {
    const backwards = await s.gql(
      EVENTS,
      { since: '2031-02-01T00:00:00Z', until: '2031-01-01T00:00:00Z' },
      admin,
    );
    expect(code(backwards)).toBe('BAD_USER_INPUT');
    expect(backwards.errors![0]!.message).toMatch(/since.*until/);
    expect(code(await s.gql(EVENTS, { actor: 'x'.repeat(10_000) }, admin))).toBe('BAD_USER_INPUT');
    expect(code(await s.gql(EVENTS, { after: 'not-a-cursor' }, admin))).toBe('BAD_USER_INPUT');
    expect(code(await s.gql(EVENTS, { after: 'A'.repeat(100_000) }, admin))).toBe('BAD_USER_INPUT');
  });

  it('cannot be edited through the API: no mutation names or returns an audit event', async () => {
    const r = await s.gql(
      `{ __schema { mutationType { fields { name type { name ofType { name ofType { name } } } args { name } } } } }`,
      {},
      admin,
    );
    const fields = r.data.__schema.mutationType.fields as {
      name: string;
      type: unknown;
      args: { name: string }[];
    }[];
    expect(fields.length).toBeGreaterThan(5);
    for (const f of fields) {
      expect(f.name, f.name).not.toMatch(/audit/i);
      expect(JSON.stringify(f.type), f.name).not.toMatch(/Audit/);
    }
  });
});
