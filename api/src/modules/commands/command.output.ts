// A single-consumer queue of output chunks between a child's pipes and whoever stores or
// streams them: bounded (the producer is paused, not buffered without limit) and coalescing.

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

export class OutputQueue implements AsyncIterable<OutputChunk> {
  // consumed slots are cleared at once: a slot still holding its chunk until the next compaction
  // kept up to 1,024 chunks (64 MiB of output) alive per run
  private items: (Pending | undefined)[] = [];
  private head = 0;
  private bytes = 0;
  private paused = false;
  private ended = false;
  private discarding = false;
  private iterated = false;
  private wake: (() => void) | undefined;
  private readonly high: number;
  private readonly low: number;
  private readonly coalesce: number;

  constructor(private readonly opts: OutputQueueOptions) {
    this.high = opts.highWaterBytes ?? MiB;
    this.low = opts.lowWaterBytes ?? this.high / 4;
    this.coalesce = opts.coalesceBytes ?? 64 * 1024;
  }

  /** `bytes` is the raw size the text came from; it is what the limits count. */
  push(stream: OutputStreamName, data: string, bytes: number): void {
    if (this.ended || this.discarding || data === '') return;
    const last = this.items.length > this.head ? this.items[this.items.length - 1] : undefined;
    if (last && last.stream === stream && last.bytes + bytes <= this.coalesce) {
      last.data += data;
      last.bytes += bytes;
    } else {
      this.items.push({ stream, data, bytes });
    }
    this.bytes += bytes;
    if (!this.paused && this.bytes > this.high) this.setPaused(true);
    this.notify();
  }

  /** No more chunks will come; the iterator finishes once the backlog is drained. */
  end(): void {
    this.ended = true;
    this.notify();
  }

  /** Iterate once. Leaving the loop early discards further output and un-pauses the producer. */
  async *[Symbol.asyncIterator](): AsyncIterator<OutputChunk> {
    if (this.iterated) throw new Error('OutputQueue can be iterated only once');
    this.iterated = true;
    try {
      for (;;) {
        const item = this.take();
        if (item) yield { stream: item.stream, data: item.data };
        else if (this.ended) return;
        else await new Promise<void>((resolve) => (this.wake = resolve));
      }
    } finally {
      this.discarding = true;
      this.items = [];
      this.head = 0;
      this.bytes = 0;
      if (this.paused) this.setPaused(false);
    }
  }

  private take(): Pending | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head]!;
    this.items[this.head++] = undefined;
    // Compact now and then instead of shift(): shift is O(n) per call on a long backlog.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    this.bytes -= item.bytes;
    if (this.paused && this.bytes <= this.low) this.setPaused(false);
    return item;
  }

  private setPaused(paused: boolean) {
    this.paused = paused;
    this.opts.onPressure(paused);
  }

  private notify() {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
