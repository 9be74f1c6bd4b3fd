import type { MikroORM } from '@mikro-orm/core';
import type { Knex, SqlEntityManager } from '@mikro-orm/knex';
import type { Logger } from '../../logger.js';
import {
  DEFAULTS,
  digest,
  type Attempt,
  type GuessLimiter,
  type LimiterOptions,
  type Reservation,
} from './login-limiter.js';

/** a guess being verified holds its place this long at most: a crashed instance's places free themselves */
const FLIGHT_MS = 60_000;
const CLEAN_EVERY_MS = 60_000;
const TABLE = 'login_guesses';

type Kind = 'flight' | 'fail' | 'noted';

/**
 * The sign-in limits of LoginLimiter, global to every instance sharing one PostgreSQL: each
 * guess is a row. Count and insert run in one transaction under an advisory lock per key, so
 * no two instances see the same count, and a guess holds its place before the password is
 * verified, exactly as in memory. Rows expire (failures after the window, places in flight after
 * a minute) and are deleted once a minute.
 */
export class DbLoginLimiter implements GuessLimiter {
  private readonly opts: LimiterOptions;
  private cleaned = 0;

  constructor(
    private readonly orm: MikroORM,
    private readonly log: Logger,
    opts: Partial<LimiterOptions> = {},
  ) {
    this.opts = { ...DEFAULTS, ...opts };
  }

  private get knex(): Knex {
    return (this.orm.em as SqlEntityManager).getKnex();
  }

  async reserve(account: string, address: string | null): Promise<Reservation> {
    const now = Date.now();
    const accountKey = `a:${digest(account.toLowerCase())}`;
    const limits = new Map([[accountKey, this.opts.perAccount]]);
    if (address != null) limits.set(`i:${digest(address)}`, this.opts.perAddress);
    const keys = [...limits.keys()].sort(); // one lock order: two guesses never wait on each other
    this.clean(now);
    const result = await this.knex.transaction(async (trx) => {
      for (const k of keys) await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [k]);
      const rows: { key: string; kind: Kind; at: Date }[] = await trx(TABLE)
        .select('key', 'kind', 'at')
        .whereIn('key', keys)
        .where('expires_at', '>', new Date(now));
      const limited = keys.filter(
        (k) => rows.filter((r) => r.key === k && r.kind !== 'noted').length >= limits.get(k)!,
      );
      if (limited.length) {
        const unnoted = limited.filter((k) => !rows.some((r) => r.key === k && r.kind === 'noted'));
        const at = new Date(now);
        const until = new Date(now + this.opts.windowMs);
        if (unnoted.length)
          await trx(TABLE).insert(
            unnoted.map((key) => ({ key, kind: 'noted', at, expires_at: until })),
          );
        // in-flight guesses alone: their answer comes within a second or so
        const failures = rows
          .filter((r) => limited.includes(r.key) && r.kind === 'fail')
          .map((r) => new Date(r.at).getTime());
        const oldest = failures.length ? Math.min(...failures) : now - this.opts.windowMs + 1000;
        return {
          ok: false as const,
          retryAfterSeconds: Math.max(1, Math.ceil((oldest + this.opts.windowMs - now) / 1000)),
          first: unnoted.length > 0,
        };
      }
      const ids: ({ id: string } | string)[] = await trx(TABLE)
        .insert(
          keys.map((key) => ({
            key,
            kind: 'flight',
            at: new Date(now),
            expires_at: new Date(now + FLIGHT_MS),
          })),
        )
        .returning('id');
      return { ok: true as const, ids: ids.map((r) => (typeof r === 'object' ? r.id : r)) };
    });
    if (!result.ok) return result;
    return { ok: true, attempt: this.attempt(result.ids, accountKey) };
  }

  private attempt(ids: string[], accountKey: string): Attempt {
    let settled = false;
    const settle = async (outcome: 'fail' | 'succeed' | 'cancel') => {
      if (settled) return;
      settled = true;
      const at = Date.now();
      const places = () => this.knex(TABLE).whereIn('id', ids);
      try {
        if (outcome === 'fail') {
          await places().update({
            kind: 'fail',
            at: new Date(at),
            expires_at: new Date(at + this.opts.windowMs),
          });
          return;
        }
        await places().delete();
        // right password: the account's failures (and its audited refusal) are forgotten
        if (outcome === 'succeed')
          await this.knex(TABLE)
            .where('key', accountKey)
            .whereIn('kind', ['fail', 'noted'])
            .delete();
      } catch (err) {
        // the place then simply expires (after FLIGHT_MS)
        this.log.warn('could not record a sign-in guess', { outcome, reason: String(err) });
      }
    };
    return {
      fail: () => settle('fail'),
      succeed: () => settle('succeed'),
      cancel: () => settle('cancel'),
    };
  }

  /** Expired rows go, at most once a minute per instance, in the background. */
  private clean(now: number): void {
    if (now - this.cleaned < CLEAN_EVERY_MS) return;
    this.cleaned = now;
    this.knex(TABLE)
      .where('expires_at', '<=', new Date(now))
      .delete()
      .catch((err: unknown) =>
        this.log.warn('could not delete expired sign-in guesses', { reason: String(err) }),
      );
  }
}
