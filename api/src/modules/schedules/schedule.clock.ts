// One timer per schedule, armed at its next time and re-armed from croner after each one, so
// it never drifts; a wait longer than setTimeout allows (2^31 ms, ~24.8 days) is taken in steps.
import type { Cron } from 'croner';

const MAX_TIMEOUT_MS = 2 ** 31 - 1;
// a time this far behind when the previous one fired was lost to a stalled process: not made up
const LATE_MS = 1000;

export class ScheduleClock {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly cron: Cron,
    private readonly onDue: (due: Date) => void,
  ) {}

  /** Arms the first time after `from`. */
  start(from = new Date()): this {
    this.arm(this.cron.nextRun(from));
    return this;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private arm(due: Date | null): void {
    if (this.stopped || !due) return;
    const wait = due.getTime() - Date.now();
    // a timer may wake a little early, or after a step of a long wait: sleep again until the time
    if (wait > 0) {
      this.timer = setTimeout(() => this.arm(due), Math.min(wait, MAX_TIMEOUT_MS));
      return;
    }
    this.onDue(due);
    const now = new Date();
    let next = this.cron.nextRun(due);
    if (next && next.getTime() < now.getTime() - LATE_MS) next = this.cron.nextRun(now);
    this.arm(next);
  }
}
