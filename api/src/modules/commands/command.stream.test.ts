import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gqlAt, startServer, collect, type TestServer } from '../../test/harness.js';
import { spawnServer } from '../../test/spawn.js';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const AGENT = `
commands:
  - name: ticker
    title: Numbered lines
    argv: ["node", "-e", "let i=0; const t=setInterval(()=>{ console.log('line ' + (++i)); if (i===40) { clearInterval(t); } }, 25)"]
    roles: [admin, user]
  - name: forever
    title: Runs until stopped
    argv: ["sh", "-c", "echo up; sleep 600"]
    roles: [admin, user]
  - name: slowticker
    title: The same lines over 4 s (a reconnect must come while it still runs)
    argv: ["node", "-e", "let i=0; const t=setInterval(()=>{ console.log('line ' + (++i)); if (i===40) { clearInterval(t); } }, 100)"]
    roles: [admin]
logs: []
`;

const code = (r: { errors?: { extensions?: { code?: string } }[] }) =>
  r.errors?.[0]?.extensions?.code;
const OUTPUT = `subscription($id: ID!, $after: Int) { commandOutput(runId: $id, afterSeq: $after) { seq stream data } }`;
const RUN = `mutation($name: String!) { runCommand(name: $name) { id } }`;

let s: TestServer;
beforeAll(async () => {
  s = await startServer({}, { agentYaml: AGENT });
});
afterAll(() => s.stop());

const seqs = (events: any[]) => events.map((e) => e.data.commandOutput.seq as number);
const text = (events: any[]) => events.map((e) => e.data.commandOutput.data as string).join('');
const expected = Array.from({ length: 40 }, (_, i) => `line ${i + 1}\n`).join('');

describe('live, resumable output', () => {
  it.each(['ws', 'sse'] as const)(
    'a subscriber that reconnects with afterSeq gets exactly the missing chunks (%s)',
    async (transport) => {
      const admin = await s.login();
      // the 1 s ticker could end, coalesced into the first 5 events, before a loaded machine stopped
      // the first connection: nothing was left for the second
      const id = (await s.gql(RUN, { name: 'slowticker' }, admin)).data.runCommand.id;
      const sub = (after?: number) =>
        transport === 'ws'
          ? s.subscribeWs(OUTPUT, { id, after }, { token: admin.token })
          : s.subscribeSse(OUTPUT, { id, after }, { token: admin.token });
      // first connection drops after a few chunks
      const first = sub();
      await first.waitFor(5);
      first.stop();
      const got = first.events.slice();
      const last = seqs(got).at(-1)!;
      await new Promise((r) => setTimeout(r, 200)); // output goes on while disconnected
      const second = sub(last);
      await second.waitEnd(15_000);
      const all = [...got, ...second.events];
      expect(text(all)).toBe(expected);
      const s2 = seqs(second.events);
      expect(s2[0]).toBeGreaterThan(last);
      expect(new Set(seqs(all)).size).toBe(all.length);
      expect([...seqs(all)].sort((a, b) => a - b)).toEqual(seqs(all));
    },
  );

  it('a subscriber after the end replays everything and completes', async () => {
    const admin = await s.login();
    const id = (await s.gql(RUN, { name: 'ticker' }, admin)).data.runCommand.id;
    await s.subscribeWs(OUTPUT, { id }, { token: admin.token }).waitEnd(15_000);
    const late = s.subscribeSse(OUTPUT, { id, after: 0 }, { token: admin.token });
    await late.waitEnd();
    expect(text(late.events)).toBe(expected);
  });

  it('100 subscribers on one run each receive every byte', async () => {
    const admin = await s.login();
    const id = (await s.gql(RUN, { name: 'ticker' }, admin)).data.runCommand.id;
    const client = s.wsClient({ token: admin.token });
    const subs = Array.from({ length: 100 }, () => s.subscribeWs(OUTPUT, { id }, { client }));
    await Promise.all(subs.map((x) => x.waitEnd(20_000)));
    for (const x of subs) expect(text(x.events)).toBe(expected);
  });
});

describe('who may see what', () => {
  it("another user's run is NOT_FOUND everywhere, subscriptions included", async () => {
    const admin = await s.login();
    const frank = await s.createUser('frank');
    const grace = await s.createUser('grace');
    const id = (await s.gql(RUN, { name: 'forever' }, frank)).data.runCommand.id;
    const updates = s.subscribeWs(
      `subscription { commandRunUpdated { id status } }`,
      {},
      { token: grace.token },
    );
    expect(code(await s.gql(`query($id: ID!) { commandRun(id: $id) { id } }`, { id }, grace))).toBe(
      'NOT_FOUND',
    );
    expect(
      code(await s.gql(`mutation($id: ID!) { cancelCommandRun(id: $id) { id } }`, { id }, grace)),
    ).toBe('NOT_FOUND');
    const runs = await s.gql(`{ commandRuns { edges { node { id } } } }`, {}, grace);
    expect(runs.data.commandRuns.edges).toEqual([]);
    const ws = s.subscribeWs(OUTPUT, { id }, { token: grace.token });
    await ws.waitEnd();
    expect(
      (ws.ended as any).error?.[0]?.extensions?.code ?? ws.events[0]?.errors?.[0]?.extensions?.code,
    ).toBe('NOT_FOUND');
    const sse = s.subscribeSse(OUTPUT, { id }, { token: grace.token });
    await sse.waitEnd();
    expect(sse.events[0].errors[0].extensions.code).toBe('NOT_FOUND');
    // a missing id answers the same
    expect(
      code(
        await s.gql(
          `query { commandRun(id: "00000000-0000-0000-0000-000000000000") { id } }`,
          {},
          grace,
        ),
      ),
    ).toBe('NOT_FOUND');
    // the owner and an admin see it
    expect(
      (await s.gql(`query($id: ID!) { commandRun(id: $id) { id } }`, { id }, frank)).data.commandRun
        .id,
    ).toBe(id);
    const adminUpdates = s.subscribeWs(
      `subscription { commandRunUpdated { id status } }`,
      {},
      { token: admin.token },
    );
    await s.listening('runUpdated', 2); // grace's `updates`, and this one
    await s.gql(`mutation($id: ID!) { cancelCommandRun(id: $id) { id } }`, { id }, admin);
    await adminUpdates.waitFor(1);
    expect(adminUpdates.events[0].data.commandRunUpdated).toEqual({ id, status: 'CANCELLED' });
    await new Promise((r) => setTimeout(r, 300));
    expect(updates.events).toEqual([]);
    updates.stop();
    adminUpdates.stop();
  });

  it('a USER only sees and runs commands listed for their role', async () => {
    const agent = AGENT.replace(
      'roles: [admin, user]\n  - name: forever',
      'roles: [admin]\n  - name: forever',
    );
    const s2 = await startServer({}, { agentYaml: agent });
    try {
      const u = await s2.createUser('henry');
      const list = await s2.gql(`{ commands { name } }`, {}, u);
      expect(list.data.commands.map((c: { name: string }) => c.name)).toEqual(['forever']);
      expect(code(await s2.gql(RUN, { name: 'ticker' }, u))).toBe('NOT_FOUND');
      const admin = await s2.login();
      expect((await s2.gql(`{ commands { name } }`, {}, admin)).data.commands).toHaveLength(3);
    } finally {
      await s2.stop();
    }
  });
});

describe('identity ends its streams', () => {
  it('revoking a token ends its open subscriptions on WebSocket and SSE', async () => {
    const admin = await s.login();
    const t = await s.gql(
      `mutation { createApiToken(name: "watcher") { secret apiToken { id } } }`,
      {},
      admin,
    );
    const { secret, apiToken } = t.data.createApiToken;
    const listenersBefore = s.app.services.pubsub.listenerCount();
    const ws = s.subscribeWs(`subscription { commandRunUpdated { id } }`, {}, { token: secret });
    const sse = s.subscribeSse(`subscription { commandRunUpdated { id } }`, {}, { token: secret });
    await s.listening('runUpdated', 2);
    await s.gql(`mutation($id: ID!) { revokeApiToken(id: $id) }`, { id: apiToken.id }, admin);
    await ws.waitEnd(3000);
    await sse.waitEnd(3000);
    expect(ws.events.at(-1).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(sse.events.at(-1).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(s.app.services.auth.watcherCount()).toBe(0);
    // the streams' queues and pubsub listeners are gone too
    await new Promise((r) => setTimeout(r, 100));
    expect(s.app.services.pubsub.listenerCount()).toBe(listenersBefore);
  });

  it('logging out, disabling a user or changing their role ends their subscriptions', async () => {
    const admin = await s.login();
    const ivy = await s.createUser('ivy');
    const viaLogout = s.subscribeWs(
      `subscription { commandRunUpdated { id } }`,
      {},
      { token: ivy.token },
    );
    const other = await s.login('ivy', ivy.password);
    const viaRole = s.subscribeSse(
      `subscription { commandRunUpdated { id } }`,
      {},
      { token: other.token },
    );
    await s.listening('runUpdated', 2);
    await s.gql(`mutation { logout }`, {}, ivy);
    await viaLogout.waitEnd(3000);
    expect(viaRole.ended).toBeNull(); // only that session ended
    await s.gql(
      `mutation($id: ID!) { updateUser(id: $id, role: ADMIN) { id } }`,
      { id: ivy.userId },
      admin,
    );
    await viaRole.waitEnd(3000);
    expect(viaRole.events.at(-1).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('a session cookie is refused on a WebSocket from a foreign Origin', async () => {
    const admin = await s.login();
    const foreign = s.subscribeWs(
      `subscription { commandRunUpdated { id } }`,
      {},
      { headers: { cookie: admin.cookie, origin: 'https://evil.example' } },
    );
    const ended = await foreign.waitEnd();
    expect(ended.error).toBeTruthy();
    expect(foreign.events).toEqual([]);
    const own = s.subscribeWs(
      `subscription { commandRunUpdated { id } }`,
      {},
      { headers: { cookie: admin.cookie, origin: s.url } },
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(own.ended).toBeNull();
    own.stop();
  });
});

describe('the process', () => {
  it('killed with SIGKILL mid-run and restarted: the run is INTERRUPTED and nothing is left running', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tiny-agent-crash-'));
    writeFileSync(path.join(dir, 'agent.yaml'), AGENT);
    const env = {
      DATA_DIR: path.join(dir, 'data'),
      LOGS_DIR: path.join(dir, 'logs'),
      ADMIN_PASSWORD: 'admin-password-1',
    };
    const first = await spawnServer(env, dir);
    const login = await gqlAt(
      first.url,
      `mutation { login(username: "admin", password: "admin-password-1") { token } }`,
    );
    const token = login.data.login.token;
    const id = (await gqlAt(first.url, RUN, { name: 'forever' }, { token })).data.runCommand.id;
    const marker = `TINY_AGENT_RUN_ID=${id}`;
    const left = () =>
      readdirSync('/proc')
        .filter((p) => /^\d+$/.test(p))
        .filter((p) => {
          try {
            return (
              !/\) Z /.test(readFileSync(`/proc/${p}/stat`, 'utf8')) &&
              readFileSync(`/proc/${p}/environ`, 'latin1').includes(marker)
            );
          } catch {
            return false;
          }
        });
    const program = (p: string) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'latin1').split('\0')[0];
      } catch {
        return '';
      }
    };
    // the run is fully started once its `sleep` is there (the shell has forked it)
    for (let i = 0; i < 250 && !left().some((p) => program(p) === 'sleep'); i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(left().map(program)).toContain('sleep');
    first.child.kill('SIGKILL');
    await first.exited;
    expect(left().length).toBeGreaterThan(0); // orphans survive the crash
    const second = await spawnServer(env, dir);
    try {
      const token2 = (
        await gqlAt(
          second.url,
          `mutation { login(username: "admin", password: "admin-password-1") { token } }`,
        )
      ).data.login.token;
      const run = await gqlAt(
        second.url,
        `query($id: ID!) { commandRun(id: $id) { status finishedAt } }`,
        { id },
        { token: token2 },
      );
      expect(run.data.commandRun.status).toBe('INTERRUPTED');
      expect(left()).toEqual([]);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  });

  it('SIGTERM: subscriptions get a proper end, runs are INTERRUPTED, and the process exits within 10 s', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tiny-agent-term-'));
    writeFileSync(path.join(dir, 'agent.yaml'), AGENT);
    const env = {
      DATA_DIR: path.join(dir, 'data'),
      LOGS_DIR: path.join(dir, 'logs'),
      ADMIN_PASSWORD: 'admin-password-1',
    };
    const srv = await spawnServer(env, dir);
    const token = (
      await gqlAt(
        srv.url,
        `mutation { login(username: "admin", password: "admin-password-1") { token } }`,
      )
    ).data.login.token;
    const id = (await gqlAt(srv.url, RUN, { name: 'forever' }, { token })).data.runCommand.id;
    const client = createClient({
      url: srv.url.replace('http', 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
    });
    const out = collect((sink) => client.subscribe({ query: OUTPUT, variables: { id } }, sink));
    const updates = collect((sink) =>
      client.subscribe({ query: `subscription { commandRunUpdated { id status } }` }, sink),
    );
    await out.waitFor(1);
    const t = Date.now();
    srv.child.kill('SIGTERM');
    const exit = await srv.exited;
    expect(Date.now() - t).toBeLessThan(10_000);
    expect(exit.code).toBe(0);
    await out.waitEnd();
    expect(out.ended!.error).toBeUndefined(); // completed, not cut
    expect(text(out.events)).toContain('up');
    await updates.waitEnd();
    await client.dispose();
    const log = readFileSync(path.join(dir, 'logs', 'system.log'), 'utf8');
    expect(log).toMatch(/"status":"INTERRUPTED"/);
    expect(log).toMatch(/"msg":"stopped"/);
  });
});
