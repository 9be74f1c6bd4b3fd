import type { IncomingMessage, ServerResponse } from 'node:http';
import { processRequest } from 'graphql-upload-minimal';
import type { Plugin } from 'graphql-yoga';
import type { ServerContext } from '../context.js';
import { csrfHeaderMissing } from '../plugins/csrf.js';
import { guardBodyPace, type BodyPace } from './body-pace.js';
import { sendError } from './respond.js';
import type { UploadSlots } from './upload-slots.js';

export const MAX_FILES_PER_REQUEST = 10;
export const MAX_FIELD_BYTES = 1024 * 1024;

export interface UploadServerContext extends ServerContext {
  /** operations parsed from a multipart body, with Upload promises in their variables */
  uploadOperations?: unknown;
}

/**
 * Parses a multipart request with graphql-upload-minimal before Yoga sees it, so file bodies
 * stream to the resolver instead of being buffered. Who may upload is decided before a byte of
 * the body is read: the CSRF header, then a signed-in viewer. Returns false when it answered.
 */
export async function prepareMultipart(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: UploadServerContext,
  opts: { slots: UploadSlots; pace: BodyPace },
): Promise<boolean> {
  const refuse = (status: number, code: string, message: string) => {
    // don't read a body we refuse: close the connection after answering
    sendError(res, status, code, message, { connection: 'close' });
    req.unpipe();
    return false;
  };
  if (csrfHeaderMissing(req.headers)) {
    return refuse(
      403,
      'FORBIDDEN',
      'Multipart requests must send the "x-graphql-yoga-csrf" header (CSRF protection).',
    );
  }
  if (!ctx.viewer)
    return refuse(
      401,
      'UNAUTHENTICATED',
      'Sign in first: uploads need a session cookie or a Bearer token.',
    );
  if (!opts.slots.take(ctx.viewer.userId, res)) {
    return refuse(
      429,
      'RATE_LIMITED',
      `You already have ${opts.slots.limit} uploads in progress. Wait for one of them to finish, then send this one again.`,
    );
  }
  const limit = ctx.app.config.UPLOAD_MAX_BYTES;
  keepParserErrorsHeard(req);
  guardBodyPace(req, res, opts.pace);
  try {
    // +1: the resolver sees the byte past the limit and refuses with PAYLOAD_TOO_LARGE itself
    ctx.uploadOperations = await processRequest(req, res, {
      maxFileSize: limit + 1,
      maxFiles: MAX_FILES_PER_REQUEST,
      maxFieldSize: MAX_FIELD_BYTES,
    });
  } catch (err) {
    const status = (err as { status?: number }).status ?? 400;
    return refuse(
      status,
      status === 413 ? 'PAYLOAD_TOO_LARGE' : 'BAD_USER_INPUT',
      (err as Error).message,
    );
  }
  return true;
}

/**
 * graphql-upload-minimal hears its busboy parser's 'error' only once, but busboy emits a second one
 * while being destroyed after a malformed part header ("Unexpected end of form"); unheard, that one
 * ends the process. The parser is what the request is piped into: give it a lasting listener.
 */
function keepParserErrorsHeard(req: IncomingMessage): void {
  const pipe = req.pipe.bind(req);
  req.pipe = ((dest: NodeJS.WritableStream, options?: { end?: boolean }) => {
    dest.on('error', () => {}); // the first error already failed the request
    return pipe(dest, options);
  }) as typeof req.pipe;
}

/** Hands Yoga the operations parsed above; Yoga's own CSRF check still ran on this request. */
export function useParsedMultipart(): Plugin {
  return {
    onRequestParse({ serverContext, setRequestParser }) {
      const ops = (serverContext as unknown as UploadServerContext | undefined)?.uploadOperations;
      if (ops) setRequestParser(() => ops as never);
    },
  };
}
