// Notifications end to end: a real server, runs that end, and local receivers (HTTP and SMTP).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../test/harness.js';
import { waitUntil } from '../../test/wait.js';
import { httpReceiver, smtpSink } from './notify.testkit.js';

const SECRETS = {
  N_AUTH: 'Bearer hdr-secret-71',
  N_NTFY: 'ntfy-secret-72',
  N_SMTP: 'smtp-secret-73',
  N_DOWN: '', // set once the receiver's port is known
};
const ORIGIN = 'http://ops.example.test';

let s: TestServer;
let admin: { token: string };
let http: Awaited<ReturnType<typeof httpReceiver>>;
let smtp: Awaited<ReturnType<typeof smtpSink>>;

beforeAll(async () => {
  http = await httpReceiver((path, n) => {
    if (path === '/flaky') return n <= 2 ? 503 : 200;
    if (path === '/down') return 500;
    if (path === '/hang') return 'hang';
    return 200;
  });
  smtp = await smtpSink('bot@example.org', SECRETS.N_SMTP);
  SECRETS.N_DOWN = `${http.url}/down?token=url-secret-74`;
  const hook = (name: string, path: string) =>
    `  - { name: ${name}, type: webhook, url: "${http.url}/${path}" }`;
  s = await startServer(
    // the secrets agent.yaml names reach the server as its environment
    { NOTIFY_RETRY_BASE_SECONDS: '0.005', PUBLIC_ORIGIN: ORIGIN, ...SECRETS },
    {
      agentYaml: `commands:
  - name: exit-with
    title: Exit with a code
    argv: [sh, -c, 'for i in $(seq 1 30); do echo "line $i"; done; exit {{code}}']
    args: [{ name: code, type: int, min: 0, max: 3 }]
    notify:
      - { target: on-failure }
      - { target: on-success, on: success }
      - { target: on-always, on: always }
  - name: nap
    title: Nap
    argv: [sleep, "30"]
    notify: [{ target: on-always, on: always }, { target: on-failure }]
  - name: quick
    title: Quick
    argv: [echo, done]
    notify: [{ target: slow, on: always }]
notify:
${hook('on-failure', 'failure')}
${hook('on-success', 'success')}
${hook('on-always', 'always')}
${hook('flaky', 'flaky')}
${hook('slow', 'hang')}
  - { name: down, type: webhook, urlEnv: N_DOWN }
  - { name: signed, type: webhook, url: "${http.url}/signed", headersEnv: { Authorization: N_AUTH } }
  - { name: phone, type: ntfy, url: "${http.url}/topic", tokenEnv: N_NTFY }
  - { name: chat, type: slack, url: "${http.url}/slack" }
  - name: mail
    type: smtp
    host: 127.0.0.1
    port: ${smtp.port}
    username: bot@example.org
    passwordEnv: N_SMTP
    from: "Tiny Agent <bot@example.org>"
    to: [ops@example.org, dev@example.org]
`,
    },
  );
  admin = await s.login();
});

afterAll(async () => {
  await s?.stop();
  await http?.close();
  await smtp?.close();
});

const NOTIFICATION = 'id target event subject status attempts lastError sentAt nextAt run { id }';

async function run(name: string, args: { name: string; value: string }[] = []) {
  const r = await s.gql(
    'mutation($n: String!, $a: [CommandArgInput!]) { runCommand(name: $n, args: $a) { id } }',
    { n: name, a: args },
    admin,
  );
  expect(r.errors).toBeUndefined();
  return r.data.runCommand.id as string;
}

async function runStatus(id: string): Promise<string> {
  const r = await s.gql('query($id: ID!) { commandRun(id: $id) { status } }', { id }, admin);
  return r.data.commandRun.status;
}

async function notifications(): Promise<any[]> {
  const r = await s.gql(`{ notifications(first: 200) { ${NOTIFICATION} } }`, {}, admin);
  expect(r.errors).toBeUndefined();
  return r.data.notifications;
}

/** The notification matching `pick` once it has reached `status`. */
async function settled(pick: (n: any) => boolean, status: string, timeoutMs = 10_000) {
  let found: any;
  await waitUntil(
    async () => {
      found = (await notifications()).find(pick);
      return found?.status === status;
    },
    {
      timeoutMs,
      everyMs: 50,
      what: () => `a ${status} notification; got ${JSON.stringify(found)}`,
    },
  );
  return found;
}

async function sendTest(target: string) {
  const r = await s.gql(
    `mutation($t: String!) { sendTestNotification(target: $t) { ${NOTIFICATION} } }`,
    { t: target },
    admin,
  );
  expect(r.errors).toBeUndefined();
  return r.data.sendTestNotification;
}

describe('notifications', () => {
  it('a failed run tells on-failure and on-always with the run’s facts; a success tells on-success and on-always', async () => {
    const failed = await run('exit-with', [{ name: 'code', value: '2' }]);
    await settled((n) => n.run?.id === failed && n.target === 'on-always', 'SENT');
    await settled((n) => n.run?.id === failed && n.target === 'on-failure', 'SENT');
    const [body] = http.at('/failure').map((r) => JSON.parse(r.body));
    expect(body).toMatchObject({
      event: 'RUN_FAILED',
      runId: failed,
      command: 'exit-with',
      status: 'FAILED',
      exitCode: 2,
      checkReason: null,
      url: `${ORIGIN}/runs/${failed}`,
    });
    expect(body.subject).toMatch(/^exit-with failed \(exit 2\) on \S+$/);
    expect(body.body).toContain('Command: exit-with');
    expect(body.body).toContain('Started by: admin (manual)');
    // the last 20 lines: 11 to 30
    expect(body.body).toContain('line 11\nline 12');
    expect(body.body).toMatch(/line 30$/);
    expect(body.body).not.toContain('line 10\n');
    expect(Object.keys(body).sort()).toEqual(
      [
        'at',
        'body',
        'checkReason',
        'command',
        'event',
        'exitCode',
        'runId',
        'status',
        'subject',
        'url',
      ].sort(),
    );
    expect(http.at('/failure')[0]!.headers['content-type']).toBe('application/json');

    const ok = await run('exit-with', [{ name: 'code', value: '0' }]);
    await settled((n) => n.run?.id === ok && n.target === 'on-always', 'SENT');
    await settled((n) => n.run?.id === ok && n.target === 'on-success', 'SENT');
    expect(JSON.parse(http.at('/success')[0]!.body)).toMatchObject({
      event: 'RUN_SUCCEEDED',
      status: 'SUCCEEDED',
      exitCode: 0,
    });
    const all = await notifications();
    const of = (id: string) =>
      all
        .filter((n) => n.run?.id === id)
        .map((n) => n.target)
        .sort();
    expect(of(failed)).toEqual(['on-always', 'on-failure']);
    expect(of(ok)).toEqual(['on-always', 'on-success']);
    expect(http.at('/failure')).toHaveLength(1);
    expect(http.at('/success')).toHaveLength(1);
  });

  it('a cancelled run is told to `always` targets only', async () => {
    const id = await run('nap');
    await waitUntil(
      async () =>
        (await s.gql('{ commands { name running } }', {}, admin)).data.commands.find(
          (c: any) => c.name === 'nap',
        ).running === 1,
    );
    const r = await s.gql('mutation($id: ID!) { cancelCommandRun(id: $id) { id } }', { id }, admin);
    expect(r.errors).toBeUndefined();
    const n = await settled((x) => x.run?.id === id && x.target === 'on-always', 'SENT');
    expect(n.subject).toMatch(/^nap was cancelled on /);
    expect((await notifications()).filter((x) => x.run?.id === id)).toHaveLength(1);
  });

  it('ntfy: the body as text, subject as Title, the token as Bearer', async () => {
    const sent = await sendTest('phone');
    expect(sent).toMatchObject({ target: 'phone', event: 'TEST', status: 'PENDING' });
    await settled((n) => n.id === sent.id, 'SENT');
    const [req] = http.at('/topic');
    expect(req!.headers.title).toBe('Test notification from Tiny Agent');
    expect(req!.headers.authorization).toBe(`Bearer ${SECRETS.N_NTFY}`);
    expect(req!.headers.priority).toBe('3');
    expect(req!.headers.tags).toBe('bell');
    expect(req!.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(req!.body).toMatch(
      /^admin sent this test from the Automation page to check that "phone"/,
    );
  });

  it('slack: {"text": …} with the subject in bold; webhook headers from the environment', async () => {
    const a = await sendTest('chat');
    const b = await sendTest('signed');
    await settled((n) => n.id === a.id, 'SENT');
    await settled((n) => n.id === b.id, 'SENT');
    const slack = JSON.parse(http.at('/slack')[0]!.body);
    expect(Object.keys(slack)).toEqual(['text']);
    expect(slack.text).toMatch(/^\*Test notification from Tiny Agent\*\n```\nadmin sent this test/);
    expect(http.at('/signed')[0]!.headers.authorization).toBe(SECRETS.N_AUTH);
  });

  it('smtp: the mail reaches the sink signed in as the configured user, with subject, from, to and body', async () => {
    const sent = await sendTest('mail');
    await settled((n) => n.id === sent.id, 'SENT');
    expect(smtp.mails).toHaveLength(1);
    const [mail] = smtp.mails;
    expect(mail!.user).toBe('bot@example.org');
    expect(mail!.from).toBe('bot@example.org');
    expect(mail!.to).toEqual(['ops@example.org', 'dev@example.org']);
    expect(mail!.raw).toMatch(/^Subject: Test notification from Tiny Agent\r?$/m);
    expect(mail!.raw).toMatch(/^From: Tiny Agent <bot@example.org>\r?$/m);
    expect(mail!.raw).toMatch(/^To: ops@example.org, dev@example.org\r?$/m);
    expect(mail!.raw.replace(/=\r?\n/g, '')).toContain(
      'admin sent this test from the Automation page',
    );
  });

  it('a receiver failing twice: tried again with backoff, then SENT with attempts 3', async () => {
    const sent = await sendTest('flaky');
    const n = await settled((x) => x.id === sent.id, 'SENT');
    expect(n.attempts).toBe(3);
    expect(n.lastError).toMatch(/^HTTP 503 from 127\.0\.0\.1:\d+/);
    expect(http.at('/flaky')).toHaveLength(3);
    const targets = (
      await s.gql('{ notificationTargets { name lastError lastSentAt } }', {}, admin)
    ).data.notificationTargets;
    const flaky = targets.find((t: any) => t.name === 'flaky');
    expect(flaky.lastError).toBeNull();
    expect(flaky.lastSentAt).not.toBeNull();
  });

  it('a receiver always failing: FAILED after the last attempt, the error in GraphQL and the log, never the secret', async () => {
    const sent = await sendTest('down');
    const n = await settled((x) => x.id === sent.id, 'FAILED', 15_000);
    expect(n.attempts).toBe(6);
    expect(n.nextAt).toBeNull();
    expect(http.at('/down')).toHaveLength(6);
    // the receiver echoed the URL with its token: the stored error has neither path nor token
    expect(n.lastError).toMatch(/^HTTP 500 from 127\.0\.0\.1:\d+: got \*\*\*$/);
    const targets = await s.gql(
      '{ notificationTargets { name type where lastError lastSentAt } }',
      {},
      admin,
    );
    const down = targets.data.notificationTargets.find((t: any) => t.name === 'down');
    expect(down).toMatchObject({ type: 'WEBHOOK', lastError: n.lastError, lastSentAt: null });
    expect(down.where).toMatch(/^127\.0\.0\.1:\d+$/);
    const failedOnly = await s.gql('{ notifications(status: FAILED) { id status } }', {}, admin);
    expect(failedOnly.data.notifications).toEqual([{ id: sent.id, status: 'FAILED' }]);
    await waitUntil(() => s.logText().includes('gave up'));
    const log = s.logText();
    expect(log).toMatch(/"msg":"notification not delivered; gave up".*"target":"down"/);
    for (const secret of Object.values(SECRETS).concat('url-secret-74')) {
      if (secret.includes('://')) continue;
      expect(log).not.toContain(secret);
      expect(JSON.stringify(targets.data)).not.toContain(secret);
      expect(JSON.stringify(await notifications())).not.toContain(secret);
    }
    const metrics = await (await fetch(`${s.url}/metrics`)).text();
    expect(metrics).toMatch(
      /^tiny_agent_notifications_total\{type="webhook",outcome="failed"\} 1$/m,
    );
    expect(metrics).toMatch(
      /^tiny_agent_notifications_total\{type="webhook",outcome="retry"\} 7$/m,
    );
  });

  it('a receiver that never answers does not hold up the run: it has ended while the delivery waits', async () => {
    const id = await run('quick');
    await waitUntil(() => http.at('/hang').length === 1, {
      what: 'the request to the hanging receiver',
    });
    expect(await runStatus(id)).toBe('SUCCEEDED');
    const n = (await notifications()).find((x) => x.run?.id === id);
    expect(n).toMatchObject({ target: 'slow', status: 'SENDING', attempts: 0 });
  });

  it('sendTestNotification refuses an unknown target with NOT_FOUND', async () => {
    const r = await s.gql('mutation { sendTestNotification(target: "nope") { id } }', {}, admin);
    expect(r.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(r.errors?.[0]?.message).toMatch(/Notification target "nope"/);
  });
});
