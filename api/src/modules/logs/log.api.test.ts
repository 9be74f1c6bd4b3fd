import { appendFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../test/harness.js';
import {
  LINES,
  code,
  endCode,
  lines,
  tail,
  texts,
  type Transport,
} from '../../test/log.api-testkit.js';
import { startWriter, tally } from '../../test/log.testkit.js';
import { waitUntil } from '../../test/wait.js';

// relative paths are relative to agent.yaml's folder: the test server's temp dir
const AGENT = `commands: []
logs:
  - name: app
    path: app.log
    roles: [admin, user]
  - name: secret
    path: secret.log
    roles: [admin]
  - name: later
    path: later.log
    roles: [admin, user]
`;

let s: TestServer;
let admin: { token: string };
let user: { token: string };
const file = (name: string) => path.join(s.dir, name);
const hubStats = () => s.app.services.logHub.stats();

beforeAll(async () => {
  s = await startServer({}, { agentYaml: AGENT });
  writeFileSync(path.join(s.dir, 'app.log'), 'boot\n');
  writeFileSync(path.join(s.dir, 'secret.log'), 'root password is hunter2\n');
  admin = await s.login();
  user = await s.createUser('lena');
});
afterAll(() => s.stop());

describe('logSources and logLines', () => {
  it('lists the sources a role may read, with existence and size', async () => {
    const all = await s.gql(`{ logSources { name exists sizeBytes } }`, {}, admin);
    expect(all.data.logSources).toEqual([
      { name: 'app', exists: true, sizeBytes: expect.any(Number) },
      { name: 'secret', exists: true, sizeBytes: 25 },
      { name: 'later', exists: false, sizeBytes: null },
    ]);
    const mine = await s.gql(`{ logSources { name } }`, {}, user);
    expect(mine.data.logSources.map((l: { name: string }) => l.name)).toEqual(['app', 'later']);
    expect(code(await s.gql(`{ logSources { name } }`))).toBe('UNAUTHENTICATED');
  });

  it('an unknown source, one the role may not read and a path all answer NOT_FOUND alike', async () => {
    const answer = async (source: string, auth: { token: string }) => {
      const r = await s.gql(LINES, { s: source }, auth);
      expect(r.data).toBeNull();
      return { code: code(r), message: r.errors![0]!.message.replace(source, '<name>') };
    };
    const forbidden = await answer('secret', user);
    expect(forbidden.code).toBe('NOT_FOUND');
    for (const source of [
      'nope',
      '../etc/passwd',
      '/etc/passwd',
      'secret.log',
      path.join(s.dir, 'secret.log'),
    ]) {
      expect(await answer(source, user)).toEqual(forbidden);
      expect(await answer(source, admin)).toEqual(forbidden);
    }
    for (const transport of ['ws', 'sse'] as const) {
      for (const source of ['secret', '../etc/passwd', '/etc/passwd']) {
        const t = tail(s, transport, user, { s: source, b: 5 });
        await t.waitEnd();
        expect(endCode(t), `${transport} ${source}`).toBe('NOT_FOUND');
        expect(lines(t)).toEqual([]);
      }
    }
    await waitUntil(() => hubStats().subscribers === 0, {
      timeoutMs: 2000,
      what: 'no subscribers',
    });
  });

  it('pages backwards with before; limits and bad input are BAD_USER_INPUT', async () => {
    appendFileSync(
      file('app.log'),
      Array.from({ length: 30 }, (_, i) => `page ${i + 1}\n`).join(''),
    );
    const last = (await s.gql(LINES, { s: 'app', n: 10, f: 'page' }, user)).data.logLines;
    expect(last.map((l: { text: string }) => l.text)).toEqual(
      Array.from({ length: 10 }, (_, i) => `page ${i + 21}`),
    );
    const older = (await s.gql(LINES, { s: 'app', n: 10, before: last[0].cursor, f: 'page' }, user))
      .data.logLines;
    expect(older.map((l: { text: string }) => l.text)).toEqual(
      Array.from({ length: 10 }, (_, i) => `page ${i + 11}`),
    );
    expect(
      (await s.gql(LINES, { s: 'app', n: 3, f: '/^page [12]$/' }, user)).data.logLines.map(
        (l: { text: string }) => l.text,
      ),
    ).toEqual(['page 1', 'page 2']);
    expect((await s.gql(LINES, { s: 'later' }, user)).data.logLines).toEqual([]);
    for (const vars of [
      { n: 5001 },
      { n: -1 },
      { before: 'garbage' },
      { before: 'bDIuMS4x' },
      { f: '/(x)\\1/' }, // RE2 runs (a+)+ in linear time; a backreference it cannot
      { f: '/(?<=x)y/' },
    ]) {
      expect(code(await s.gql(LINES, { s: 'app', ...vars }, user)), JSON.stringify(vars)).toBe(
        'BAD_USER_INPUT',
      );
    }
    for (const vars of [
      { b: 5001 },
      { b: -3 },
      { a: 'nope!' },
      { b: 2, a: last[0].cursor },
      { f: '/a{2,1}/' },
    ]) {
      const t = tail(s, 'ws', user, { s: 'app', ...vars });
      await t.waitEnd();
      expect(endCode(t), JSON.stringify(vars)).toBe('BAD_USER_INPUT');
    }
  });

  it('HTML in a line comes back as the same plain text, as JSON', async () => {
    const evil = '<img src=x onerror=alert(1)>';
    const t = tail(s, 'ws', admin, { s: 'app', b: 1 });
    await t.waitFor(1);
    appendFileSync(file('app.log'), `${evil}\n`);
    await t.waitFor(2);
    expect(lines(t)[1]).toMatchObject({ kind: 'LINE', text: evil, truncated: false });
    const r = await s.gql(LINES, { s: 'app', n: 1 }, admin);
    expect(r.headers.get('content-type')).toMatch(/^application\/(graphql-response\+)?json/);
    expect(r.data.logLines[0].text).toBe(evil);
    t.stop();
  });
});

describe('logTail', () => {
  it.each(['ws', 'sse'] as Transport[])(
    'backfill then live lines, filtered, over %s',
    async (transport) => {
      const t = tail(s, transport, user, { s: 'app', b: 1 });
      await t.waitFor(1);
      const u = tail(s, transport, user, { s: 'app', f: '/^live \\d+ (odd)$/i' });
      await waitUntil(() => hubStats().subscribers === 2, {
        timeoutMs: 2000,
        what: 'both attached',
      });
      await new Promise((r) => setTimeout(r, 200)); // `u` starts at the end: let it attach first
      appendFileSync(file('app.log'), 'live 1 odd\nlive 2 even\nlive 3 ODD\n');
      await t.waitFor(4);
      await u.waitFor(2);
      expect(texts(t).slice(1)).toEqual(['live 1 odd', 'live 2 even', 'live 3 ODD']);
      expect(texts(u)).toEqual(['live 1 odd', 'live 3 ODD']);
      t.stop();
      u.stop();
      await waitUntil(() => hubStats().subscribers === 0, {
        timeoutMs: 2000,
        what: 'subscriptions released',
      });
    },
  );

  it('a file missing at first is followed from its first line once it appears', async () => {
    const t = tail(s, 'ws', user, { s: 'later', b: 10 });
    await waitUntil(() => hubStats().subscribers === 1, { timeoutMs: 2000, what: 'attached' });
    await new Promise((r) => setTimeout(r, 200));
    writeFileSync(file('later.log'), 'first\nsecond\n');
    await t.waitFor(2, 5000);
    expect(texts(t)).toEqual(['first', 'second']);
    const src = (await s.gql(`{ logSources { name exists sizeBytes } }`, {}, user)).data.logSources;
    expect(src.find((x: { name: string }) => x.name === 'later')).toEqual({
      name: 'later',
      exists: true,
      sizeBytes: 13,
    });
    t.stop();
  });

  it.each(['ws', 'sse'] as Transport[])(
    'resuming with after: no gap, no duplicate (%s)',
    async (transport) => {
      const path_ = file('app.log');
      const first = tail(s, transport, admin, { s: 'app', b: 1 });
      await first.waitFor(1);
      const writer = startWriter(path_, 1500, 10, 5);
      await waitUntil(() => texts(first).filter((x) => x.startsWith('line ')).length >= 300, {
        timeoutMs: 10_000,
        what: '300 lines',
      });
      first.stop();
      const got = lines(first).filter((l) => l.kind === 'LINE' && l.text.startsWith('line '));
      const resume = got.at(-1)!.cursor;
      await new Promise((r) => setTimeout(r, 300)); // the writer goes on while we are away
      const second = tail(s, transport, admin, { s: 'app', a: resume });
      await writer.done;
      await waitUntil(() => texts(second).some((x) => x.startsWith('line 1500 ')), {
        timeoutMs: 10_000,
        what: 'the last line',
      });
      second.stop();
      const all = [...got.map((l) => l.text), ...texts(second)];
      const seen = tally(all);
      expect([...seen.keys()].sort((a, b) => a - b)).toEqual(
        Array.from({ length: 1500 }, (_, i) => i + 1),
      );
      expect([...seen.values()].every((c) => c === 1)).toBe(true);
      expect(lines(second).some((l) => l.kind !== 'LINE')).toBe(false);
      writeFileSync(path_, 'boot\n'); // truncate for the next test; subscribers are gone
    },
  );

  it('counts delivered lines in tiny_agent_log_lines_streamed_total', async () => {
    const metric = async () =>
      Number(
        /^tiny_agent_log_lines_streamed_total (\d+)/m.exec(
          await (await fetch(`${s.url}/metrics`)).text(),
        )?.[1],
      );
    appendFileSync(file('app.log'), 'one\ntwo\nthree\n');
    const before = await metric();
    const t = tail(s, 'ws', admin, { s: 'app', b: 3 });
    await t.waitFor(3);
    t.stop();
    expect((await metric()) - before).toBe(texts(t).length);
  });
});

describe('a tail ends when its reader may no longer read', () => {
  it.each(['ws', 'sse'] as Transport[])(
    'a revoked session ends its tail (%s)',
    async (transport) => {
      const who = await s.login('lena', 'user-password-1');
      const t = tail(s, transport, who, { s: 'app', b: 1 });
      await t.waitFor(1);
      await s.gql(`mutation { logout }`, {}, who);
      await t.waitEnd(5000);
      expect(endCode(t)).toBe('UNAUTHENTICATED');
      await waitUntil(() => hubStats().subscribers === 0, {
        timeoutMs: 2000,
        what: 'the hub released it',
      });
    },
  );

  it("agent.yaml taking the source away from a role ends that role's tails at the next line", async () => {
    const u = tail(s, 'ws', user, { s: 'app', b: 1 });
    const a = tail(s, 'sse', admin, { s: 'app', b: 1 });
    await Promise.all([u.waitFor(1), a.waitFor(1)]);
    writeFileSync(
      s.agentPath,
      AGENT.replace('path: app.log\n    roles: [admin, user]', 'path: app.log\n    roles: [admin]'),
    );
    await waitUntil(
      async () => (await s.gql(`{ logSources { name } }`, {}, user)).data.logSources.length === 1,
      { timeoutMs: 5000, what: 'the reload' },
    );
    appendFileSync(file('app.log'), 'after the change\n');
    await u.waitEnd(5000);
    expect(endCode(u)).toBe('NOT_FOUND');
    expect(texts(u)).not.toContain('after the change');
    await a.waitFor(2);
    expect(texts(a).at(-1)).toBe('after the change');
    a.stop();
    writeFileSync(s.agentPath, AGENT);
    await waitUntil(
      async () => (await s.gql(`{ logSources { name } }`, {}, user)).data.logSources.length === 2,
      { timeoutMs: 5000, what: 'the reload back' },
    );
  });
});
