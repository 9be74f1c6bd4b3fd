// POST /hooks/<name> against the real server with real HMACs: what is accepted, what is refused
// and with which status, and that a refusal before the run starts leaves no run behind.
import { createHmac } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../test/harness.js';
import { waitUntil } from '../../test/wait.js';

const SECRET = 'deploy-hook-secret-0123456789abcdef';
const GH_SECRET = 'github-hook-secret-fedcba9876543210';
const AGENT = `
commands:
  - name: deploy
    title: Deploy
    argv: ["echo", "deploy", "{{ref}}", "{{repo}}"]
    args:
      - { name: ref, type: string, pattern: "[a-z0-9/._-]+" }
      - { name: repo, type: string, default: none }
    maxConcurrent: 5
  - name: other
    title: Other
    argv: ["echo", "other"]
  - name: slow
    title: Slow
    argv: ["sleep", "30"]
hooks:
  - name: deploy
    command: deploy
    secretEnv: DEPLOY_HOOK_SECRET
    args: { ref: ref, repo: repository.full_name }
  - name: gh
    command: deploy
    secretEnv: GH_HOOK_SECRET
    style: github
    args: { ref: ref }
  - name: limited
    command: other
    secretEnv: DEPLOY_HOOK_SECRET
    perMinute: 2
  - name: slow
    command: slow
    secretEnv: DEPLOY_HOOK_SECRET
logs: []
`;
const WINDOW_MS = 2000;

let s: TestServer;
let admin: { token: string };
beforeAll(async () => {
  s = await startServer(
    { DEPLOY_HOOK_SECRET: SECRET, GH_HOOK_SECRET: GH_SECRET },
    { agentYaml: AGENT, configure: (c) => (c.hookWindowMs = WINDOW_MS) },
  );
  admin = await s.login();
});
afterAll(() => s?.stop());

const now = () => Math.floor(Date.now() / 1000);
const hmac = (secret: string, text: string) =>
  createHmac('sha256', secret).update(text).digest('hex');

function signed(body: string, opts: { secret?: string; at?: number } = {}) {
  const at = String(opts.at ?? now());
  return {
    'x-tiny-agent-timestamp': at,
    'x-tiny-agent-signature': `sha256=${hmac(opts.secret ?? SECRET, `${at}.${body}`)}`,
  };
}

async function post(hook: string, body: string, headers: Record<string, string>) {
  const res = await fetch(`${s.url}/hooks/${hook}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: JSON.parse(text) as any };
}
const code = (r: { json: any }) => r.json.errors?.[0]?.extensions?.code;

async function runs() {
  const r = await s.gql(
    '{ commandRuns(first: 100) { edges { node { id commandName argv status trigger triggerName startedBy { username } } } } }',
    {},
    admin,
  );
  return r.data.commandRuns.edges.map((e: any) => e.node) as any[];
}
const finished = (id: string) =>
  waitUntil(async () => (await runs()).find((r) => r.id === id)?.status === 'SUCCEEDED', {
    what: `run ${id} to succeed`,
  });

describe('POST /hooks/<name>, tiny-agent style', () => {
  it('starts the command from a signed body: 202, trigger WEBHOOK, argv from the mapped fields', async () => {
    const body = JSON.stringify({ ref: 'main', repository: { full_name: 'acme/app' } });
    const r = await post('deploy', body, signed(body));
    expect(r.status).toBe(202);
    expect(r.json).toEqual({
      runId: expect.any(String),
      status: 'RUNNING',
      url: `${s.url}/runs/${r.json.runId}`,
      output: `${s.url}/runs/${r.json.runId}/output.txt`,
    });
    await finished(r.json.runId);
    const run = (await runs()).find((x) => x.id === r.json.runId);
    expect(run).toMatchObject({
      commandName: 'deploy',
      argv: ['echo', 'deploy', 'main', 'acme/app'],
      trigger: 'WEBHOOK',
      triggerName: 'deploy',
      startedBy: { username: '@automation' },
    });
    const out = await fetch(r.json.output, { headers: { authorization: `Bearer ${admin.token}` } });
    expect(await out.text()).toBe('deploy main acme/app\n');
  });

  it('refuses a wrong secret, a stale or future timestamp, and missing headers with 401', async () => {
    const body = JSON.stringify({ ref: 'main' });
    const cases: Record<string, string>[] = [
      signed(body, { secret: 'not-the-secret-0123456789' }),
      signed(body, { at: now() - 301 }),
      signed(body, { at: now() + 301 }),
      {},
      { 'x-tiny-agent-signature': signed(body)['x-tiny-agent-signature'] },
      { 'x-tiny-agent-timestamp': String(now()) },
      { ...signed(body), 'x-tiny-agent-signature': 'sha256=xyz' },
      // signed for another body
      signed(JSON.stringify({ ref: 'evil' })),
    ];
    const before = (await runs()).length;
    for (const headers of cases) {
      const r = await post('deploy', body, headers);
      expect(r.status).toBe(401);
      expect(code(r)).toBe('UNAUTHENTICATED');
      expect(r.json.errors[0].message).toMatch(/X-Tiny-Agent-Signature/);
    }
    expect((await runs()).length).toBe(before);
    const log = s.logText();
    expect(log).toMatch(/"webhook refused".*"reason":"signature stale"/);
    expect(log).toMatch(/"reason":"signature mismatch"/);
    expect(log).not.toContain(SECRET);
  });

  it('refuses the same signed request twice with 409', async () => {
    const body = JSON.stringify({ ref: 'v1' });
    const headers = signed(body);
    expect((await post('deploy', body, headers)).status).toBe(202);
    const again = await post('deploy', body, headers);
    expect(again.status).toBe(409);
    expect(code(again)).toBe('CONFLICT');
    expect(s.logText()).not.toContain(headers['x-tiny-agent-signature'].slice(7));
  });

  it('refuses a body that is not a JSON object with 400', async () => {
    for (const body of ['{"ref": ', '[1,2]', '"main"']) {
      const r = await post('deploy', body, signed(body));
      expect(r.status).toBe(400);
      expect(code(r)).toBe('BAD_USER_INPUT');
    }
  });

  it('refuses a value failing the argument pattern with 400 and starts nothing', async () => {
    const before = (await runs()).length;
    const body = JSON.stringify({ ref: 'main; rm -rf /' });
    const r = await post('deploy', body, signed(body));
    expect(r.status).toBe(400);
    expect(code(r)).toBe('BAD_USER_INPUT');
    expect(r.json.errors[0].message).toMatch(/ref.*must match the pattern/);
    expect((await runs()).length).toBe(before);
    // an object where a value belongs is refused too, naming the field
    const nested = JSON.stringify({ ref: { a: 1 } });
    const n = await post('deploy', nested, signed(nested));
    expect(n.status).toBe(400);
    expect(n.json.errors[0].message).toMatch(/"ref"/);
  });

  it('ignores body fields the mapping does not name, and runs only its own command', async () => {
    const body = JSON.stringify({
      ref: 'main',
      repo: '--upload-pack=evil',
      command: 'other',
      name: 'other',
      args: [{ name: 'repo', value: 'x' }],
    });
    const r = await post('deploy', body, signed(body));
    expect(r.status).toBe(202);
    await finished(r.json.runId);
    const run = (await runs()).find((x) => x.id === r.json.runId);
    // repo comes from repository.full_name only: absent, so its default
    expect(run).toMatchObject({ commandName: 'deploy', argv: ['echo', 'deploy', 'main', 'none'] });
  });

  it('answers an unknown hook 404 whatever the request carries', async () => {
    const body = JSON.stringify({ ref: 'main' });
    const a = await post('nope', body, signed(body));
    const b = await post('nope', 'x'.repeat(100_000), {});
    for (const r of [a, b]) {
      expect(r.status).toBe(404);
      expect(r.json).toEqual(a.json);
    }
    expect(code(a)).toBe('NOT_FOUND');
  });

  it('refuses at a limit (maxConcurrent) with 409 and the limit in words', async () => {
    const first = await post('slow', '{}', signed('{}'));
    expect(first.status).toBe(202);
    const body = '{"x":1}';
    const second = await post('slow', body, signed(body));
    expect(second.status).toBe(409);
    expect(code(second)).toBe('CONFLICT');
    expect(second.json.errors[0].message).toMatch(/slow/);
    await s.gql(
      'mutation($id: ID!) { cancelCommandRun(id: $id) { status } }',
      { id: first.json.runId },
      admin,
    );
  });
});

describe('body size', () => {
  // raw HTTP: the answer must come while most of the declared body is still unsent
  async function sendLarge(
    head: string,
    chunks: Buffer[],
  ): Promise<{ answer: string; sent: number }> {
    const { port } = new URL(s.url);
    const sock = net.connect(Number(port), '127.0.0.1');
    await new Promise((r) => sock.once('connect', r));
    let answer = '';
    let sent = 0;
    let closed = false;
    sock.on('data', (d) => (answer += d.toString()));
    sock.on('close', () => (closed = true));
    sock.on('error', () => {});
    sock.write(head);
    for (const c of chunks) {
      if (closed || answer) break;
      sock.write(c);
      sent += c.length;
      await new Promise((r) => setTimeout(r, 5));
    }
    await waitUntil(() => closed, { what: 'the server to close the connection' });
    return { answer, sent };
  }

  it('answers 413 from Content-Length before reading the body, and closes the connection', async () => {
    const size = 10 * 1024 * 1024;
    const head = `POST /hooks/deploy HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${size}\r\n\r\n`;
    const { answer, sent } = await sendLarge(
      head,
      Array.from({ length: 640 }, () => Buffer.alloc(16384, 32)),
    );
    expect(answer).toMatch(/^HTTP\/1\.1 413/);
    expect(answer).toContain('PAYLOAD_TOO_LARGE');
    expect(sent).toBeLessThan(size);
  });

  it('answers 413 at the first chunk past 64 KiB of a chunked body', async () => {
    const head = `POST /hooks/deploy HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`;
    const chunk = Buffer.concat([
      Buffer.from('4000\r\n'),
      Buffer.alloc(16384, 32),
      Buffer.from('\r\n'),
    ]);
    const { answer, sent } = await sendLarge(
      head,
      Array.from({ length: 640 }, () => chunk),
    );
    expect(answer).toMatch(/^HTTP\/1\.1 413/);
    expect(sent).toBeLessThan(1024 * 1024);
  });
});

describe('github style', () => {
  const gh = (body: string, secret = GH_SECRET) => ({
    'x-hub-signature-256': `sha256=${hmac(secret, body)}`,
    'x-github-event': 'push',
  });

  it('accepts X-Hub-Signature-256, refuses a bad one and a replay', async () => {
    const body = JSON.stringify({ ref: 'release', repository: { full_name: 'acme/app' } });
    const ok = await post('gh', body, gh(body));
    expect(ok.status).toBe(202);
    await finished(ok.json.runId);
    expect((await runs()).find((x) => x.id === ok.json.runId)).toMatchObject({
      argv: ['echo', 'deploy', 'release', 'none'],
      triggerName: 'gh',
    });
    expect((await post('gh', body, gh(body))).status).toBe(409);
    const bad = await post('gh', body, gh(body, 'wrong-secret-0123456789'));
    expect(bad.status).toBe(401);
    expect(bad.json.errors[0].message).toMatch(/X-Hub-Signature-256/);
    // the tiny-agent headers mean nothing to a github hook
    expect((await post('gh', body, signed(body, { secret: GH_SECRET }))).status).toBe(401);
  });

  it('answers a signed ping 200 without running anything', async () => {
    const before = (await runs()).length;
    const body = JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1 });
    const r = await post('gh', body, { ...gh(body), 'x-github-event': 'ping' });
    expect(r.status).toBe(200);
    expect((await runs()).length).toBe(before);
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After past perMinute, before checking the signature, then accepts again', async () => {
    const body = '{}';
    // the window may have begun in an earlier test: start at a fresh one
    const start = Date.now();
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof post>> | undefined;
    for (let i = 0; i < 3; i++) {
      const r = await post('limited', body, i === 2 ? {} : signed(`{}`, { at: now() - i }));
      statuses.push(r.status);
      if (r.status === 429) limited = r;
    }
    // two in the window are served (202, or 409 for a replay); the third, unsigned, is refused 429
    expect(statuses.slice(0, 2).every((x) => x !== 429)).toBe(true);
    expect(statuses[2]).toBe(429);
    expect(code(limited!)).toBe('RATE_LIMITED');
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    await waitUntil(
      async () => (await post('limited', body, signed(body, { at: now() + 1 }))).status === 202,
      {
        timeoutMs: WINDOW_MS * 3 + (Date.now() - start),
        everyMs: 250,
        what: 'the window to reopen',
      },
    );
  });
});

describe('agent.yaml edits', () => {
  it('adds a hook live, and GraphQL lists hooks with their recent deliveries', async () => {
    await writeFile(
      s.agentPath,
      AGENT.replace(
        'logs: []',
        '  - name: added\n    command: other\n    secretEnv: GH_HOOK_SECRET\nlogs: []',
      ),
    );
    const q =
      '{ hooks { name command style secretEnv perMinute url args { name field } recent(first: 5) { receivedAt run { id triggerName } } } }';
    await waitUntil(async () => (await s.gql(q, {}, admin)).data?.hooks.length === 5, {
      what: 'the added hook',
    });
    const r = await post('added', '{}', signed('{}', { secret: GH_SECRET }));
    expect(r.status).toBe(202);
    const { data } = await s.gql(q, {}, admin);
    const added = data.hooks.find((h: any) => h.name === 'added');
    expect(added).toEqual({
      name: 'added',
      command: 'other',
      style: 'TINY_AGENT',
      secretEnv: 'GH_HOOK_SECRET',
      perMinute: 30,
      url: '/hooks/added',
      args: [],
      recent: [{ receivedAt: expect.any(String), run: { id: r.json.runId, triggerName: 'added' } }],
    });
    expect(data.hooks.find((h: any) => h.name === 'deploy').args).toEqual([
      { name: 'ref', field: 'ref' },
      { name: 'repo', field: 'repository.full_name' },
    ]);
    expect(JSON.stringify(data)).not.toContain(SECRET);
  });
});
