// The generated authorization matrix (issue 17): every root field of the live schema, called as
// signed out, USER, another USER and ADMIN, over HTTP, WebSocket and SSE, against one real server.
// The rows are in authz-matrix.cases.ts; a field without a row fails here, so new fields join.
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { schema } from '../../api/src/schema.js';
import { callOn, TRANSPORTS } from './authz-matrix.calls.js';
import { CALLERS, CASES, type Case, type Caller, type Cell } from './authz-matrix.cases.js';
import { makeWorld, type Account, type World } from './authz-matrix.world.js';

const ROOTS = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()];
const LIVE = ROOTS.flatMap((root) =>
  root ? Object.keys(root.getFields()).map((f) => `${root.name}.${f}`) : [],
);
const rowFields = new Set(CASES.map((c) => c.field));
const unclassified = LIVE.filter((f) => !rowFields.has(f));
const stale = [...rowFields].filter((f) => !LIVE.includes(f));
const cases = CASES.filter((c) => LIVE.includes(c.field));
const fieldCount = new Set(cases.map((c) => c.field)).size;
const cellCount = cases.length * CALLERS.length * TRANSPORTS.length;

// cells are independent calls on one server: several at a time keeps the file fast on two cores
vi.setConfig({ maxConcurrency: 12 });

let w: World;
beforeAll(async () => {
  w = await makeWorld();
});
afterAll(() => w?.s.stop());

describe('the matrix covers the schema', () => {
  for (const f of unclassified)
    it(`${f} has a row`, () => expect.fail(`classify ${f} in authz-matrix.cases.ts`));

  it('every root field of the live schema has a row', () => {
    if (unclassified.length)
      expect.fail(unclassified.map((f) => `classify ${f} in authz-matrix.cases.ts`).join('; '));
  });

  it('every row names a root field the schema has', () => {
    if (stale.length)
      expect.fail(
        stale
          .map((f) => `${f} is not in the schema: remove its row from authz-matrix.cases.ts`)
          .join('; '),
      );
  });

  it("every row's operation calls its own field, and only it", () => {
    const wrong = CASES.flatMap((c) => {
      const op = parse(c.query).definitions.find(
        (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
      )!;
      const called = op.selectionSet.selections.map((s) =>
        s.kind === Kind.FIELD
          ? `${op.operation[0]!.toUpperCase()}${op.operation.slice(1)}.${s.name.value}`
          : '?',
      );
      return called.length === 1 && called[0] === c.field
        ? []
        : [`the ${c.field} row calls ${called.join(', ')}`];
    });
    if (wrong.length) expect.fail(wrong.join('; '));
  });
});

/** The base account of each caller; a row that uses its caller up gets a new session or account. */
async function callerFor(c: Case, caller: Caller): Promise<Account | null> {
  if (caller === 'signed out') return null;
  const base = caller === 'USER' ? w.owner : caller === 'another USER' ? w.other : w.admin;
  if (c.caller === 'fresh session') return w.signIn(base.username, base.password);
  if (c.caller === 'fresh account') return w.freshAccount(caller === 'ADMIN' ? 'ADMIN' : 'USER');
  return base;
}

/** One graphql-ws client per base account (a socket each, as a browser tab has); own ones for fresh callers. */
const sockets = new Map<string, Client>();
function socketFor(auth: Account | null, fresh: boolean): Client {
  const key = auth?.token ?? '';
  if (fresh) return w.s.wsClient({ token: auth?.token });
  if (!sockets.has(key)) sockets.set(key, w.s.wsClient({ token: auth?.token }));
  return sockets.get(key)!;
}

/** Live rows wait for "the server listens for one more stream": one cell of a topic at a time. */
const turns = new Map<string, Promise<unknown>>();
function inTurn<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const next = (turns.get(key) ?? Promise.resolve()).then(fn, fn);
  turns.set(
    key,
    next.catch(() => undefined),
  );
  return next;
}

/** A message with the call's own argument values taken out: "The log source "<arg>" was not found." */
const wording = (message: string | undefined, vars: Record<string, unknown>) =>
  Object.values(vars).reduce<string | undefined>(
    (m, v) => (typeof v === 'string' ? m?.split(v).join('<arg>') : m),
    message,
  );

const title = (c: Case) => `${c.field}${c.variant ? ` (${c.variant})` : ''}`;

describe.concurrent(
  `authorization matrix: ${fieldCount} root fields in ${cases.length} rows × ${CALLERS.length} callers × ${TRANSPORTS.length} transports = ${cellCount} cells`,
  () => {
    for (const c of cases) {
      for (const caller of CALLERS) {
        for (const transport of TRANSPORTS) {
          const expected = c.on?.[transport]?.[caller] ?? c.expect[caller];
          it(`${title(c)} as ${caller} over ${transport} → ${expected}`, async () => {
            const auth = await callerFor(c, caller);
            const cell: Cell = { caller, transport, auth };
            const variables = (await c.vars?.(w, cell)) ?? {};
            const fresh = c.caller !== undefined;
            let ws: Client | undefined;
            try {
              const call = (vars: Record<string, unknown>) =>
                callOn(
                  w.s,
                  transport,
                  {
                    query: c.query,
                    variables: vars,
                    upload: c.upload,
                    read: c.read ?? 'once',
                    topic: c.live?.topic,
                    // signed out, an admin's run: a stream that wrongly opened would see it
                    trigger: c.live ? () => c.live!.trigger(w, auth ?? w.admin) : undefined,
                  },
                  auth?.token ?? null,
                  () => (ws = socketFor(auth, fresh)),
                );
              const answer = c.live
                ? await inTurn(c.live.topic, () => call(variables))
                : await call(variables);
              expect(answer.outcome, `${title(c)} as ${caller} over ${transport}`).toBe(expected);
              if (answer.outcome === 'OK') c.check?.(answer.data, cell, w);
              if (answer.outcome === 'NOT_FOUND' && c.missing) {
                // hidden and missing read alike: same code, same words (the argument's own value aside)
                const gone = await call(c.missing);
                expect({
                  outcome: gone.outcome,
                  message: wording(gone.message, c.missing),
                }).toEqual({ outcome: 'NOT_FOUND', message: wording(answer.message, variables) });
              }
            } finally {
              if (fresh) await ws?.dispose();
              await c.after?.(w, variables);
            }
          });
        }
      }
    }
  },
);

/** The streams open now, by the server's own gauge (what Prometheus sees). */
async function openStreams(): Promise<number> {
  const text = await (await fetch(`${w.s.url}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith('tiny_agent_open_subscriptions{'))
    .reduce((n, l) => n + Number(l.split(' ').pop()), 0);
}

describe('after the matrix', () => {
  it('no cell left a stream open: the open-subscriptions gauge is back to 0 and no identity is still watched', async () => {
    const deadline = Date.now() + 5_000;
    while (
      (await openStreams()) + w.s.app.services.auth.watcherCount() > 0 &&
      Date.now() < deadline
    )
      await new Promise((r) => setTimeout(r, 50));
    expect({
      openStreams: await openStreams(),
      watchedIdentities: w.s.app.services.auth.watcherCount(),
    }).toEqual({ openStreams: 0, watchedIdentities: 0 });
  });
});
