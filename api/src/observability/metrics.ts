import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { TallyHistogram, tallyCounter } from '../fast/index.js';

/** Operation counts and durations through prom-client itself (FAST_PATHS=off), in the tallies' shape. */
function stockOperationMetrics(registry: Registry) {
  const operations = new Counter({
    name: 'tiny_agent_graphql_operations_total',
    help: 'GraphQL operations by type, name and outcome.',
    labelNames: ['type', 'name', 'outcome'] as const,
    registers: [registry],
  });
  const seconds = new Histogram({
    name: 'tiny_agent_graphql_operation_duration_seconds',
    help: 'GraphQL query and mutation duration.',
    labelNames: ['type'] as const,
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [registry],
  });
  return {
    operations: {
      inc: (labels: Record<'type' | 'name' | 'outcome', string>) => operations.inc(labels),
    },
    operationSeconds: {
      observe: (type: string, value: number) => seconds.observe({ type }, value),
    },
  };
}

/** One registry per app (tests run several apps in one process); `tally`: the fast counters (fast/tally.ts). */
export function createMetrics({ tally = true }: { tally?: boolean } = {}) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tiny_agent_' });
  // gauges named like counters (`promtool check metrics` refuses them); the by-type gauges stay
  for (const name of ['active_handles_total', 'active_requests_total', 'active_resources_total']) {
    registry.removeSingleMetric(`tiny_agent_nodejs_${name}`);
  }
  // what the WebSocket server holds, read at scrape (ws.ts sets the source when it starts)
  const webSockets = { bufferedBytes: () => 0 };
  const m = {
    registry,
    webSockets,
    // counted on every operation: tallied cheaply, read at scrape
    ...(tally
      ? {
          operations: tallyCounter({
            name: 'tiny_agent_graphql_operations_total',
            help: 'GraphQL operations by type, name and outcome.',
            labelNames: ['type', 'name', 'outcome'] as const,
            registry,
          }),
          operationSeconds: new TallyHistogram(
            'tiny_agent_graphql_operation_duration_seconds',
            'GraphQL query and mutation duration.',
            'type',
            [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
            registry,
          ) as Pick<TallyHistogram, 'observe'>,
        }
      : stockOperationMetrics(registry)),
    failedLogins: new Counter({
      name: 'tiny_agent_failed_logins_total',
      help: 'Failed sign-in attempts.',
      registers: [registry],
    }),
    openSubscriptions: new Gauge({
      name: 'tiny_agent_open_subscriptions',
      help: 'Open GraphQL subscriptions by root field.',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
    openWebSockets: new Gauge({
      name: 'tiny_agent_open_websockets',
      help: 'Open GraphQL WebSocket connections (acknowledged).',
      registers: [registry],
    }),
    webSocketBufferedBytes: new Gauge({
      name: 'tiny_agent_websocket_buffered_bytes',
      help: 'Bytes queued in the server for WebSocket clients that read slower than their streams (a stalled reader shows here).',
      registers: [registry],
      collect() {
        this.set(webSockets.bufferedBytes());
      },
    }),
    runningCommands: new Gauge({
      name: 'tiny_agent_running_commands',
      help: 'Command runs in progress.',
      registers: [registry],
    }),
    commandResults: new Counter({
      name: 'tiny_agent_command_runs_total',
      help: 'Finished command runs by command and status.',
      labelNames: ['command', 'status'] as const,
      registers: [registry],
    }),
    commandSeconds: new Histogram({
      name: 'tiny_agent_command_duration_seconds',
      help: 'Command run duration.',
      labelNames: ['command'] as const,
      buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 1800],
      registers: [registry],
    }),
    logLinesStreamed: new Counter({
      name: 'tiny_agent_log_lines_streamed_total',
      help: 'Log lines delivered to logTail subscribers.',
      registers: [registry],
    }),
    uploadedBytes: new Counter({
      name: 'tiny_agent_uploaded_bytes_total',
      help: 'Bytes of uploads stored.',
      registers: [registry],
    }),
    uploads: new Counter({
      name: 'tiny_agent_uploads_total',
      help: 'Uploads by outcome: stored, or the error code that refused them (aborted: the client went away).',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    retentionRemoved: new Counter({
      name: 'tiny_agent_retention_removed_total',
      help: 'What the retention sweeper removed, by kind: runs, outputs (run kept), uploads, audit_events.',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
    retentionFreedBytes: new Counter({
      name: 'tiny_agent_retention_freed_bytes_total',
      help: 'Bytes of run output and uploads the retention sweeper freed.',
      registers: [registry],
    }),
    notifications: new Counter({
      name: 'tiny_agent_notifications_total',
      help: 'Notification delivery attempts by target type and outcome: sent, retry (failed, tried again later), failed (given up).',
      labelNames: ['type', 'outcome'] as const,
      registers: [registry],
    }),
  };
  return m;
}

export type Metrics = ReturnType<typeof createMetrics>;
