// GET /runs/:id/output.txt: the whole stored output, paged from the store, with the same access
// as commandRun(id), Range on finished runs, and ?plain=1 without terminal escapes.
import { describe, expect, it } from 'vitest';
import { authHeaders, serverForFile, type Auth } from '../../test/harness.js';
import { waitUntil } from '../../test/wait.js';

// `n` coloured stdout lines each followed by a stderr line, one write per timer tick, so the store
// holds hundreds of chunks (more than one page of the download's reads)
const MIXED =
  "const n=+process.argv[1];let i=0;const t=setInterval(()=>{i++;process.stdout.write('\\x1b[32mout '+i+'\\x1b[0m \\u00e9\\n');process.stderr.write('err '+i+'\\n');if(i>=n)clearInterval(t)},1)";

const f = serverForFile(`
commands:
  - name: mixed
    title: Mixed output
    argv: ${JSON.stringify(['node', '-e', MIXED, '{{n}}'])}
    args: [{ name: n, type: int, min: 0, max: 5000 }]
    roles: [admin, user]
  - name: slow
    title: Prints, then waits
    argv: ["node", "-e", "console.log('first line'); setTimeout(() => {}, 60000)"]
    roles: [admin, user]
logs: []
`);

const RUN = `mutation($name: String!, $args: [CommandArgInput!]) { runCommand(name: $name, args: $args) { id } }`;
const STATUS = `query($id: ID!) { commandRun(id: $id) { status outputBytes } }`;
const OUTPUT = `query($id: ID!, $after: Int) { commandRun(id: $id) { output(afterSeq: $after, first: 500) { seq data } } }`;

async function run(name: string, args: { name: string; value: string }[], auth: Auth) {
  const r = await f.s.gql(RUN, { name, args }, auth);
  expect(r.errors).toBeUndefined();
  return r.data.runCommand.id as string;
}
async function finished(id: string) {
  await waitUntil(
    async () => (await f.s.gql(STATUS, { id }, f.admin)).data.commandRun.status !== 'RUNNING',
    { timeoutMs: 20_000, what: `run ${id} to end` },
  );
}
/** Every stored chunk through GraphQL, in order: what the download must equal. */
async function storedChunks(id: string) {
  const all: { seq: number; data: string }[] = [];
  for (;;) {
    const r = await f.s.gql(OUTPUT, { id, after: all.at(-1)?.seq ?? 0 }, f.admin);
    const page = r.data.commandRun.output as { seq: number; data: string }[];
    if (!page.length) return all;
    all.push(...page);
  }
}
const download = (id: string, auth: Auth = {}, headers: Record<string, string> = {}, q = '') =>
  fetch(`${f.s.url}/runs/${id}/output.txt${q}`, { headers: { ...authHeaders(auth), ...headers } });

describe('run output download', () => {
  it('sends the whole stored output as written, as an attachment; byte for byte what GraphQL stored', async () => {
    const id = await run('mixed', [{ name: 'n', value: '2000' }], f.admin);
    await finished(id);
    const chunks = await storedChunks(id);
    // usually ~850 rows, more than one page of the route's reads; on a very loaded machine the
    // pipe reads merge and there are fewer, so only "several" is asserted
    expect(chunks.length).toBeGreaterThan(10);
    const expected = chunks.map((c) => c.data).join('');

    const res = await download(id, f.admin);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="mixed-.+\.txt"/);
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    const body = await res.text();
    expect(body).toBe(expected);
    expect(Number(res.headers.get('content-length'))).toBe(Buffer.byteLength(expected));
    expect(body).toContain('\x1b[32mout 2000\x1b[0m é\n');
    expect(body).toContain('err 2000\n');
    const { data } = await f.s.gql(STATUS, { id }, f.admin);
    expect(Buffer.byteLength(body)).toBe(data.commandRun.outputBytes);

    // ?plain=1: the same text without colour codes
    const plain = await (await download(id, f.admin, {}, '?plain=1')).text();
    expect(plain).toBe(expected.replace(/\x1b\[[0-9;]*m/g, ''));
    expect(plain).not.toContain('\x1b');
    expect(plain.split('\n').filter((l) => l.startsWith('out ')).length).toBe(2000);
  });

  it('honours Range on a finished run: a middle slice, a suffix, and 416 past the end', async () => {
    const id = await run('mixed', [{ name: 'n', value: '600' }], f.admin);
    await finished(id);
    const whole = Buffer.from(await (await download(id, f.admin)).arrayBuffer());

    const mid = await download(id, f.admin, { range: 'bytes=1000-9999' });
    expect(mid.status).toBe(206);
    expect(mid.headers.get('content-range')).toBe(`bytes 1000-9999/${whole.length}`);
    expect(Buffer.from(await mid.arrayBuffer()).equals(whole.subarray(1000, 10000))).toBe(true);

    const tail = await download(id, f.admin, { range: 'bytes=-100' });
    expect(Buffer.from(await tail.arrayBuffer()).equals(whole.subarray(-100))).toBe(true);

    const past = await download(id, f.admin, { range: `bytes=${whole.length}-` });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe(`bytes */${whole.length}`);
  });

  it('a running run: what is stored so far, unsized', async () => {
    const id = await run('slow', [], f.admin);
    await waitUntil(
      async () => (await f.s.gql(STATUS, { id }, f.admin)).data.commandRun.outputBytes > 0,
      { timeoutMs: 10_000, what: 'the first line to be stored' },
    );
    const res = await download(id, f.admin, { range: 'bytes=0-3' });
    expect(res.status).toBe(200); // no Range while it still grows
    expect(res.headers.get('content-length')).toBeNull();
    expect(await res.text()).toBe('first line\n');
    await f.s.gql(`mutation($id: ID!) { cancelCommandRun(id: $id) { status } }`, { id }, f.admin);
  });

  it('refuses: signed out 401; another user’s run, an unknown id and a malformed one all 404 alike', async () => {
    const alice = await f.s.createUser('alice');
    const bob = await f.s.createUser('bob');
    const id = await run('mixed', [{ name: 'n', value: '3' }], alice);
    await finished(id);

    const out = await download(id);
    expect(out.status).toBe(401);
    expect((await out.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const bad = await download(id, { token: 'not-a-token' });
    expect(bad.status).toBe(401);

    const answers = await Promise.all(
      [id, '00000000-0000-0000-0000-000000000000', 'x'.repeat(300)].map(async (which) => {
        const r = await download(which, bob);
        return { status: r.status, body: await r.text() };
      }),
    );
    for (const a of answers) {
      expect(a.status).toBe(404);
      expect(JSON.parse(a.body).errors[0].extensions.code).toBe('NOT_FOUND');
      expect(a.body).toBe(answers[0]!.body);
    }
    // the owner and an admin may
    expect((await download(id, alice)).status).toBe(200);
    expect(await (await download(id, f.admin, {}, '?plain=1')).text()).toContain('out 3 é\n');
  });
});
