// kill -9 of the server at random moments of a big run, again and again: after each restart the
// run is INTERRUPTED, its output replays cleanly (every seq once, in order) and downloads whole up
// to the last stored frame, the row's counters agree with the file, and a half-written last frame
// (as a crash inside a write leaves it) is cut off, never served.
import { appendFileSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from 'graphql-ws';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { encodeFrames } from '../api/src/modules/commands/output.frame.js';
import { OutputStore } from '../api/src/modules/commands/output.store.js';
import { gqlAt } from '../api/src/test/harness.js';
import { spawnServer, type Spawned } from '../api/src/test/spawn.js';
import { waitUntil } from '../api/src/test/wait.js';

// numbered lines, 64 KiB every 5 ms (about 13 MB/s): a kill lands in the middle of writing
const producer =
  "let n=0;const line=()=>{let s='';while(s.length<65536)s+=++n+'\\\\n';return s};const t=setInterval(()=>process.stdout.write(line()),5)";
const AGENT = `commands:
  - name: big
    title: Numbered lines until stopped
    argv: ["node", "-e", "${producer.replace(/"/g, '\\"')}"]
    timeout: 600
    maxConcurrent: 2
logs: []
`;
const KILLS = 3;

const dir = mkdtempSync(path.join(tmpdir(), 'tiny-agent-crash-'));
writeFileSync(path.join(dir, 'agent.yaml'), AGENT);
const env = {
  DATA_DIR: path.join(dir, 'data'),
  LOGS_DIR: path.join(dir, 'logs'),
  AGENT_CONFIG: path.join(dir, 'agent.yaml'),
  ADMIN_PASSWORD: 'admin-password-1',
};
const store = new OutputStore(path.join(env.DATA_DIR, 'output'));
let server: Spawned | null = null;
afterAll(() => {
  server?.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** "1\n2\n3\n…" cut at `bytes`: what the producer's output must begin with */
function numbers(bytes: number): Buffer {
  const parts: string[] = [];
  let size = 0;
  for (let n = 1; size < bytes; n++) {
    const s = `${n}\n`;
    parts.push(s);
    size += s.length;
  }
  return Buffer.from(parts.join('')).subarray(0, bytes);
}

async function token(url: string): Promise<string> {
  const r = await gqlAt(
    url,
    'mutation { login(username: "admin", password: "admin-password-1") { token } }',
  );
  return r.data.login.token;
}

/** commandOutput over WebSocket from `afterSeq`: the seqs and the bytes, until it completes */
function replay(url: string, auth: string, id: string, afterSeq = 0) {
  const client = createClient({
    url: url.replace(/^http/, 'ws') + '/graphql',
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${auth}` },
  });
  const seqs: number[] = [];
  const parts: Buffer[] = [];
  return new Promise<{ seqs: number[]; text: Buffer }>((resolve, reject) => {
    client.subscribe<{ commandOutput: { seq: number; data: string } }>(
      {
        query:
          'subscription($id: ID!, $a: Int) { commandOutput(runId: $id, afterSeq: $a) { seq data } }',
        variables: { id, a: afterSeq },
      },
      {
        next: (e) => {
          seqs.push(e.data!.commandOutput.seq);
          parts.push(Buffer.from(e.data!.commandOutput.data));
        },
        error: reject,
        complete: () => resolve({ seqs, text: Buffer.concat(parts) }),
      },
    );
  }).finally(() => client.dispose());
}

/** What a restarted server serves for a run it found interrupted. */
async function check(url: string, auth: string, id: string) {
  const run = (
    await gqlAt(
      url,
      'query($id: ID!) { commandRun(id: $id) { status error outputBytes outputTruncated } }',
      { id },
      { token: auth },
    )
  ).data.commandRun;
  expect(run).toMatchObject({ status: 'INTERRUPTED', error: expect.stringMatching(/stopped/) });
  expect(run.outputTruncated).toBe(false);
  // the file: whole frames only (the torn one planted before the restart is gone), as the row says
  const extent = (await store.extent(id))!;
  expect(statSync(store.pathOf(id)).size).toBe(extent.end);
  expect(extent.bytes).toBe(run.outputBytes);

  const res = await fetch(`${url}/runs/${id}/output.txt`, {
    headers: { authorization: `Bearer ${auth}` },
  });
  const body = Buffer.from(await res.arrayBuffer());
  expect(body.length).toBe(run.outputBytes);
  expect(body.equals(numbers(body.length))).toBe(true);

  const all = await replay(url, auth, id);
  expect(all.text.equals(body)).toBe(true);
  expect(all.seqs.every((s, i) => i === 0 || s > all.seqs[i - 1]!)).toBe(true);
  expect(all.seqs.at(-1)).toBe(extent.lastSeq);
  // and from the middle, by seq: the rest, exactly
  const at = Math.floor((all.seqs.length - 1) / 2);
  const rest = await replay(url, auth, id, all.seqs[at]);
  expect(rest.seqs).toEqual(all.seqs.slice(at + 1));
  expect(rest.seqs.length).toBeGreaterThan(0);
  expect(body.subarray(body.length - rest.text.length).equals(rest.text)).toBe(true);
  return run.outputBytes as number;
}

describe('kill -9 at random moments of big runs', () => {
  it(`${KILLS} crashes, two runs each: every run replays and downloads cleanly up to its last stored frame`, async () => {
    let previous: string[] = [];
    const sizes: number[] = [];
    for (let i = 0; i <= KILLS; i++) {
      server = await spawnServer(env, dir);
      const auth = await token(server.url);
      for (const id of previous) sizes.push(await check(server.url, auth, id));
      if (i === KILLS) break;

      // two runs, the second started 0-600 ms after the first's output flows, the kill 0-1,200 ms
      // after the second's: the moments differ between the runs and from one crash to the next
      const ids: string[] = [];
      for (const pause of [(i * 7919) % 600, (i * 104_729) % 1200]) {
        const id = (
          await gqlAt(
            server.url,
            'mutation { runCommand(name: "big") { id } }',
            {},
            { token: auth },
          )
        ).data.runCommand.id as string;
        ids.push(id);
        // a few frames stored (64 KiB each), so there is a middle to replay from after the crash
        const stored = () =>
          existsSync(store.pathOf(id)) && statSync(store.pathOf(id)).size > 256 * 1024;
        await waitUntil(stored, { timeoutMs: 15_000, what: 'output' });
        await new Promise((r) => setTimeout(r, pause));
      }
      server.child.kill('SIGKILL');
      await server.exited;
      // a crash inside a write leaves part of a frame: the restart must cut it, never serve it
      const torn = encodeFrames([
        { seq: 999_999, stream: 'STDOUT', data: 'x'.repeat(500), at: new Date().toISOString() },
      ]);
      for (const id of ids) appendFileSync(store.pathOf(id), torn.subarray(0, 300));
      previous = ids;
    }
    const last = server!;
    server = null;
    last.child.kill('SIGTERM');
    await last.exited;
    expect(sizes).toHaveLength(KILLS * 2);
    // the kills landed while output was flowing: every run had stored something
    expect(sizes.every((n) => n > 0)).toBe(true);
  }, 120_000);
});
