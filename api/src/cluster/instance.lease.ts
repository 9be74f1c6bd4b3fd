import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { MikroORM } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import type { Logger } from '../logger.js';

export interface LeaseOptions {
  leaseMs: number;
  heartbeatMs: number;
  /** PostgreSQL: several instances may share the database */
  shared: boolean;
  log: Logger;
}

type Beat = () => Promise<void>;

/** SQL for "now" in milliseconds since the epoch on PostgreSQL (`shared`) or SQLite: lease times */
export const dbNowSql = (shared: boolean): string =>
  shared
    ? '(extract(epoch from clock_timestamp()) * 1000)::bigint'
    : "cast((julianday('now') - 2440587.5) * 86400000 as integer)";

/**
 * This process's row in `instances`, renewed on a timer: while its lease holds, its runs are
 * its own. Times are the database's clock, so hosts whose clocks differ still agree.
 */
export class InstanceLease {
  readonly id = randomUUID();
  private readonly beats: Beat[] = [];
  private timer: NodeJS.Timeout | null = null;
  private beating: Promise<void> = Promise.resolve();
  private failing = false;

  constructor(
    private readonly orm: MikroORM,
    readonly opts: LeaseOptions,
  ) {}

  get shared(): boolean {
    return this.opts.shared;
  }

  /** SQL for "now" in milliseconds since the epoch, on the database's clock */
  get nowSql(): string {
    return dbNowSql(this.opts.shared);
  }

  /** SQL true when the instance row aliased `alias` still holds its lease */
  alive(alias: string): string {
    return `${alias}.lease_until > ${this.nowSql}`;
  }

  private em(): SqlEntityManager {
    return this.orm.em.fork() as SqlEntityManager;
  }

  /** Inserts this instance's row (again, if it was taken for dead and removed). */
  async register(): Promise<void> {
    const em = this.em();
    await em.execute(
      `insert into instances (id, host, pid, started_at, lease_until) values (?, ?, ?, ?, ${this.nowSql} + ?)`,
      [
        this.id,
        hostname().slice(0, 255),
        process.pid,
        // as MikroORM writes a date on this platform (a timestamp in SQLite)
        em.getPlatform().processDateProperty(new Date()),
        this.opts.leaseMs,
      ],
      'run',
    );
  }

  /** Runs on every heartbeat, after the lease is renewed, one after another. */
  onBeat(beat: Beat): void {
    this.beats.push(beat);
  }

  start(): void {
    let busy = false;
    this.timer = setInterval(() => {
      // a beat still running (a slow database) is not stacked on
      if (busy) return;
      busy = true;
      this.beating = this.beat().finally(() => (busy = false));
    }, this.opts.heartbeatMs);
    this.timer.unref();
  }

  private async beat(): Promise<void> {
    try {
      const res = await this.em().execute<{ affectedRows: number }>(
        `update instances set lease_until = ${this.nowSql} + ? where id = ?`,
        [this.opts.leaseMs, this.id],
        'run',
      );
      if (!res.affectedRows) {
        this.opts.log.warn(
          'this instance was taken for gone (its lease expired); registering again',
          {
            instance: this.id,
          },
        );
        await this.register();
      }
      for (const b of this.beats) await b();
      if (this.failing) this.opts.log.info('instance heartbeat works again', { instance: this.id });
      this.failing = false;
    } catch (err) {
      // logged once per outage, not on every beat
      if (!this.failing)
        this.opts.log.error('instance heartbeat failed', { instance: this.id, err });
      this.failing = true;
    }
  }

  /** Graceful stop: no more beats, and the row goes (nothing of ours is left running). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.beating;
    await this.em()
      .execute('delete from instances where id = ?', [this.id], 'run')
      .catch((err: unknown) => this.opts.log.warn('could not give up the lease', { err }));
  }
}
