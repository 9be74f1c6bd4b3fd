import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import type { Transport } from './pubsub.js';

export interface RedisTransportOptions {
  /** every channel is namespaced, so several deployments can share one Redis */
  prefix?: string;
  log?: Pick<Logger, 'info' | 'warn'>;
}

type Handler = (message: string) => void;

const globEscape = (s: string) => s.replace(/[*?[\]\\]/g, '\\$&');

/**
 * Events between instances through Redis pub/sub: one publisher connection, one subscriber
 * connection with a single pattern subscription on the prefix.
 *
 * - Listeners on this instance get its own events synchronously, exactly as in-process (and
 *   still when Redis is down); the copy that comes back from Redis is recognised and dropped.
 * - The pattern subscription is made once at start, so a new listener never waits for a
 *   SUBSCRIBE round trip: an event published right after `subscribe()` returns is not missed.
 *   The price: every instance receives every event, and drops those nobody here listens to.
 * - Redis pub/sub is at-most-once: events published while an instance is disconnected from
 *   Redis do not reach it (stored data — run output, sessions — is read from the database).
 */
export class RedisTransport implements Transport {
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly handlers = new Map<string, Set<Handler>>();
  private readonly origin = randomBytes(8).toString('hex');
  private readonly prefix: string;
  private readonly log: RedisTransportOptions['log'];
  private closed = false;
  private readonly pattern: string;
  /** each connection's state; events flow only while both are up and the pattern is active */
  private readonly up = { publisher: false, subscriber: false };
  private flowing = false;
  private readonly healthListeners = new Set<(healthy: boolean) => void>();
  /** resolves once the pattern subscription is active (tests and start-up checks) */
  readonly subscribed: Promise<void>;

  constructor(url: string, opts: RedisTransportOptions = {}) {
    this.prefix = opts.prefix ?? 'tiny-agent:';
    this.log = opts.log;
    this.pub = new Redis(url, { connectionName: 'tiny-agent-pub' });
    this.sub = new Redis(url, { connectionName: 'tiny-agent-sub' });
    this.watch(this.pub, 'publisher');
    this.watch(this.sub, 'subscriber');
    this.sub.on('pmessage', (_pattern: string, channel: string, message: string) =>
      this.receive(channel, message),
    );
    this.pattern = `${globEscape(this.prefix)}*`;
    // ioredis re-issues PSUBSCRIBE after every reconnect (autoResubscribe)
    this.subscribed = this.sub.psubscribe(this.pattern).then(
      () => {
        this.up.subscriber = true;
        this.up.publisher = this.pub.status === 'ready';
        this.judge();
      },
      (err: Error) => {
        if (!this.closed)
          this.log?.warn('redis: pattern subscription failed; retried on reconnect', {
            reason: err.message,
          });
      },
    );
  }

  publish(channel: string, message: string): void {
    this.dispatch(channel, message);
    this.pub.publish(this.prefix + channel, `${this.origin}|${message}`).catch((err: Error) => {
      if (!this.closed)
        this.log?.warn('redis: publish failed; other instances miss this event', {
          channel,
          reason: err.message,
        });
    });
  }

  subscribe(channel: string, onMessage: Handler): () => void {
    let set = this.handlers.get(channel);
    if (!set) this.handlers.set(channel, (set = new Set()));
    set.add(onMessage);
    return () => {
      set.delete(onMessage);
      if (set.size === 0 && this.handlers.get(channel) === set) this.handlers.delete(channel);
    };
  }

  get healthy(): boolean {
    return this.flowing;
  }

  onHealth(listener: (healthy: boolean) => void): () => void {
    this.healthListeners.add(listener);
    return () => this.healthListeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.handlers.clear();
    this.healthListeners.clear();
    await Promise.all(
      [this.pub, this.sub].map(async (c) => {
        // QUIT when connected (a clean goodbye); otherwise stop the reconnect loop at once
        if (c.status === 'ready')
          await Promise.race([c.quit().catch(() => {}), new Promise((r) => setTimeout(r, 1_000))]);
        c.disconnect();
      }),
    );
  }

  private receive(fullChannel: string, raw: string): void {
    if (this.closed || !fullChannel.startsWith(this.prefix)) return;
    const bar = raw.indexOf('|');
    if (bar < 0 || raw.slice(0, bar) === this.origin) return; // our own event: delivered already
    try {
      this.dispatch(fullChannel.slice(this.prefix.length), raw.slice(bar + 1));
    } catch (err) {
      this.log?.warn('redis: a listener failed on a remote event', {
        channel: fullChannel,
        reason: (err as Error).message,
      });
    }
  }

  private dispatch(channel: string, message: string): void {
    const set = this.handlers.get(channel);
    if (!set) return;
    for (const h of [...set]) h(message);
  }

  /** Tells the listeners when events stop or start flowing (not once per retry). */
  private judge(): void {
    const now = !this.closed && this.up.publisher && this.up.subscriber;
    if (now === this.flowing) return;
    this.flowing = now;
    for (const l of [...this.healthListeners]) l(now);
  }

  /** One line when a connection is lost and one when it is back, not one per retry. */
  private watch(conn: Redis, role: 'publisher' | 'subscriber'): void {
    let healthy = true;
    const lost = () => {
      this.up[role] = false;
      this.judge();
    };
    conn.on('ready', () => {
      if (!healthy) this.log?.info(`redis: ${role} connection restored`);
      healthy = true;
      if (role === 'publisher') {
        this.up.publisher = true;
        this.judge();
        return;
      }
      // events flow again once the pattern is active: ioredis re-issues it; this reply comes after
      this.sub.psubscribe(this.pattern).then(
        () => {
          if (conn.status !== 'ready') return;
          this.up.subscriber = true;
          this.judge();
        },
        () => {}, // the connection dropped again: its next 'ready' tries again
      );
    });
    conn.on('close', lost);
    conn.on('error', (err: Error) => {
      if (healthy && !this.closed)
        this.log?.warn(`redis: ${role} connection failed; retrying`, { reason: err.message });
      healthy = false;
      lost();
    });
  }
}
