import { appendFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../test/harness.js';
import { code, endCode, type Tail, type Transport } from '../../test/log.api-testkit.js';
import { startWriter, tally } from '../../test/log.testkit.js';
import { waitUntil } from '../../test/wait.js';

// `alias` names the same file as `app`: shared live events must still be tagged per source
const AGENT = `commands: []
logs:
  - name: app
    path: app.log
    roles: [admin, user]
  - name: web
    path: web.log
    roles: [admin, user]
  - name: alias
    path: app.log
    roles: [admin, user]
  - name: secret
    path: secret.log
    roles: [admin]
`;

const MERGED = `subscription($s: [String!]!, $b: Int, $f: String, $a: [LogSourceCursor!]) {
  logTailMerged(sources: $s, backfill: $b, filter: $f, after: $a) { source cursor kind text droppedCount } }`;

type Line = { source: string; cursor: string; kind: string; text: string };
type Vars = { s: string[]; b?: number; f?: string; a?: { source: string; cursor: string }[] };

let s: TestServer;
let admin: { token: string };
let user: { token: string };
const file = (name: string) => path.join(s.dir, name);
const hubStats = () => s.app.services.logHub.stats();

function merged(transport: Transport, auth: { token: string }, vars: Vars): Tail {
  return transport === 'ws'
    ? s.subscribeWs(MERGED, vars, { token: auth.token })
    : s.subscribeSse(MERGED, vars, { token: auth.token });
}
const got = (t: Tail): Line[] =>
  t.events.flatMap((e) => (e.data?.logTailMerged ? [e.data.logTailMerged] : []));
const tagged = (t: Tail): string[] =>
  got(t).flatMap((l) => (l.kind === 'LINE' ? [`${l.source}: ${l.text}`] : []));
const released = (what: string) =>
  waitUntil(() => hubStats().subscribers === 0 && hubStats().followers === 0, {
    timeoutMs: 3000,
    what: () => `${what}: hub ${JSON.stringify(hubStats())}`,
  });
beforeAll(async () => {
  s = await startServer({}, { agentYaml: AGENT });
  writeFileSync(file('app.log'), '');
  writeFileSync(file('web.log'), '');
  writeFileSync(file('secret.log'), 'hunter2\n');
  admin = await s.login();
  user = await s.createUser('mira');
});
afterAll(() => s.stop());

describe('logTailMerged', () => {
  it.each(['ws', 'sse'] as Transport[])(
    'interleaves two files by arrival, tagged, filtered, and leaves the hub on close (%s)',
    async (transport) => {
      writeFileSync(file('app.log'), 'keep 0\nskip 0\n');
      writeFileSync(file('web.log'), 'keep 0\n');
      // a backfill line from each says both are attached: what is appended next is live
      const t = merged(transport, user, { s: ['app', 'web'], b: 1, f: 'keep' });
      await t.waitFor(2);
      expect(tagged(t).sort()).toEqual(['app: keep 0', 'web: keep 0']);
      const order = tagged(t);
      for (let i = 1; i <= 6; i++) {
        const [name, f] = i % 3 === 0 ? ['web', 'web.log'] : ['app', 'app.log'];
        appendFileSync(file(f), `keep ${i}\nskip ${i}\n`);
        order.push(`${name}: keep ${i}`);
        await waitUntil(() => tagged(t).length === order.length, {
          timeoutMs: 5000,
          what: () => `line ${i}; got ${JSON.stringify(t.events)} ${JSON.stringify(t.ended)}`,
        });
      }
      expect(tagged(t)).toEqual(order);
      expect(hubStats()).toMatchObject({ followers: 2, subscribers: 2 });
      t.stop();
      await released('closed');
    },
  );

  it('merges the backfill of each source by the lines’ times, then goes live', async () => {
    writeFileSync(
      file('app.log'),
      [
        '2024-05-01T10:00:01Z a1',
        '2024-05-01T10:00:03Z a2',
        'a2 continued',
        '2024-05-01T10:00:05Z a3',
      ]
        .map((l) => `${l}\n`)
        .join(''),
    );
    writeFileSync(
      file('web.log'),
      ['2024-05-01T10:00:00.500Z w0', '2024-05-01T12:00:02+02:00 w1', '2024-05-01T10:00:04Z w2']
        .map((l) => `${l}\n`)
        .join(''),
    );
    const t = merged('ws', admin, { s: ['web', 'app'], b: 3 });
    await t.waitFor(6);
    expect(tagged(t).map((l) => l.replace(/ 2024\S+ /, ' '))).toEqual([
      'web: w0',
      'web: w1', // 12:00:02+02:00 is 10:00:02Z
      'app: a2',
      'app: a2 continued', // no time of its own: stays right after its predecessor
      'web: w2',
      'app: a3',
    ]);
    appendFileSync(file('web.log'), 'live w\n');
    await t.waitFor(7);
    expect(tagged(t).at(-1)).toBe('web: live w');
    t.stop();
    await released('closed');
  });

  it('tags the shared live lines of two sources naming one file each with its own name', async () => {
    writeFileSync(file('app.log'), 'seed\n');
    const single = s.subscribeWs(
      `subscription { logTail(source: "app", backfill: 1) { source text } }`,
      {},
      admin,
    );
    const both = merged('ws', admin, { s: ['alias', 'app'], b: 1 });
    await Promise.all([single.waitFor(1), both.waitFor(2)]);
    appendFileSync(file('app.log'), 'shared\n');
    await Promise.all([single.waitFor(2), both.waitFor(4)]);
    expect(single.events.map((e) => e.data.logTail)).toEqual([
      { source: 'app', text: 'seed' },
      { source: 'app', text: 'shared' },
    ]);
    expect(tagged(both).slice(2).sort()).toEqual(['alias: shared', 'app: shared']);
    single.stop();
    both.stop();
    await released('closed');
  });

  it.each(['ws', 'sse'] as Transport[])(
    'resumes each source after its own cursor, losing nothing (%s)',
    async (transport) => {
      writeFileSync(file('app.log'), '');
      writeFileSync(file('web.log'), '');
      const total = 600;
      const writers = [
        startWriter(file('app.log'), total, 10, 5),
        startWriter(file('web.log'), total, 10, 5),
      ];
      const first = merged(transport, admin, { s: ['app', 'web'], b: 5000 });
      const count = (src: string) => got(first).filter((l) => l.source === src).length;
      await waitUntil(() => count('app') >= 100 && count('web') >= 100, {
        timeoutMs: 10_000,
        what: '100 lines of each',
      });
      first.stop();
      const before = got(first).filter((l) => l.kind === 'LINE');
      const last = (source: string) => before.filter((l) => l.source === source).at(-1)!.cursor;
      const after = ['app', 'web'].map((source) => ({ source, cursor: last(source) }));
      await released('the first one left');
      const second = merged(transport, admin, { s: ['app', 'web'], a: after });
      await Promise.all(writers.map((w) => w.done));
      const all = () => [...before, ...got(second).filter((l) => l.kind === 'LINE')];
      await waitUntil(
        () =>
          ['app', 'web'].every((src) =>
            all().some((l) => l.source === src && l.text.startsWith(`line ${total} `)),
          ),
        { timeoutMs: 10_000, what: 'both last lines' },
      );
      second.stop();
      for (const src of ['app', 'web']) {
        const seen = tally(
          all()
            .filter((l) => l.source === src)
            .map((l) => l.text),
        );
        expect(
          [...seen.keys()].sort((a, b) => a - b),
          src,
        ).toEqual(Array.from({ length: total }, (_, i) => i + 1));
        expect(
          [...seen.values()].every((c) => c === 1),
          src,
        ).toBe(true);
      }
      expect(got(second).some((l) => l.kind !== 'LINE')).toBe(false);
      await released('closed');
    },
  );

  it('serves a source with a long backlog in turn with the others', async () => {
    const pad = 'x'.repeat(90); // 100-byte lines: the 2 MB backlog is some 30 reads of 64 KiB
    const big = Array.from({ length: 20_000 }, (_, i) => `busy ${i} ${pad}\n`).join('');
    writeFileSync(file('app.log'), 'start\n' + big);
    writeFileSync(file('web.log'), 'start\nquiet 1\nquiet 2\nquiet 3\n');
    const first = merged('ws', admin, { s: ['app', 'web'], b: 1, f: 'start' });
    await first.waitFor(2);
    first.stop();
    const at = (source: string) => got(first).find((l) => l.source === source)!.cursor;
    // both resume at "start": the busy one has 20,000 lines to catch up on, the quiet one 3
    const t = merged('ws', admin, {
      s: ['app', 'web'],
      a: [
        { source: 'app', cursor: at('app') },
        { source: 'web', cursor: at('web') },
      ],
    });
    await waitUntil(() => tagged(t).includes('web: quiet 3'), {
      timeoutMs: 10_000,
      what: 'quiet 3',
    });
    // taken in turn (per read of the busy file), not after its whole backlog
    expect(tagged(t).indexOf('web: quiet 3')).toBeLessThan(10_000);
    await t.waitFor(20_003, 20_000);
    expect(got(t).filter((l) => l.source === 'app')).toHaveLength(20_000);
    t.stop();
    await released('closed');
  });
});

describe('logTailMerged: who may read what', () => {
  it.each(['ws', 'sse'] as Transport[])(
    'a source the viewer may not read refuses the whole tail, in the words of a missing one (%s)',
    async (transport) => {
      const refusal = async (vars: Vars) => {
        const t = merged(transport, user, vars);
        await t.waitEnd();
        expect(got(t)).toEqual([]);
        const err =
          (t.ended?.error as { message: string }[] | undefined)?.[0] ?? t.events[0]?.errors?.[0];
        return { code: endCode(t), message: String(err?.message) };
      };
      const hidden = await refusal({ s: ['app', 'secret'], b: 1 });
      expect(hidden.code).toBe('NOT_FOUND');
      const missing = await refusal({ s: ['app', 'nope'], b: 1 });
      expect(missing.message.replace('nope', 'secret')).toBe(hidden.message);
      const single = s.subscribeWs(`subscription { logTail(source: "secret") { text } }`, {}, user);
      await single.waitEnd();
      const singleError =
        (single.ended?.error as { message: string }[] | undefined)?.[0] ??
        single.events[0]?.errors?.[0];
      expect(singleError?.message).toBe(hidden.message);
      // the admin reads both
      const a = merged(transport, admin, { s: ['app', 'secret'], b: 1 });
      await waitUntil(() => tagged(a).includes('secret: hunter2'), { what: 'the secret line' });
      a.stop();
      await released('closed');
    },
  );

  it('bad arguments are BAD_USER_INPUT before anything is read', async () => {
    const eleven = Array.from({ length: 11 }, () => 'app').map((n, i) => (i ? `${n}${i}` : n));
    for (const vars of [
      { s: [] },
      { s: eleven },
      { s: ['app', 'app'] },
      { s: ['app'], b: 5001 },
      { s: ['app'], f: '/(a)\\1/' },
      { s: ['app'], a: [{ source: 'web', cursor: 'l1' }] },
      { s: ['app'], a: [{ source: 'app', cursor: 'garbage' }] },
    ] as Vars[]) {
      const t = merged('ws', admin, vars);
      await t.waitEnd();
      expect(endCode(t), JSON.stringify(vars)).toBe('BAD_USER_INPUT');
    }
    const r = await s.gql(MERGED, { s: ['app'] }, admin);
    expect(code(r)).toBe('BAD_USER_INPUT'); // a subscription needs a stream: SSE or WebSocket
    await released('nothing left behind');
  });

  it.each(['ws', 'sse'] as Transport[])(
    'agent.yaml taking one source away ends the whole tail with NOT_FOUND (%s)',
    async (transport) => {
      writeFileSync(file('app.log'), 'a\n');
      writeFileSync(file('web.log'), 'w\n');
      const t = merged(transport, user, { s: ['app', 'web'], b: 1 });
      await t.waitFor(2);
      writeFileSync(
        s.agentPath,
        AGENT.replace(
          'path: web.log\n    roles: [admin, user]',
          'path: web.log\n    roles: [admin]',
        ),
      );
      await waitUntil(
        async () => (await s.gql(`{ logSources { name } }`, {}, user)).data.logSources.length === 2,
        { timeoutMs: 5000, what: 'the reload' },
      );
      appendFileSync(file('app.log'), 'after the change\n');
      await t.waitEnd(5000);
      expect(endCode(t)).toBe('NOT_FOUND');
      expect(tagged(t)).toEqual(['app: a', 'web: w']);
      await released('the tail left the hub');
      writeFileSync(s.agentPath, AGENT);
      await waitUntil(
        async () => (await s.gql(`{ logSources { name } }`, {}, user)).data.logSources.length === 3,
        { timeoutMs: 5000, what: 'the reload back' },
      );
    },
  );
});
