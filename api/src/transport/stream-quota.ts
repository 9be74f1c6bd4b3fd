// What each identity holds open, across transports: sockets, and subscriptions (WebSocket and SSE).
import { GraphQLError } from 'graphql';
import type { AppServices } from '../context.js';

/** One counted place; releasing it twice counts once. */
export interface Slot {
  release(): void;
}

/** Counts per key, taken and released synchronously, so a burst can't slip past a limit. */
class Counter {
  private readonly held = new Map<string, number>();

  take(key: string, max: number): Slot | null {
    const n = this.held.get(key) ?? 0;
    if (n >= max) return null;
    this.held.set(key, n + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        const left = (this.held.get(key) ?? 1) - 1;
        // an entry per identity holding something, never more: the map stays bounded
        if (left > 0) this.held.set(key, left);
        else this.held.delete(key);
      },
    };
  }

  count(key: string): number {
    return this.held.get(key) ?? 0;
  }
}

export class StreamQuota {
  readonly sockets = new Counter();
  readonly streams = new Counter();
}

// one per app (tests run several apps in one process); kept beside it, not in AppServices
const quotas = new WeakMap<AppServices, StreamQuota>();
export function quotaOf(app: AppServices): StreamQuota {
  let quota = quotas.get(app);
  if (!quota) quotas.set(app, (quota = new StreamQuota()));
  return quota;
}

/** A signed-out socket can only sign in or ask who it is: a few at a time is plenty. */
export const SIGNED_OUT_OPERATIONS = 5;

const rateLimited = (message: string, limit: string, max: number) =>
  new GraphQLError(message, { extensions: { code: 'RATE_LIMITED', limit, max } });

export const tooManyOperations = (max: number, signedIn: boolean) =>
  signedIn
    ? rateLimited(
        `Too many operations on this connection: it already runs ${max} operations (limits.subscriptionsPerSocket in agent.yaml; an operator can raise it). End one, or use another connection.`,
        'subscriptionsPerSocket',
        max,
      )
    : rateLimited(
        `Too many operations while signed out: at most ${max} run at once on a connection. Wait for one to finish, or sign in.`,
        'signedOutOperations',
        max,
      );

export const tooManySubscriptions = (max: number) =>
  rateLimited(
    `Too many subscriptions: you already have ${max} subscriptions open on all your connections (limits.subscriptionsPerUser in agent.yaml; an operator can raise it). Close some, for example in other tabs.`,
    'subscriptionsPerUser',
    max,
  );

/** The close reason (at most 123 bytes) of a socket refused at connection_init. */
export const tooManySockets = (max: number, signedIn: boolean) =>
  `Too many connections: ${max} open for this ${signedIn ? 'user' : 'address'} (limits.socketsPerUser in agent.yaml)`;
