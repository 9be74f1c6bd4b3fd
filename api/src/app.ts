import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config/config.js';
import type { AppServices } from './context.js';
import { listenForMetrics } from './http/metrics-route.js';
import { createRouter } from './http/router.js';
import { buildServices, type ServiceOptions } from './services.js';
import { attachWebSocket } from './transport/ws.js';
import { createYogaServer } from './yoga.js';

export type AppOptions = ServiceOptions;

export interface App {
  services: AppServices;
  /** the METRICS_LISTEN listener's base URL once started, when one is configured */
  readonly metricsUrl: string | undefined;
  start(): Promise<{ url: string; port: number }>;
  stop(): Promise<void>;
}

/** The services, Yoga on top of them, and the HTTP and WebSocket servers that reach it. */
export async function createApp(config: Config, opts: AppOptions = {}): Promise<App> {
  const built = await buildServices(config, opts);
  const { services } = built;
  const { log } = services;
  const yoga = createYogaServer(services);
  const handle = createRouter(services, yoga);

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
        ...(config.FAST_PATHS === 'off' ? { fastPaths: 'off' } : {}),
      });
      return { url, port };
    },
    async stop() {
      log.info('shutting down');
      const closed = server ? new Promise((r) => server!.close(r)) : Promise.resolve();
      metricsListener?.server.close();
      metricsListener?.server.closeAllConnections();
      await built.stopWork();
      await new Promise((r) => setTimeout(r, 50));
      await ws?.close();
      server?.closeIdleConnections();
      // streams got their final event; give them a moment to flush, then cut what is left
      await Promise.race([closed, new Promise((r) => setTimeout(r, 2_000))]);
      server?.closeAllConnections();
      await built.close();
    },
  };
}
