import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppServices, ServerContext } from '../context.js';
import { PayloadTooLargeError } from '../errors.js';
import { createFastPath, MAX_JSON_BODY, readJsonBody } from '../fast/index.js';
import type { Yoga } from '../yoga.js';
import { guardBodyPace, type BodyPace } from './body-pace.js';
import { closeSignal } from './close-signal.js';
import { prepareMultipart } from './multipart.js';
import { clientIp, credentialsOf, isSecure } from './request-identity.js';
import { sendError } from './respond.js';
import { setSecurityHeaders } from './security-headers.js';
import { UploadSlots } from './upload-slots.js';

const isJson = (type: string) => /^application\/json\b/i.test(type);

/**
 * Answers a request to /graphql: finds the viewer, refuses what isn't JSON or a multipart upload,
 * then hands the request to Yoga (or, with FAST_PATHS on, to the fast path when it can answer).
 */
export function createGraphqlHandler(services: AppServices, yoga: Yoga) {
  const { config, log } = services;
  const fast = config.FAST_PATHS === 'on';
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
  const tryFastPath = fast ? createFastPath(yoga, config.PUBLIC_ORIGIN.length > 0) : undefined;
  // whatwg-node's listener takes a server context after (req, res); its type only shows two
  const listen = yoga.requestListener as unknown as (
    req: IncomingMessage,
    res: ServerResponse,
    ctx: ServerContext,
  ) => Promise<void>;

  return async function handleGraphQL(req: IncomingMessage, res: ServerResponse) {
    const creds = credentialsOf(req.headers);
    const found = services.auth.authenticate(creds.token);
    const serverContext: ServerContext = {
      app: services,
      viewer: found instanceof Promise ? await found : found,
      clientIp: clientIp(req, config.TRUST_PROXY),
      setCookies: [],
      secure: isSecure(req, config.TRUST_PROXY),
      transport: 'http',
      clientGone: () => closeSignal(res),
    };
    const type = req.method === 'POST' ? String(req.headers['content-type'] ?? '') : undefined;
    if (type !== undefined && isJson(type)) {
      if (tryFastPath) {
        await readJsonBody(req, res, pace);
        if (await tryFastPath(req, res, serverContext)) return;
      } else {
        // stock: Yoga reads the body and enforces the size (maxRequestBodySize); a declared size is refused at once
        if (Number(req.headers['content-length']) > MAX_JSON_BODY)
          throw new PayloadTooLargeError(`Request body is larger than ${MAX_JSON_BODY} bytes.`);
        guardBodyPace(req, res, pace);
      }
    }
    setSecurityHeaders(res); // the fast path sent them in its one writeHead (cheaper than setHeader)
    if (type?.startsWith('multipart/form-data')) {
      if (!(await prepareMultipart(req, res, serverContext, { slots: uploadSlots, pace }))) return;
    } else if (type !== undefined && !isJson(type)) {
      sendError(
        res,
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        'POST a JSON body (Content-Type: application/json) or a multipart upload.',
      );
      return;
    }
    await listen(req, res, serverContext);
  };
}
