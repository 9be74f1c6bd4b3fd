// Signed webhooks with two instances on one PostgreSQL: a delivery sent to both at once (a retry
// racing the original, or a replay through a load balancer) starts one run. The accepted
// signatures live in the database; its primary key lets exactly one instance take each.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../api/src/test/harness.js';
import { startPostgres, type Postgres } from './scale/cluster.js';

const SECRET = 'deploy-hook-secret-0123456789abcdef';
const AGENT = `
commands:
  - name: deploy
    title: Deploy
    argv: ["echo", "deploy", "{{ref}}"]
    args: [{ name: ref, type: string, pattern: "[a-z0-9._-]+" }]
    maxConcurrent: 50
hooks:
  - { name: deploy, command: deploy, secretEnv: DEPLOY_HOOK_SECRET, args: { ref: ref } }
logs: []
`;

let pg: Postgres;
let a: TestServer;
let b: TestServer;

beforeAll(async () => {
  pg = await startPostgres();
  const env = { DATABASE_URL: pg.url, DEPLOY_HOOK_SECRET: SECRET };
  a = await startServer(env, { agentYaml: AGENT });
  b = await startServer(env, { agentYaml: AGENT });
}, 60_000);
afterAll(async () => {
  await a?.stop();
  await b?.stop();
  await pg?.destroy();
});

function signed(body: string): Record<string, string> {
  const at = String(Math.floor(Date.now() / 1000));
  const mac = createHmac('sha256', SECRET).update(`${at}.${body}`).digest('hex');
  return {
    'content-type': 'application/json',
    'x-tiny-agent-timestamp': at,
    'x-tiny-agent-signature': `sha256=${mac}`,
  };
}

const post = (s: TestServer, body: string, headers: Record<string, string>) =>
  fetch(`${s.url}/hooks/deploy`, { method: 'POST', headers, body }).then((r) => r.status);

describe('webhooks on PostgreSQL, two instances', () => {
  it('each of 20 deliveries sent to both instances at once starts exactly one run', async () => {
    const refs = Array.from({ length: 20 }, (_, i) => `r${i}`);
    const answers = await Promise.all(
      refs.map(async (ref) => {
        const body = JSON.stringify({ ref });
        const headers = signed(body); // the very same request, twice
        return Promise.all([post(a, body, headers), post(b, body, headers)]);
      }),
    );
    for (const pair of answers) expect(pair.sort()).toEqual([202, 409]);
    const admin = await a.login();
    const runs = await a.gql(
      `{ commandRuns(first: 100, command: "deploy") { edges { node { argv trigger } } } }`,
      {},
      admin,
    );
    const nodes = runs.data.commandRuns.edges.map(
      (e: { node: { argv: string[]; trigger: string } }) => e.node,
    );
    expect(nodes.every((n: { trigger: string }) => n.trigger === 'WEBHOOK')).toBe(true);
    expect(nodes.map((n: { argv: string[] }) => n.argv[2]).sort()).toEqual([...refs].sort());
  });
});
