/**
 * Requests per minute for each hook, in memory on this instance (with several instances each
 * allows `perMinute`): a fixed one-minute window per hook, counted before anything is read.
 */
export class HookLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly windowMs = 60_000) {}

  /** 0 when the request may go on, else the seconds until the hook's window reopens. */
  take(hook: string, perMinute: number, now = Date.now()): number {
    let w = this.windows.get(hook);
    if (!w || now - w.start >= this.windowMs) {
      w = { start: now, count: 0 };
      this.windows.set(hook, w);
    }
    if (w.count >= perMinute) return Math.max(1, Math.ceil((w.start + this.windowMs - now) / 1000));
    w.count++;
    return 0;
  }
}
