import { RateLimitedError } from '../../errors.js';

interface Window {
  failures: number[];
}

/**
 * Failed sign-ins per account and per client address in a sliding window. 10 per account per
 * 15 minutes keeps any one account under 40 guesses an hour, whatever the number of addresses.
 */
export class LoginLimiter {
  private readonly byAccount = new Map<string, Window>();
  private readonly byAddress = new Map<string, Window>();

  constructor(
    private readonly opts = { windowMs: 15 * 60_000, perAccount: 10, perAddress: 30 },
  ) {}

  /** Throws RATE_LIMITED before any password work is done. */
  check(username: string, address: string): void {
    const now = Date.now();
    const a = this.count(this.byAccount, username.toLowerCase(), now);
    const b = this.count(this.byAddress, address, now);
    if (a.failures.length >= this.opts.perAccount || b.failures.length >= this.opts.perAddress) {
      const oldest = Math.min(a.failures[0] ?? now, b.failures[0] ?? now);
      const retry = Math.max(1, Math.ceil((oldest + this.opts.windowMs - now) / 1000));
      throw new RateLimitedError(`Too many failed sign-ins. Try again in ${Math.ceil(retry / 60)} minute(s).`, retry);
    }
  }

  fail(username: string, address: string): void {
    const now = Date.now();
    this.count(this.byAccount, username.toLowerCase(), now).failures.push(now);
    this.count(this.byAddress, address, now).failures.push(now);
  }

  succeed(username: string): void {
    this.byAccount.delete(username.toLowerCase());
  }

  private count(map: Map<string, Window>, key: string, now: number): Window {
    let w = map.get(key);
    if (!w) {
      // bounded: forget the quietest keys rather than grow without limit under a spray
      if (map.size > 50_000) map.delete(map.keys().next().value!);
      map.set(key, (w = { failures: [] }));
    }
    while (w.failures.length && w.failures[0]! <= now - this.opts.windowMs) w.failures.shift();
    return w;
  }
}
