// Follows every log-pattern trigger of agent.yaml: one log-hub subscription per trigger, from the
// end of its file (new lines only), re-made when an edit of the file changes its source or pattern.
import { setTimeout as delay } from 'node:timers/promises';
import type { AgentConfig } from '../../config/agent-config.types.js';
import type { AppServices } from '../../context.js';
import { encodeCursor, type LogCursor } from '../logs/log.cursor.js';
import { compileFilter } from '../logs/log.filter.js';
import type { LineEvent } from '../logs/log.event.js';
import type { LogSubscription } from '../logs/log.hub.js';
import { fire } from './trigger.fire.js';
import { TriggerFiring } from './trigger.firing.entity.js';
import { pruneFirings, PRUNE_EVERY } from './trigger.prune.js';
import { compileTrigger, type TriggerMatcher } from './trigger.match.js';

export interface TriggerWatcherOptions {
  /** how often agent.yaml's current config is compared with the one followed */
  checkEveryMs?: number;
  /** before a subscription that failed is made again */
  retryMs?: number;
}

// lines waiting for one trigger beyond this are dropped (counted): a burst never grows memory
const QUEUE_SIZE = 64;

interface Follow {
  /** what a subscription depends on: the file and the pattern */
  key: string;
  ac: AbortController;
  sub: LogSubscription | null;
  done: Promise<void>;
}

export class TriggerWatcher {
  private readonly follows = new Map<string, Follow>();
  private seen: AgentConfig | null = null;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly app: AppServices,
    private readonly opts: TriggerWatcherOptions = {},
  ) {}

  start(): void {
    this.sync();
    // the agent.yaml watcher replaces app.agent.config on each good edit; a glance finds it
    this.timer = setInterval(() => this.sync(), this.opts.checkEveryMs ?? 250);
    this.timer.unref();
  }

  /** Ends every subscription and waits for a firing in flight to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await Promise.all([...this.follows.keys()].map((name) => this.unfollow(name)));
  }

  private sync(): void {
    const config = this.app.agent.config;
    if (this.stopped || config === this.seen) return;
    this.seen = config;
    const wanted = new Map<string, string>();
    for (const t of config.triggers) {
      const source = config.logs.find((l) => l.name === t.source);
      if (source) wanted.set(t.name, JSON.stringify([source.path, t.pattern]));
    }
    for (const [name, f] of this.follows) if (wanted.get(name) !== f.key) void this.unfollow(name);
    for (const [name, key] of wanted) if (!this.follows.has(name)) this.follow(name, key);
  }

  private async unfollow(name: string): Promise<void> {
    const f = this.follows.get(name);
    if (!f) return;
    this.follows.delete(name);
    f.ac.abort();
    await f.sub?.return();
    await f.done;
  }

  private follow(name: string, key: string): void {
    const [path, pattern] = JSON.parse(key) as [string, string];
    const f: Follow = { key, ac: new AbortController(), sub: null, done: Promise.resolve() };
    f.done = this.loop(name, path, pattern, f).catch((err: unknown) =>
      this.app.log.error('log trigger stopped', { trigger: name, err }),
    );
    this.follows.set(name, f);
  }

  private async loop(name: string, path: string, pattern: string, f: Follow): Promise<void> {
    const { app } = this;
    const signal = f.ac.signal;
    const match = compileTrigger(pattern);
    const filter = compileFilter(pattern);
    const state = { lastFired: null as Date | null, fired: 0, loaded: false };
    let after: LogCursor | null = null; // resume here after a failure, so no line is missed
    while (!signal.aborted) {
      try {
        if (!state.loaded) {
          state.lastFired = await lastFiringAt(app, name); // a restart keeps the cooldown
          state.loaded = true;
        }
        f.sub = app.logHub.subscribe(path, {
          startAt: after ? { after } : 'end',
          filter,
          queueSize: QUEUE_SIZE,
          signal,
          onLive: () => app.log.info('log trigger following', { trigger: name, path }),
        });
        for await (const event of f.sub) {
          if (event.kind === 'DROPPED')
            app.log.warn('log trigger skipped lines it could not keep up with', {
              trigger: name,
              count: event.count,
            });
          if (event.kind !== 'LINE') continue;
          after = event.cursor;
          const outcome = await this.handle(name, event, match, state);
          if (outcome !== 'fired')
            app.log.debug(`log trigger line ${outcome}`, {
              trigger: name,
              cursor: encodeCursor(event.cursor),
            });
        }
        return; // the hub closed (the server stops) or we were told to stop
      } catch (err) {
        if (signal.aborted) return;
        app.log.warn('log trigger failed; following again', { trigger: name, err });
        await delay(this.opts.retryMs ?? 1000, undefined, { signal }).catch(() => {});
      }
    }
  }

  /** One matching line: fired, unless within the cooldown (of any instance) or fired elsewhere. */
  private async handle(
    name: string,
    line: LineEvent,
    match: TriggerMatcher,
    state: { lastFired: Date | null; fired: number },
  ): Promise<Outcome> {
    const { app } = this;
    // read at the moment it acts: an edit may have changed its cooldown, command or targets
    const spec = app.agent.config.triggers.find((t) => t.name === name);
    if (!spec) return 'not matched';
    const cooldownMs = spec.cooldownSeconds * 1000;
    const cooling = () => state.lastFired && Date.now() - state.lastFired.getTime() < cooldownMs;
    // the cooldown first: a burst of matches costs a comparison each, no query and no run
    if (cooling()) return 'within the cooldown';
    const captures = match(line.text);
    if (!captures) return 'not matched';
    if (cooldownMs > 0) {
      // another instance following the same file may have fired it since
      const last = await lastFiringAt(app, name);
      if (last && (!state.lastFired || last > state.lastFired)) state.lastFired = last;
      if (cooling()) return 'within the cooldown';
    }
    // one firing at a time: the next line waits (in the bounded queue) until this one is done
    const firing = await fire(app, spec, line, captures);
    state.lastFired = firing?.firedAt ?? new Date();
    if (!firing) return 'fired by another instance';
    if (++state.fired % PRUNE_EVERY === 0)
      await pruneFirings(app, name).catch((err: unknown) =>
        app.log.warn('could not prune old trigger firings', { trigger: name, err }),
      );
    return 'fired';
  }
}

type Outcome = 'fired' | 'fired by another instance' | 'within the cooldown' | 'not matched';

async function lastFiringAt(app: AppServices, name: string): Promise<Date | null> {
  const last = await app.orm.em
    .fork()
    .findOne(
      TriggerFiring,
      { triggerName: name },
      { orderBy: { firedAt: 'desc' }, fields: ['firedAt'] },
    );
  return last?.firedAt ?? null;
}
