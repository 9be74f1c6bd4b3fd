// A 1 GiB run stored whole (the default maxOutputBytes), replayed from the middle by seq (GraphQL
// pages and commandOutput), and downloaded whole and by range: every byte where it belongs.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../test/harness.js';
import { waitUntil } from '../../test/wait.js';

const BLOCK = 65536;
const BLOCKS = 16384; // 1 GiB
// each 64 KiB block says where it is: its number in ten digits, a newline, then filler
const producer = `const b=Buffer.alloc(${BLOCK},120);let k=0;(function w(){while(k<${BLOCKS}){b.write(String(k).padStart(10,'0'));b[10]=10;k++;if(!process.stdout.write(Buffer.from(b)))return process.stdout.once('drain',w)}})()`;
const AGENT = `commands:
  - name: gib
    title: 1 GiB
    argv: ["node", "-e", "${producer}"]
    timeout: 600
logs: []
`;

function block(k: number): Buffer {
  const b = Buffer.alloc(BLOCK, 120);
  b.write(String(k).padStart(10, '0'));
  b[10] = 10;
  return b;
}
/** the producer's bytes [from, from + length) */
function expectedAt(from: number, length: number): Buffer {
  const first = Math.floor(from / BLOCK);
  const last = Math.floor((from + length - 1) / BLOCK);
  const blocks: Buffer[] = [];
  for (let k = first; k <= last; k++) blocks.push(block(k));
  const start = from - first * BLOCK;
  return Buffer.concat(blocks).subarray(start, start + length);
}
/** where `text` lies in the producer's output, from the first block header in it */
function offsetOf(text: Buffer): number {
  const m = /(\d{10})\n/.exec(text.toString('latin1'));
  if (!m) throw new Error('no block header in the text');
  return Number(m[1]) * BLOCK - m.index;
}

let s: TestServer;
let auth: { token: string };
let id: string;
beforeAll(async () => {
  s = await startServer({}, { agentYaml: AGENT });
  auth = await s.login();
  id = (await s.gql('mutation { runCommand(name: "gib") { id } }', {}, auth)).data.runCommand.id;
  const status = async () =>
    (await s.gql('query($id: ID!) { commandRun(id: $id) { status } }', { id }, auth)).data
      .commandRun.status;
  await waitUntil(async () => (await status()) !== 'RUNNING', {
    timeoutMs: 100_000,
    what: 'the 1 GiB run to end',
  });
}, 120_000);
afterAll(() => s?.stop());

describe('a 1 GiB run', () => {
  it('is stored whole: outputBytes 1 GiB, not truncated; the download is every byte in order', async () => {
    const run = (
      await s.gql(
        'query($id: ID!) { commandRun(id: $id) { status outputBytes outputTruncated } }',
        { id },
        auth,
      )
    ).data.commandRun;
    expect(run).toEqual({
      status: 'SUCCEEDED',
      outputBytes: BLOCK * BLOCKS,
      outputTruncated: false,
    });

    const res = await fetch(`${s.url}/runs/${id}/output.txt`, {
      headers: { authorization: `Bearer ${auth.token}` },
    });
    expect(res.headers.get('content-length')).toBe(String(BLOCK * BLOCKS));
    const got = createHash('sha256');
    for await (const part of res.body!) got.update(part);
    const want = createHash('sha256');
    for (let k = 0; k < BLOCKS; k++) want.update(block(k));
    expect(got.digest('hex')).toBe(want.digest('hex'));
  }, 60_000);

  it('downloads a range from the middle exactly', async () => {
    const from = 600_000_123;
    const res = await fetch(`${s.url}/runs/${id}/output.txt`, {
      headers: { authorization: `Bearer ${auth.token}`, range: `bytes=${from}-${from + 199_999}` },
    });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(
      `bytes ${from}-${from + 199_999}/${BLOCK * BLOCKS}`,
    );
    expect(Buffer.from(await res.arrayBuffer()).equals(expectedAt(from, 200_000))).toBe(true);
  });

  it('replays from a seq in the middle: GraphQL pages and commandOutput continue the bytes exactly', async () => {
    const first = (
      await s.gql(
        'query($id: ID!) { commandRun(id: $id) { output(first: 1) { seq } } }',
        { id },
        auth,
      )
    ).data.commandRun;
    expect(first.output[0].seq).toBe(1);
    // seqs count chunks of at most 64 KiB: 1 GiB is at least 16,384 of them
    const mid = 10_000;
    const page = (
      await s.gql(
        'query($id: ID!, $a: Int) { commandRun(id: $id) { output(afterSeq: $a, first: 40) { seq data } } }',
        { id, a: mid },
        auth,
      )
    ).data.commandRun.output as { seq: number; data: string }[];
    expect(page[0]!.seq).toBe(mid + 1);
    const text = Buffer.from(page.map((c) => c.data).join(''), 'latin1');
    const at = offsetOf(text);
    expect(at).toBeGreaterThan(BLOCK * 1000);
    expect(text.equals(expectedAt(at, text.length))).toBe(true);

    // the subscription from the same seq: its first chunks are those bytes
    const sub = s.subscribeWs(
      'subscription($id: ID!, $a: Int) { commandOutput(runId: $id, afterSeq: $a) { seq data } }',
      { id, a: mid },
      auth,
    );
    await sub.waitFor(3, 20_000);
    sub.stop();
    const live = sub.events.map((e) => e.data.commandOutput as { seq: number; data: string });
    expect(live[0]!.seq).toBeGreaterThan(mid);
    const streamed = Buffer.from(live.map((c) => c.data).join(''), 'latin1');
    expect(streamed.subarray(0, 100_000).equals(text.subarray(0, 100_000))).toBe(true);
  }, 60_000);
});
