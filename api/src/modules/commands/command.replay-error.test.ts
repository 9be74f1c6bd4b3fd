// A stream that fails unexpectedly half-way (the run's output file turns into a folder while a
// replay is paused between its pages) ends with a masked INTERNAL_SERVER_ERROR: the client sees
// neither paths nor system errors, the server's log has the detail, and the server goes on serving.
import { mkdir, rename, rmdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { CommandRun } from './command-run.entity.js';
import { rawCommandOutput, serverForFile } from '../../test/harness.js';
import { waitUntil } from '../../test/wait.js';

// 600 writes of 40 KiB, 1 ms apart: 24 MB, so the replay reads many pages (1 MiB each), more than
// the sockets between us can hold while the reader is paused
const WRITES = 600;
const producer = `const b=Buffer.alloc(40960,120);let n=0;const t=setInterval(()=>{process.stdout.write(b);if(++n===${WRITES})clearInterval(t)},1)`;
const AGENT = `commands:
  - name: pages
    title: 24 MB in 600 writes
    argv: ["node", "-e", "${producer}"]
    maxOutputBytes: 50000000
logs: []
`;
const OUTPUT = 'subscription($id: ID!) { commandOutput(runId: $id) { seq data } }';
const server = serverForFile(AGENT);

describe('a stream that fails half-way for a reason nobody planned', () => {
  it('ends with a masked INTERNAL_SERVER_ERROR after the chunks already sent; the log keeps the detail', async () => {
    const { s, admin } = server;
    const id = (await s.gql('mutation { runCommand(name: "pages") { id } }', {}, admin)).data
      .runCommand.id as string;
    const status = async () =>
      (await s.gql('query($id: ID!) { commandRun(id: $id) { status outputBytes } }', { id }, admin))
        .data.commandRun;
    await waitUntil(async () => (await status()).status !== 'RUNNING', {
      timeoutMs: 30_000,
      what: 'the run to finish',
    });
    expect(await status()).toEqual({ status: 'SUCCEEDED', outputBytes: WRITES * 40960 });

    // a finished run: its output comes from its file, a page at a time
    const { ws, got, tcp } = await rawCommandOutput(s, admin.token, { id });
    await waitUntil(() => got.seqs.length > 0, { timeoutMs: 10_000, what: 'the first chunk' });
    tcp.pause(); // the server stops inside the first page, waiting for us to read
    await new Promise((r) => setTimeout(r, 300));

    const file = s.app.services.outputStore.pathOf(id);
    await rename(file, `${file}.lost`);
    await mkdir(file); // opens, but every read fails (EISDIR)
    try {
      tcp.resume();
      await waitUntil(() => got.end !== null, { timeoutMs: 30_000, what: 'the stream to end' });
      expect(got.end!.type).toBe('error');
      expect(got.end!.payload).toHaveLength(1);
      const [error] = got.end!.payload;
      expect(error.extensions.code).toBe('INTERNAL_SERVER_ERROR');
      expect(error.message).toBe('Unexpected error.');
      expect(JSON.stringify(got.end)).not.toMatch(/EISDIR|\.out|output\/|directory/i);
      // what was sent before the failure came in order, and the output was not all sent
      expect(got.seqs.length).toBeGreaterThan(1);
      expect(got.seqs.every((seq, i) => i === 0 || seq > got.seqs[i - 1]!)).toBe(true);
      const { lastSeq } = await s.app.services.orm.em.fork().findOneOrFail(CommandRun, { id });
      expect(got.seqs.at(-1)!).toBeLessThan(lastSeq);
      // the operator's log has what the client was not told
      await waitUntil(() => /EISDIR/.test(s.logText()), {
        timeoutMs: 5_000,
        what: 'the error in the log',
      });
    } finally {
      await rmdir(file);
      await rename(`${file}.lost`, file);
      ws.close();
    }
    // and the server is fine: the same replay works again, to the last byte
    const again = s.subscribeWs(OUTPUT, { id }, admin);
    expect((await again.waitEnd(30_000)).error).toBeUndefined();
    expect(again.events.reduce((n, e) => n + e.data.commandOutput.data.length, 0)).toBe(
      WRITES * 40960,
    );
  }, 90_000);
});
