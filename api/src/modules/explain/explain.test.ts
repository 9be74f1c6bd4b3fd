import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeAi } from '../../test/ai.fake.js';
import { startServer, type TestServer } from '../../test/harness.js';
import { waitUntil } from '../../test/wait.js';
import { explainer } from './explain.service.js';

// the secrets a failing run prints: none may reach the endpoint
const SECRETS = [
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  'hunter2',
  'MIIEowIBAAKCAQEAtopsecretpemline',
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
];
const FAILING_SCRIPT = [
  `echo "AWS_SECRET_ACCESS_KEY=${SECRETS[0]}"`,
  `echo "connecting with password=${SECRETS[1]}"`,
  `echo "-----BEGIN RSA PRIVATE KEY-----"`,
  `echo "${SECRETS[2]}"`,
  `echo "-----END RSA PRIVATE KEY-----"`,
  `echo "Authorization: Bearer ${SECRETS[3]}"`,
  `echo "fatal: disk /srv/backup is full" >&2`,
  'exit 3',
].join('; ');

const AGENT = `
commands:
  - name: backup
    title: Backup
    argv: ["sh", "-c", ${JSON.stringify(FAILING_SCRIPT)}, "backup-{{target}}"]
    args:
      - name: target
        type: string
        default: nightly
    roles: [admin, user]
  - name: ok
    title: OK
    argv: ["true"]
    roles: [admin, user]
logs:
  - name: app
    path: app.log
    roles: [admin, user]
  - name: secret-log
    path: secret.log
    roles: [admin]
`;

const RUN = 'mutation($n: String!) { runCommand(name: $n) { id } }';
const EXPLAIN = `mutation($id: ID!, $r: Boolean) { explainCommandRun(id: $id, refresh: $r) {
  id explanation { text model at generated } } }`;
const LINES = `mutation($s: String!, $l: [String!]!) { explainLogLines(source: $s, lines: $l) {
  text model generated } }`;

type Auth = { token: string };

async function endedRun(s: TestServer, auth: Auth, name: string): Promise<string> {
  const r = await s.gql(RUN, { n: name }, auth);
  const id = r.data.runCommand.id as string;
  await waitUntil(
    async () => {
      const q = await s.gql('query($id: ID!) { commandRun(id: $id) { status } }', { id }, auth);
      return q.data.commandRun.status !== 'RUNNING';
    },
    { timeoutMs: 10_000, what: `run ${name} to end` },
  );
  return id;
}

const code = (r: { errors?: { extensions?: { code?: string } }[] }) =>
  r.errors?.[0]?.extensions?.code;

describe('explainCommandRun and explainLogLines against a local OpenAI-compatible endpoint', () => {
  let ai: Awaited<ReturnType<typeof fakeAi>>;
  let s: TestServer;
  let admin: Auth;
  let alice: Auth;
  let bob: Auth;
  let failed: string;
  beforeAll(async () => {
    ai = await fakeAi((p) => `The disk is full (${p.includes('exit') ? 'seen' : 'no'} exit code).`);
    s = await startServer(
      { AI_BASE_URL: ai.url, AI_MODEL: 'fake-model', AI_API_KEY: 'sk-test-key-for-the-fake-0000' },
      { agentYaml: AGENT },
    );
    admin = await s.login();
    alice = await s.createUser('alice');
    bob = await s.createUser('bob');
    failed = await endedRun(s, alice, 'backup');
  });
  afterAll(async () => {
    await s?.stop();
    await ai?.close();
  });

  it('sends argv, status, exit code and the output tail with every secret masked; stores the answer', async () => {
    ai.seen.length = 0;
    const r = await s.gql(EXPLAIN, { id: failed }, alice);
    expect(r.errors).toBeUndefined();
    expect(ai.seen).toHaveLength(1);
    const req = ai.seen[0]!;
    expect(req.path).toBe('/v1/chat/completions');
    expect(req.body.model).toBe('fake-model');
    const prompt: string = req.body.messages.at(-1).content;
    expect(prompt).toContain('Command: backup');
    expect(prompt).toContain('"backup-nightly"');
    expect(prompt).toContain('Status: FAILED');
    expect(prompt).toContain('Exit code: 3');
    expect(prompt).toContain('fatal: disk /srv/backup is full');
    expect(prompt).toContain('[masked]');
    for (const secret of SECRETS) expect(req.raw).not.toContain(secret);

    const e = r.data.explainCommandRun.explanation;
    expect(e).toMatchObject({ text: 'The disk is full (seen exit code).', model: 'fake-model' });
    expect(e.generated).toBe(true);
    // stored: read back, and audited
    const q = await s.gql(
      'query($id: ID!) { commandRun(id: $id) { explanation { text model } } }',
      { id: failed },
      alice,
    );
    expect(q.data.commandRun.explanation.text).toBe(e.text);
    const audit = await s.gql(
      '{ auditEvents(first: 5, action: RUN_EXPLAINED) { edges { node { target actorName } } } }',
      {},
      admin,
    );
    expect(audit.data.auditEvents.edges[0].node).toEqual({ target: failed, actorName: 'alice' });
  });

  it('answers the stored explanation without asking again, unless refresh: true', async () => {
    ai.seen.length = 0;
    const again = await s.gql(EXPLAIN, { id: failed }, alice);
    expect(again.data.explainCommandRun.explanation.text).toContain('disk is full');
    expect(ai.seen).toHaveLength(0);
    const fresh = await s.gql(EXPLAIN, { id: failed, r: true }, alice);
    expect(fresh.errors).toBeUndefined();
    expect(ai.seen).toHaveLength(1);
  });

  it('refuses a run that succeeded (CONFLICT) and someone else’s run (NOT_FOUND), asking nothing', async () => {
    const ok = await endedRun(s, alice, 'ok');
    ai.seen.length = 0;
    const r = await s.gql(EXPLAIN, { id: ok }, alice);
    expect(code(r)).toBe('CONFLICT');
    expect(r.errors![0]!.message).toMatch(/only a failed run can be explained/i);
    const other = await s.gql(EXPLAIN, { id: failed }, bob);
    expect(code(other)).toBe('NOT_FOUND');
    expect(other.errors![0]!.message).toBe('That command run was not found.');
    expect(ai.seen).toHaveLength(0);
  });

  it('an endpoint that answers 500 or times out is a clear CONFLICT, and nothing is stored', async () => {
    const run = await endedRun(s, bob, 'backup');
    ai.setMode('error');
    const r = await s.gql(EXPLAIN, { id: run }, bob);
    expect(code(r)).toBe('CONFLICT');
    expect(r.errors![0]!.message).toMatch(/HTTP 500: the model is overloaded.*Nothing was stored/);
    explainer(s.app.services).options.timeoutMs = 300;
    ai.setMode('stall');
    const t = await s.gql(EXPLAIN, { id: run }, bob);
    expect(code(t)).toBe('CONFLICT');
    expect(t.errors![0]!.message).toMatch(/did not answer within 300 ms.*Nothing was stored/);
    ai.setMode('ok');
    explainer(s.app.services).options.timeoutMs = 30_000;
    const q = await s.gql(
      'query($id: ID!) { commandRun(id: $id) { explanation { text } } }',
      { id: run },
      bob,
    );
    expect(q.data.commandRun.explanation).toBeNull();
  });

  it('explains selected log lines of a readable source, masked, without storing them', async () => {
    ai.seen.length = 0;
    const lines = ['nginx: upstream timed out', `db login failed password=${SECRETS[1]}`];
    const r = await s.gql(LINES, { s: 'app', l: lines }, alice);
    expect(r.errors).toBeUndefined();
    expect(r.data.explainLogLines).toMatchObject({ model: 'fake-model', generated: true });
    const prompt: string = ai.seen[0]!.body.messages.at(-1).content;
    expect(prompt).toContain('Log source: app');
    expect(prompt).toContain('nginx: upstream timed out');
    expect(ai.seen[0]!.raw).not.toContain(SECRETS[1]);
    // a source the user may not read answers as if it did not exist; too many lines are refused
    expect(code(await s.gql(LINES, { s: 'secret-log', l: ['x'] }, alice))).toBe('NOT_FOUND');
    const many = await s.gql(LINES, { s: 'app', l: Array(201).fill('x') }, alice);
    expect(code(many)).toBe('BAD_USER_INPUT');
    expect(many.errors![0]!.message).toMatch(/at most 200/);
  });

  it('limits each user to a few explanations a minute (RATE_LIMITED)', async () => {
    explainer(s.app.services).options.perMinute = 2;
    const user = await s.createUser('carol');
    const ask = () => s.gql(LINES, { s: 'app', l: ['boom'] }, user);
    expect((await ask()).errors).toBeUndefined();
    expect((await ask()).errors).toBeUndefined();
    const third = await ask();
    expect(code(third)).toBe('RATE_LIMITED');
    expect(third.errors![0]!.extensions).toHaveProperty('retryAfterSeconds');
    // another user is not held back by carol's calls
    expect((await s.gql(LINES, { s: 'app', l: ['boom'] }, admin)).errors).toBeUndefined();
    explainer(s.app.services).options.perMinute = 10;
  });

  it('Query.features says explaining is on', async () => {
    const r = await s.gql('{ features { explain } }', {}, bob);
    expect(r.data.features).toEqual({ explain: true });
  });
});

describe('explaining when no AI endpoint is configured', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({}, { agentYaml: AGENT });
  });
  afterAll(() => s?.stop());

  it('is off: features says so, and explaining a failed run is a CONFLICT that says why', async () => {
    const admin = await s.login();
    expect((await s.gql('{ features { explain } }', {}, admin)).data.features.explain).toBe(false);
    const id = await endedRun(s, admin, 'backup');
    const r = await s.gql(EXPLAIN, { id }, admin);
    expect(code(r)).toBe('CONFLICT');
    expect(r.errors![0]!.message).toMatch(/Explaining is off.*AI_BASE_URL/);
    const l = await s.gql(LINES, { s: 'app', l: ['x'] }, admin);
    expect(code(l)).toBe('CONFLICT');
  });
});
