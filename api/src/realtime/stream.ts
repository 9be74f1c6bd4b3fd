type Result<T> = IteratorResult<T, undefined>;
const finished: Result<never> = { value: undefined, done: true };

/**
 * The one hand-written async iterator: results come from `pull` (synchronous when it has one, so
 * a stream costs one promise per item), and `cleanup` runs exactly once, whichever way the stream
 * ends: return(), throw(), `pull` failing (the error reaches the consumer after cleanup) or done.
 * A class: the transports call every stream's `next` from one place, and a new function there
 * per stream threw that place's optimized code away ("wrong call target").
 */
export class Stream<T> implements AsyncIterableIterator<T, undefined> {
  private closing: Promise<void> | null = null;

  constructor(
    private readonly pull: () => Result<T> | Promise<Result<T>>,
    private readonly cleanup: () => unknown,
  ) {}

  next(): Promise<Result<T>> {
    if (this.closing) return this.closing.then(() => finished);
    let r: Result<T> | Promise<Result<T>>;
    try {
      r = this.pull();
    } catch (err) {
      return this.fail(err);
    }
    if (r instanceof Promise) return r.then(this.settle, this.fail);
    return Promise.resolve(this.settle(r));
  }

  return(): Promise<Result<T>> {
    return this.close().then(() => finished);
  }

  throw(err: unknown): Promise<Result<T>> {
    return this.close().then(() => Promise.reject(err));
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private readonly settle = (r: Result<T>): Result<T> | Promise<Result<T>> =>
    r.done ? this.return() : r;

  private readonly fail = (err: unknown): Promise<never> =>
    this.close().then(() => Promise.reject(err));

  /** Runs cleanup now (a queue's listener is gone when return() is called, not a tick later). */
  private close(): Promise<void> {
    if (this.closing) return this.closing;
    try {
      this.closing = Promise.resolve(this.cleanup()).then(() => undefined);
    } catch (err) {
      this.closing = Promise.reject(err);
    }
    return this.closing;
  }
}
