// Runs nobody decided in time end EXPIRED: at start and every few seconds, on every instance;
// each row changes by one conditional UPDATE, so only one instance records (and audits) it.
import type { AppServices } from '../../context.js';
import { recordAudit } from '../audit/audit.service.js';
import { CommandRun } from '../commands/command-run.entity.js';

const EVERY_MS = 2000;
const BATCH = 100;

type Services = Pick<AppServices, 'orm' | 'log' | 'pubsub'>;

export class ApprovalSweeper {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly app: Services) {}

  start(): void {
    this.tick();
    this.timer = setInterval(() => this.tick(), EVERY_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  private tick(): void {
    // one sweep at a time: a slow database must not pile them up
    this.running ??= this.sweep()
      .then(() => {})
      .catch((err: unknown) =>
        this.app.log.error('approval expiry sweep failed', { err: String(err) }),
      )
      .finally(() => (this.running = null));
  }

  /** Ends every overdue pending run; answers how many this instance ended. */
  async sweep(): Promise<number> {
    const em = this.app.orm.em.fork();
    const now = new Date();
    const overdue = await em.find(
      CommandRun,
      { status: 'PENDING_APPROVAL', approvalExpiresAt: { $lte: now } },
      { fields: ['id', 'commandName', 'startedById', 'approvalExpiresAt'], limit: BATCH },
    );
    let ended = 0;
    for (const run of overdue) {
      const changed = await em.nativeUpdate(
        CommandRun,
        { id: run.id, status: 'PENDING_APPROVAL' },
        { status: 'EXPIRED', finishedAt: now },
      );
      if (!changed) continue; // decided or expired by someone else meanwhile
      ended++;
      this.app.pubsub.publish('runUpdated', { runId: run.id, startedById: run.startedById });
      this.app.log.info('run approval expired', { runId: run.id, command: run.commandName });
      await recordAudit(this.app, {
        action: 'RUN_EXPIRED',
        target: run.id,
        detail: { command: run.commandName, expiresAt: run.approvalExpiresAt?.toISOString() },
      });
    }
    return ended;
  }
}
