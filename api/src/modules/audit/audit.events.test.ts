// Runs and files leave events in the audit trail: who, from where, on what, with which facts.
// Read straight from the table, so these prove the recording whatever the query does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../test/harness.js';
import { AuditEvent, type AuditAction } from './audit-event.entity.js';

const AGENT = `
commands:
  - name: greet
    title: Greet
    argv: ["echo", "hello", "{{name}}"]
    args:
      - { name: name, type: string, maxLength: 40 }
    roles: [admin, user]
  - name: wait
    title: Wait
    argv: ["sleep", "300"]
    roles: [admin, user]
logs: []
`;

let s: TestServer;
let alice: Awaited<ReturnType<TestServer['createUser']>>;
let bob: Awaited<ReturnType<TestServer['createUser']>>;
beforeAll(async () => {
  s = await startServer({}, { agentYaml: AGENT });
  alice = await s.createUser('alice');
  bob = await s.createUser('bob');
});
afterAll(() => s.stop());

const events = (action: AuditAction, target?: string) =>
  s.app.services.orm.em
    .fork()
    .find(AuditEvent, { action, ...(target ? { target } : {}) }, { orderBy: { at: 'asc' } });
const detail = (e: AuditEvent) => JSON.parse(e.detail ?? 'null');

describe('run events', () => {
  it('RUN_STARTED names the starter, the address, the run and its exact argv', async () => {
    const r = await s.gql(
      `mutation { runCommand(name: "greet", args: [{ name: "name", value: "a b; rm -rf /" }]) { id } }`,
      {},
      alice,
    );
    expect(r.errors).toBeUndefined();
    const [e, ...more] = await events('RUN_STARTED', r.data.runCommand.id);
    expect(more).toHaveLength(0);
    expect(e).toMatchObject({ actorId: alice.userId, actorName: 'alice', ip: '127.0.0.1' });
    expect(detail(e!)).toEqual({ command: 'greet', argv: ['echo', 'hello', 'a b; rm -rf /'] });
  });

  it('a refused run records nothing', async () => {
    const before = (await events('RUN_STARTED')).length;
    const r = await s.gql(`mutation { runCommand(name: "nope") { id } }`, {}, alice);
    expect(r.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(await events('RUN_STARTED')).toHaveLength(before);
  });

  it("RUN_CANCELLED names who cancelled it (an admin cancelling a user's run)", async () => {
    const started = await s.gql(`mutation { runCommand(name: "wait") { id } }`, {}, bob);
    const id = started.data.runCommand.id as string;
    const admin = await s.login();
    const cancelled = await s.gql(
      `mutation($id: ID!) { cancelCommandRun(id: $id) { status } }`,
      { id },
      admin,
    );
    expect(cancelled.errors).toBeUndefined();
    const [e, ...more] = await events('RUN_CANCELLED', id);
    expect(more).toHaveLength(0);
    expect(e).toMatchObject({ actorId: admin.userId, actorName: 'admin', ip: '127.0.0.1' });
    expect(detail(e!)).toEqual({ command: 'wait', startedBy: bob.userId });
  });
});

describe('file events', () => {
  it('FILE_UPLOADED, FILE_DOWNLOADED and FILE_DELETED, each with actor, address, file id and facts', async () => {
    const up = await s.upload({ name: 'notes.txt', content: 'line one\nline two\n' }, alice);
    expect(up.errors).toBeUndefined();
    const id = up.data.uploadFile.id as string;
    const [uploaded] = await events('FILE_UPLOADED', id);
    expect(uploaded).toMatchObject({ actorId: alice.userId, actorName: 'alice', ip: '127.0.0.1' });
    expect(detail(uploaded!)).toEqual({ name: 'notes.txt', size: 18, mimeType: 'text/plain' });

    // the plain HTTP download, with a Bearer token and with the session cookie
    const viaToken = await fetch(`${s.url}/files/${id}`, {
      headers: { authorization: `Bearer ${alice.token}` },
    });
    expect(await viaToken.text()).toBe('line one\nline two\n');
    const viaCookie = await fetch(`${s.url}/files/${id}`, {
      headers: { cookie: alice.cookie, range: 'bytes=0-3' },
    });
    expect(await viaCookie.text()).toBe('line');
    const downloads = await events('FILE_DOWNLOADED', id);
    expect(downloads).toHaveLength(2);
    for (const d of downloads)
      expect(d).toMatchObject({ actorId: alice.userId, actorName: 'alice', ip: '127.0.0.1' });
    expect(downloads.map(detail).sort((a, b) => b.bytes - a.bytes)).toEqual([
      { name: 'notes.txt', bytes: 18 },
      { name: 'notes.txt', bytes: 4, range: '0-3' },
    ]);

    // what is refused is not a download: someone else's file, signed out, a HEAD
    expect(
      (await fetch(`${s.url}/files/${id}`, { headers: { authorization: `Bearer ${bob.token}` } }))
        .status,
    ).toBe(404);
    expect((await fetch(`${s.url}/files/${id}`)).status).toBe(401);
    expect(
      (
        await fetch(`${s.url}/files/${id}`, {
          method: 'HEAD',
          headers: { authorization: `Bearer ${alice.token}` },
        })
      ).status,
    ).toBe(200);
    expect(await events('FILE_DOWNLOADED', id)).toHaveLength(2);

    const admin = await s.login();
    const del = await s.gql(`mutation($id: ID!) { deleteFile(id: $id) }`, { id }, admin);
    expect(del.data.deleteFile).toBe(true);
    const [deleted, ...more] = await events('FILE_DELETED', id);
    expect(more).toHaveLength(0);
    expect(deleted).toMatchObject({ actorId: admin.userId, actorName: 'admin', ip: '127.0.0.1' });
    expect(detail(deleted!)).toEqual({ name: 'notes.txt', owner: alice.userId });
  });

  it('300 concurrent downloads leave 300 events, none lost to a busy database', async () => {
    const id = (await s.upload({ name: 'busy.txt', content: 'x'.repeat(1000) }, bob)).data
      .uploadFile.id as string;
    const statuses = await Promise.all(
      Array.from({ length: 300 }, async () => {
        const res = await fetch(`${s.url}/files/${id}`, {
          headers: { authorization: `Bearer ${bob.token}` },
        });
        await res.arrayBuffer();
        return res.status;
      }),
    );
    expect(statuses.every((st) => st === 200)).toBe(true);
    const rows = await events('FILE_DOWNLOADED', id);
    expect(rows).toHaveLength(300);
    expect(new Set(rows.map((r) => r.id)).size).toBe(300);
    expect(rows.every((r) => r.actorId === bob.userId)).toBe(true);
    expect(s.logText()).not.toContain('could not store an audit event');
  });

  it('each event is also one JSON line in the system log', async () => {
    const lines = s
      .logText()
      .split('\n')
      .filter((l) => l.includes('"audit":"FILE_UPLOADED"'));
    expect(lines.length).toBeGreaterThan(0);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      audit: 'FILE_UPLOADED',
      actorName: 'alice',
      ip: '127.0.0.1',
    });
  });
});
