// What happens at a scheduled time: the slot is claimed (one instance of several wins), the
// overlap rule is applied, and the run goes through runCommand like a person's.
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { AppServices } from '../../context.js';
import { AppError } from '../../errors.js';
import { startAutomaticRun } from '../automation/automation.run.js';
import { CommandRun } from '../commands/command-run.entity.js';
import { findSchedule, type ScheduleView } from './schedule.find.js';
import { ScheduleSlot, type ScheduleOutcome } from './schedule.slot.entity.js';

const QUEUE_POLL_MS = 200;
const DETAIL_MAX = 1000;
// an every-second schedule claims 86,400 times a day: only the latest are kept, pruned now and then
export const SLOTS_KEPT = 500;
const PRUNE_EVERY = 100;

export class ScheduleFirer {
  // schedule id → the one time waiting for that schedule's previous run (overlap: queue)
  private readonly waiting = new Map<string, AbortController>();
  private claims = 0;

  constructor(private readonly app: AppServices) {}

  /** Claims `due` for schedule `id` and acts on it; `note` is kept on a slot made up after downtime. */
  async fire(id: string, due: Date, note?: string): Promise<void> {
    const schedule = findSchedule(this.app.agent.config, id);
    if (!schedule || !(await this.claim(id, due))) return;
    if (this.claims++ % PRUNE_EVERY === 0) await this.prune(id);
    const slot = { scheduleId: id, dueAt: due };
    const busy = schedule.overlap !== 'allow' && (await this.running(id)) > 0;
    if (busy && schedule.overlap === 'skip')
      return this.record(slot, 'SKIPPED', 'the previous run of this schedule was still running');
    if (busy && this.waiting.has(id))
      return this.record(slot, 'SKIPPED', 'a later time of this schedule already waits to run');
    if (busy) {
      await this.record(slot, 'QUEUED', 'waits for the previous run of this schedule to end');
      return this.queue(id, slot, note);
    }
    await this.start(schedule, slot, note);
  }

  /** Drops the times still waiting: each is recorded SKIPPED (the scheduler awaits that). */
  stop(): void {
    for (const w of this.waiting.values()) w.abort();
    this.waiting.clear();
  }

  private async claim(id: string, due: Date): Promise<boolean> {
    try {
      await this.app.orm.em.fork().insert(ScheduleSlot, {
        scheduleId: id,
        dueAt: due,
        instanceId: this.app.instance.id,
        claimedAt: new Date(),
        outcome: 'STARTED',
        detail: 'starting',
        runId: null,
      });
      return true;
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) return false; // another instance has it
      throw err;
    }
  }

  /** Deletes the schedule's times older than its latest SLOTS_KEPT. */
  private async prune(id: string): Promise<void> {
    const em = this.app.orm.em.fork();
    const [oldestKept] = await em.find(
      ScheduleSlot,
      { scheduleId: id },
      { orderBy: { dueAt: 'desc' }, offset: SLOTS_KEPT - 1, limit: 1, fields: ['dueAt'] },
    );
    if (oldestKept)
      await em.nativeDelete(ScheduleSlot, { scheduleId: id, dueAt: { $lt: oldestKept.dueAt } });
  }

  private running(id: string): Promise<number> {
    const where = { trigger: 'SCHEDULE' as const, triggerName: id, status: 'RUNNING' as const };
    return this.app.orm.em.fork().count(CommandRun, where);
  }

  private queue(id: string, slot: Pick<ScheduleSlot, 'scheduleId' | 'dueAt'>, note?: string) {
    const ac = new AbortController();
    this.waiting.set(id, ac);
    const wait = async () => {
      while (!ac.signal.aborted && (await this.running(id)) > 0)
        await new Promise((r) => setTimeout(r, QUEUE_POLL_MS));
      if (ac.signal.aborted)
        return this.record(slot, 'SKIPPED', 'the server stopped before the previous run ended');
      this.waiting.delete(id);
      // the file as it is now: an edit may have removed the schedule or changed its arguments
      const schedule = findSchedule(this.app.agent.config, id);
      if (!schedule)
        return this.record(slot, 'REFUSED', 'the schedule was removed from agent.yaml');
      await this.start(schedule, slot, note ?? 'started after the previous run ended');
    };
    return wait().catch((err) => this.app.log.error('queued schedule failed', { id, err }));
  }

  private async start(
    schedule: ScheduleView,
    slot: Pick<ScheduleSlot, 'scheduleId' | 'dueAt'>,
    note?: string,
  ): Promise<void> {
    try {
      const run = await startAutomaticRun(this.app, schedule.command, schedule.args, {
        trigger: 'SCHEDULE',
        name: schedule.id,
      });
      await this.record(slot, 'STARTED', note ?? null, run.id);
    } catch (err) {
      // a limit, or an edited file that no longer allows these arguments: shown on the slot
      const known = err instanceof AppError;
      const detail = known ? err.message : 'the run could not start (see the server log)';
      this.app.log.warn('scheduled run refused', {
        schedule: schedule.id,
        dueAt: slot.dueAt.toISOString(),
        reason: known ? err.message : String(err),
      });
      await this.record(slot, 'REFUSED', detail);
    }
  }

  private async record(
    slot: Pick<ScheduleSlot, 'scheduleId' | 'dueAt'>,
    outcome: ScheduleOutcome,
    detail: string | null,
    runId: string | null = null,
  ): Promise<void> {
    if (outcome !== 'STARTED')
      this.app.log.info('scheduled time not run now', {
        schedule: slot.scheduleId,
        outcome,
        detail,
      });
    await this.app.orm.em
      .fork()
      .nativeUpdate(
        ScheduleSlot,
        { scheduleId: slot.scheduleId, dueAt: slot.dueAt },
        { outcome, detail: detail?.slice(0, DETAIL_MAX) ?? null, runId },
      );
  }
}
