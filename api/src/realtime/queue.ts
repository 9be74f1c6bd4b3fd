import { Stream } from './stream.js';

/**
 * The one bounded queue between a producer that never blocks and one consumer. What happens
 * past `limit` is the user's policy (`overflow`); the buffer, its compaction, waking the consumer
 * and ending or failing the stream are the same for all.
 */
export class QueueOverflowError extends Error {
  constructor(
    readonly limit: number,
    unit: 'events' | 'bytes' = 'events',
  ) {
    const behind =
      unit === 'bytes' ? `${+(limit / 1024 / 1024).toFixed(1)} MiB` : `${limit} events`;
    super(
      `Subscriber fell more than ${behind} behind and was closed; resume from the last event received.`,
    );
    this.name = 'QueueOverflowError';
  }
}

/**
 * - `close`: the queue fails with QueueOverflowError (the consumer sees it after what is queued),
 *   so one slow reader can't grow memory or stall others;
 * - `refuse`: push returns false and the item is not kept (the caller reports the gap);
 * - `pause`: every item is kept, and the producer is asked to pause above `limit` and to resume
 *   once the backlog is down to `resumeAt`.
 */
export type Overflow = 'close' | 'refuse' | { pause: (paused: boolean) => void; resumeAt: number };

export interface QueueOptions<T> {
  /** Most weight queued (items, or bytes with `weigh`). */
  limit: number;
  weigh?: (item: T) => number;
  /** Default `close`. */
  overflow?: Overflow;
  /** The last queued item and the new one as one item (weighing what both did), or undefined. */
  merge?: (last: T, next: T) => T | undefined;
  /** The operation ended (client gone, identity revoked): the queue closes and wakes its consumer. */
  signal?: AbortSignal;
}

type Result<T> = IteratorResult<T, undefined>;
const finished: Result<never> = { value: undefined, done: true };
const one = (): number => 1;

export class BoundedQueue<T> {
  // consumed slots are cleared at once: a slot holding its item until the next compaction kept
  // up to 1,024 items (64 MiB of command output) alive
  private items: (T | undefined)[] = [];
  private head = 0;
  private weight = 0;
  private paused = false;
  private ended = false;
  private failure: { error: unknown } | null = null;
  private taker: { resolve: (r: Result<T>) => void; reject: (e: unknown) => void } | null = null;
  private waker: (() => void) | null = null;
  private readonly cleanups: (() => void)[] = [];
  private readonly limit: number;
  private readonly weigh: (item: T) => number;
  private readonly overflow: Overflow;
  private readonly merge: ((last: T, next: T) => T | undefined) | undefined;

  constructor(opts: QueueOptions<T>) {
    if (!(opts.limit > 0)) throw new RangeError('a queue limit must be positive');
    this.limit = opts.limit;
    this.weigh = opts.weigh ?? one;
    this.overflow = opts.overflow ?? 'close';
    this.merge = opts.merge;
    const signal = opts.signal;
    if (signal?.aborted) this.close();
    else signal?.addEventListener('abort', () => this.close(), { once: true });
  }

  /** Items queued right now. */
  get size(): number {
    return this.items.length - this.head;
  }

  /** The queued weight (bytes, for output queues). */
  get weightNow(): number {
    return this.weight;
  }

  /** Queues `item`; false when the queue is closed, failed, or (overflow `refuse`/`close`) full. */
  push(item: T): boolean {
    if (this.ended || this.failure) return false;
    if (this.taker) {
      // the consumer is parked, so nothing is queued: hand the item over directly
      const t = this.taker;
      this.taker = null;
      t.resolve({ value: item, done: false });
      return true;
    }
    const w = this.weigh(item);
    if (this.weight + w > this.limit && typeof this.overflow === 'string') {
      // a weighed queue counts bytes (every one here weighs output by its size)
      if (this.overflow === 'close')
        this.fail(new QueueOverflowError(this.limit, this.weigh === one ? 'events' : 'bytes'));
      return false;
    }
    const last = this.merge && this.size > 0 ? this.items[this.items.length - 1] : undefined;
    const merged = last === undefined ? undefined : this.merge!(last, item);
    if (merged === undefined) this.items.push(item);
    else this.items[this.items.length - 1] = merged; // weigh(merged) is both weights: see merge
    this.weight += w;
    if (!this.paused && this.weight > this.limit && typeof this.overflow === 'object') {
      this.setPaused(true);
    }
    this.wake();
    return true;
  }

  /** No more items will come: the consumer gets what is queued, then the end. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.size > 0) return;
    this.settle(finished);
    this.wake();
    this.cleanup();
  }

  /** The consumer gets what is queued, then `error`. */
  fail(error: unknown): void {
    if (this.ended || this.failure) return;
    this.failure = { error };
    if (this.taker && this.size === 0) {
      const t = this.taker;
      this.taker = null;
      t.reject(error);
    }
    this.wake();
    this.cleanup();
  }

  /** Ends at once: what is queued is dropped, a parked consumer gets the end, the producer resumes. */
  close(): void {
    this.ended = true;
    this.clear();
    this.settle(finished);
    this.wake();
    this.cleanup();
  }

  /** Forgets everything queued. */
  clear(): void {
    this.items = [];
    this.head = 0;
    this.weight = 0;
    if (this.paused) this.setPaused(false);
  }

  /** The next item, or undefined when there is none yet (or after the end). Throws the failure once drained. */
  poll(): T | undefined {
    if (this.size === 0) {
      if (this.failure) throw this.failure.error;
      return undefined;
    }
    const item = this.items[this.head]!;
    this.items[this.head++] = undefined;
    // compact now and then instead of shift(): shift is O(n) per call on a long backlog
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    this.weight -= this.weigh(item);
    if (this.paused && typeof this.overflow === 'object' && this.weight <= this.overflow.resumeAt) {
      this.setPaused(false);
    }
    return item;
  }

  /** Resolves once there is an item, an end or a failure to see (at once if there is). */
  wait(): Promise<void> {
    if (this.size > 0 || this.ended || this.failure) return Promise.resolve();
    return new Promise<void>((resolve) => (this.waker = resolve));
  }

  /** The next result: synchronous when one is queued, else a promise that waits for it. */
  take(): Result<T> | Promise<Result<T>> {
    const item = this.poll();
    if (item !== undefined) return { value: item, done: false };
    if (this.ended) {
      this.cleanup();
      return finished;
    }
    return new Promise((resolve, reject) => (this.taker = { resolve, reject }));
  }

  /** Everything queued right now, without waiting (for coalescing). */
  drain(): T[] {
    const out = this.items.slice(this.head) as T[];
    this.clear();
    return out;
  }

  /** Runs once the queue is done with: ended and drained, failed, or closed. */
  onCleanup(fn: () => void): void {
    this.cleanups.push(fn);
  }

  /** The queue as an async iterator; leaving it (return/throw) closes the queue. */
  stream(): Stream<T> {
    return new Stream(
      () => this.take(),
      () => this.close(),
    );
  }

  private settle(r: Result<T>): void {
    const t = this.taker;
    this.taker = null;
    t?.resolve(r);
  }

  private wake(): void {
    const w = this.waker;
    this.waker = null;
    w?.();
  }

  private setPaused(paused: boolean): void {
    this.paused = paused;
    (this.overflow as { pause: (paused: boolean) => void }).pause(paused);
  }

  private cleanup(): void {
    for (const fn of this.cleanups.splice(0)) fn();
  }
}
