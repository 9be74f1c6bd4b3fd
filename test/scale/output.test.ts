// Output on any instance, through any outage: every chunk once and in order, and every stream ends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawCommandOutput, type TestServer } from '../../api/src/test/harness.js';
import { startCluster, until, type Cluster } from './cluster.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// 400 numbered lines, one every `ms` milliseconds
const LINES = `let i=0;const t=setInterval(()=>{console.log('line '+(++i));if(i>=400)clearInterval(t)},+process.argv[1])`;
const FLOOD_CHUNKS = 768; // 48 MiB: past the 32 MiB a live queue holds
const FLOOD = `const b=Buffer.alloc(65536,120);let n=0;(function w(){while(n<${FLOOD_CHUNKS}){n++;if(!process.stdout.write(b))return process.stdout.once('drain',w)}})()`;
const AGENT = `commands:
  - name: short
    title: Three lines
    argv: ["printf", "one\\ntwo\\nthree\\n"]
    maxConcurrent: 10
  - name: lines
    title: 400 lines
    argv: ["node", "-e", "${LINES}", "{{ms}}"]
    maxConcurrent: 10
    args:
      - name: ms
        type: int
        min: 1
        max: 100
  - name: flood
    title: 48 MiB
    argv: ["node", "-e", "${FLOOD}"]
    maxOutputBytes: 100000000
logs: []
`;
const ALL_LINES = Array.from({ length: 400 }, (_, i) => `line ${i + 1}\n`).join('');

const OUTPUT = `subscription($id: ID!) { commandOutput(runId: $id) { seq fromSeq data } }`;
const RUN = `mutation($n: String!, $a: [CommandArgInput!]) { runCommand(name: $n, args: $a) { id } }`;
const STATUS = `query($id: ID!) { commandRun(id: $id) { status outputTruncated } }`;

let c: Cluster;
let admin: { token: string };
beforeAll(async () => {
  c = await startCluster({ agentYaml: AGENT, nginx: true });
  admin = await c.login();
}, 120_000);
afterAll(() => c?.stop(), 60_000);

async function run(url: string, name: string, ms?: number): Promise<string> {
  const args = ms ? [{ name: 'ms', value: String(ms) }] : [];
  const r = await c.gql(url, RUN, { n: name, a: args }, admin);
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data.runCommand.id as string;
}

/** A subscription's text, after checking its chunks cover every seq once: 1.., contiguous. */
function textOf(events: any[]): string {
  const chunks = events.map(
    (e) => e.data.commandOutput as { seq: number; fromSeq: number; data: string },
  );
  // a joined chunk covers fromSeq..seq: each starts right after the one before
  expect(chunks.map((ch) => ch.fromSeq)).toEqual(
    chunks.map((_, i) => (chunks[i - 1]?.seq ?? 0) + 1),
  );
  expect(chunks.every((ch) => ch.seq >= ch.fromSeq)).toBe(true);
  return chunks.map((ch) => ch.data).join('');
}

async function ended(
  url: string,
  id: string,
): Promise<{ status: string; outputTruncated: boolean }> {
  let row: any;
  await until(
    async () => {
      // the database may still be coming back: a failed query is asked again
      row = (await c.gql(url, STATUS, { id }, admin).catch(() => null))?.data?.commandRun;
      return !!row && row.status !== 'RUNNING';
    },
    'the run to end',
    60_000,
  );
  return row;
}

async function storedText(url: string, id: string): Promise<string> {
  let text = '';
  let after = 0;
  for (;;) {
    const r = await c.gql(
      url,
      `query($id: ID!, $a: Int) { commandRun(id: $id) { output(afterSeq: $a, first: 500) { seq data } } }`,
      { id, a: after },
      admin,
    );
    const page = r.data.commandRun.output as { seq: number; data: string }[];
    if (!page.length) return text;
    text += page.map((p) => p.data).join('');
    after = page.at(-1)!.seq;
  }
}

describe('output across instances', () => {
  it('a subscription on B right after a start on A gets every line once, 20 times in 20', async () => {
    const [a, b] = c.instances;
    const once = async () => {
      const id = await run(a!.url, 'short');
      const sub = c.subscribe(b!.url, OUTPUT, { id }, admin.token);
      await until(() => sub.ended !== null, 'the stream to complete');
      expect(sub.ended).toEqual({});
      return textOf(sub.events);
    };
    const texts: string[] = [];
    // five at a time: each still subscribes right after its own start
    for (let i = 0; i < 4; i++) texts.push(...(await Promise.all([1, 2, 3, 4, 5].map(once))));
    expect(texts).toEqual(Array(20).fill('one\ntwo\nthree\n'));
  }, 60_000);

  it('subscriptions started mid-run on every instance and through nginx get every line once', async () => {
    const id = await run(c.instances[0]!.url, 'lines', 8);
    const targets = [...c.instances.map((i) => i.url), c.url];
    const subs = [];
    for (let i = 0; i < 16; i++) {
      subs.push(c.subscribe(targets[i % targets.length]!, OUTPUT, { id }, admin.token));
      await sleep(120); // spread over the run: each subscription starts at a different seam
    }
    for (const sub of subs) await until(() => sub.ended !== null, 'every stream to complete');
    for (const sub of subs) {
      expect(sub.ended).toEqual({});
      expect(textOf(sub.events)).toBe(ALL_LINES);
    }
  }, 60_000);

  it('with Redis down for 5 s mid-run, subscribers on other instances get every line and complete', async () => {
    const [a, b, d] = c.instances;
    const id = await run(a!.url, 'lines', 15);
    const subs = [a!, b!, d!].map((i) => c.subscribe(i.url, OUTPUT, { id }, admin.token));
    await until(() => subs.every((s) => s.events.length > 0), 'the first lines everywhere');
    await c.redis.kill();
    await sleep(5000); // the outage
    await c.redis.start();
    for (const sub of subs)
      await until(() => sub.ended !== null, 'every stream to complete', 30_000);
    for (const sub of subs) expect(textOf(sub.events)).toBe(ALL_LINES);
  }, 60_000);

  it('with PostgreSQL down for 3 s mid-run, every line is stored once and in order', async () => {
    const [a, b] = c.instances;
    const id = await run(a!.url, 'lines', 12);
    await sleep(1000);
    // this one ends during the outage: its end is recorded once the database is back
    const short = await run(a!.url, 'lines', 3);
    await c.pg.stop();
    await sleep(3000); // the outage
    await c.pg.start();
    for (const run of [id, short]) {
      const row = await ended(a!.url, run);
      expect(row).toEqual({ status: 'SUCCEEDED', outputTruncated: false });
      expect(await storedText(b!.url, run)).toBe(ALL_LINES);
      const fresh = c.subscribe(b!.url, OUTPUT, { id: run }, admin.token);
      await until(() => fresh.ended !== null, 'the fresh stream to complete');
      expect(textOf(fresh.events)).toBe(ALL_LINES);
    }
    // one line for the outage and one for the recovery, not one per attempt
    const log = a!.output();
    expect(log.match(/could not store run output/g)?.length).toBe(1);
    expect(log.match(/run output is stored again/g)?.length).toBe(1);
  }, 90_000);

  it('a remote reader that stops reading far behind still gets every byte, in order', async () => {
    const [a, b] = c.instances;
    const id = await run(a!.url, 'flood');
    const wsUrl = b!.url.replace(/^http/, 'ws') + '/graphql';
    const reader = await rawCommandOutput({ wsUrl } as TestServer, admin.token, { id });
    await until(() => reader.got.seqs.length > 0, 'the first chunk');
    reader.tcp.pause();
    await ended(a!.url, id); // the whole run passes while this reader reads nothing
    reader.tcp.resume();
    await until(() => reader.got.end !== null, 'the stream to end', 60_000);
    expect(reader.got.end!.type).toBe('complete');
    expect(reader.got.seqs.every((s, i) => i === 0 || s > reader.got.seqs[i - 1]!)).toBe(true);
    expect(reader.got.bytes).toBe(FLOOD_CHUNKS * 65536);
    reader.ws.close();
  }, 90_000);
});
