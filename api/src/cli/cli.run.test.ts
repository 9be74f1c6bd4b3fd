import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { serverForFile } from '../test/harness.js';
import { waitUntil } from '../test/wait.js';
import { buildCli, cli, cliDone } from './cli.testkit.js';

// stdout and stderr interleaved, UTF-8 of several widths, and a last line without its newline
const CHATTY = `i=0; while [ $i -lt 300 ]; do echo "out $i é✓😀"; echo "err $i" >&2; i=$((i+1)); done; printf 'tail ✓'`;
const expectedOut = Array.from({ length: 300 }, (_, i) => `out ${i} é✓😀\n`).join('') + 'tail ✓';
const expectedErr = Array.from({ length: 300 }, (_, i) => `err ${i}\n`).join('');

const f = serverForFile(`
commands:
  - name: chatty
    title: chatty
    argv: ["sh", "-c", ${JSON.stringify(CHATTY)}]
  - name: exit-three
    title: exit-three
    argv: ["sh", "-c", "echo bye; exit 3"]
  - name: killed
    title: killed
    argv: ["sh", "-c", "kill -9 $$"]
  - name: count
    title: count
    argv: ["echo", "{{n}}"]
    args:
      - { name: n, type: int, min: 1, max: 5 }
  - name: guarded
    title: guarded
    argv: ["echo", "approved"]
    approval: { required: true, approvers: [admin] }
logs: []
`);

let env: Record<string, string>;
beforeAll(async () => {
  await buildCli();
  // no config file: the URL and token come from the environment
  env = { TINY_AGENT_URL: f.s.url, TINY_AGENT_TOKEN: f.admin.token, HOME: f.s.dir };
});

/** Every stored chunk of a run, page by page. */
async function stored(runId: string) {
  const out = { STDOUT: '', STDERR: '' };
  for (let after = 0; ;) {
    const r = await f.s.gql(
      `query($id: ID!, $after: Int) { commandRun(id: $id) { output(afterSeq: $after, first: 500) { seq stream data } } }`,
      { id: runId, after },
      f.admin,
    );
    const chunks = r.data.commandRun.output as { seq: number; stream: 'STDOUT'; data: string }[];
    if (!chunks.length) return out;
    for (const c of chunks) out[c.stream] += c.data;
    after = chunks.at(-1)!.seq;
  }
}

async function lastRunId(command: string): Promise<string> {
  const r = await f.s.gql(
    `query($c: String) { commandRuns(first: 1, command: $c) { edges { node { id } } } }`,
    { c: command },
    f.admin,
  );
  return r.data.commandRuns.edges[0].node.id;
}

describe('tiny-agent run', () => {
  it('streams stdout and stderr byte for byte and exits 0', async () => {
    const r = await cliDone(['run', 'chatty'], env);
    expect(r.stderr).toBe(expectedErr);
    expect(r.stdout).toBe(expectedOut);
    expect(r.code).toBe(0);
    const s = await stored(await lastRunId('chatty'));
    expect(s.STDOUT).toBe(r.stdout);
    expect(s.STDERR).toBe(r.stderr);
  });

  it("exits with the program's code, 128 + a signal's number, and refuses a bad argument with the server's message", async () => {
    // independent processes: started together, the file stays fast
    const [three, killed, tooBig, ok, undeclared] = await Promise.all([
      cliDone(['run', 'exit-three'], env),
      cliDone(['run', 'killed'], env),
      cliDone(['run', 'count', '--n', '9'], env),
      cliDone(['run', 'count', '--n=4'], env),
      cliDone(['run', 'count', '--n', '2', '--evil', 'x'], env),
    ]);
    expect([three.code, three.stdout]).toEqual([3, 'bye\n']);
    expect(killed.code).toBe(128 + 9);
    expect(tooBig.code).toBe(65);
    expect(tooBig.stderr).toMatch(/^tiny-agent: .*n.*\(BAD_USER_INPUT\)\n$/s);
    expect(tooBig.stdout).toBe('');
    expect([ok.code, ok.stdout]).toEqual([0, '4\n']);
    expect(undeclared.code).toBe(65);
    expect(undeclared.stderr).toContain('evil');
  });

  it('a run that needs approval: waits (said on stderr), then streams; 126 when rejected', async () => {
    const approver = await f.s.createUser('second-admin', 'ADMIN');
    for (const [decide, code, out] of [
      ['approveCommandRun(id: $id)', 0, 'approved\n'],
      ['rejectCommandRun(id: $id, reason: "not now")', 126, ''],
    ] as const) {
      const p = cli(['run', 'guarded'], env);
      await waitUntil(() => p.stderr().includes('waiting for approval'), {
        timeoutMs: 10_000,
        what: () => `the waiting notice; stderr ${p.stderr()}`,
      });
      const id = await lastRunId('guarded');
      const r = await f.s.gql(`mutation($id: ID!) { ${decide} { id } }`, { id }, approver);
      expect(r.errors).toBeUndefined();
      expect(await p.exited).toBe(code);
      expect(p.stdout().toString()).toBe(out);
      if (code) expect(p.stderr()).toMatch(/REJECTED; exit 126/);
    }
  });

  it('--detach prints the run id and leaves at once', async () => {
    const r = await cliDone(['run', 'exit-three', '--detach'], env);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(await lastRunId('exit-three'));
  });
});

describe('tiny-agent commands, runs, upload, token', () => {
  it('commands --json and runs --json are JSON a script can read', async () => {
    const [c] = await Promise.all([
      cliDone(['commands', '--json'], env),
      cliDone(['run', 'exit-three'], env),
    ]);
    expect(c.code).toBe(0);
    const list = JSON.parse(c.stdout) as { name: string; args: { name: string; type: string }[] }[];
    expect(list.map((x) => x.name)).toEqual(['chatty', 'exit-three', 'killed', 'count', 'guarded']);
    expect(list[3]!.args[0]).toMatchObject({ name: 'n', type: 'INT' });
    const r = await cliDone(['runs', '--command', 'exit-three', '--first', '1', '--json'], env);
    const runs = JSON.parse(r.stdout) as { commandName: string; exitCode: number }[];
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ commandName: 'exit-three', exitCode: 3, status: 'FAILED' });
  });

  it('upload streams a file; its sha256 matches the bytes served by /files/:id', async () => {
    const file = path.join(f.s.dir, 'notes.txt');
    const content = Array.from({ length: 20_000 }, (_, i) => `line ${i} ✓\n`).join('');
    writeFileSync(file, content);
    const r = await cliDone(['upload', file, '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const up = JSON.parse(r.stdout) as { id: string; sha256: string; size: number };
    const sha = createHash('sha256').update(content).digest('hex');
    expect(up.sha256).toBe(sha);
    expect(up.size).toBe(Buffer.byteLength(content));
    const res = await fetch(`${f.s.url}/files/${up.id}`, {
      headers: { authorization: `Bearer ${f.admin.token}` },
    });
    const served = Buffer.from(await res.arrayBuffer());
    expect(createHash('sha256').update(served).digest('hex')).toBe(sha);
  });

  it('token create prints a token once, and that token works', async () => {
    const r = await cliDone(['token', 'create', 'ci'], env);
    expect(r.code).toBe(0);
    const secret = r.stdout.trim();
    expect(r.stderr).not.toContain(secret);
    const c = await cliDone(['commands', '--json'], { ...env, TINY_AGENT_TOKEN: secret });
    expect(c.code).toBe(0);
    const tokens = await f.s.gql('{ apiTokens { name } }', {}, { token: secret });
    expect(tokens.data.apiTokens.map((t: { name: string }) => t.name)).toContain('ci');
  });

  it('usage errors exit 64, a refused token 77, an unreachable server 69', async () => {
    const [unknown, flag, notInt, noName, bad, help, gone] = await Promise.all([
      cliDone(['frobnicate'], env),
      cliDone(['commands', '--bogus'], env),
      cliDone(['runs', '--first', 'many'], env),
      cliDone(['run'], env),
      cliDone(['commands'], { ...env, TINY_AGENT_TOKEN: 'not-a-token' }),
      cliDone(['run', '--help'], env),
      cliDone(['commands'], { ...env, TINY_AGENT_URL: 'http://127.0.0.1:9' }),
    ]);
    expect([unknown.code, flag.code, notInt.code, noName.code]).toEqual([64, 64, 64, 64]);
    expect(flag.stderr).toContain('--bogus');
    expect(bad.code).toBe(77);
    expect(bad.stderr).toContain('UNAUTHENTICATED');
    expect([help.code, help.stdout]).toEqual([0, expect.stringContaining('usage: tiny-agent run')]);
    expect(gone.code).toBe(69);
  });

  it('a slow reader holds the stream back and still gets every byte', async () => {
    const p = cli(['run', 'chatty'], env);
    p.child.stdout!.pause(); // the pipe fills; the CLI must wait, not drop
    await new Promise((r) => setTimeout(r, 300));
    p.child.stdout!.resume();
    expect(await p.exited).toBe(0);
    expect(p.stdout().toString()).toBe(expectedOut);
  });
});
