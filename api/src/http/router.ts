import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppServices } from '../context.js';
import { AppError } from '../errors.js';
import { BodyEndedError } from '../fast/index.js';
import { RUN_OUTPUT_PATH, serveRunOutput } from '../modules/commands/command.download.js';
import { createHookRoute, HOOK_PATH } from '../modules/hooks/hook.route.js';
import { serveFileDownload } from '../modules/files/file.download.js';
import { LOG_LINES_PATH, serveLogDownload } from '../modules/logs/log.download.js';
import { httpStatusFor } from '../plugins/error-codes.js';
import type { Yoga } from '../yoga.js';
import { serveGraphiQL, wantsGraphiQL } from './graphiql.js';
import { createGraphqlHandler } from './graphql-request.js';
import { serveMetrics } from './metrics-route.js';
import { credentialsOf } from './request-identity.js';
import { sendError, sendJson } from './respond.js';
import { setSecurityHeaders } from './security-headers.js';
import { serveStatic } from './static-files.js';

/**
 * Routes every HTTP request: /graphql (GraphiQL's page for a browser), file, run-output and
 * log-lines downloads, health, readiness, metrics, the web UI.
 */
export function createRouter(services: AppServices, yoga: Yoga) {
  const { orm, log } = services;
  const handleGraphQL = createGraphqlHandler(services, yoga);
  const serveHook = createHookRoute(services);

  const ready = async () =>
    (await orm.isConnected().catch(() => false)) &&
    (await orm.em
      .getConnection()
      .execute('select 1')
      .then(
        () => true,
        () => false,
      ));

  return async function handle(req: IncomingMessage, res: ServerResponse) {
    const pathname = (req.url ?? '/').split('?', 1)[0]!;
    try {
      if (pathname === '/graphql' && wantsGraphiQL(req)) return serveGraphiQL(req, res);
      if (pathname === '/graphql') return await handleGraphQL(req, res);
      setSecurityHeaders(res);
      if (pathname === '/health') return sendJson(res, 200, { status: 'ok' });
      if (req.method === 'POST' && HOOK_PATH.test(pathname)) return await serveHook(req, res);
      const reading = req.method === 'GET' || req.method === 'HEAD';
      const caller = () => services.auth.authenticate(credentialsOf(req.headers).token);
      // `/files/` itself is the Files page (a reload with a trailing slash), not a download
      if (reading && pathname.startsWith('/files/') && pathname !== '/files/')
        return await serveFileDownload(req, res, services, await caller());
      if (reading && RUN_OUTPUT_PATH.test(pathname))
        return await serveRunOutput(req, res, services, await caller());
      if (reading && LOG_LINES_PATH.test(pathname))
        return await serveLogDownload(req, res, services, await caller());
      if (pathname === '/ready') {
        const ok = await ready();
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
  };
}
