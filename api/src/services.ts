import { InstanceLease } from './cluster/instance.lease.js';
import type { Config } from './config/config.js';
import { loadAgentConfig, watchAgentConfig } from './config/agent-config.js';
import type { AppServices } from './context.js';
import { secureDataDir } from './db/data-dir.js';
import { initOrm, isPostgres, withStartupLock } from './db/orm.js';
import { installAsyncContextSwitch } from './fast/index.js';
import { createLogger } from './logger.js';
import { ApprovalSweeper } from './modules/approval/approval.sweeper.js';
import { recordAudit } from './modules/audit/audit.service.js';
import { ensureAutomationUser } from './modules/automation/automation.run.js';
import { Authenticator } from './modules/auth/authenticator.js';
import { LoginLimiter } from './modules/auth/login-limiter.js';
import { DbLoginLimiter } from './modules/auth/login-limiter.db.js';
import { CommandRun } from './modules/commands/command-run.entity.js';
import { recoverOrphanedRuns } from './modules/commands/command.recovery.js';
import { CommandSupervisor } from './modules/commands/command.supervisor.js';
import { moveLegacyOutput } from './modules/commands/output.legacy.js';
import { OutputStore } from './modules/commands/output.store.js';
import { stopFileProcessing } from './modules/files/file.processor.js';
import { sweepUploads } from './modules/files/file.sweep.js';
import { createLogHub } from './modules/logs/log.hub.js';
import { RetentionSweeper } from './modules/retention/retention.sweeper.js';
import { TriggerWatcher } from './modules/triggers/trigger.watcher.js';
import { Scheduler } from './modules/schedules/schedule.runner.js';
import { refusalWarner } from './modules/logs/log.refusal.js';
import { Notifier } from './modules/notify/notifier.js';
import { notifyRunEnd } from './modules/notify/notify.run-end.js';
import { ensureInitialAdmin } from './modules/users/user.service.js';
import { closeOpenWindows, RunLogsRecorder } from './modules/run-logs/run-logs.recorder.js';
import { createMetrics } from './observability/metrics.js';
import { PubSub } from './realtime/pubsub.js';

export interface ServiceOptions {
  /** readable log lines on stderr besides logs/system.log */
  consoleLog?: boolean;
}

export interface Services {
  services: AppServices;
  /** Ends what runs in the background: runs end INTERRUPTED, then sessions, processing, watchers. */
  stopWork(): Promise<void>;
  /** Releases the rest once the transports are closed: log followers, events, the database, the log. */
  close(): Promise<void>;
}

/** Builds the long-lived services and starts their background work (recovery, sweeps, retention, the agent.yaml watcher). */
export async function buildServices(config: Config, opts: ServiceOptions = {}): Promise<Services> {
  const log = createLogger({
    dir: config.LOGS_DIR,
    level: config.LOG_LEVEL,
    console: opts.consoleLog,
  });
  const agent = { config: await loadAgentConfig(config.AGENT_CONFIG, config.secretEnv) };
  const unfixed = await secureDataDir(config.DATA_DIR);
  if (unfixed.length)
    log.warn('could not make these private to the server (chmod refused); fix their owner', {
      paths: unfixed.slice(0, 20),
    });
  // before MikroORM runs anything: see fast/async-context.ts
  if (config.FAST_PATHS === 'on') installAsyncContextSwitch();
  const orm = await initOrm(config);
  // REDIS_URL set: events reach every instance (docs/deployment.md); ioredis loaded only then (~4 MiB)
  const redis = config.REDIS_URL
    ? (await import('./realtime/redis-transport.js')).RedisTransport
    : undefined;
  const pubsub = new PubSub(
    redis && config.REDIS_URL ? new redis(config.REDIS_URL, { log }) : undefined,
  );
  const metrics = createMetrics({ tally: config.FAST_PATHS === 'on' });
  const instance = new InstanceLease(orm, {
    leaseMs: config.INSTANCE_LEASE_SECONDS * 1000,
    heartbeatMs: config.INSTANCE_HEARTBEAT_SECONDS * 1000,
    // PostgreSQL is the one database several instances may share
    shared: /^postgres(ql)?:\/\//.test(config.DATABASE_URL ?? ''),
    log,
  });
  await instance.register();
  const outputStore = OutputStore.inDataDir(config.DATA_DIR);
  const base: Omit<AppServices, 'retention'> = {
    config,
    log,
    orm,
    pubsub,
    metrics,
    auth: new Authenticator(orm, pubsub, { idleMs: config.sessionIdleSeconds * 1000, log }),
    // on PostgreSQL the limits hold for every instance sharing it; SQLite serves one process
    limiter: isPostgres(orm) ? new DbLoginLimiter(orm, log) : new LoginLimiter(),
    agent,
    supervisor: new CommandSupervisor(
      orm,
      pubsub,
      log,
      metrics,
      outputStore,
      config.OUTPUT_QUOTA_BYTES,
    ),
    instance,
    logHub: createLogHub({ onRefused: refusalWarner(log) }),
    outputStore,
  };
  // the same object: what is keyed by the app (the uploads store) is shared with the sweeper
  const services: AppServices = Object.assign(base, { retention: new RetentionSweeper(base) });
  // once for the deployment, not once per instance started at the same moment
  await withStartupLock(orm, async () => {
    await ensureInitialAdmin(services);
    await ensureAutomationUser(orm);
  });
  await moveLegacyOutput(orm, outputStore, log);
  // a run its dead server never ended is told as any failed run is (notify: on failure; the
  // outbox rows wait for the notifier, started below), and its log windows close
  const told = async (ids: string[]): Promise<void> => {
    for (const id of ids) {
      await closeOpenWindows(services, id).catch((err: unknown) =>
        log.error('could not close the log windows of an interrupted run', {
          runId: id,
          reason: (err as Error).message,
        }),
      );
      const run = await orm.em.fork().findOne(CommandRun, { id });
      if (run) await notifyRunEnd(services, run);
    }
  };
  await told(await recoverOrphanedRuns(orm, instance, pubsub, log, outputStore, true));
  // one instance (SQLite) has no one to take over from, and its cancels arrive in-process
  if (instance.shared) {
    instance.onBeat(() => services.supervisor.checkRequests());
    instance.onBeat(() => recoverOrphanedRuns(orm, instance, pubsub, log, outputStore).then(told));
  }
  // renewed on SQLite too: a live lease is how `npm run restore` knows a server runs on the data
  instance.start();
  await sweepUploads(services);
  services.retention.start();
  const approvals = new ApprovalSweeper(services); // pending runs past their time end EXPIRED
  approvals.start();
  const notifier = new Notifier(services);
  const runLogs = new RunLogsRecorder(services); // before any run starts: every window is recorded
  const queueing = new Set<Promise<void>>(); // waited for at stop: the database closes after
  services.supervisor.onRunEnd((run) => {
    const p = notifyRunEnd(services, run).finally(() => queueing.delete(p));
    queueing.add(p);
  });
  notifier.start();
  // after recovery: a firing's run must not be taken for an orphan of the last process
  const triggers = new TriggerWatcher(services);
  triggers.start();
  // after recovery: a time made up at start sees the runs that are really running
  const scheduler = new Scheduler(services);
  await scheduler.start();
  const agentFile = config.AGENT_CONFIG; // absolute: loadConfig resolved it
  const agentWatcher = watchAgentConfig(
    agentFile,
    (next) => {
      agent.config = next;
      scheduler.sync();
      const counts = { commands: next.commands.length, logs: next.logs.length };
      log.info('agent config reloaded', counts);
      void recordAudit(services, { action: 'CONFIG_RELOADED', target: agentFile, detail: counts });
    },
    (err) => {
      log.warn('agent config edit refused; keeping the last good one', { reason: err.message });
      void recordAudit(services, {
        action: 'CONFIG_REFUSED',
        target: agentFile,
        detail: { reason: err.message.slice(0, 1000) },
      });
    },
    100,
    config.secretEnv,
  );

  return {
    services,
    async stopWork() {
      agentWatcher.close();
      await approvals.stop();
      await triggers.stop(); // no new firing starts a run while runs are being stopped
      await scheduler.stop(); // no time starts a run while the runs are being ended
      // runs end INTERRUPTED with their output stored, so their streams complete normally
      await services.supervisor.stopAll();
      await Promise.all(queueing);
      await runLogs.idle();
      await notifier.stop(); // after the runs: their end notices are queued for the next start
      await instance.stop(); // our runs have ended: the lease goes
      services.auth.endAll();
      await stopFileProcessing(services);
    },
    async close() {
      await services.logHub.close(); // every follower's watcher and fds released
      await pubsub.close();
      await services.retention.stop();
      await orm.close();
      log.info('stopped');
      log.close();
    },
  };
}
