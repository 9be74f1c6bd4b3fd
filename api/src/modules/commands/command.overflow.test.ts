// A subscriber that stops reading while a run floods is not cut: past its high-water mark its live
// backlog is dropped and the rest is read from the store, so it gets every byte, in order.
import { describe, expect, it } from 'vitest';
import { rawCommandOutput, serverForFile } from '../../test/harness.js';
import { waitUntil } from '../../test/wait.js';

const CHUNKS = 1280; // 80 MiB of output, well past the 32 MiB a subscriber may fall behind
const TOTAL = CHUNKS * 65536;
const producer = `const b=Buffer.alloc(65536,120);let n=0;(function w(){while(n<${CHUNKS}){n++;if(!process.stdout.write(b))return process.stdout.once('drain',w)}})()`;
const AGENT = `commands:
  - name: flood
    title: 80 MiB of output
    argv: ["node", "-e", "${producer}"]
    maxOutputBytes: 100000000
  - name: capped
    title: 80 MiB of output, 64 KiB of it kept
    argv: ["node", "-e", "${producer}"]
    maxOutputBytes: 65536
logs: []
`;
const server = serverForFile(AGENT);

describe('a subscriber that stops reading', () => {
  it('is not cut 32 MiB behind: once it reads again it gets every byte from the store, in order', async () => {
    const { s, admin } = server;
    const id = (await s.gql('mutation { runCommand(name: "flood") { id } }', {}, admin)).data
      .runCommand.id as string;
    const stalled = await rawCommandOutput(s, admin.token, { id, after: 0 });
    await waitUntil(() => stalled.got.seqs.length > 0, {
      timeoutMs: 10_000,
      what: 'the first chunk',
    });
    const tcp = stalled.tcp;
    tcp.pause();
    // the run is held back for a while, then goes on: it must finish although this reader stalls
    await waitUntil(
      async () =>
        (await s.gql('query($id: ID!) { commandRun(id: $id) { status } }', { id }, admin)).data
          .commandRun.status !== 'RUNNING',
      { timeoutMs: 60_000, what: 'the run to finish' },
    );
    tcp.resume();
    await waitUntil(() => stalled.got.end !== null, {
      timeoutMs: 60_000,
      what: 'the stream to end',
    });
    expect(stalled.got.end!.type).toBe('complete');
    // rising, never repeated; not always consecutive: chunks that queued up together are sent as
    // one, carrying the last seq. Nothing missing is what the byte count shows
    expect(stalled.got.seqs.every((seq, i) => i === 0 || seq > stalled.got.seqs[i - 1]!)).toBe(
      true,
    );
    expect(stalled.got.bytes).toBe(TOTAL);
    stalled.ws.close();
  }, 120_000);

  it('past the stored cap, what it fell behind on is replaced by a visible notice, and it completes', async () => {
    const { s, admin } = server;
    const id = (await s.gql('mutation { runCommand(name: "capped") { id } }', {}, admin)).data
      .runCommand.id as string;
    const stalled = await rawCommandOutput(s, admin.token, { id, after: 0 });
    await waitUntil(() => stalled.got.seqs.length > 0, { timeoutMs: 10_000, what: 'a chunk' });
    stalled.tcp.pause();
    await waitUntil(
      async () =>
        (await s.gql('query($id: ID!) { commandRun(id: $id) { status } }', { id }, admin)).data
          .commandRun.status !== 'RUNNING',
      { timeoutMs: 60_000, what: 'the run to finish' },
    );
    stalled.tcp.resume();
    await waitUntil(() => stalled.got.end !== null, { timeoutMs: 60_000, what: 'the end' });
    expect(stalled.got.end!.type).toBe('complete');
    // the stored notice of the cap, then ours for the live-only output it missed
    expect(stalled.got.notices.some((n) => n.includes('is not kept'))).toBe(true);
    expect(stalled.got.notices.some((n) => n.includes('were skipped'))).toBe(true);
    expect(stalled.got.bytes).toBeLessThan(TOTAL);
    expect(stalled.got.seqs.every((seq, i) => i === 0 || seq > stalled.got.seqs[i - 1]!)).toBe(
      true,
    );
    stalled.ws.close();
  }, 120_000);
});
