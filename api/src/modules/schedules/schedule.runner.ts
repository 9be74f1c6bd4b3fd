// The scheduler: a clock per schedule of agent.yaml, rebuilt when the file changes, and at start
// the one missed time of each `catchUp: true` schedule.
import type { AppServices } from '../../context.js';
import { cronOf } from '../../config/agent-config.schedules.js';
import { ScheduleClock } from './schedule.clock.js';
import { ScheduleFirer } from './schedule.fire.js';
import { schedulesOf } from './schedule.find.js';
import { ScheduleSlot } from './schedule.slot.entity.js';

export const CAUGHT_UP = 'made up for a time missed while no instance was running';

export class Scheduler {
  private readonly clocks = new Map<string, ScheduleClock>();
  private readonly firer: ScheduleFirer;
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;

  constructor(private readonly app: AppServices) {
    this.firer = new ScheduleFirer(app);
  }

  async start(): Promise<void> {
    // one instant for both: clocks take the times after it, a catch-up the last one up to it
    const now = new Date();
    this.sync(now);
    await this.catchUp(now);
  }

  /** Follows agent.yaml: a clock for each schedule it lists now, none for those it dropped. */
  sync(now = new Date()): void {
    if (this.stopped) return;
    const listed = new Map(schedulesOf(this.app.agent.config.commands).map((s) => [s.id, s]));
    for (const [id, clock] of this.clocks)
      if (!listed.has(id)) {
        clock.stop();
        this.clocks.delete(id);
      }
    for (const [id, s] of listed) {
      if (this.clocks.has(id)) continue; // the id holds cron and zone: the same times
      const clock = new ScheduleClock(cronOf(s.cron, s.timezone), (due) => this.act(id, due));
      this.clocks.set(id, clock.start(now));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const clock of this.clocks.values()) clock.stop();
    this.clocks.clear();
    this.firer.stop();
    await Promise.allSettled([...this.inFlight]);
  }

  private act(id: string, due: Date, note?: string): Promise<void> {
    const p = this.firer
      .fire(id, due, note)
      .catch((err) => this.app.log.error('scheduled time failed', { schedule: id, err }))
      .finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
    return p;
  }

  // the latest time each catchUp schedule should have run, when its last claimed time is older;
  // claimed like any time, so instances starting together run it once
  private async catchUp(now: Date): Promise<void> {
    const em = this.app.orm.em.fork();
    for (const s of schedulesOf(this.app.agent.config.commands)) {
      if (!s.catchUp) continue;
      const [latest] = cronOf(s.cron, s.timezone).previousRuns(1, now);
      const [last] = await em.find(
        ScheduleSlot,
        { scheduleId: s.id },
        { orderBy: { dueAt: 'desc' }, limit: 1 },
      );
      // never claimed: the schedule is new, nothing of it was missed
      if (latest && last && last.dueAt < latest) await this.act(s.id, latest, CAUGHT_UP);
    }
  }
}
