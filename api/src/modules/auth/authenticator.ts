import type { MikroORM } from '@mikro-orm/core';
import type { Logger } from '../../logger.js';
import type { PubSub, Topics } from '../../realtime/pubsub.js';
import { User } from '../users/user.entity.js';
import { ApiToken } from './api-token.entity.js';
import { Session } from './session.entity.js';
import { recheckWatched } from './authenticator.recheck.js';
import { hashToken, tokenKind, type TokenKind } from './token.js';
import type { Viewer } from './viewer.js';

/** What GraphQL shows of a user; never the password hash. */
export type UserView = Omit<User, 'passwordHash' | 'authVersion'>;

export const userView = (u: User): UserView => ({
  id: u.id,
  username: u.username,
  role: u.role,
  disabled: u.disabled,
  createdAt: u.createdAt,
  lastLoginAt: u.lastLoginAt,
});

export type EndReason = 'revoked' | 'shutdown';

interface CacheEntry {
  viewer: Viewer;
  /** absolute end (session lifetime or token expiry) */
  hardExpiry: number;
  lastSeen: number;
  lastWritten: number;
  checkedAt: number;
}

/** A stream tied to its viewer's identity. */
export interface Watch {
  viewer: Viewer;
  onEnd: (reason: EndReason) => void;
}

const CACHE_TTL_MS = 60_000;
const TOUCH_EVERY_MS = 60_000;

/**
 * Token → Viewer, cached so a request costs a hash and a map lookup, not a database read.
 * Revocations (logout, disable, role change, token revoke) arrive through pubsub, so every
 * instance drops its cache entries and ends the matching subscriptions within milliseconds.
 * They are written to the database first, and pubsub between instances can lose events (Redis
 * down): while it may, the cache is not trusted, and once events flow again every cached and
 * watched identity is checked against the database (`recheck`).
 */
export class Authenticator {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly watchers = new Map<string, Set<Watch>>();
  private readonly users = new Map<string, { view: UserView; at: number }>();

  private rechecking: Promise<void> | null = null;
  private recheckAgain = false;

  constructor(
    private readonly orm: MikroORM,
    private readonly pubsub: PubSub,
    private readonly opts: { idleMs: number; log: Logger },
  ) {
    pubsub.on('authRevoked', (r) => this.onRevoked(r));
    pubsub.on('userChanged', (u) => this.users.delete(u.userId));
    // back after a gap: this instance re-checks, and so do the others (the event reaches this
    // one too), since its own revocations of the gap may never have reached them
    pubsub.onReconnect(() => pubsub.publish('authResync', { at: Date.now() }));
    pubsub.on('authResync', () => void this.recheck());
  }

  /**
   * The viewer's own user, cached like the session: `me` costs no database read, and a hit
   * answers without a promise, so a query of `me` alone executes synchronously.
   */
  user(userId: string): UserView | null | Promise<UserView | null> {
    const hit = this.users.get(userId);
    if (hit && Date.now() - hit.at < CACHE_TTL_MS && this.pubsub.healthy) return hit.view;
    return this.userFromDb(userId);
  }

  private async userFromDb(userId: string): Promise<UserView | null> {
    const user = await this.orm.em.fork().findOne(User, { id: userId });
    if (!user) return null;
    const view = userView(user);
    this.users.set(userId, { view, at: Date.now() });
    return view;
  }

  /**
   * The viewer a token belongs to. A cache hit answers at once (no promise: this is on the
   * path of every request); a miss or an expired entry goes to the database.
   */
  authenticate(token: string | undefined | null): Viewer | null | Promise<Viewer | null> {
    if (!token) return null;
    const kind = tokenKind(token);
    if (!kind) return null;
    const now = Date.now();
    // keyed by the token itself: a hit costs no hashing (the cache is only in this process's memory)
    const hit = this.cache.get(token);
    // events may be missed (Redis down): only the database knows of a revocation meanwhile
    if (hit && now - hit.checkedAt < CACHE_TTL_MS && this.pubsub.healthy) {
      if (now > hit.hardExpiry || (kind === 'session' && now - hit.lastSeen > this.opts.idleMs)) {
        this.cache.delete(token);
        return null;
      }
      hit.lastSeen = now;
      if (now - hit.lastWritten > TOUCH_EVERY_MS) this.touch(kind, hit);
      return hit.viewer;
    }
    return this.authenticateFromDb(token, kind, now);
  }

  private async authenticateFromDb(
    token: string,
    kind: TokenKind,
    now: number,
  ): Promise<Viewer | null> {
    const entry = await this.load(kind, hashToken(token), now, this.cache.get(token));
    if (!entry) {
      this.cache.delete(token);
      return null;
    }
    if (this.cache.size >= 100_000) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(token, entry);
    return entry.viewer;
  }

  /** Calls `onEnd` when this viewer's credential or user is revoked. Returns the unsubscribe. */
  watch(viewer: Viewer, onEnd: (reason: EndReason) => void): () => void {
    const w: Watch = { viewer, onEnd };
    const keys = [`c:${viewer.credentialId}`, `u:${viewer.userId}`];
    for (const k of keys) {
      let set = this.watchers.get(k);
      if (!set) this.watchers.set(k, (set = new Set()));
      set.add(w);
    }
    return () => {
      for (const k of keys) {
        const set = this.watchers.get(k);
        set?.delete(w);
        if (set?.size === 0) this.watchers.delete(k);
      }
    };
  }

  watcherCount(): number {
    let n = 0;
    for (const [k, s] of this.watchers) if (k.startsWith('c:')) n += s.size;
    return n;
  }

  private onRevoked(r: Topics['authRevoked']): void {
    if (r.userId) this.users.delete(r.userId);
    // which viewers end: one credential, every one of a user, or a user's sessions but one
    const ends = (v: Viewer) =>
      v.credentialId === r.credentialId ||
      (v.userId === r.userId &&
        (!r.sessionsOnly || (v.kind === 'session' && v.credentialId !== r.keep)));
    for (const [token, e] of this.cache) if (ends(e.viewer)) this.cache.delete(token);
    const keys = [r.credentialId && `c:${r.credentialId}`, r.userId && `u:${r.userId}`].filter(
      Boolean,
    ) as string[];
    const ending = new Set<Watch>();
    for (const k of keys)
      for (const w of this.watchers.get(k) ?? []) if (ends(w.viewer)) ending.add(w);
    for (const w of ending) w.onEnd('revoked');
  }

  /**
   * After a gap in which revocations may have been missed: the cache is dropped, and every
   * watched identity is read again; those whose credential or user no longer holds (signed out,
   * revoked, expired, disabled, deleted, role changed) end. A failed read is tried again.
   */
  recheck(): Promise<void> {
    this.cache.clear();
    this.users.clear();
    if (this.rechecking) {
      this.recheckAgain = true; // a gap during this check: check again once it ends
      return this.rechecking;
    }
    this.rechecking = recheckWatched(this.orm, this.watched())
      .then((ending) => {
        if (ending.length)
          this.opts.log.info('identities ended on re-check', { count: ending.length });
        for (const w of ending) w.onEnd('revoked');
      })
      .catch((err: unknown) => {
        this.opts.log.warn('re-checking open subscriptions failed; retrying in 5 s', {
          reason: (err as Error).message,
        });
        setTimeout(() => void this.recheck(), 5_000).unref();
      })
      .finally(() => {
        this.rechecking = null;
        if (this.recheckAgain) {
          this.recheckAgain = false;
          void this.recheck();
        }
      });
    return this.rechecking;
  }

  private watched(): Watch[] {
    const all = new Set<Watch>();
    for (const [k, set] of this.watchers) if (k.startsWith('c:')) for (const w of set) all.add(w);
    return [...all];
  }

  /** Shutdown: every watched stream completes normally. */
  endAll(): void {
    for (const [k, set] of this.watchers)
      if (k.startsWith('c:')) for (const w of [...set]) w.onEnd('shutdown');
  }

  private async load(
    kind: 'session' | 'apiToken',
    hash: string,
    now: number,
    previous?: CacheEntry,
  ): Promise<CacheEntry | null> {
    const em = this.orm.em.fork();
    const cred =
      kind === 'session'
        ? await em.findOne(Session, { tokenHash: hash })
        : await em.findOne(ApiToken, { tokenHash: hash, revokedAt: null });
    if (!cred) return null;
    const user = await em.findOne(User, { id: cred.userId });
    if (!user || user.disabled) return null;
    let hardExpiry = Number.MAX_SAFE_INTEGER;
    let lastSeen = now;
    if (cred instanceof Session) {
      hardExpiry = cred.expiresAt.getTime();
      lastSeen = cred.lastSeenAt.getTime();
      if (now - lastSeen > this.opts.idleMs) return null;
    } else if (cred.expiresAt) {
      hardExpiry = cred.expiresAt.getTime();
    }
    if (now > hardExpiry) return null;
    const viewer: Viewer = {
      userId: user.id,
      username: user.username,
      role: user.role,
      kind,
      credentialId: cred.id,
    };
    this.users.set(user.id, { view: userView(user), at: now });
    // re-read on every request while Redis is down: still one write a minute, not one each
    const lastWritten = previous?.viewer.credentialId === cred.id ? previous.lastWritten : 0;
    const entry: CacheEntry = { viewer, hardExpiry, lastSeen: now, lastWritten, checkedAt: now };
    if (now - lastWritten > TOUCH_EVERY_MS) this.touch(kind, entry);
    return entry;
  }

  /** Sliding expiry and lastUsedAt, written at most once a minute per credential. */
  private touch(kind: 'session' | 'apiToken', entry: CacheEntry): void {
    entry.lastWritten = Date.now();
    const at = new Date(entry.lastSeen);
    const em = this.orm.em.fork();
    const write =
      kind === 'session'
        ? em.nativeUpdate(Session, { id: entry.viewer.credentialId }, { lastSeenAt: at })
        : em.nativeUpdate(ApiToken, { id: entry.viewer.credentialId }, { lastUsedAt: at });
    write.catch((err) =>
      this.opts.log.warn('could not record credential use', { err: String(err) }),
    );
  }
}
