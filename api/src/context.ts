import type { EntityManager, MikroORM } from '@mikro-orm/core';
import type { YogaInitialContext } from 'graphql-yoga';
import type { InstanceLease } from './cluster/instance.lease.js';
import type { AgentConfig } from './config/agent-config.js';
import type { Config } from './config/config.js';
import type { Logger } from './logger.js';
import type { Authenticator } from './modules/auth/authenticator.js';
import type { GuessLimiter } from './modules/auth/login-limiter.js';
import type { Viewer } from './modules/auth/viewer.js';
import type { CommandSupervisor } from './modules/commands/command.supervisor.js';
import type { OutputStore } from './modules/commands/output.store.js';
import type { LogHub } from './modules/logs/log.hub.js';
import type { RetentionSweeper } from './modules/retention/retention.sweeper.js';
import type { Metrics } from './observability/metrics.js';
import type { PubSub } from './realtime/pubsub.js';

/** Long-lived singletons, built once by createApp. */
export interface AppServices {
  config: Config;
  log: Logger;
  orm: MikroORM;
  pubsub: PubSub;
  auth: Authenticator;
  limiter: GuessLimiter;
  metrics: Metrics;
  /** the last good agent.yaml; replaced when the file changes */
  agent: { config: AgentConfig };
  supervisor: CommandSupervisor;
  /** this process's id and lease; runs it starts are its own */
  instance: InstanceLease;
  /** one follower per log file, shared by every logTail */
  logHub: LogHub;
  /** every run's whole output, in files under DATA_DIR/output */
  outputStore: OutputStore;
  /** agent.yaml `retention:` applied soon after start and hourly; `sweep()` runs one now */
  retention: RetentionSweeper;
}

/** What each transport supplies per request or WebSocket operation. */
export interface ServerContext {
  app: AppServices;
  viewer: Viewer | null;
  clientIp: string;
  /** Set-Cookie values the HTTP response should carry (empty on WebSocket) */
  setCookies: string[];
  secure: boolean;
  transport: 'http' | 'ws';
  /** A signal that aborts when the client goes away: the HTTP connection, or the WebSocket (queries have no `signal`). */
  clientGone?: () => AbortSignal;
}

export interface Context extends ServerContext, YogaInitialContext {
  /** fork per operation: the identity map must not outlive it */
  em: EntityManager;
  /** aborted when this operation's stream ends for any reason; long waits listen to it */
  signal: AbortSignal;
  /** @internal the subscription guard ends the operation through this */
  abortOperation: () => void;
}
