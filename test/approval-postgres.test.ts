// Two-person approval on two instances sharing one PostgreSQL: approvers on different instances
// deciding at once decide once (one conditional UPDATE wins), and an expiry is recorded once.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../api/src/test/harness.js';
import { waitUntil } from '../api/src/test/wait.js';
import { startPostgres, type Postgres } from './scale/cluster.js';

const MARK = `require('fs').writeFileSync(process.env.TINY_AGENT_RUN_ID, '')`;
const agent = (work: string) => `
commands:
  - name: guarded
    title: Guarded
    argv: [node, -e, "${MARK}"]
    cwd: ${work}
    maxConcurrent: 10
    approval: { required: true, approvers: [admin] }
  - name: hurry
    title: Hurry
    argv: [node, -e, "${MARK}"]
    cwd: ${work}
    approval: { required: true, expiresAfter: 1s }
logs: []
`;
const APPROVE = `mutation($id: ID!) { approveCommandRun(id: $id) { id status } }`;
const REJECT = `mutation($id: ID!) { rejectCommandRun(id: $id, reason: "no") { id status } }`;
const code = (r: { errors?: { extensions?: { code?: string } }[] }) =>
  r.errors?.[0]?.extensions?.code;

let pg: Postgres;
let work: string;
let a: TestServer;
let b: TestServer;
let requester: { token: string };
let ada: { token: string };
let bob: { token: string };

beforeAll(async () => {
  pg = await startPostgres();
  work = mkdtempSync(path.join(tmpdir(), 'tiny-agent-approval-pg-'));
  const env = {
    DATABASE_URL: pg.url,
    INSTANCE_HEARTBEAT_SECONDS: '0.2',
    INSTANCE_LEASE_SECONDS: '2',
  };
  a = await startServer(env, { agentYaml: agent(work) });
  b = await startServer(env, { agentYaml: agent(work) });
  requester = await a.login();
  ada = await a.createUser('ada', 'ADMIN');
  bob = await a.createUser('bob', 'ADMIN');
}, 60_000);
afterAll(async () => {
  await a?.stop();
  await b?.stop();
  await pg?.destroy();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function request(name: string): Promise<string> {
  const r = await a.gql(
    `mutation($n: String!) { runCommand(name: $n) { id } }`,
    { n: name },
    requester,
  );
  expect(r.errors).toBeUndefined();
  return r.data.runCommand.id;
}
const statusOf = async (id: string) =>
  (await a.gql(`query($id: ID!) { commandRun(id: $id) { status } }`, { id }, requester)).data
    .commandRun.status as string;

describe('approval on two instances', () => {
  it('two approvers on different instances at once: one wins, the run starts once', async () => {
    for (const second of [APPROVE, REJECT]) {
      const id = await request('guarded');
      const answers = await Promise.all([a.gql(APPROVE, { id }, ada), b.gql(second, { id }, bob)]);
      expect(answers.map(code).sort()).toEqual(['CONFLICT', undefined]);
      const approved = answers.some((r, i) => !r.errors && (i === 0 || second === APPROVE));
      if (approved)
        await waitUntil(async () => (await statusOf(id)) === 'SUCCEEDED', {
          timeoutMs: 10_000,
          what: 'the approved run to end',
        });
      else expect(await statusOf(id)).toBe('REJECTED');
      expect(existsSync(path.join(work, id))).toBe(approved);
    }
  });

  it('an overdue request ends EXPIRED once, though both instances sweep', async () => {
    const id = await request('hurry');
    await waitUntil(async () => (await statusOf(id)) === 'EXPIRED', {
      timeoutMs: 10_000,
      what: 'the request to expire',
    });
    const audit = await a.gql(
      `{ auditEvents(action: RUN_EXPIRED) { edges { node { target } } } }`,
      {},
      requester,
    );
    const mine = audit.data.auditEvents.edges.filter(
      (e: { node: { target: string } }) => e.node.target === id,
    );
    expect(mine).toHaveLength(1);
    expect(code(await b.gql(APPROVE, { id }, ada))).toBe('CONFLICT');
    expect(existsSync(path.join(work, id))).toBe(false);
  });
});
