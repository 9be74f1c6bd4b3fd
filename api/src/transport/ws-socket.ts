import type { ExecutionResult } from 'graphql';
import { CloseCode, handleProtocols, makeServer, type ServerOptions } from 'graphql-ws';
import type { WebSocket, WebSocketServer } from 'ws';
import type { Logger } from '../logger.js';
import { nextMessage } from './next-message.js';

export interface Extra {
  socket: WebSocket;
  request: import('node:http').IncomingMessage;
}

// What graphql-ws sends for a `next` whose message onNext already wrote: never a real result,
// which always carries `data` or `errors`.
const ALREADY_SENT = {};
const isAlreadySent = (data: string) => data.endsWith(',"type":"next","payload":{}}');

/**
 * graphql-ws's own `ws` adapter (graphql-ws/use/ws), plus one thing it can't do: `next` messages
 * are written from a payload encoded once per result (shared by every subscriber of a stream,
 * see useSharedEvents) instead of JSON.stringify per subscriber and per message.
 */
export function serveGraphqlWs<P extends Record<string, unknown> | undefined>(
  options: Omit<ServerOptions<P, Extra>, 'onNext'>,
  wss: WebSocketServer,
  log: Logger,
  keepAliveMs = 12_000,
) {
  const server = makeServer<P, Extra>({
    ...options,
    onNext: (ctx, id, _payload, _args, result) => {
      const message = nextMessage(id, result as ExecutionResult);
      if (!message) return undefined;
      const sent = send(ctx.extra.socket, message);
      return sent ? sent.then(() => ALREADY_SENT) : ALREADY_SENT;
    },
  });
  wss.options.handleProtocols = handleProtocols;
  const internalError = (socket: WebSocket, what: string, err: unknown) => {
    log.error(what, { err });
    socket.close(CloseCode.InternalServerError, 'Internal server error');
  };
  wss.on('connection', (socket, request) => {
    socket.once('error', (err) => internalError(socket, 'WebSocket error', err));
    // a peer that stops answering pings is dropped, so its subscriptions end
    let pongWait: NodeJS.Timeout | null = null;
    const pinger = setInterval(() => {
      if (socket.readyState !== socket.OPEN) return;
      pongWait = setTimeout(() => socket.terminate(), keepAliveMs);
      socket.once('pong', () => {
        if (pongWait) clearTimeout(pongWait);
        pongWait = null;
      });
      socket.ping();
    }, keepAliveMs);
    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (data) => (isAlreadySent(data) ? undefined : send(socket, data)),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (cb) =>
          socket.on('message', async (event) => {
            try {
              await cb(String(event));
            } catch (err) {
              internalError(socket, 'WebSocket message handling failed', err);
            }
          }),
      },
      { socket, request },
    );
    socket.once('close', (code, reason) => {
      if (pongWait) clearTimeout(pongWait);
      clearInterval(pinger);
      void closed(code, String(reason));
    });
  });
  return {
    async dispose() {
      for (const client of wss.clients) client.close(1001, 'Going away');
      wss.removeAllListeners();
      await new Promise<void>((resolve, reject) => wss.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

// below this much unsent data a frame is queued without waiting for its write to finish
const WAIT_ABOVE_BYTES = 64 * 1024;

/**
 * graphql-ws waits for each send before taking the stream's next event, which paces a stream to
 * its reader. Waiting costs a callback and a promise per frame, so it is done only once the
 * socket holds a backlog: a slow reader still holds its stream back (and its queue reports drops).
 */
function send(socket: WebSocket, data: string | Buffer): Promise<void> | undefined {
  if (socket.readyState !== socket.OPEN) return undefined;
  if (socket.bufferedAmount < WAIT_ABOVE_BYTES) {
    socket.send(data, { binary: false });
    return undefined;
  }
  return new Promise((resolve, reject) => socket.send(data, { binary: false }, (err) => (err ? reject(err) : resolve())));
}
