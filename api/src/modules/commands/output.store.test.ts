// The output file on its own: frames, the sparse index, reads from any seq or byte, and what a
// crash can leave (a cut frame, a corrupt one, an index ahead of its file, no index at all).
import {
  appendFile,
  mkdtemp,
  readFile,
  rm,
  stat,
  truncate,
  unlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveChunk } from './command.live-chunk.js';
import { encodeFrames, FRAME_HEADER } from './output.frame.js';
import { OutputStore } from './output.store.js';

let dir: string;
let store: OutputStore;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tiny-agent-output-'));
  store = new OutputStore(dir);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const at = new Date('2026-12-07T10:00:00.000Z').toISOString();
/** n chunks of varied sizes and both streams, with multi-byte characters cut nowhere */
function chunks(n: number, from = 1): LiveChunk[] {
  return Array.from({ length: n }, (_, i) => {
    const seq = from + i;
    const body = `${seq}:${'é€x'.repeat((seq * 37) % 3000)}\n`;
    return { seq, stream: seq % 5 === 0 ? 'STDERR' : 'STDOUT', data: body, at };
  });
}

async function written(runId: string, batches: LiveChunk[][]): Promise<LiveChunk[]> {
  const w = await store.create(runId);
  for (const b of batches) await w.append(encodeFrames(b));
  await w.close();
  return batches.flat();
}

/** every chunk after `afterSeq`, read a page at a time (the position kept, or not) */
async function readAll(runId: string, afterSeq: number, keep: boolean, maxChunks = 7) {
  const got: LiveChunk[] = [];
  let last = afterSeq;
  let pos;
  for (;;) {
    const r = await store.read(
      runId,
      last,
      { maxChunks, maxBytes: 64 * 1024 },
      keep ? pos : undefined,
    );
    if (!r.chunks.length) return got;
    got.push(...r.chunks);
    last = r.chunks[r.chunks.length - 1]!.seq;
    pos = r.next;
  }
}

const text = (cs: readonly LiveChunk[]) => Buffer.from(cs.map((c) => c.data).join(''));

async function bytesFrom(runId: string, start: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const p of store.bytes(runId, start)) parts.push(Buffer.from(p.data));
  return Buffer.concat(parts);
}

describe('output file', () => {
  const id = 'aa000000-0000-4000-8000-000000000001';
  let all: LiveChunk[];

  beforeAll(async () => {
    // about 9 MiB in batches of 40: the index gets an entry every 256 KiB or so
    const batches = Array.from({ length: 10 }, (_, b) => chunks(40, b * 40 + 1));
    all = await written(id, batches);
    expect((await stat(store.indexPathOf(id))).size).toBeGreaterThan(24 * 10);
  });

  it('reads every chunk after any seq, as written, with or without the kept position', async () => {
    for (const after of [0, 1, 39, 40, 41, 200, 399, 400]) {
      const expected = all.filter((c) => c.seq > after);
      expect(await readAll(id, after, true)).toEqual(expected);
      expect(await readAll(id, after, false, 3)).toEqual(expected);
    }
  });

  it('gives the bytes from any offset of the output, across frames', async () => {
    const whole = text(all);
    expect((await store.extent(id))!.bytes).toBe(whole.length);
    for (const start of [0, 1, 5000, 262_143, 262_144, whole.length - 1, whole.length])
      expect((await bytesFrom(id, start)).equals(whole.subarray(start))).toBe(true);
  });

  it('without its index, reads the same (from the start)', async () => {
    const copy = 'aa000000-0000-4000-8000-000000000002';
    await written(copy, [all]);
    await unlink(store.indexPathOf(copy));
    expect(await readAll(copy, 123, true)).toEqual(all.filter((c) => c.seq > 123));
    expect((await bytesFrom(copy, 777)).equals(text(all).subarray(777))).toBe(true);
  });

  it('a run with no file has no output', async () => {
    const none = 'ab000000-0000-4000-8000-000000000000';
    expect((await store.read(none, 0, { maxChunks: 10, maxBytes: 1e6 })).chunks).toEqual([]);
    expect(await store.extent(none)).toBeNull();
    expect(await store.remove(none)).toBe(0);
  });
});

describe('what a crash leaves', () => {
  it('a cut last frame is not output: reads stop before it, extent(cut) cuts it off', async () => {
    const id = 'ac000000-0000-4000-8000-000000000001';
    const kept = await written(id, [chunks(30), chunks(30, 31)]);
    const file = store.pathOf(id);
    const size = (await stat(file)).size;
    const torn = encodeFrames(chunks(1, 61)).subarray(0, FRAME_HEADER + 10);
    await appendFile(file, torn);

    expect(await readAll(id, 0, true)).toEqual(kept);
    expect(await readAll(id, 60, false)).toEqual([]);
    expect(await store.extent(id)).toEqual({ lastSeq: 60, bytes: text(kept).length, end: size });
    expect((await stat(file)).size).toBe(size + torn.length); // only looked at

    await store.extent(id, true);
    expect((await stat(file)).size).toBe(size);
    expect(await readAll(id, 0, true)).toEqual(kept);
  });

  it('a frame whose bytes are not what was written (CRC) ends the output there', async () => {
    const id = 'ad000000-0000-4000-8000-000000000001';
    const all = await written(id, [chunks(20)]);
    const file = store.pathOf(id);
    const buf = await readFile(file);
    const tenth = encodeFrames(all.slice(0, 9)).length; // where frame 10 starts
    buf[tenth + FRAME_HEADER + 3] ^= 0xff;
    await writeFile(file, buf);
    expect(await readAll(id, 0, true)).toEqual(all.slice(0, 9));
    expect((await store.extent(id))!.lastSeq).toBe(9);
  });

  it('an index ahead of its file (the file cut by a crash) is not followed past the cut', async () => {
    const id = 'ae000000-0000-4000-8000-000000000001';
    const all = await written(id, [chunks(200), chunks(200, 201)]);
    const half = encodeFrames(all.slice(0, 150)).length;
    await truncate(store.pathOf(id), half + 5); // index entries beyond this stay
    expect(await readAll(id, 100, false)).toEqual(all.slice(100, 150));
    expect(await readAll(id, 300, false)).toEqual([]);
    expect(await store.extent(id, true)).toEqual({
      lastSeq: 150,
      bytes: text(all.slice(0, 150)).length,
      end: half,
    });
    // and writing can go on from a clean end: a later frame is read after the cut one
    expect((await bytesFrom(id, 0)).equals(text(all.slice(0, 150)))).toBe(true);
  });
});
