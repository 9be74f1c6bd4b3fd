/**
 * A subscriber's own bounded queue, consumed as an async iterator. Producers never block and
 * never share a buffer: past `limit` the queue is failed with `QueueOverflowError` (the consumer
 * sees it after the items already queued), so one slow reader can't grow memory or stall others.
 */
export class QueueOverflowError extends Error {
  constructor(readonly limit: number) {
    super(
      `Subscriber fell more than ${limit} events behind and was closed; resume from the last event received.`,
    );
    this.name = 'QueueOverflowError';
  }
}

export class BoundedQueue<T> implements AsyncIterableIterator<T> {
  private items: T[] = [];
  private head = 0;
  private waiter: ((r: IteratorResult<T>) => void) | null = null;
  private failWaiter: ((e: unknown) => void) | null = null;
  private ended = false;
  private error: unknown = null;
  private readonly cleanups: (() => void)[] = [];

  constructor(
    private readonly limit: number,
    private readonly weigh: (item: T) => number = () => 1,
    signal?: AbortSignal,
  ) {
    // the operation ended (client gone, identity revoked): wake a parked consumer so it unwinds
    if (signal?.aborted) void this.return();
    else signal?.addEventListener('abort', () => void this.return(), { once: true });
  }
  private weight = 0;

  /** the queued weight (bytes, for output queues) */
  get weightNow(): number {
    return this.weight;
  }

  get size(): number {
    return this.items.length - this.head;
  }

  /** Returns false when the queue is closed or just overflowed. */
  push(item: T): boolean {
    if (this.ended || this.error) return false;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = this.failWaiter = null;
      w({ value: item, done: false });
      return true;
    }
    const w = this.weigh(item);
    if (this.weight + w > this.limit) {
      this.fail(new QueueOverflowError(this.limit));
      return false;
    }
    this.weight += w;
    this.items.push(item);
    return true;
  }

  /** Ends the stream after what is queued. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.waiter && this.size === 0) {
      const w = this.waiter;
      this.waiter = this.failWaiter = null;
      w({ value: undefined, done: true });
      this.cleanup();
    }
  }

  fail(error: unknown): void {
    if (this.ended || this.error) return;
    this.error = error;
    if (this.failWaiter && this.size === 0) {
      const f = this.failWaiter;
      this.waiter = this.failWaiter = null;
      f(error);
    }
    this.cleanup();
  }

  /** Everything queued right now, without waiting (for coalescing). */
  drain(): T[] {
    const out = this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    this.weight = 0;
    return out;
  }

  onCleanup(fn: () => void): void {
    this.cleanups.push(fn);
  }

  next(): Promise<IteratorResult<T>> {
    if (this.size > 0) {
      const value = this.items[this.head]!;
      this.items[this.head++] = undefined as T;
      this.weight -= this.weigh(value);
      if (this.head > 1024 && this.head * 2 > this.items.length) {
        this.items = this.items.slice(this.head);
        this.head = 0;
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.error) return Promise.reject(this.error);
    if (this.ended) {
      this.cleanup();
      return Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve, reject) => {
      this.waiter = resolve;
      this.failWaiter = reject;
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.ended = true;
    this.items = [];
    this.head = 0;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = this.failWaiter = null;
      w({ value: undefined, done: true });
    }
    this.cleanup();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private cleanup(): void {
    for (const fn of this.cleanups.splice(0)) fn();
  }
}
