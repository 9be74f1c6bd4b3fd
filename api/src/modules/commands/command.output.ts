// A single-consumer queue of output chunks between a child's pipes and whoever stores or
// streams them: bounded (the producer is paused, not buffered without limit) and coalescing.
import { BoundedQueue } from '../../realtime/queue.js';
import { Stream } from '../../realtime/stream.js';
import { joined } from './command.coalesce.js';

export type OutputStreamName = 'stdout' | 'stderr';

export interface OutputChunk {
  stream: OutputStreamName;
  data: string;
}

export interface OutputQueueOptions {
  /** Pause the producer once this many bytes wait for the consumer. */
  highWaterBytes?: number;
  /** Resume it once the backlog is down to this. */
  lowWaterBytes?: number;
  /** Consecutive same-stream chunks waiting together are merged up to this size. */
  coalesceBytes?: number;
  /** Called with true to pause the producer, false to resume it. */
  onPressure(paused: boolean): void;
}

interface Pending extends OutputChunk {
  bytes: number;
}

const MiB = 1024 * 1024;
const bytesOf = (p: Pending): number => p.bytes;
// consumers get the chunk alone, as they did: the byte count is the queue's business
const chunkOf = (r: IteratorResult<Pending, undefined>): IteratorResult<OutputChunk, undefined> =>
  r.done ? r : { value: { stream: r.value.stream, data: r.value.data }, done: false };

/** The shared bounded queue with the `pause` policy: the producer waits, nothing is dropped. */
export class OutputQueue implements AsyncIterable<OutputChunk> {
  private readonly queue: BoundedQueue<Pending>;
  private iterated = false;

  constructor(opts: OutputQueueOptions) {
    const high = opts.highWaterBytes ?? MiB;
    const max = opts.coalesceBytes ?? 64 * 1024;
    this.queue = new BoundedQueue<Pending>({
      limit: high,
      weigh: bytesOf,
      overflow: { pause: opts.onPressure, resumeAt: opts.lowWaterBytes ?? high / 4 },
      merge: (last, next) => {
        const j = joined(last, next, max, bytesOf);
        if (j) j.bytes += last.bytes;
        return j;
      },
    });
  }

  /** `bytes` is the raw size the text came from; it is what the limits count. */
  push(stream: OutputStreamName, data: string, bytes: number): void {
    if (data !== '') this.queue.push({ stream, data, bytes });
  }

  /** No more chunks will come; the iterator finishes once the backlog is drained. */
  end(): void {
    this.queue.end();
  }

  /** Iterate once. Leaving the loop early discards further output and un-pauses the producer. */
  [Symbol.asyncIterator](): AsyncIterator<OutputChunk> {
    if (this.iterated) throw new Error('OutputQueue can be iterated only once');
    this.iterated = true;
    const q = this.queue;
    return new Stream(
      () => {
        const r = q.take();
        return r instanceof Promise ? r.then(chunkOf) : chunkOf(r);
      },
      () => q.close(),
    );
  }
}
