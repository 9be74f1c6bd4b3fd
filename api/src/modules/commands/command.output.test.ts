import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { OutputQueue } from './command.output.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const MiB = 1024 * 1024;

describe('OutputQueue', () => {
  it('lets go of every chunk once it is consumed, however long the run', async () => {
    const queue = new OutputQueue({ highWaterBytes: 4 * MiB, onPressure: () => {} });
    const chunks = queue[Symbol.asyncIterator]();
    gc();
    const before = process.memoryUsage().heapUsed;
    let consumed = 0;
    for (let i = 0; i < 200; i++) {
      // a distinct 256 KiB string per chunk, in V8's heap (Node makes larger ones external)
      queue.push('stdout', Buffer.alloc(MiB / 4, 97 + (i % 26)).toString('latin1') + i, MiB / 4);
      const next = await chunks.next();
      consumed += (next.value as { data: string }).data.length;
    }
    gc();
    const kept = process.memoryUsage().heapUsed - before;
    expect(consumed).toBeGreaterThan(50 * MiB);
    // 50 MiB went through; the queue (still open) holds none of it
    expect(kept).toBeLessThan(10 * MiB);
    queue.end();
    expect((await chunks.next()).done).toBe(true);
  });

  it('pauses the producer above the high-water mark and resumes it below the low one', async () => {
    const pressure: boolean[] = [];
    const queue = new OutputQueue({
      highWaterBytes: 100,
      lowWaterBytes: 20,
      coalesceBytes: 10,
      onPressure: (p) => pressure.push(p),
    });
    for (let i = 0; i < 11; i++) queue.push('stdout', 'x'.repeat(10), 10);
    expect(pressure).toEqual([true]);
    const chunks = queue[Symbol.asyncIterator]();
    for (let i = 0; i < 8; i++) await chunks.next();
    expect(pressure).toEqual([true]); // 30 bytes still waiting
    await chunks.next();
    expect(pressure).toEqual([true, false]);
  });
});
