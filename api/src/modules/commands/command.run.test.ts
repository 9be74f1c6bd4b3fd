import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../test/harness.js';
import { waitUntil } from '../../test/wait.js';

// prints (the rest of the script) once the file named by its argument exists: output past the cap
// goes live only, so the test opens its subscription first, then creates the file
const gated = (text: string) =>
  `const out = () => process.stdout.write(${text}); const go = () => require('fs').existsSync(process.argv[1]) ? out() : setTimeout(go, 10); go()`;

const AGENT = (dir: string) => `
commands:
  - name: echo-arg
    title: Echo one argument
    argv: ["node", "-e", "console.log(JSON.stringify(process.argv.slice(1)))", "--", "{{text}}"]
    cwd: ${dir}
    roles: [admin, user]
    args:
      - name: text
        type: string
        maxLength: 200
  - name: typed
    title: Every type
    argv: ["node", "-e", "console.log(JSON.stringify(process.argv.slice(1)))", "--", "n={{n}}", "{{flag}}", "{{mode}}", "{{where}}"]
    roles: [admin]
    args:
      - { name: n, type: int, min: 1, max: 10 }
      - { name: flag, type: boolean, default: "false" }
      - { name: mode, type: enum, choices: [fast, slow] }
      - { name: where, type: path, roots: ["${dir}"] }
  - name: env
    title: Environment
    argv: ["env"]
    env: { GREETING: hello }
  - name: family
    title: Starts background children
    argv: ["sh", "-c", "sleep 300 & sleep 300 & echo started; wait"]
    maxConcurrent: 1
  - name: stubborn
    title: Ignores SIGTERM
    argv: ["sh", "-c", "trap '' TERM; echo ready; while true; do sleep 0.2; done"]
  - name: escapee
    title: Leaves a child in its own session, holding the output pipe
    argv: ["sh", "-c", "setsid sleep 60 & echo ready; wait"]
    timeout: 15
  - name: slow
    title: Times out
    argv: ["sleep", "30"]
    timeout: 1
  - name: missing
    title: Not installed
    argv: ["/nonexistent/program"]
  - name: chatty
    title: Too much output
    argv: ["node", "-e", "setTimeout(() => process.stdout.write('x'.repeat(300000)), 500)"]
    maxOutputBytes: 100000
  - name: edge
    title: A real U+FFFD is the last character that fits
    argv: ["node", "-e", "${gated("'x'.repeat(1021) + String.fromCharCode(0xfffd) + String.fromCharCode(0xe9).repeat(1000)")}", "--", "${dir}/gate-edge"]
    maxOutputBytes: 1024
  - name: straddle
    title: The cap falls inside a character
    argv: ["node", "-e", "${gated("'x'.repeat(1023) + String.fromCharCode(0xe9).repeat(1000)")}", "--", "${dir}/gate-straddle"]
    maxOutputBytes: 1024
logs: []
`;

let s: TestServer;
let admin: { token: string };
beforeAll(async () => {
  process.env.TINY_AGENT_TEST_SECRET = 'hunter2-secret-value';
  s = await startServer({}, { agentYaml: 'commands: []\nlogs: []\n' });
  mkdirSync(path.join(s.dir, 'work'));
  writeFileSync(s.agentPath, AGENT(path.join(s.dir, 'work')));
  // the server follows agent.yaml edits
  await waitUntil(() => s.app.services.agent.config.commands.length > 0, {
    timeoutMs: 2500,
    what: 'the server to load agent.yaml',
  });
  admin = await s.login();
});
afterAll(async () => {
  delete process.env.TINY_AGENT_TEST_SECRET;
  await s.stop();
});

const code = (r: { errors?: { extensions?: { code?: string } }[] }) =>
  r.errors?.[0]?.extensions?.code;
const RUN = `mutation($name: String!, $args: [CommandArgInput!]) { runCommand(name: $name, args: $args) { id status argv } }`;

async function runToEnd(
  name: string,
  args: { name: string; value: string }[] = [],
  auth = admin,
  gate?: string,
) {
  const r = await s.gql(RUN, { name, args }, auth);
  if (r.errors) return { errors: r.errors, run: null, output: '' };
  const id = r.data.runCommand.id;
  const sub = s.subscribeWs(
    `subscription($id: ID!) { commandOutput(runId: $id) { seq stream data } }`,
    { id },
    { token: auth.token },
  );
  if (gate) {
    await waitUntil(() => s.app.services.pubsub.listenerCount('runOutput', id) > 0, {
      timeoutMs: 5000,
      what: 'the output subscription',
    });
    writeFileSync(gate, '');
  }
  await sub.waitEnd(20_000);
  const run = (
    await s.gql(
      `query($id: ID!) { commandRun(id: $id) { id status exitCode signal error argv outputTruncated outputBytes } }`,
      { id },
      auth,
    )
  ).data.commandRun;
  return {
    run,
    output: sub.events.map((e) => e.data.commandOutput.data).join(''),
    events: sub.events,
  };
}

/** Processes started by a run: found by the run id in their environment. */
function processesOf(runId: string): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
        if (/\) Z /.test(stat)) return false; // zombies are dead
        return readFileSync(`/proc/${p}/environ`, 'latin1').includes(`TINY_AGENT_RUN_ID=${runId}`);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('arguments', () => {
  it('shell metacharacters arrive as one literal argument and create nothing', async () => {
    const work = path.join(s.dir, 'work');
    for (const text of [
      '; id',
      '$(id)',
      '`id`',
      '| id',
      'a\nb',
      '${IFS}id',
      '>file',
      "'; touch pwned; '",
    ]) {
      const { run, output } = await runToEnd('echo-arg', [{ name: 'text', value: text }]);
      expect(run.status, text).toBe('SUCCEEDED');
      expect(JSON.parse(output)).toEqual([text]);
      expect(run.argv[run.argv.length - 1]).toBe(text);
    }
    expect(readdirSync(work)).toEqual([]);
    expect(existsSync(path.join(s.dir, 'pwned'))).toBe(false);
  });

  it('refuses option injection, undeclared and missing arguments with BAD_USER_INPUT naming the argument', async () => {
    for (const value of ['--output=/etc/x', '-oX']) {
      const r = await s.gql(RUN, { name: 'echo-arg', args: [{ name: 'text', value }] }, admin);
      expect(code(r)).toBe('BAD_USER_INPUT');
      expect(r.errors![0]!.message).toMatch(/"text"/);
    }
    const undeclared = await s.gql(
      RUN,
      {
        name: 'echo-arg',
        args: [
          { name: 'text', value: 'a' },
          { name: 'extra', value: 'b' },
        ],
      },
      admin,
    );
    expect(code(undeclared)).toBe('BAD_USER_INPUT');
    expect(undeclared.errors![0]!.message).toMatch(/extra/);
    const missing = await s.gql(RUN, { name: 'echo-arg', args: [] }, admin);
    expect(code(missing)).toBe('BAD_USER_INPUT');
  });

  it('checks every type on the server', async () => {
    const work = path.join(s.dir, 'work');
    const good = await runToEnd('typed', [
      { name: 'n', value: '3' },
      { name: 'mode', value: 'fast' },
      { name: 'where', value: work },
      { name: 'flag', value: 'true' },
    ]);
    expect(JSON.parse(good.output)).toEqual(['n=3', 'true', 'fast', work]);
    const bad: [string, string][] = [
      ['n', '11'],
      ['n', '3.5'],
      ['n', '0x3'],
      ['flag', 'yes'],
      ['mode', 'turbo'],
      ['where', '/etc'],
      ['where', `${work}/../..`],
    ];
    for (const [name, value] of bad) {
      const args = [
        { name: 'n', value: '3' },
        { name: 'mode', value: 'fast' },
        { name: 'where', value: work },
      ].filter((a) => a.name !== name);
      const r = await s.gql(RUN, { name: 'typed', args: [...args, { name, value }] }, admin);
      expect(code(r), `${name}=${value}`).toBe('BAD_USER_INPUT');
      expect(r.errors![0]!.message, `${name}=${value}`).toContain(`"${name}"`);
    }
  });
});

describe('running', () => {
  it("the child's environment holds no server secret", async () => {
    const { output } = await runToEnd('env');
    const names = output
      .trim()
      .split('\n')
      .map((l) => l.split('=')[0])
      .sort();
    expect(names).toEqual(
      ['GREETING', 'HOME', 'LANG', 'PATH', 'TINY_AGENT_RUN_ID'].filter(
        (n) => n !== 'LANG' || process.env.LANG !== undefined,
      ),
    );
    expect(output).not.toContain('hunter2');
    expect(output).not.toContain('admin-password');
  });

  it('cancel kills the whole process group, background children included, and maxConcurrent refuses meanwhile', async () => {
    const r = await s.gql(RUN, { name: 'family' }, admin);
    const id = r.data.runCommand.id;
    const sub = s.subscribeWs(
      `subscription($id: ID!) { commandOutput(runId: $id) { data } }`,
      { id },
      { token: admin.token },
    );
    await sub.waitFor(1);
    expect(processesOf(id).length).toBeGreaterThanOrEqual(3);
    const second = await s.gql(RUN, { name: 'family' }, admin);
    expect(code(second)).toBe('CONFLICT');
    expect(second.errors![0]!.message).toMatch(/already running/);
    const cancelled = await s.gql(
      `mutation($id: ID!) { cancelCommandRun(id: $id) { status signal } }`,
      { id },
      admin,
    );
    expect(cancelled.data.cancelCommandRun.status).toBe('CANCELLED');
    await sub.waitEnd();
    expect(processesOf(id)).toEqual([]);
    const again = await s.gql(
      `mutation($id: ID!) { cancelCommandRun(id: $id) { status } }`,
      { id },
      admin,
    );
    expect(code(again)).toBe('CONFLICT');
  });

  it('a command that ignores SIGTERM is killed after the grace period', async () => {
    const r = await s.gql(RUN, { name: 'stubborn' }, admin);
    const id = r.data.runCommand.id;
    const sub = s.subscribeWs(
      `subscription($id: ID!) { commandOutput(runId: $id) { data } }`,
      { id },
      { token: admin.token },
    );
    await sub.waitFor(1);
    // the answer waits for the end, however long: TERM is ignored, KILL follows after the 5 s grace
    const cancelled = await s.gql(
      `mutation($id: ID!) { cancelCommandRun(id: $id) { status signal } }`,
      { id },
      admin,
    );
    expect(cancelled.data.cancelCommandRun).toEqual({ status: 'CANCELLED', signal: 'SIGKILL' });
    await sub.waitEnd(10_000);
    const run = (
      await s.gql(`query($id: ID!) { commandRun(id: $id) { status signal } }`, { id }, admin)
    ).data.commandRun;
    expect(run.status).toBe('CANCELLED');
    expect(processesOf(id)).toEqual([]);
  });

  it('a run that has not ended 6 s after the cancel is answered RUNNING, and its stream still tells the end', async () => {
    const r = await s.gql(RUN, { name: 'escapee' }, admin);
    const id = r.data.runCommand.id;
    const sub = s.subscribeWs(
      `subscription($id: ID!) { commandOutput(runId: $id) { data } }`,
      { id },
      { token: admin.token },
    );
    await sub.waitFor(1);
    try {
      // the group is gone at TERM, but the escaped child holds the pipe until the run's 15 s timeout
      // (9 s left a loaded machine too little time between the start and the 6 s cancel wait)
      const cancelled = await s.gql(
        `mutation($id: ID!) { cancelCommandRun(id: $id) { status } }`,
        { id },
        admin,
      );
      expect(cancelled.errors).toBeUndefined();
      expect(cancelled.data.cancelCommandRun.status).toBe('RUNNING');
      await sub.waitEnd(25_000);
      const run = (await s.gql(`query($id: ID!) { commandRun(id: $id) { status } }`, { id }, admin))
        .data.commandRun;
      expect(run.status).toBe('CANCELLED');
    } finally {
      for (const pid of processesOf(id)) process.kill(pid, 'SIGKILL');
    }
  }, 40_000);

  it('the timeout fires: TIMED_OUT', async () => {
    const { run } = await runToEnd('slow');
    expect(run.status).toBe('TIMED_OUT');
    expect(run.signal).toBe('SIGTERM');
  });

  it('a program that cannot start ends FAILED with the reason', async () => {
    const { run, output } = await runToEnd('missing');
    expect(run.status).toBe('FAILED');
    expect(run.error).toMatch(/program not found/);
    expect(output).toMatch(/program not found/);
  });

  it('output past the cap is not kept: outputTruncated, the stream says so, live viewers still see it', async () => {
    const { run, output } = await runToEnd('chatty');
    expect(run.status).toBe('SUCCEEDED');
    expect(run.outputTruncated).toBe(true);
    expect(run.outputBytes).toBeLessThan(100_200);
    expect(output).toMatch(/output past 98 KiB is not kept/);
    expect(output.replace(/\n\[tiny-agent\].*\n/, '')).toBe('x'.repeat(300_000));
    const stored = await s.gql(
      `query($id: ID!) { commandRun(id: $id) { output(first: 100) { data } } }`,
      { id: run.id },
      admin,
    );
    expect(stored.errors).toBeUndefined();
    const kept = stored.data.commandRun.output.map((c: { data: string }) => c.data).join('');
    expect(kept.replace(/\n\[tiny-agent\].*\n/, '')).toBe('x'.repeat(100_000));
  });

  it('the cap keeps whole characters: a real U+FFFD that fits is kept, a character the cap cuts goes live only', async () => {
    const storedOf = async (id: string) =>
      (
        await s.gql(
          `query($id: ID!) { commandRun(id: $id) { output(first: 100) { data } } }`,
          { id },
          admin,
        )
      ).data.commandRun.output
        .map((c: { data: string }) => c.data)
        .join('')
        .replace(/\n\[tiny-agent\].*\n/, '');
    const edge = await runToEnd('edge', [], admin, path.join(s.dir, 'work', 'gate-edge'));
    expect(edge.output.replace(/\n\[tiny-agent\].*\n/, '')).toBe(
      'x'.repeat(1021) + '\uFFFD' + '\u00e9'.repeat(1000),
    );
    expect(await storedOf(edge.run.id)).toBe('x'.repeat(1021) + '\uFFFD');
    const straddle = await runToEnd(
      'straddle',
      [],
      admin,
      path.join(s.dir, 'work', 'gate-straddle'),
    );
    expect(straddle.output.replace(/\n\[tiny-agent\].*\n/, '')).toBe(
      'x'.repeat(1023) + '\u00e9'.repeat(1000),
    );
    expect(await storedOf(straddle.run.id)).toBe('x'.repeat(1023));
  });
});
