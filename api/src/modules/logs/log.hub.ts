// One follower per file however many subscribers; each subscriber gets history, then live events.
import { resolve } from 'node:path';
import { cursorIn, sameLogFile, type LogCursor } from './log.cursor.js';
import type { LogEvent } from './log.event.js';
import { Feed, type FeedOptions } from './log.feed.js';
import type { RefusalSink } from './log.file.js';
import type { LineFilter } from './log.filter.js';
import { indexOfFile, listHistory, type HistoryFile } from './log.history.js';
import type { ReadOptions } from './log.reader.js';
import { readBack, readForward } from './log.walk.js';
import { SubscriberQueue } from './log.queue.js';
import { Stream } from '../../realtime/stream.js';

export type SubscribeStart =
  'end' | { after: LogCursor } | { backfill: number } | { since: number; max: number }; // the latest `max` lines from time `since` (epoch ms)

export interface SubscribeOptions {
  /** 'end' (default): live only; { backfill: n }: the last n lines first; { after }: everything after it. */
  startAt?: SubscribeStart;
  filter?: LineFilter | null;
  /** Live events buffered for this subscriber; beyond it lines are counted and reported as DROPPED. */
  queueSize?: number;
  signal?: AbortSignal;
  /** Called once, when the history is all delivered: every event pulled after it is live. */
  onLive?: () => void;
}

/** Its return() leaves the hub (the follower closes with its last subscriber); `break` and disconnects call it. */
export type LogSubscription = Stream<LogEvent>;

export interface HubStats {
  followers: number;
  subscribers: number;
  /** Followers still closing (their fds are released once this is 0). */
  closing: number;
}

export interface LogHub {
  subscribe(path: string, options?: SubscribeOptions): LogSubscription;
  /** Where the hub reports a path that now leads elsewhere; readers outside the hub report there too. */
  readonly onRefused: RefusalSink;
  stats(): HubStats;
  /** Waits for followers that are closing; subscriptions still open keep theirs. */
  settled(): Promise<void>;
  /** Ends every open subscription (their streams complete) and waits until every follower has closed. */
  close(): Promise<void>;
}

interface Handover {
  history: AsyncIterable<LogEvent> | LogEvent[];
  floor: LogCursor | null; // live LINE events at or before this (same file) were already covered
}

const HANDOVER_TRIES = 25;
const HANDOVER_RETRY_MS = 20;

export function createLogHub(options: FeedOptions = {}): LogHub {
  const feeds = new Map<string, Feed>();
  const closing = new Set<Promise<void>>();
  const open = new Set<LogSubscription>();
  const onRefused: RefusalSink = options.onRefused ?? (() => undefined);

  const drop = (feed: Feed): void => {
    if (feeds.get(feed.path) === feed) feeds.delete(feed.path); // a failed feed: the next subscriber starts afresh
  };
  const acquire = (path: string): Feed => {
    let feed = feeds.get(path);
    if (!feed) {
      feed = new Feed(path, options, drop);
      feeds.set(path, feed);
    }
    feed.refs++;
    return feed;
  };
  const release = (feed: Feed): void => {
    if (--feed.refs > 0) return;
    drop(feed);
    const done = feed.stop().finally(() => closing.delete(done));
    closing.add(done);
  };

  function subscribe(path: string, o: SubscribeOptions): LogSubscription {
    const ac = new AbortController();
    const signal = ac.signal;
    const onAbort = (): void => ac.abort();
    o.signal?.addEventListener('abort', onAbort, { once: true });
    const queue = new SubscriberQueue(o.queueSize ?? 1000, o.filter ?? null, signal);
    let feed: Feed | null = null;
    let handover: Handover | null = null;
    let floor: LogCursor | null = null; // live LINE events at or before it were covered by history
    let held: LogEvent | null = null; // a live event waiting behind the ROTATED sent before it
    let live = false;
    let closed: Promise<void> | null = null;
    const done: IteratorResult<LogEvent, undefined> = { value: undefined, done: true };

    const close = (): Promise<void> =>
      (closed ??= (async () => {
        o.signal?.removeEventListener('abort', onAbort);
        open.delete(sub);
        if (!feed) return;
        feed.queues.delete(queue);
        release(feed);
      })());

    // setup and history: attach at the feed's position P, then the lines up to P
    async function* history(): AsyncGenerator<LogEvent, undefined> {
      feed = acquire(path);
      await feed.ready;
      handover = await attach(feed, queue, o, signal, onRefused);
      floor = handover.floor;
      for await (const event of handover.history) {
        if (signal.aborted) return undefined;
        yield event;
      }
      return undefined;
    }
    const past = history();

    // live events straight from the queue, no generator: a line costs one promise per subscriber
    const liveNext = ():
      IteratorResult<LogEvent, undefined> | Promise<IteratorResult<LogEvent, undefined>> => {
      if (held) {
        const event = held;
        held = null;
        return { value: event, done: false };
      }
      for (;;) {
        if (closed || signal.aborted) return done;
        const event = queue.poll(); // throws the feed's error, once what came before it is read
        if (!event) return queue.wait().then(liveNext);
        if (
          event.kind === 'LINE' &&
          floor &&
          sameLogFile(event.cursor, floor) &&
          event.cursor.offset <= floor.offset
        )
          continue;
        const elsewhere =
          event.kind === 'LINE' && floor !== null && !sameLogFile(event.cursor, floor);
        floor = event.cursor;
        if (!elsewhere) return { value: event, done: false };
        held = event; // resumed into a file that was gone: say so first
        return { value: { kind: 'ROTATED', cursor: cursorIn(event.cursor, 0) }, done: false };
      }
    };
    // the end, an error or the consumer's return() all leave the hub here
    const sub: LogSubscription = new Stream(
      () =>
        live
          ? liveNext()
          : past.next().then((r) => {
              if (!r.done) return r;
              live = true;
              o.onLive?.();
              return liveNext();
            }),
      async () => {
        ac.abort(); // ends a pending wait or handover, so the history generator can return now
        await past.return(undefined);
        await close();
      },
    );
    open.add(sub);
    return sub;
  }

  return {
    subscribe: (path, o = {}) => subscribe(resolve(path), o),
    onRefused,
    stats() {
      let subscribers = 0;
      for (const feed of feeds.values()) subscribers += feed.refs;
      return { followers: feeds.size, subscribers, closing: closing.size };
    },
    async settled() {
      while (closing.size > 0) await Promise.all([...closing]);
    },
    async close() {
      await Promise.all([...open].map((sub) => sub.return()));
      await this.settled();
    },
  };
}

/**
 * Registers `queue` at the feed's position P and returns the history that ends exactly at P, so
 * history + live has no gap and no duplicate. P may lie in the current file or in a rotated one the
 * follower still drains (found in the history by inode); if P's file cannot be found (a rotation
 * in flight) we retry briefly, then fall back to live only.
 */
async function attach(
  feed: Feed,
  queue: SubscriberQueue,
  o: SubscribeOptions,
  signal: AbortSignal,
  onRefused: RefusalSink,
): Promise<Handover> {
  const start = o.startAt ?? 'end';
  if (
    start !== 'end' &&
    'backfill' in start &&
    (!Number.isSafeInteger(start.backfill) || start.backfill < 0)
  ) {
    throw new RangeError('backfill must be a non-negative integer');
  }
  for (let attempt = 1; ; attempt++) {
    const at = feed.position;
    feed.queues.add(queue); // same tick as reading `at`: every later event reaches the queue
    if (start === 'end') return { history: [], floor: at };
    if (at === null) return { history: [], floor: 'after' in start ? start.after : null }; // file missing: all live
    const files = await listHistory(feed.path, onRefused);
    const f = files[indexOfFile(files, at)];
    if (f && (f.compressed || f.size >= at.offset))
      return history(feed.path, files, at, start, { filter: o.filter ?? null, onRefused, signal });
    if (attempt >= HANDOVER_TRIES || signal.aborted) return { history: [], floor: at };
    feed.queues.delete(queue);
    queue.clear();
    await new Promise((r) => setTimeout(r, HANDOVER_RETRY_MS));
  }
}

async function history(
  path: string,
  files: HistoryFile[],
  at: LogCursor,
  start: Exclude<SubscribeStart, 'end'>,
  read: ReadOptions,
): Promise<Handover> {
  if ('backfill' in start) {
    const lines = await readBack(path, start.backfill, { ...read, before: at, inclusive: true });
    return { history: lines, floor: at };
  }
  if ('since' in start) {
    const lines = await readBack(path, start.max, {
      ...read,
      before: at,
      inclusive: true,
      since: start.since,
    });
    return { history: lines, floor: at };
  }
  const after = start.after;
  const known = indexOfFile(files, after);
  // a cursor ahead of the feed (same file, or a newer one): live lines after it only
  const atIndex = indexOfFile(files, at);
  const ahead = sameLogFile(after, at)
    ? after.offset > at.offset && (files[atIndex].compressed || after.offset <= files[atIndex].size)
    : known >= 0 && known < atIndex;
  if (ahead) return { history: [], floor: after };
  return { history: readForward(path, after, { ...read, until: at }), floor: at };
}
