// Delivers the outbox. Every instance runs one: it claims due rows with a conditional UPDATE (so
// two instances never send one row twice), sends each with a timeout, and records SENT or the
// error and when to try again. A row held past `claimed_until` (its instance died) is taken over.
import type { NotifyTargetSpec } from '../../config/agent-config.types.js';
import type { AppServices } from '../../context.js';
import { Notification } from './notification.entity.js';
import { sendNtfy } from './notify.ntfy.js';
import { payloadOf, type NotifyPayload } from './notify.payload.js';
import { sendSlack } from './notify.slack.js';
import { sendSmtp } from './notify.smtp.js';
import { onNotifyWake } from './notify.wake.js';
import { sendWebhook } from './notify.webhook.js';

type Services = Pick<AppServices, 'orm' | 'log' | 'agent' | 'config' | 'metrics' | 'instance'>;

const SEND_TIMEOUT_MS = 10_000;
// longer than a send may take: a live instance never loses a row it is sending
const CLAIM_MS = 60_000;
const POLL_MS = 3000;
const BATCH = 10;
/** waits after the 1st, 2nd, … failed attempt, in NOTIFY_RETRY_BASE_SECONDS (10 s, 1 min, 5 min, 30 min, 2 h) */
const BACKOFF = [1, 6, 30, 180, 720];
export const MAX_ATTEMPTS = BACKOFF.length + 1;
const ERROR_MAX = 500;

export class Notifier {
  private poll: NodeJS.Timeout | undefined;
  private retryTimers = new Set<NodeJS.Timeout>();
  private busy = false;
  private again = false;
  private stopped = false;
  private readonly sending = new Map<string, AbortController>();
  private round: Promise<void> = Promise.resolve();

  constructor(private readonly app: Services) {}

  start(): void {
    onNotifyWake(this.app.orm, () => this.wake());
    this.poll = setInterval(() => this.wake(), POLL_MS);
    this.poll.unref();
    this.wake();
  }

  /** Looks for due rows now (once more after the round under way, if one is). */
  wake(): void {
    if (this.stopped) return;
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    this.round = this.rounds().finally(() => (this.busy = false));
  }

  /** Sends in flight are aborted and their rows handed back (PENDING, no attempt counted). */
  async stop(): Promise<void> {
    this.stopped = true;
    onNotifyWake(this.app.orm, null);
    clearInterval(this.poll);
    for (const t of this.retryTimers) clearTimeout(t);
    for (const c of this.sending.values()) c.abort();
    await this.round;
  }

  private async rounds(): Promise<void> {
    do {
      this.again = false;
      try {
        const claimed = await this.claim();
        await Promise.all(claimed.map((n) => this.deliver(n)));
        if (claimed.length === BATCH) this.again = true;
      } catch (err) {
        this.app.log.error('notification delivery round failed', { err: String(err) });
      }
    } while (this.again && !this.stopped);
  }

  private async claim(): Promise<Notification[]> {
    const em = this.app.orm.em.fork();
    const now = new Date();
    const due = () => ({
      $or: [
        { status: 'PENDING' as const, nextAt: { $lte: now } },
        // its instance died mid-send
        { status: 'SENDING' as const, claimedUntil: { $lt: now } },
      ],
    });
    const candidates = await em.find(Notification, due(), {
      orderBy: { nextAt: 'asc' },
      limit: BATCH,
      fields: ['id'],
    });
    const ids: string[] = [];
    for (const { id } of candidates) {
      // only one instance's UPDATE finds the row still due
      const won = await em.nativeUpdate(
        Notification,
        { id, ...due() },
        {
          status: 'SENDING',
          claimedBy: this.app.instance.id,
          claimedUntil: new Date(now.getTime() + CLAIM_MS),
        },
      );
      if (won === 1) ids.push(id);
    }
    return ids.length ? em.fork().find(Notification, { id: { $in: ids } }) : [];
  }

  private async deliver(n: Notification): Promise<void> {
    // claimed just as the server began to stop: handed back unsent
    if (this.stopped) return this.settle(n, { status: 'PENDING' });
    const target = this.app.agent.config.notify.find((t) => t.name === n.target);
    if (!target)
      return this.failed(n, undefined, `target "${n.target}" is no longer in agent.yaml`, true);
    const controller = new AbortController();
    this.sending.set(n.id, controller);
    const timer = setTimeout(() => controller.abort(), SEND_TIMEOUT_MS);
    try {
      const payload = await payloadOf(this.app.orm, n, this.app.config.PUBLIC_ORIGIN[0]);
      await send(target, payload, controller.signal);
      await this.settle(n, {
        status: 'SENT',
        sentAt: new Date(),
        attempts: n.attempts + 1,
      });
      this.app.metrics.notifications.inc({ type: target.type, outcome: 'sent' });
    } catch (err) {
      if (this.stopped) {
        // shutting down: another instance (or the next start) sends it
        await this.settle(n, { status: 'PENDING' }).catch(() => {});
        return;
      }
      await this.failed(n, target, (err as Error).message ?? String(err));
    } finally {
      clearTimeout(timer);
      this.sending.delete(n.id);
    }
  }

  private async failed(
    n: Notification,
    target: NotifyTargetSpec | undefined,
    message: string,
    final = false,
  ): Promise<void> {
    const attempts = n.attempts + 1;
    const lastError = scrub(message, target).slice(0, ERROR_MAX);
    const giveUp = final || attempts >= MAX_ATTEMPTS;
    const waitMs = giveUp ? 0 : backoffMs(attempts, this.app.config.NOTIFY_RETRY_BASE_SECONDS);
    const nextAt = new Date(Date.now() + waitMs);
    await this.settle(n, {
      status: giveUp ? 'FAILED' : 'PENDING',
      attempts,
      lastError,
      ...(giveUp ? {} : { nextAt }),
    });
    this.app.metrics.notifications.inc({
      type: target?.type ?? 'unknown',
      outcome: giveUp ? 'failed' : 'retry',
    });
    const facts = { id: n.id, target: n.target, event: n.event, attempts, error: lastError };
    if (giveUp) this.app.log.warn('notification not delivered; gave up', facts);
    else {
      this.app.log.warn('notification not delivered; will try again', { ...facts, nextAt });
      const t = setTimeout(() => {
        this.retryTimers.delete(t);
        this.wake();
      }, waitMs + 5);
      t.unref();
      this.retryTimers.add(t);
    }
  }

  /** The row's outcome, written only while it is still ours. */
  private async settle(n: Notification, fields: Partial<Notification>): Promise<void> {
    await this.app.orm.em
      .fork()
      .nativeUpdate(
        Notification,
        { id: n.id, status: 'SENDING', claimedBy: this.app.instance.id },
        { ...fields, claimedBy: null, claimedUntil: null },
      );
  }
}

function send(t: NotifyTargetSpec, p: NotifyPayload, signal: AbortSignal): Promise<void> {
  switch (t.type) {
    case 'webhook':
      return sendWebhook(t, p, signal);
    case 'ntfy':
      return sendNtfy(t, p, signal);
    case 'slack':
      return sendSlack(t, p, signal);
    case 'smtp':
      return sendSmtp(t, p, signal, SEND_TIMEOUT_MS);
  }
}

/** The wait before attempt `attempts + 1`, with ±20 % jitter so instances don't retry in step. */
export function backoffMs(attempts: number, baseSeconds: number): number {
  const steps = BACKOFF[Math.min(attempts, BACKOFF.length) - 1]!;
  return Math.round(steps * baseSeconds * 1000 * (0.8 + Math.random() * 0.4));
}

/** An error's words without the target's secrets: its URL's path and query, token, password, headers. */
export function scrub(message: string, t: NotifyTargetSpec | undefined): string {
  if (!t) return message;
  const secrets: string[] = [];
  if (t.type === 'smtp') {
    if (t.password) secrets.push(t.password);
  } else {
    secrets.push(t.url);
    try {
      const u = new URL(t.url);
      secrets.push(u.pathname + u.search, u.search.slice(1), u.username, u.password);
    } catch {
      // a URL the config accepted always parses
    }
    if (t.type === 'ntfy' && t.token) secrets.push(t.token);
    if (t.type === 'webhook') secrets.push(...Object.values(t.headers));
  }
  let out = message;
  for (const s of secrets.filter((s) => s.length >= 4).sort((a, b) => b.length - a.length))
    out = out.split(s).join('***');
  return out;
}
