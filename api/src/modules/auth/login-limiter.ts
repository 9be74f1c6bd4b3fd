import { createHash } from 'node:crypto';

interface Window {
  /** when each evaluated wrong guess ended, oldest first */
  failures: number[];
  /** guesses being verified right now: they hold a place until they end */
  inFlight: number;
  /** a refusal of this key was reported (audited) in the current window */
  noted: boolean;
}

/** One reserved guess. Exactly one of its methods is called (and awaited) once the password was checked. */
export interface Attempt {
  /** wrong password: the place becomes a failure in the window */
  fail(): void | Promise<void>;
  /** right password: the place is given back and the account's failures are forgotten */
  succeed(): void | Promise<void>;
  /** the check itself failed (database down): the place is given back, nothing is counted */
  cancel(): void | Promise<void>;
}

export type Reservation =
  | { ok: true; attempt: Attempt }
  /** `first`: the first refusal of a limited key in its window (audit it once, not per request) */
  | { ok: false; retryAfterSeconds: number; first: boolean };

/** Counts guesses: in this process (LoginLimiter), or for every instance sharing PostgreSQL (DbLoginLimiter). */
export interface GuessLimiter {
  /** Takes a place for one guess on `account` (from `address`, when given), or says why not. */
  reserve(account: string, address: string | null): Reservation | Promise<Reservation>;
}

export interface LimiterOptions {
  windowMs: number;
  perAccount: number;
  perAddress: number;
  /** per map: the quietest keys are forgotten past this, so a spray of names can't grow memory */
  maxKeys: number;
}

export const DEFAULTS: LimiterOptions = {
  windowMs: 15 * 60_000,
  perAccount: 10,
  perAddress: 30,
  maxKeys: 50_000,
};

/** A fixed-size key: whatever was sent, a map holds 22 characters for it. */
export const digest = (value: string): string =>
  createHash('sha256').update(value).digest('base64url').slice(0, 22);

/**
 * Password guesses per account and per client address in a sliding window. A guess takes its
 * place before the password is verified (synchronously, so no two requests see the same count),
 * and guesses in flight count: under any concurrency at most `perAccount` guesses are verified
 * per account per window. 10 per 15 minutes keeps an account under 40 guesses an hour.
 */
export class LoginLimiter implements GuessLimiter {
  private readonly byAccount = new Map<string, Window>();
  private readonly byAddress = new Map<string, Window>();
  private readonly opts: LimiterOptions;

  constructor(opts: Partial<LimiterOptions> = {}) {
    this.opts = { ...DEFAULTS, ...opts };
  }

  /** Takes a place for one guess on `account` (from `address`, when given), or says why not. */
  reserve(account: string, address: string | null): Reservation {
    const now = Date.now();
    const accountKey = digest(account.toLowerCase());
    const a = this.window(this.byAccount, accountKey, now);
    const addressKey = address == null ? null : digest(address);
    const b = addressKey == null ? null : this.window(this.byAddress, addressKey, now);
    const limited = [
      a.failures.length + a.inFlight >= this.opts.perAccount ? a : null,
      b && b.failures.length + b.inFlight >= this.opts.perAddress ? b : null,
    ].filter((w): w is Window => w !== null);
    if (limited.length) {
      const first = limited.some((w) => !w.noted);
      for (const w of limited) w.noted = true;
      // in-flight guesses alone: their answer comes within a second or so
      const oldest = Math.min(
        ...limited.map((w) => w.failures[0] ?? now - this.opts.windowMs + 1000),
      );
      return {
        ok: false,
        retryAfterSeconds: Math.max(1, Math.ceil((oldest + this.opts.windowMs - now) / 1000)),
        first,
      };
    }
    a.inFlight++;
    if (b) b.inFlight++;
    let settled = false;
    const settle = (outcome: 'fail' | 'succeed' | 'cancel') => {
      if (settled) return;
      settled = true;
      const at = Date.now();
      a.inFlight--;
      if (b) b.inFlight--;
      if (outcome === 'fail') {
        a.failures.push(at);
        b?.failures.push(at);
      } else if (outcome === 'succeed') {
        a.failures.length = 0;
        a.noted = false;
      }
      this.forgetIfQuiet(this.byAccount, accountKey, a);
      if (b) this.forgetIfQuiet(this.byAddress, addressKey!, b);
    };
    return {
      ok: true,
      attempt: {
        fail: () => settle('fail'),
        succeed: () => settle('succeed'),
        cancel: () => settle('cancel'),
      },
    };
  }

  /** How many keys the maps hold (for tests and metrics). */
  size(): { accounts: number; addresses: number } {
    return { accounts: this.byAccount.size, addresses: this.byAddress.size };
  }

  private window(map: Map<string, Window>, key: string, now: number): Window {
    let w = map.get(key);
    if (w) {
      // most recently used last: eviction takes the quietest keys first
      map.delete(key);
    } else {
      if (map.size >= this.opts.maxKeys) this.evict(map);
      w = { failures: [], inFlight: 0, noted: false };
    }
    map.set(key, w);
    while (w.failures.length && w.failures[0]! <= now - this.opts.windowMs) w.failures.shift();
    if (!w.failures.length && !w.inFlight) w.noted = false;
    return w;
  }

  /** Drops the least recently used key that has no guess in flight. */
  private evict(map: Map<string, Window>): void {
    for (const [key, w] of map) {
      if (w.inFlight) continue;
      map.delete(key);
      return;
    }
  }

  private forgetIfQuiet(map: Map<string, Window>, key: string, w: Window): void {
    if (!w.failures.length && !w.inFlight && map.get(key) === w) map.delete(key);
  }
}
