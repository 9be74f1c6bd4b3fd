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
    // ioredis re-issues PSUBSCRIBE after every reconnect (autoResubscribe)
    this.subscribed = this.sub.psubscribe(`${globEscape(this.prefix)}*`).then(
      () => undefined,
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

  async close(): Promise<void> {
    this.closed = true;
    this.handlers.clear();
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

  /** One line when a connection is lost and one when it is back, not one per retry. */
  private watch(conn: Redis, role: string): void {
    let healthy = true;
    conn.on('ready', () => {
      if (!healthy) this.log?.info(`redis: ${role} connection restored`);
      healthy = true;
    });
    conn.on('error', (err: Error) => {
      if (healthy && !this.closed)
        this.log?.warn(`redis: ${role} connection failed; retrying`, { reason: err.message });
      healthy = false;
    });
  }
}
