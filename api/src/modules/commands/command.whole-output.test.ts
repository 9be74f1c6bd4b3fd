// A run's whole output is kept (up to maxOutputBytes, 1 GiB by default, and the server's
// OUTPUT_QUOTA_BYTES), replayable from any seq and downloadable; output stored by an older
// version (database rows) is moved to files at start-up.
import { createHash, randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../test/harness.js';
import { waitUntil } from '../../test/wait.js';

// 30.9 MB of numbered lines: three times what older versions kept (10 MiB)
const LINES = 4_000_000;
const AGENT = `commands:
  - name: numbers
    title: Numbered lines
    argv: ["seq", "1", "${LINES}"]
  - name: two-mib
    title: 2 MiB
    argv: ["head", "-c", "2097152", "/dev/zero"]
logs: []
`;
const expected = execFileSync('seq', ['1', String(LINES)], { maxBuffer: 64 * 1024 * 1024 });
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const RUN = 'mutation($name: String!) { runCommand(name: $name) { id } }';
const STATUS = 'query($id: ID!) { commandRun(id: $id) { status outputBytes outputTruncated } }';

async function finished(s: TestServer, auth: { token: string }, name: string) {
  const id = (await s.gql(RUN, { name }, auth)).data.runCommand.id as string;
  await waitUntil(
    async () => (await s.gql(STATUS, { id }, auth)).data.commandRun.status !== 'RUNNING',
    {
      timeoutMs: 60_000,
      what: `${name} to finish`,
    },
  );
  return { id, run: (await s.gql(STATUS, { id }, auth)).data.commandRun };
}

describe('whole output', () => {
  let s: TestServer;
  let admin: { token: string };
  beforeAll(async () => {
    s = await startServer({}, { agentYaml: AGENT });
    admin = await s.login();
  });
  afterAll(() => s?.stop());

  it('keeps all of a 31 MB run by default; replays it from the middle by seq; downloads it whole and by range', async () => {
    const { id, run } = await finished(s, admin, 'numbers');
    expect(run).toEqual({
      status: 'SUCCEEDED',
      outputBytes: expected.length,
      outputTruncated: false,
    });

    const res = await fetch(`${s.url}/runs/${id}/output.txt`, {
      headers: { authorization: `Bearer ${admin.token}` },
    });
    expect(sha(Buffer.from(await res.arrayBuffer()))).toBe(sha(expected));
    const start = 20_000_000;
    const ranged = await fetch(`${s.url}/runs/${id}/output.txt`, {
      headers: {
        authorization: `Bearer ${admin.token}`,
        range: `bytes=${start}-${start + 99_999}`,
      },
    });
    expect(ranged.status).toBe(206);
    expect(
      Buffer.from(await ranged.arrayBuffer()).equals(expected.subarray(start, start + 100_000)),
    ).toBe(true);

    // the GraphQL pages: from a seq in the middle on, they continue the text exactly
    const page = async (afterSeq: number) =>
      (
        await s.gql(
          'query($id: ID!, $a: Int) { commandRun(id: $id) { output(afterSeq: $a, first: 500) { seq data } } }',
          { id, a: afterSeq },
          admin,
        )
      ).data.commandRun.output as { seq: number; data: string }[];
    const first = await page(0);
    const middle = first[Math.floor(first.length / 2)]!.seq;
    const before = first
      .filter((c) => c.seq <= middle)
      .map((c) => c.data)
      .join('');
    const after = await page(middle);
    expect(after[0]!.seq).toBe(middle + 1);
    const text = before + after.map((c) => c.data).join('');
    expect(expected.subarray(0, Buffer.byteLength(text)).toString()).toBe(text);
  });

  it('keeps the output in a file under DATA_DIR/output, private to the server', async () => {
    const { id } = await finished(s, admin, 'two-mib');
    const file = s.app.services.outputStore.pathOf(id);
    expect(file.startsWith(path.join(s.config.DATA_DIR, 'output') + path.sep)).toBe(true);
    expect(existsSync(file)).toBe(true);
    expect(execFileSync('stat', ['-c', '%a', file]).toString().trim()).toBe('600');
  });
});

describe('OUTPUT_QUOTA_BYTES', () => {
  it('past the quota for all runs, a run goes on but the rest of its output is not kept, and says so', async () => {
    const s = await startServer(
      { OUTPUT_QUOTA_BYTES: String(3 * 1024 * 1024) },
      { agentYaml: AGENT },
    );
    try {
      const admin = await s.login();
      const one = await finished(s, admin, 'two-mib');
      expect(one.run).toMatchObject({
        status: 'SUCCEEDED',
        outputBytes: 2097152,
        outputTruncated: false,
      });
      const two = await finished(s, admin, 'two-mib');
      expect(two.run.status).toBe('SUCCEEDED');
      expect(two.run.outputTruncated).toBe(true);
      expect(two.run.outputBytes).toBeLessThan(1024 * 1024 + 1024);
      const res = await fetch(`${s.url}/runs/${two.id}/output.txt`, {
        headers: { authorization: `Bearer ${admin.token}` },
      });
      expect(await res.text()).toMatch(
        /output quota \(OUTPUT_QUOTA_BYTES, 3 MiB for all runs\) is full/,
      );
    } finally {
      await s.stop();
    }
  });
});

describe('output stored by an older version', () => {
  it('is moved from database rows to a file at start-up, and reads the same', async () => {
    // a data folder of the test's own: a harness server removes its folder when it stops
    const dataDir = mkdtempSync(path.join(tmpdir(), 'tiny-agent-legacy-'));
    const first = await startServer({ DATA_DIR: dataDir }, { agentYaml: AGENT });
    const id = randomUUID();
    const admin = await first.login();
    const conn = first.app.services.orm.em.getConnection();
    const now = Date.now();
    await conn.execute(
      `insert into command_runs (id, command_name, argv, status, started_at, finished_at, started_by_id, output_bytes, output_truncated, last_seq)
       values (?, 'numbers', '["seq"]', 'SUCCEEDED', ?, ?, ?, 12, 0, 3)`,
      [id, now, now, admin.userId],
    );
    for (const [seq, stream, data] of [
      [1, 'STDOUT', 'one\n'],
      [2, 'STDERR', 'two\n'],
      [3, 'STDOUT', 'thr\n'],
    ] as const)
      await conn.execute(
        'insert into output_chunks (run_id, seq, stream, data, at) values (?, ?, ?, ?, ?)',
        [id, seq, stream, data, now],
      );
    await first.stop();

    const s = await startServer({ DATA_DIR: dataDir }, { agentYaml: AGENT });
    try {
      const again = await s.login();
      const out = await s.gql(
        'query($id: ID!) { commandRun(id: $id) { output { seq stream data } } }',
        { id },
        again,
      );
      expect(out.data.commandRun.output).toEqual([
        { seq: 1, stream: 'STDOUT', data: 'one\n' },
        { seq: 2, stream: 'STDERR', data: 'two\n' },
        { seq: 3, stream: 'STDOUT', data: 'thr\n' },
      ]);
      const rows = await s.app.services.orm.em
        .getConnection()
        .execute('select count(*) as n from output_chunks');
      expect(Number(rows[0].n)).toBe(0);
      expect(existsSync(s.app.services.outputStore.pathOf(id))).toBe(true);
    } finally {
      await s.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
