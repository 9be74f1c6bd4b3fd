import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendError } from './respond.js';
import { setSecurityHeaders } from './security-headers.js';

export interface BodyPace {
  /** the length of one window */
  windowMs: number;
  /** fewer bytes than this in a window, while we are ready to read, ends the request */
  minBytes: number;
  /** told of every request ended for stalling (a warn log line) */
  onStall?: (req: IncomingMessage) => void;
}

/**
 * Ends a request whose body stalls or trickles: every window must bring `minBytes` (or the rest of
 * the body). A slow but real link passes easily; one byte every few seconds does not. Measured on
 * the socket's byte count, so the hot path adds no per-chunk listener. A window in which the server
 * itself holds the body back (the upload's writer is behind) doesn't count against the client.
 * On a stall the client gets 408 and the connection is closed, so whatever reads the body (the
 * multipart parser, the file writer) sees it end and cleans up. Returns a function that stops it.
 */
export function guardBodyPace(
  req: IncomingMessage,
  res: ServerResponse,
  pace: BodyPace,
): () => void {
  if (req.complete) return () => {};
  const socket = req.socket;
  let mark = socket.bytesRead;
  const timer = setTimeout(function check() {
    if (req.complete || socket.destroyed) return;
    const got = socket.bytesRead - mark;
    mark = socket.bytesRead;
    const heldBack = req.readableFlowing === false || req.readableLength > 0;
    if (got >= pace.minBytes || heldBack) {
      timer.refresh();
      return;
    }
    pace.onStall?.(req);
    const seconds = Math.round(pace.windowMs / 100) / 10;
    if (!res.headersSent) setSecurityHeaders(res);
    sendError(
      res,
      408,
      'BAD_USER_INPUT',
      `The request body stopped arriving: fewer than ${pace.minBytes} bytes came in ${seconds} s, so the request was ended. Send it again over a steadier connection.`,
      { connection: 'close' },
    );
    // the answer first, then the request and its connection: Node counts a request as done once
    // its answer is sent, so the reader still waiting for the body (multipart parser, file
    // writer) would never hear of the end unless the request itself is destroyed
    const cut = () => {
      req.destroy();
      socket.destroy();
    };
    if (res.writableFinished) cut();
    else res.once('finish', cut).once('close', cut);
  }, pace.windowMs);
  const stop = () => clearTimeout(timer);
  req.once('end', stop);
  res.once('close', stop);
  return stop;
}
