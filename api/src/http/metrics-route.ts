import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config/config.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../observability/metrics.js';
import { metricsRefusal } from './metrics-access.js';
import { sendError } from './respond.js';
import { setSecurityHeaders } from './security-headers.js';

interface Deps {
  config: Pick<Config, 'METRICS_TOKEN' | 'METRICS_LISTEN'>;
  metrics: Metrics;
  log: Logger;
}

/** GET /metrics: Prometheus text for whoever the contract's rule lets through, a JSON refusal otherwise. */
export async function serveMetrics(
  req: IncomingMessage,
  res: ServerResponse,
  deps: Deps,
  onMetricsListener: boolean,
): Promise<void> {
  const refusal = metricsRefusal(
    {
      remoteAddress: req.socket.remoteAddress,
      authorization: req.headers.authorization,
      onMetricsListener,
    },
    { token: deps.config.METRICS_TOKEN, separateListener: !!deps.config.METRICS_LISTEN },
  );
  if (refusal) {
    deps.log.warn('metrics request refused', {
      ip: req.socket.remoteAddress,
      reason: refusal.reason,
    });
    const extra: Record<string, string> =
      refusal.status === 401 ? { 'www-authenticate': 'Bearer realm="metrics"' } : {};
    return sendError(res, refusal.status, refusal.code, refusal.message, extra);
  }
  const text = await deps.metrics.registry.metrics();
  res.writeHead(200, {
    'content-type': deps.metrics.registry.contentType,
    'cache-control': 'no-store',
  });
  res.end(req.method === 'HEAD' ? undefined : text);
}

/** METRICS_LISTEN: a listener of its own that serves /metrics and nothing else. */
export async function listenForMetrics(
  deps: Deps,
): Promise<{ server: Server; url: string } | undefined> {
  const at = deps.config.METRICS_LISTEN;
  if (!at) return undefined;
  const server = createServer((req, res) => {
    setSecurityHeaders(res);
    const pathname = (req.url ?? '/').split('?', 1)[0];
    if (pathname === '/metrics' && (req.method === 'GET' || req.method === 'HEAD')) {
      serveMetrics(req, res, deps, true).catch((err: unknown) => {
        deps.log.error('metrics failed', { err });
        sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Unexpected error.');
      });
    } else sendError(res, 404, 'NOT_FOUND', 'This listener serves GET /metrics only.');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(at.port, at.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = at.host.includes(':') ? `[${at.host}]` : at.host;
  return { server, url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}` };
}
