// Explaining calls a paid outside endpoint: each user gets a few calls a minute (per instance).
import { RateLimitedError } from '../../errors.js';

const WINDOW_MS = 60_000;

export class ExplainLimiter {
  private readonly uses = new Map<string, number[]>();

  constructor(public perMinute: number) {}

  /** Counts one call of `userId`, or throws RATE_LIMITED with when to try again. */
  take(userId: string, now = Date.now()): void {
    const recent = (this.uses.get(userId) ?? []).filter((t) => t > now - WINDOW_MS);
    if (recent.length >= this.perMinute) {
      const retry = Math.max(1, Math.ceil((recent[0]! + WINDOW_MS - now) / 1000));
      this.uses.set(userId, recent);
      throw new RateLimitedError(
        `You asked for ${this.perMinute} explanations in the last minute: try again in ${retry} s.`,
        retry,
      );
    }
    recent.push(now);
    this.uses.set(userId, recent);
  }
}
