// One subscriber's bounded queue: overflow becomes a counted DROPPED event, never a silent gap.
import type { LogCursor } from './log.cursor.js';
import type { FollowEvent, LogEvent } from './log.event.js';
import type { LineFilter } from './log.filter.js';

export class SubscriberQueue {
  private items: LogEvent[] = [];
  private head = 0;
  private dropped = 0;
  private gapCursor: LogCursor | null = null; // set while a gap is open (lines or markers dropped)
  private waiter: (() => void) | null = null;
  private watched: AbortSignal | null = null;
  private failure: { error: unknown } | null = null;

  constructor(
    private readonly capacity: number,
    private readonly filter: LineFilter | null,
  ) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError('queueSize must be a positive integer');
  }

  get size(): number {
    return this.items.length - this.head;
  }

  /** Called by the feed for every live event, synchronously; never blocks. */
  push(event: FollowEvent): void {
    if (event.kind === 'LINE' && this.filter && !this.filter(event.text)) return;
    if (this.gapCursor && this.size < this.capacity) this.closeGap();
    if (this.size >= this.capacity) {
      // a ROTATED/TRUNCATED inside a gap is folded into DROPPED: its cursor shows the new file
      if (event.kind === 'LINE') this.dropped++;
      this.gapCursor = event.cursor;
      return;
    }
    this.items.push(event);
    this.wake();
  }

  fail(error: unknown): void {
    this.failure = { error };
    this.wake();
  }

  /** Forget everything queued (used when a handover attempt is retried). */
  clear(): void {
    this.items = [];
    this.head = 0;
    this.dropped = 0;
    this.gapCursor = null;
  }

  /** The next queued event, or undefined when there is none yet. Throws the feed's error once drained. */
  poll(): LogEvent | undefined {
    if (this.size === 0 && this.gapCursor) this.closeGap();
    if (this.size > 0) {
      const event = this.items[this.head++];
      if (this.head > 1024 && this.head * 2 > this.items.length) {
        this.items = this.items.slice(this.head); // compact now and then, not per take
        this.head = 0;
      }
      return event;
    }
    if (this.failure) throw this.failure.error;
    return undefined;
  }

  /** Resolves when an event or a failure arrives, or `signal` aborts. */
  wait(signal: AbortSignal): Promise<void> {
    if (this.size > 0 || this.gapCursor || this.failure || signal.aborted) return Promise.resolve();
    if (this.watched !== signal) {
      // one listener per signal, not one per wait: EventTarget listeners are costly per line
      this.watched = signal;
      signal.addEventListener('abort', () => this.wake(), { once: true });
    }
    return new Promise<void>((resolve) => (this.waiter = resolve));
  }

  private closeGap(): void {
    this.items.push({ kind: 'DROPPED', count: this.dropped, cursor: this.gapCursor! });
    this.dropped = 0;
    this.gapCursor = null;
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.();
  }
}
