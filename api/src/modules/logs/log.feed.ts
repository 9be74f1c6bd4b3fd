// One shared follower for one file, fanning its events out to subscriber queues.
import { cursorIn, type LogCursor } from './log.cursor.js';
import { lineStartBefore, openLog } from './log.file.js';
import { followInto, type FollowOptions, type LogFollowing } from './log.follower.js';
import { DEFAULT_MAX_LINE_BYTES } from './log.lines.js';
import type { SubscriberQueue } from './log.queue.js';

export type FeedOptions = Omit<FollowOptions, 'startAt' | 'signal'>;

export class Feed {
  readonly queues = new Set<SubscriberQueue>();
  refs = 0;
  /**
   * Cursor of the last event handed to the queues (or where following began); null when the file
   * was missing at start, so everything live comes from byte 0. Updated in the same synchronous step
   * as the fan-out: a queue added at position P receives exactly the events after P.
   */
  position: LogCursor | null = null;
  readonly ready: Promise<void>;
  private follower: LogFollowing | null = null;
  private pumping: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    readonly path: string,
    private readonly options: FeedOptions,
    private readonly onFailure: (feed: Feed) => void,
  ) {
    this.ready = this.start();
    this.ready.catch(() => this.onFailure(this));
  }

  private async start(): Promise<void> {
    const file = await openLog(this.path, this.options.onRefused);
    if (file) {
      try {
        const max = this.options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
        const start = await lineStartBefore(file.fh, file.size, Math.max(2 * max, 1 << 20));
        this.position = cursorIn(file, start ?? file.size);
      } finally {
        await file.fh.close();
      }
    }
    if (this.stopped) return;
    // push mode: a line reaches every queue in the tick it was read
    this.follower = followInto(
      this.path,
      { ...this.options, startAt: this.position ?? 'start' },
      (event) => {
        this.position = event.cursor;
        for (const queue of this.queues) queue.push(event);
      },
    );
    this.pumping = this.follower.done.catch((error: unknown) => {
      for (const queue of this.queues) queue.fail(error);
      this.onFailure(this);
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.ready.catch(() => undefined);
    await this.follower?.close();
    await this.pumping;
  }
}
