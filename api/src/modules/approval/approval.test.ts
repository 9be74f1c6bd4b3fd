// Two-person approval through the real server: runs wait, nothing spawns until another approver
// says yes, and each decision happens once (HTTP, WebSocket, concurrent callers, expiry).
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../test/harness.js';
import { waitUntil } from '../../test/wait.js';
import { startAutomaticRun } from '../automation/automation.run.js';
import { httpReceiver } from '../notify/notify.testkit.js';

type Login = Awaited<ReturnType<TestServer['login']>>;

// each run leaves a file named by its id in the work folder: no file, no process
const MARK = `require('fs').writeFileSync(process.env.TINY_AGENT_RUN_ID, ''); console.log(JSON.stringify(process.argv.slice(1)))`;
const AGENT = (work: string, hook: string) => `
commands:
  - name: guarded
    title: Needs a second admin
    argv: [node, -e, "${MARK}", "--", "{{text}}", "fixed"]
    cwd: ${work}
    roles: [admin, user]
    maxConcurrent: 5
    args: [{ name: text, type: string }]
    approval: { required: true, approvers: [admin] }
    notify: [{ target: pager }]
  - name: hurry
    title: Expires soon
    argv: [node, -e, "${MARK}"]
    cwd: ${work}
    approval: { required: true, expiresAfter: 2s }
  - name: peer
    title: Another user approves
    argv: [node, -e, "${MARK}"]
    cwd: ${work}
    roles: [admin, user]
    approval: { required: true, approvers: [user] }
notify:
  - { name: pager, type: webhook, url: "${hook}/pager" }
`;

const RUN = `mutation($name: String!, $args: [CommandArgInput!]) { runCommand(name: $name, args: $args) { id status argv approval { expiresAt approvedBy { id } } } }`;
const APPROVE = `mutation($id: ID!) { approveCommandRun(id: $id) { id status startedAt approval { approvedBy { username } approvedAt } } }`;
const REJECT = `mutation($id: ID!, $reason: String) { rejectCommandRun(id: $id, reason: $reason) { id status approval { rejectedBy { username } rejectedAt reason } } }`;
const RUN_OF = `query($id: ID!) { commandRun(id: $id) { id status exitCode argv finishedAt approval { approvedBy { username } rejectedBy { username } reason } } }`;
const PENDING = `{ pendingApprovals { id commandName } }`;
const code = (r: { errors?: { extensions?: { code?: string } }[] }) =>
  r.errors?.[0]?.extensions?.code;

let s: TestServer;
let work: string;
let receiver: Awaited<ReturnType<typeof httpReceiver>>;
let admin: Login, ada: Login, bob: Login, uma: Login, ulla: Login;

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'tiny-agent-approval-'));
  receiver = await httpReceiver(() => 200);
  s = await startServer({}, { agentYaml: AGENT(work, receiver.url) });
  admin = await s.login();
  ada = await s.createUser('ada', 'ADMIN');
  bob = await s.createUser('bob', 'ADMIN');
  uma = await s.createUser('uma', 'USER');
  ulla = await s.createUser('ulla', 'USER');
});
afterAll(async () => {
  await s?.stop();
  await receiver?.close();
  rmSync(work, { recursive: true, force: true });
});

async function request(name = 'guarded', who: Login = admin, text = 'hello world') {
  const r = await s.gql(
    RUN,
    { name, args: name === 'guarded' ? [{ name: 'text', value: text }] : [] },
    who,
  );
  expect(r.errors).toBeUndefined();
  return r.data.runCommand as { id: string; status: string; argv: string[] };
}
const ran = (id: string) => existsSync(path.join(work, id));
const statusOf = async (id: string) => (await s.gql(RUN_OF, { id }, admin)).data.commandRun;
const untilStatus = (id: string, status: string) =>
  waitUntil(async () => (await statusOf(id)).status === status, {
    timeoutMs: 10_000,
    what: `run ${id} to be ${status}`,
  });

describe('a command with approval', () => {
  it('waits: PENDING_APPROVAL, nothing spawned, no slot taken, approvers notified', async () => {
    const run = await request();
    expect(run.status).toBe('PENDING_APPROVAL');
    expect(run.argv.slice(-2)).toEqual(['hello world', 'fixed']);
    const exp = new Date(
      (await s.gql(RUN, { name: 'hurry' }, admin)).data.runCommand.approval.expiresAt,
    );
    expect(exp.getTime() - Date.now()).toBeLessThanOrEqual(2000);
    expect(s.app.services.supervisor.running()).toBe(0);
    expect(ran(run.id)).toBe(false);
    // the requester is not asked; another admin is
    const mine = (await s.gql(PENDING, {}, admin)).data.pendingApprovals;
    expect(mine.map((r: { id: string }) => r.id)).not.toContain(run.id);
    const theirs = (await s.gql(PENDING, {}, ada)).data.pendingApprovals;
    expect(theirs.map((r: { id: string }) => r.id)).toContain(run.id);
    await waitUntil(() => receiver.at('/pager').some((r) => r.body.includes(run.id)), {
      timeoutMs: 10_000,
      what: 'the APPROVAL_REQUESTED webhook',
    });
    const body = receiver.at('/pager').find((r) => r.body.includes(run.id))!.body;
    expect(body).toContain('APPROVAL_REQUESTED');
  });

  it('the requester cannot approve or reject their own run (as admin, over HTTP and WebSocket)', async () => {
    const run = await request();
    expect(code(await s.gql(APPROVE, { id: run.id }, admin))).toBe('FORBIDDEN');
    const r = await s.gql(REJECT, { id: run.id }, admin);
    expect(code(r)).toBe('FORBIDDEN');
    expect(r.errors?.[0]?.message).toMatch(/another person/);
    const ws = s.subscribeWs(APPROVE, { id: run.id }, { token: admin.token });
    await ws.waitEnd();
    expect(ws.events[0]?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    // a USER who may not see it finds nothing
    expect(code(await s.gql(APPROVE, { id: run.id }, uma))).toBe('NOT_FOUND');
    expect(code(await s.gql(APPROVE, { id: 'no-such-run' }, ada))).toBe('NOT_FOUND');
    expect((await statusOf(run.id)).status).toBe('PENDING_APPROVAL');
    expect(ran(run.id)).toBe(false);
  });

  it('another admin approves: it runs exactly the requested argv, once; the requester sees the output', async () => {
    const run = await request('guarded', uma, 'uma; rm -rf /');
    // the requester's output stream waits through the approval
    const out = s.subscribeWs(
      `subscription($id: ID!) { commandOutput(runId: $id) { data } }`,
      { id: run.id },
      { token: uma.token },
    );
    const ok = await s.gql(APPROVE, { id: run.id }, ada);
    expect(ok.errors).toBeUndefined();
    expect(ok.data.approveCommandRun.status).toBe('RUNNING');
    expect(ok.data.approveCommandRun.approval.approvedBy.username).toBe('ada');
    await out.waitEnd(15_000);
    const printed = out.events.map((e) => e.data.commandOutput.data).join('');
    expect(JSON.parse(printed)).toEqual(['uma; rm -rf /', 'fixed']);
    await untilStatus(run.id, 'SUCCEEDED');
    expect(ran(run.id)).toBe(true);
    // replayed: CONFLICT, and no second process (one file, one line of output)
    const again = await s.gql(APPROVE, { id: run.id }, bob);
    expect(code(again)).toBe('CONFLICT');
    expect(again.errors?.[0]?.message).toMatch(/not waiting for approval \(it is SUCCEEDED\)/);
    expect(code(await s.gql(REJECT, { id: run.id }, bob))).toBe('CONFLICT');
    expect(readdirSync(work).filter((f) => f === run.id)).toHaveLength(1);
    const audit = await s.gql(
      `{ auditEvents(action: RUN_APPROVED) { edges { node { actorName target detail } } } }`,
      {},
      admin,
    );
    const event = audit.data.auditEvents.edges.find(
      (e: { node: { target: string } }) => e.node.target === run.id,
    ).node;
    expect(event.actorName).toBe('ada');
    expect(JSON.parse(event.detail)).toMatchObject({ requestedBy: 'uma', command: 'guarded' });
  });

  it('a decision acts on its own run only; a rejected run can never be approved', async () => {
    const a = await request('guarded', admin, 'A');
    const b = await request('guarded', admin, 'B');
    expect((await s.gql(APPROVE, { id: a.id }, ada)).errors).toBeUndefined();
    await untilStatus(a.id, 'SUCCEEDED');
    expect((await statusOf(b.id)).status).toBe('PENDING_APPROVAL');
    expect(ran(b.id)).toBe(false);
    const long = await s.gql(REJECT, { id: b.id, reason: 'x'.repeat(1001) }, bob);
    expect(code(long)).toBe('BAD_USER_INPUT');
    const no = await s.gql(REJECT, { id: b.id, reason: 'not during business hours' }, bob);
    expect(no.errors).toBeUndefined();
    expect(no.data.rejectCommandRun).toMatchObject({
      status: 'REJECTED',
      approval: { rejectedBy: { username: 'bob' }, reason: 'not during business hours' },
    });
    expect(code(await s.gql(APPROVE, { id: b.id }, ada))).toBe('CONFLICT');
    expect((await statusOf(b.id)).finishedAt).not.toBeNull();
    expect(ran(b.id)).toBe(false);
    const audit = await s.gql(
      `{ auditEvents(action: RUN_REJECTED) { edges { node { actorName target detail } } } }`,
      {},
      admin,
    );
    const event = audit.data.auditEvents.edges.find(
      (e: { node: { target: string } }) => e.node.target === b.id,
    ).node;
    expect(event.actorName).toBe('bob');
    expect(JSON.parse(event.detail)).toMatchObject({
      requestedBy: 'admin',
      reason: 'not during business hours',
    });
  });

  it('two decisions at once: exactly one wins, the other gets CONFLICT', async () => {
    for (const [first, second] of [
      [APPROVE, APPROVE],
      [APPROVE, REJECT],
    ] as const) {
      const run = await request();
      const answers = await Promise.all([
        s.gql(first, { id: run.id }, ada),
        s.gql(second, { id: run.id }, bob),
      ]);
      expect(answers.map(code).sort()).toEqual(['CONFLICT', undefined]);
      const end = (await statusOf(run.id)).status;
      if (end !== 'REJECTED') await untilStatus(run.id, 'SUCCEEDED');
      expect(ran(run.id)).toBe(end !== 'REJECTED');
    }
  });

  it('an automatic run (schedule, hook, trigger) waits too; any admin may approve it', async () => {
    const run = await startAutomaticRun(
      s.app.services,
      'guarded',
      [{ name: 'text', value: 'auto' }],
      {
        trigger: 'SCHEDULE',
        name: 'guarded:0 3 * * *@UTC',
      },
    );
    expect(run.status).toBe('PENDING_APPROVAL');
    expect(ran(run.id)).toBe(false);
    expect((await s.gql(APPROVE, { id: run.id }, admin)).errors).toBeUndefined();
    await untilStatus(run.id, 'SUCCEEDED');
    expect(ran(run.id)).toBe(true);
  });

  it('nobody decides in time: EXPIRED, audited, and approving after is CONFLICT', async () => {
    const run = (await s.gql(RUN, { name: 'hurry' }, admin)).data.runCommand;
    await untilStatus(run.id, 'EXPIRED');
    const late = await s.gql(APPROVE, { id: run.id }, ada);
    expect(code(late)).toBe('CONFLICT');
    expect(ran(run.id)).toBe(false);
    const audit = await s.gql(
      `{ auditEvents(action: RUN_EXPIRED) { edges { node { target } } } }`,
      {},
      admin,
    );
    expect(
      audit.data.auditEvents.edges.map((e: { node: { target: string } }) => e.node.target),
    ).toContain(run.id);
  });

  it("a USER approver sees, hears of and approves another user's run, never their own", async () => {
    const updates = s.subscribeWs(
      `subscription { commandRunUpdated { id status } }`,
      {},
      { token: ulla.token },
    );
    await s.listening('runUpdated', 1);
    const run = await request('peer', uma);
    await updates.waitFor(1);
    expect(updates.events[0].data.commandRunUpdated).toEqual({
      id: run.id,
      status: 'PENDING_APPROVAL',
    });
    expect(
      (await s.gql(PENDING, {}, ulla)).data.pendingApprovals.map((r: { id: string }) => r.id),
    ).toEqual([run.id]);
    expect((await s.gql(PENDING, {}, uma)).data.pendingApprovals).toEqual([]);
    // admins are not among this command's approvers
    expect(code(await s.gql(APPROVE, { id: run.id }, ada))).toBe('FORBIDDEN');
    expect(code(await s.gql(APPROVE, { id: run.id }, uma))).toBe('FORBIDDEN');
    expect((await s.gql(APPROVE, { id: run.id }, ulla)).errors).toBeUndefined();
    // still visible to the one who approved it, through to its end
    await waitUntil(
      async () =>
        (await s.gql(RUN_OF, { id: run.id }, ulla)).data?.commandRun?.status === 'SUCCEEDED',
      { timeoutMs: 10_000, what: 'the approved run to succeed' },
    );
    updates.stop();
  });

  it('the requester withdraws a waiting run: CANCELLED, it never runs, audited, nobody can approve it after', async () => {
    const CANCEL = `mutation($id: ID!) { cancelCommandRun(id: $id) { id status finishedAt } }`;
    const updates = s.subscribeWs(
      `subscription { commandRunUpdated { id status } }`,
      {},
      { token: uma.token },
    );
    await s.listening('runUpdated', 1);
    const run = await request('peer', uma);
    // an approver who did not ask rejects instead; the run keeps waiting
    const other = await s.gql(CANCEL, { id: run.id }, ulla);
    expect(code(other)).toBe('FORBIDDEN');
    expect(other.errors?.[0]?.message).toMatch(/reject it instead/);
    expect((await statusOf(run.id)).status).toBe('PENDING_APPROVAL');
    const withdrawn = await s.gql(CANCEL, { id: run.id }, uma);
    expect(withdrawn.errors).toBeUndefined();
    expect(withdrawn.data.cancelCommandRun.status).toBe('CANCELLED');
    expect(withdrawn.data.cancelCommandRun.finishedAt).not.toBeNull();
    await updates.waitFor(2);
    expect(updates.events.map((e) => e.data.commandRunUpdated)).toEqual([
      { id: run.id, status: 'PENDING_APPROVAL' },
      { id: run.id, status: 'CANCELLED' },
    ]);
    updates.stop();
    expect((await s.gql(PENDING, {}, ulla)).data.pendingApprovals).toEqual([]);
    // no longer waiting for her: the run is not hers to see any more, as if it did not exist
    expect(code(await s.gql(APPROVE, { id: run.id }, ulla))).toBe('NOT_FOUND');
    expect(code(await s.gql(CANCEL, { id: run.id }, uma))).toBe('CONFLICT');
    await new Promise((r) => setTimeout(r, 300));
    expect(ran(run.id)).toBe(false);
    const audit = await s.gql(
      `{ auditEvents(action: RUN_APPROVAL_WITHDRAWN) { edges { node { target actor { username } } } } }`,
      {},
      admin,
    );
    expect(audit.data.auditEvents.edges.map((e: { node: unknown }) => e.node)).toContainEqual({
      target: run.id,
      actor: { username: 'uma' },
    });
  });

  it("an administrator may withdraw anyone's waiting run; a withdrawal racing an approval settles once", async () => {
    const CANCEL = `mutation($id: ID!) { cancelCommandRun(id: $id) { id status } }`;
    const run = await request('guarded', ada);
    const byAdmin = await s.gql(CANCEL, { id: run.id }, bob);
    expect(byAdmin.data.cancelCommandRun.status).toBe('CANCELLED');
    for (let i = 0; i < 3; i++) {
      const next = await request('guarded', ada);
      const [withdraw, approve] = await Promise.all([
        s.gql(CANCEL, { id: next.id }, ada),
        s.gql(APPROVE, { id: next.id }, bob),
      ]);
      await waitUntil(async () => (await statusOf(next.id)).status !== 'RUNNING', {
        timeoutMs: 10_000,
        what: 'the run to settle',
      });
      const end = await statusOf(next.id);
      expect(end.status).not.toBe('PENDING_APPROVAL');
      if (code(approve) === 'CONFLICT') {
        // withdrawn first: cancelled without an approval, and never started
        expect(withdraw.data.cancelCommandRun.status).toBe('CANCELLED');
        expect(end.status).toBe('CANCELLED');
        expect(end.approval.approvedBy).toBeNull();
        await new Promise((r) => setTimeout(r, 300));
        expect(ran(next.id)).toBe(false);
      } else {
        // approved first: the withdrawal lost (CONFLICT) or met a started run and cancelled it
        expect(approve.errors).toBeUndefined();
        expect(end.approval.approvedBy).toEqual({ username: 'bob' });
        // (the quick script may end before the stop reaches it)
        if (withdraw.errors) expect(code(withdraw)).toBe('CONFLICT');
        else expect(['CANCELLED', 'SUCCEEDED']).toContain(end.status);
      }
    }
  });
});
