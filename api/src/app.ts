import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { createYoga, type Plugin } from 'graphql-yoga';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config/config.js';
import type { AppServices, ServerContext } from './context.js';
import { secureDataDir } from './db/data-dir.js';
import { initOrm } from './db/orm.js';
import { AppError } from './errors.js';
import type { BodyPace } from './http/body-pace.js';
import { BodyEndedError, readJsonBody } from './http/json-body.js';
import { prepareMultipart, useParsedMultipart } from './http/multipart.js';
import { createFastPath } from './http/graphql-fast-path.js';
import { serveFileDownload } from './modules/files/file.download.js';
import { RUN_OUTPUT_PATH, serveRunOutput } from './modules/commands/command.download.js';
import { stopFileProcessing } from './modules/files/file.processor.js';
import { sweepUploads } from './modules/files/file.sweep.js';
import { startAuditRetention } from './modules/audit/audit.retention.js';
import { clientIp, credentialsOf, isSecure } from './http/request-identity.js';
import { sendError, sendJson } from './http/respond.js';
import { listenForMetrics, serveMetrics } from './http/metrics-route.js';
import { setSecurityHeaders } from './http/security-headers.js';
import { serveGraphiQL, wantsGraphiQL } from './http/graphiql.js';
import { serveStatic } from './http/static-files.js';
import { UploadSlots } from './http/upload-slots.js';
import { createLogger, type Logger } from './logger.js';
import { recordAudit } from './modules/audit/audit.service.js';
import { Authenticator } from './modules/auth/authenticator.js';
import { LoginLimiter } from './modules/auth/login-limiter.js';
import { ensureInitialAdmin } from './modules/users/user.service.js';
import { loadAgentConfig, watchAgentConfig } from './config/agent-config.js';
import { CommandSupervisor } from './modules/commands/command.supervisor.js';
import { recoverInterruptedRuns } from './modules/commands/command.recovery.js';
import { createLogHub } from './modules/logs/log.hub.js';
import { refusalWarner } from './modules/logs/log.refusal.js';
import { createMetrics } from './observability/metrics.js';
import { useAuthGate } from './plugins/auth-gate.js';
import { useOrmContext } from './plugins/orm-context.js';
import { useCsrf } from './plugins/csrf.js';
import { httpStatusFor, maskError, useContractErrorCodes } from './plugins/error-codes.js';
import { useOperationMetrics } from './plugins/operation-metrics.js';
import { useSharedEvents } from './plugins/shared-events.js';
import { useSubscriptionGuard } from './plugins/subscription-guard.js';
import { useStreamsNeedStreaming } from './plugins/streams-need-streaming.js';
import { PubSub } from './realtime/pubsub.js';
import { QueueOverflowError } from './realtime/queue.js';
import { schema } from './schema.js';
import { attachWebSocket } from './transport/ws.js';

export interface AppOptions {
  /** readable log lines on stderr besides logs/system.log */
  consoleLog?: boolean;
}

export interface App {
  services: AppServices;
  /** the METRICS_LISTEN listener's base URL once started, when one is configured */
  readonly metricsUrl: string | undefined;
  start(): Promise<{ url: string; port: number }>;
  stop(): Promise<void>;
}

/** Adds the Set-Cookie values a resolver asked for (login, logout) to the HTTP response. */
function useSetCookies(): Plugin<ServerContext> {
  return {
    onResponse({ serverContext, response }) {
      for (const c of (serverContext as Partial<ServerContext> | undefined)?.setCookies ?? [])
        response.headers.append('set-cookie', c);
    },
  };
}

const isExpected = (e: unknown) =>
  e instanceof AppError ||
  e instanceof QueueOverflowError ||
  (e instanceof Error && (e as { originalError?: unknown }).originalError instanceof AppError);

function yogaLogger(log: Logger) {
  const fmt = (args: unknown[]) =>
    args.map((a) => (a instanceof Error ? (a.stack ?? a.message) : String(a))).join(' ');
  return {
    debug: (...a: unknown[]) => log.debug(fmt(a)),
    info: (...a: unknown[]) => log.info(fmt(a)),
    warn: (...a: unknown[]) => log.warn(fmt(a)),
    // Yoga reports every error it rewrote; ours (AppError) are expected answers, not failures
    error: (...a: unknown[]) =>
      a.some(isExpected)
        ? undefined
        : log.error('unexpected error (masked for the client)', { detail: fmt(a) }),
  };
}

export async function createApp(config: Config, opts: AppOptions = {}): Promise<App> {
  const log = createLogger({
    dir: config.LOGS_DIR,
    level: config.LOG_LEVEL,
    console: opts.consoleLog,
  });
  const agent = { config: await loadAgentConfig(config.AGENT_CONFIG) };
  const unfixed = await secureDataDir(config.DATA_DIR);
  if (unfixed.length)
    log.warn('could not make these private to the server (chmod refused); fix their owner', {
      paths: unfixed.slice(0, 20),
    });
  const orm = await initOrm(config);
  // REDIS_URL set: events reach every instance (docs/deployment.md); ioredis loaded only then (~4 MiB)
  const redis = config.REDIS_URL
    ? (await import('./realtime/redis-transport.js')).RedisTransport
    : undefined;
  const pubsub = new PubSub(
    redis && config.REDIS_URL ? new redis(config.REDIS_URL, { log }) : undefined,
  );
  const metrics = createMetrics();
  const services: AppServices = {
    config,
    log,
    orm,
    pubsub,
    metrics,
    auth: new Authenticator(orm, pubsub, { idleMs: config.sessionIdleSeconds * 1000, log }),
    limiter: new LoginLimiter(),
    agent,
    supervisor: new CommandSupervisor(orm, pubsub, log, metrics),
    logHub: createLogHub({ onRefused: refusalWarner(log) }),
  };
  await ensureInitialAdmin(services);
  await recoverInterruptedRuns(orm, log);
  await sweepUploads(services);
  const auditRetention = startAuditRetention(services);
  const agentFile = config.AGENT_CONFIG; // absolute: loadConfig resolved it
  const agentWatcher = watchAgentConfig(
    agentFile,
    (next) => {
      agent.config = next;
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
  );

  const yoga = createYoga<ServerContext>({
    schema,
    graphqlEndpoint: '/graphql',
    maskedErrors: { maskError },
    batching: false,
    // the Node layer limits bodies; Yoga's own limit costs half the throughput
    maxRequestBodySize: false as never,
    cors: config.PUBLIC_ORIGIN.length
      ? { origin: config.PUBLIC_ORIGIN, credentials: true, methods: ['GET', 'POST'] }
      : false,
    graphiql: false, // served from the web build by http/graphiql.ts
    landingPage: false,
    logging: yogaLogger(log),
    plugins: [
      useCsrf(),
      useParsedMultipart(),
      useOrmContext(orm),
      EnvelopArmorPlugin({
        blockFieldSuggestion: { enabled: false }, // signed-in callers get suggestions; signed-out ones one generic message (auth-gate.ts)
        maxDepth: { flattenFragments: true }, // a fragment spread is not a level of nesting
        costLimit: { maxCost: 20_000 }, // the default 5,000 refuses a page of 100 runs; list sizes are capped server-side
      }),
      useContractErrorCodes(),
      useAuthGate(),
      useSubscriptionGuard(),
      useOperationMetrics(),
      useSetCookies(),
      useStreamsNeedStreaming(),
      useSharedEvents(maskError), // last: see its comment
    ],
  });

  const pace: BodyPace = {
    windowMs: config.REQUEST_BODY_TIMEOUT_SECONDS * 1000,
    minBytes: config.REQUEST_BODY_MIN_BYTES,
    onStall: (req) =>
      log.warn('request body stalled; the request was ended', {
        ip: clientIp(req, config.TRUST_PROXY),
        url: req.url,
      }),
  };
  const uploadSlots = new UploadSlots(config.UPLOAD_CONCURRENCY_PER_USER);
  const tryFastPath = createFastPath(yoga, config.PUBLIC_ORIGIN.length > 0);
  // whatwg-node's listener takes a server context after (req, res); its type only shows two
  const listen = yoga.requestListener as unknown as (
    req: IncomingMessage,
    res: ServerResponse,
    ctx: ServerContext,
  ) => Promise<void>;

  async function handleGraphQL(req: IncomingMessage, res: ServerResponse) {
    const creds = credentialsOf(req.headers);
    const found = services.auth.authenticate(creds.token);
    const serverContext: ServerContext = {
      app: services,
      viewer: found instanceof Promise ? await found : found,
      clientIp: clientIp(req, config.TRUST_PROXY),
      setCookies: [],
      secure: isSecure(req, config.TRUST_PROXY),
      transport: 'http',
    };
    const type = req.method === 'POST' ? String(req.headers['content-type'] ?? '') : undefined;
    if (type !== undefined && /^application\/json\b/i.test(type)) {
      await readJsonBody(req, res, pace);
      if (await tryFastPath(req, res, serverContext)) return;
    }
    setSecurityHeaders(res); // the fast path sent them in its one writeHead (cheaper than setHeader)
    if (type?.startsWith('multipart/form-data')) {
      if (!(await prepareMultipart(req, res, serverContext, { slots: uploadSlots, pace }))) return;
    } else if (type !== undefined && !/^application\/json\b/i.test(type)) {
      sendError(
        res,
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        'POST a JSON body (Content-Type: application/json) or a multipart upload.',
      );
      return;
    }
    await listen(req, res, serverContext);
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const pathname = (req.url ?? '/').split('?', 1)[0]!;
    try {
      if (pathname === '/graphql' && wantsGraphiQL(req)) return serveGraphiQL(req, res);
      if (pathname === '/graphql') return await handleGraphQL(req, res);
      setSecurityHeaders(res);
      if (pathname === '/health') return sendJson(res, 200, { status: 'ok' });
      if (
        pathname.startsWith('/files/') &&
        pathname !== '/files/' &&
        (req.method === 'GET' || req.method === 'HEAD')
      ) {
        return await serveFileDownload(
          req,
          res,
          services,
          await services.auth.authenticate(credentialsOf(req.headers).token),
        );
      }
      if (RUN_OUTPUT_PATH.test(pathname) && (req.method === 'GET' || req.method === 'HEAD'))
        return await serveRunOutput(
          req,
          res,
          services,
          await services.auth.authenticate(credentialsOf(req.headers).token),
        );
      if (pathname === '/ready') {
        const ok =
          (await orm.isConnected().catch(() => false)) &&
          (await orm.em
            .getConnection()
            .execute('select 1')
            .then(
              () => true,
              () => false,
            ));
        return sendJson(res, ok ? 200 : 503, { status: ok ? 'ready' : 'database unreachable' });
      }
      if (pathname === '/metrics' && (req.method === 'GET' || req.method === 'HEAD'))
        return await serveMetrics(req, res, services, false);
      if (req.method === 'GET' || req.method === 'HEAD') return serveStatic(req, res);
      sendError(res, 404, 'NOT_FOUND', `Nothing at ${req.method} ${pathname}.`);
    } catch (err) {
      if (!res.headersSent) setSecurityHeaders(res);
      if (err instanceof AppError)
        return sendError(res, httpStatusFor(err.code) ?? 400, err.code, err.message);
      // the body was cut off: answered already (a stalled body), or nobody is left to answer
      if (err instanceof BodyEndedError) return void res.destroy();
      log.error('request failed', { err, path: pathname });
      sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Unexpected error.');
    }
  }

  let server: Server | undefined;
  let metricsListener: Awaited<ReturnType<typeof listenForMetrics>>;
  let ws: ReturnType<typeof attachWebSocket> | undefined;

  return {
    services,
    get metricsUrl() {
      return metricsListener?.url;
    },
    async start() {
      server = createServer({ requestTimeout: 3_600_000 }, (req, res) => void handle(req, res));
      ws = attachWebSocket(server, yoga, services);
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject);
        server!.listen(config.PORT, config.HOST, () => resolve());
      });
      const { port } = server.address() as AddressInfo;
      const host = config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
      const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
      metricsListener = await listenForMetrics(services);
      log.info('listening', {
        url,
        graphql: `${url}/graphql`,
        ...(metricsListener ? { metrics: `${metricsListener.url}/metrics` } : {}),
      });
      return { url, port };
    },
    async stop() {
      log.info('shutting down');
      const closed = server ? new Promise((r) => server!.close(r)) : Promise.resolve();
      metricsListener?.server.close();
      metricsListener?.server.closeAllConnections();
      agentWatcher.close();
      // runs end INTERRUPTED with their output stored, so their streams complete normally
      await services.supervisor.stopAll();
      services.auth.endAll();
      await stopFileProcessing(services);
      await new Promise((r) => setTimeout(r, 50));
      await ws?.close();
      server?.closeIdleConnections();
      // streams got their final event; give them a moment to flush, then cut what is left
      await Promise.race([closed, new Promise((r) => setTimeout(r, 2_000))]);
      server?.closeAllConnections();
      await services.logHub.close(); // every follower's watcher and fds released
      await pubsub.close();
      await auditRetention.stop();
      await orm.close();
      log.info('stopped');
      log.close();
    },
  };
}
