// One subscriber's bounded queue: overflow becomes a counted DROPPED event, never a silent gap.
import { BoundedQueue } from '../../realtime/queue.js';
import type { LogCursor } from './log.cursor.js';
import type { FollowEvent, LogEvent } from './log.event.js';
import type { LineFilter } from './log.filter.js';

/** The shared bounded queue with the `refuse` policy; what it refuses is counted into the gap. */
export class SubscriberQueue {
  private readonly queue: BoundedQueue<LogEvent>;
  private dropped = 0;
  private gapCursor: LogCursor | null = null; // set while a gap is open (lines or markers dropped)

  constructor(
    private readonly capacity: number,
    private readonly filter: LineFilter | null,
    signal?: AbortSignal,
  ) {
    if (!Number.isSafeInteger(capacity) || capacity < 1)
      throw new RangeError('queueSize must be a positive integer');
    this.queue = new BoundedQueue<LogEvent>({ limit: capacity, overflow: 'refuse', signal });
  }

  get size(): number {
    return this.queue.size;
  }

  /** Called by the feed for every live event, synchronously; never blocks. */
  push(event: FollowEvent): void {
    if (event.kind === 'LINE' && this.filter && !this.filter(event.text)) return;
    if (this.gapCursor && this.queue.size < this.capacity) this.closeGap();
    if (this.queue.push(event)) return;
    // a ROTATED/TRUNCATED inside a gap is folded into DROPPED: its cursor shows the new file
    if (event.kind === 'LINE') this.dropped++;
    this.gapCursor = event.cursor;
  }

  fail(error: unknown): void {
    this.queue.fail(error);
  }

  /** Forget everything queued (used when a handover attempt is retried). */
  clear(): void {
    this.queue.clear();
    this.dropped = 0;
    this.gapCursor = null;
  }

  /** The next queued event, or undefined when there is none yet. Throws the feed's error once drained. */
  poll(): LogEvent | undefined {
    if (this.gapCursor && this.queue.size === 0) this.closeGap();
    return this.queue.poll();
  }

  /** Resolves when an event, a gap or a failure arrives, or the subscription's signal aborts. */
  wait(): Promise<void> {
    return this.gapCursor ? Promise.resolve() : this.queue.wait();
  }

  private closeGap(): void {
    this.queue.push({ kind: 'DROPPED', count: this.dropped, cursor: this.gapCursor! });
    this.dropped = 0;
    this.gapCursor = null;
  }
}
