// `POST /hooks/<name>`: a signed webhook starts its hook's command through startAutomaticRun.
// The order of checks gives an unsigned caller nothing but 404, 429, 413 or 401: the hook is
// found and counted before the body is read, and the signature is verified before the body is
// parsed or anything is stored.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppServices } from '../../context.js';
import { AppError } from '../../errors.js';
import type { BodyPace } from '../../http/body-pace.js';
import { clientIp, isSecure } from '../../http/request-identity.js';
import { sendError, sendJson } from '../../http/respond.js';
import { httpStatusFor } from '../../plugins/error-codes.js';
import { recordAudit } from '../audit/audit.service.js';
import { startAutomaticRun } from '../automation/automation.run.js';
import { hookArgs, parseHookBody } from './hook.args.js';
import { closeAfterAnswer, MAX_HOOK_BODY, readHookBody } from './hook.body.js';
import { HookDeliveries } from './hook.deliveries.js';
import { HookLimiter } from './hook.limiter.js';
import { checkSignature } from './hook.signature.js';

export const HOOK_PATH = /^\/hooks\/([^/]*)$/;

const UNSIGNED =
  'The request is not signed with this hook\'s secret: send X-Tiny-Agent-Timestamp (unix seconds) and X-Tiny-Agent-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>, with the timestamp within 5 minutes of now.';
const UNSIGNED_GITHUB =
  "The request is not signed with this hook's secret: send X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, body)>.";

// runCommand's refusals as HTTP: a limit is 409, a command gone from agent.yaml 404
const RUN_REFUSED: Partial<Record<string, number>> = { CONFLICT: 409, NOT_FOUND: 404 };

export function createHookRoute(app: AppServices) {
  const { config, log } = app;
  const limiter = new HookLimiter(config.hookWindowMs);
  const deliveries = new HookDeliveries(app.orm);
  const pace: BodyPace = {
    windowMs: config.REQUEST_BODY_TIMEOUT_SECONDS * 1000,
    minBytes: config.REQUEST_BODY_MIN_BYTES,
  };

  return async function serveHook(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const name = HOOK_PATH.exec((req.url ?? '').split('?', 1)[0]!)?.[1] ?? '';
    const ip = clientIp(req, config.TRUST_PROXY);
    // never the secret, the signature or the body: what a reader of the log needs to act
    const refuse = (
      status: number,
      code: string,
      reason: string,
      message: string,
      audit = false,
    ) => {
      log.warn('webhook refused', { hook: name.slice(0, 64), reason, ip, status });
      if (audit)
        void recordAudit(app, {
          action: 'HOOK_REFUSED',
          ip,
          target: name.slice(0, 64),
          detail: { reason, status },
        });
      sendError(res, status, code, message, req.complete ? {} : { connection: 'close' });
      if (!req.complete) closeAfterAnswer(req, res);
    };

    // read now: an edit of agent.yaml applies to the next request
    const hook = app.agent.config.hooks.find((h) => h.name === name);
    if (!hook) return refuse(404, 'NOT_FOUND', 'unknown hook', 'No webhook by that name.');
    const wait = limiter.take(hook.name, hook.perMinute);
    if (wait > 0) {
      log.warn('webhook refused', { hook: hook.name, reason: 'rate limited', ip, status: 429 });
      sendError(
        res,
        429,
        'RATE_LIMITED',
        `This webhook accepts ${hook.perMinute} requests a minute: try again in ${wait} s.`,
        { 'retry-after': String(wait), ...(req.complete ? {} : { connection: 'close' }) },
      );
      if (!req.complete) closeAfterAnswer(req, res);
      return;
    }
    const read = await readHookBody(req, res, pace);
    if ('ended' in read) return;
    if ('tooLarge' in read)
      return refuse(
        413,
        'PAYLOAD_TOO_LARGE',
        'body too large',
        `The body is larger than ${MAX_HOOK_BODY} bytes, the most a webhook accepts.`,
      );
    const signed = checkSignature(hook, req.headers, read.body);
    if (!signed.ok)
      return refuse(
        401,
        'UNAUTHENTICATED',
        `signature ${signed.reason}`,
        hook.style === 'github' ? UNSIGNED_GITHUB : UNSIGNED,
        true,
      );
    if (hook.style === 'github' && req.headers['x-github-event'] === 'ping') {
      log.info('webhook ping', { hook: hook.name, ip });
      return sendJson(res, 200, { ok: true, hook: hook.name });
    }
    if (!(await deliveries.claim(hook.name, signed.signature)))
      return refuse(
        409,
        'CONFLICT',
        'replayed',
        'This signed request was delivered before: sign each request anew (a new timestamp).',
        true,
      );
    void deliveries
      .sweep(app.agent.config.hooks)
      .catch((err) => log.warn('could not sweep old webhook signatures', { err: String(err) }));
    try {
      const run = await startAutomaticRun(
        app,
        hook.command,
        hookArgs(hook, parseHookBody(read.body)),
        { trigger: 'WEBHOOK', name: hook.name },
        ip,
      );
      await deliveries.started(hook.name, signed.signature, run.id);
      const origin = originOf(req, app);
      sendJson(res, 202, {
        runId: run.id,
        status: run.status,
        url: `${origin}/runs/${run.id}`,
        output: `${origin}/runs/${run.id}/output.txt`,
      });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      const status = RUN_REFUSED[err.code] ?? httpStatusFor(err.code) ?? 400;
      refuse(status, err.code, `run refused: ${err.code}`, err.message, true);
    }
  };
}

/** Where the run's links point: the first PUBLIC_ORIGIN, else the origin this request came to. */
function originOf(req: IncomingMessage, app: AppServices): string {
  const configured = app.config.PUBLIC_ORIGIN[0];
  if (configured) return configured;
  const proto = isSecure(req, app.config.TRUST_PROXY) ? 'https' : 'http';
  return `${proto}://${req.headers.host ?? `${app.config.HOST}:${app.config.PORT}`}`;
}
