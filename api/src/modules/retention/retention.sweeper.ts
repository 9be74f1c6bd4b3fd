// The one sweeper for agent.yaml `retention:` (and the audit trail): soon after start, then every
// hour, each rule in small batches. It reads the current agent config each time, so edits apply live.
import type { AppServices } from '../../context.js';
import { sweepAuditEvents } from '../audit/audit.retention.js';
import { sweepNotifications } from '../notify/notify.retention.js';
import { forgetFolders, nothing, type Removed } from './retention.batch.js';
import { withSweepLock } from './retention.lock.js';
import { sweepOutputOverLimit } from './retention.output.js';
import { sweepOldRuns, sweepRunsPerCommand } from './retention.runs.js';
import { sweepOldUploads } from './retention.uploads.js';

/** What one sweep removed. */
export interface SweepReport {
  at: Date;
  /** finished runs deleted (row and output) */
  runs: number;
  /** runs whose output was removed for `outputBytes` (the runs are kept) */
  outputs: number;
  uploads: number;
  auditEvents: number;
  /** sent or given-up notifications past NOTIFICATIONS_KEEP_DAYS */
  notifications: number;
  /** bytes of run output and uploads freed */
  bytesFreed: number;
  batches: number;
  ms: number;
}

export interface SweeperOptions {
  /** between sweeps; an hour by default */
  everyMs?: number;
  /** from start to the first sweep: start-up is never held up by it */
  firstAfterMs?: number;
}

export class RetentionSweeper {
  /** the last sweep this instance made (another instance may have swept since) */
  last: SweepReport | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private timers: NodeJS.Timeout[] = [];
  private stopped = false;

  constructor(
    private readonly app: Omit<AppServices, 'retention'>,
    private readonly opts: SweeperOptions = {},
  ) {}

  start(): void {
    const run = () => void this.sweep().catch(() => {}); // logged in sweep
    const first = setTimeout(() => {
      run();
      const every = setInterval(run, this.opts.everyMs ?? 3_600_000);
      every.unref();
      this.timers.push(every);
    }, this.opts.firstAfterMs ?? 1000);
    first.unref(); // never the reason the process stays up
    this.timers.push(first);
  }

  /** Sweeps now, after a sweep in progress; null when another instance holds the sweep lock. */
  sweep(now = Date.now()): Promise<SweepReport | null> {
    const mine = this.queue.then(async () => {
      if (this.stopped) return null;
      const report = await withSweepLock(this.app.orm, () => this.sweepAll(now));
      if (!report) this.app.log.info('retention sweep skipped: another instance is sweeping');
      return report;
    });
    this.queue = mine.catch((err: unknown) =>
      this.app.log.error('retention sweep failed', { err: String(err) }),
    );
    return mine;
  }

  /** Ends the timers and waits for a sweep in progress (which stops after its current batch). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timers.forEach((t) => clearTimeout(t));
    await this.queue;
  }

  private async sweepAll(now: number): Promise<SweepReport> {
    const started = Date.now();
    forgetFolders(this.app.outputStore);
    const rules = this.app.agent.config.retention;
    const stopped = () => this.stopped;
    const skip = async () => nothing();
    const byAge = await (rules.runs.days
      ? sweepOldRuns(this.app, rules.runs.days, now, stopped)
      : skip());
    const perCommand = await (rules.runs.perCommand
      ? sweepRunsPerCommand(this.app, rules.runs.perCommand, stopped)
      : skip());
    const outputs = await (rules.outputBytes
      ? sweepOutputOverLimit(this.app, rules.outputBytes, now, stopped)
      : skip());
    const uploads = await (rules.uploads.days
      ? sweepOldUploads(this.app, rules.uploads.days, now, stopped)
      : skip());
    const audit = await sweepAuditEvents(this.app, now, stopped);
    const notifications = await sweepNotifications(this.app, now, stopped);
    const all: Removed[] = [byAge, perCommand, outputs, uploads, notifications];
    const report: SweepReport = {
      at: new Date(now),
      runs: byAge.count + perCommand.count,
      outputs: outputs.count,
      uploads: uploads.count,
      auditEvents: audit.removed,
      notifications: notifications.count,
      bytesFreed: all.reduce((n, r) => n + r.bytes, 0),
      batches: all.reduce((n, r) => n + r.batches, 0) + audit.batches,
      ms: Date.now() - started,
    };
    this.last = report;
    this.count(report);
    return report;
  }

  private count(r: SweepReport): void {
    const { metrics, log } = this.app;
    metrics.retentionRemoved.inc({ kind: 'runs' }, r.runs);
    metrics.retentionRemoved.inc({ kind: 'outputs' }, r.outputs);
    metrics.retentionRemoved.inc({ kind: 'uploads' }, r.uploads);
    metrics.retentionRemoved.inc({ kind: 'audit_events' }, r.auditEvents);
    metrics.retentionRemoved.inc({ kind: 'notifications' }, r.notifications);
    metrics.retentionFreedBytes.inc(r.bytesFreed);
    const { at: _at, ...counts } = r;
    log.info('retention sweep', counts);
  }
}
