import type { IncomingMessage } from 'node:http';
import { GraphQLError, getOperationAST, type ExecutionArgs, type ExecutionResult } from 'graphql';
import {
  CloseCode,
  GRAPHQL_TRANSPORT_WS_PROTOCOL,
  handleProtocols,
  MessageType,
  parseMessage,
  type SubscribePayload,
} from 'graphql-ws';
import type { WebSocket, WebSocketServer } from 'ws';
import type { Logger } from '../logger.js';
import { nextMessage, type Message } from './next-message.js';

export interface Connection {
  socket: WebSocket;
  request: IncomingMessage;
  connectionParams: Record<string, unknown> | undefined;
}

type Result = ExecutionResult | AsyncIterable<ExecutionResult>;

/** An operation ready to run, with the execute and subscribe it runs through (the enveloped ones). */
export interface Operation {
  args: ExecutionArgs;
  execute(args: ExecutionArgs): Result | Promise<Result>;
  subscribe(args: ExecutionArgs): Result | Promise<Result>;
}

export interface ProtocolOptions {
  /** false closes the socket with 4403 Forbidden; a close code and reason close it with those. */
  onConnect(conn: Connection): Promise<boolean | { code: number; reason: string }>;
  /** The operation to run, or the errors that refuse it. */
  onSubscribe(
    conn: Connection,
    id: string,
    payload: SubscribePayload,
  ): Promise<Operation | readonly GraphQLError[]>;
  /** An error refusing one more operation on a socket already running `running`, or null. */
  tooBusy?(conn: Connection, running: number): GraphQLError | null;
  /** The errors of a subscription refused before its stream started (sent as `error`, not `next`), or undefined. */
  refusal?(result: ExecutionResult): readonly GraphQLError[] | undefined;
  connectionInitWaitTimeout: number;
}

/**
 * The graphql-transport-ws protocol (graphql-ws's PROTOCOL.md) over `ws`, with graphql-ws's own
 * message parsing, close codes and client. Ours rather than graphql-ws's `makeServer` for the
 * hot path: a `next` is written from a payload encoded once per result (subscribers of a shared
 * stream get the same result) and costs no promise unless the socket is backed up.
 */
export function serveGraphqlWs(
  options: ProtocolOptions,
  wss: WebSocketServer,
  log: Logger,
  keepAliveMs = 12_000,
) {
  wss.options.handleProtocols = handleProtocols;
  wss.on('connection', (socket, request) => {
    if (socket.protocol !== GRAPHQL_TRANSPORT_WS_PROTOCOL)
      return socket.close(CloseCode.SubprotocolNotAcceptable, 'Subprotocol not acceptable');
    const conn: Connection = { socket, request, connectionParams: undefined };
    const subs = new Map<string, AsyncIterator<ExecutionResult> | null>();
    let initReceived = false;
    let acknowledged = false;
    const internalError = (what: string, err: unknown) => {
      log.error(what, { err });
      socket.close(CloseCode.InternalServerError, 'Internal server error');
    };
    socket.once('error', (err) => internalError('WebSocket error', err));
    const initWait = setTimeout(() => {
      if (!initReceived)
        socket.close(
          CloseCode.ConnectionInitialisationTimeout,
          'Connection initialisation timeout',
        );
    }, options.connectionInitWaitTimeout);
    // a peer that stops answering pings and stops taking our data is dropped, so its
    // subscriptions end; one still reading a backlog (its pong queued behind it) is only slow.
    // Only a quiet peer is pinged: one taking our data shows it is there. (A ping in the middle
    // of a stream also cost that stream: the short frame out and the pong read in took paths its
    // compiled code had never seen, and V8 threw that code away and compiled it again.)
    let pongWait: NodeJS.Timeout | null = null;
    socket.on('pong', () => {
      if (pongWait) clearTimeout(pongWait);
      pongWait = null;
    });
    let taken = bytesTaken(socket); // at the last look
    const check = () => {
      const now = bytesTaken(socket);
      if (now === taken) return socket.terminate();
      taken = now;
      pongWait = setTimeout(check, keepAliveMs);
    };
    const pinger = setInterval(() => {
      if (socket.readyState !== socket.OPEN || pongWait) return;
      const now = bytesTaken(socket);
      if (now !== taken) return void (taken = now);
      socket.ping();
      taken = bytesTaken(socket); // the ping itself is not the peer's doing
      pongWait = setTimeout(check, keepAliveMs);
    }, keepAliveMs);

    const sendError = (id: string, errors: readonly GraphQLError[]) =>
      send(
        socket,
        JSON.stringify({ id, type: MessageType.Error, payload: errors.map((e) => e.toJSON()) }),
      );

    async function operate(id: string, payload: SubscribePayload): Promise<void> {
      try {
        const prepared = await options.onSubscribe(conn, id, payload);
        if (!subs.has(id)) return;
        if (Array.isArray(prepared)) return void sendError(id, prepared);
        const { args, execute, subscribe } = prepared as Operation;
        const op = getOperationAST(args.document, args.operationName);
        if (!op) return void sendError(id, [new GraphQLError('Unable to identify operation')]);
        const result = await (op.operation === 'subscription' ? subscribe(args) : execute(args));
        if (!(Symbol.asyncIterator in result)) {
          const refused = op.operation === 'subscription' ? options.refusal?.(result) : undefined;
          if (refused && subs.has(id)) return void sendError(id, refused);
          if (subs.has(id)) await send(socket, nextMessage(id, result));
        } else {
          const stream = result[Symbol.asyncIterator]();
          if (!subs.has(id)) return void (await stream.return?.());
          subs.set(id, stream);
          try {
            for (let r = await stream.next(); !r.done; r = await stream.next()) {
              // closing, or a write failed (the socket is gone): the stream must not outlive the socket
              if (socket.readyState !== socket.OPEN) return void (await stream.return?.());
              const backedUp = send(socket, nextMessage(id, r.value));
              if (backedUp && !(await backedUp.then(sent, unsent)))
                return void (await stream.return?.()); // paces the stream to its reader
            }
          } catch (err) {
            const error = err instanceof Error ? err : new Error(String(err));
            return void sendError(id, [new GraphQLError(error.message, { originalError: error })]);
          }
        }
        // no complete for an operation the client completed itself
        if (subs.has(id)) await send(socket, JSON.stringify({ id, type: MessageType.Complete }));
      } finally {
        subs.delete(id);
      }
    }

    async function onMessage(data: string): Promise<void> {
      let message;
      try {
        message = parseMessage(data);
      } catch {
        return socket.close(CloseCode.BadRequest, 'Invalid message received');
      }
      switch (message.type) {
        case MessageType.ConnectionInit: {
          if (initReceived)
            return socket.close(
              CloseCode.TooManyInitialisationRequests,
              'Too many initialisation requests',
            );
          initReceived = true;
          const params = message.payload;
          conn.connectionParams =
            params && typeof params === 'object' && !Array.isArray(params) ? params : undefined;
          const accepted = await options.onConnect(conn);
          if (accepted === false) return socket.close(CloseCode.Forbidden, 'Forbidden');
          if (accepted !== true) return socket.close(accepted.code, accepted.reason);
          acknowledged = true;
          return void send(socket, JSON.stringify({ type: MessageType.ConnectionAck }));
        }
        case MessageType.Ping:
          return void send(
            socket,
            JSON.stringify(
              message.payload
                ? { type: MessageType.Pong, payload: message.payload }
                : { type: MessageType.Pong },
            ),
          );
        case MessageType.Pong:
          return;
        case MessageType.Subscribe:
          if (closing) return; // frames that arrived before the close: nothing starts on a closing socket
          if (!acknowledged) return socket.close(CloseCode.Unauthorized, 'Unauthorized');
          if (subs.has(message.id))
            return socket.close(
              CloseCode.SubscriberAlreadyExists,
              `Subscriber for ${message.id} already exists`,
            );
          {
            // over the cap: that operation's error, and the socket carries on
            const busy = options.tooBusy?.(conn, subs.size);
            if (busy) return void sendError(message.id, [busy]);
          }
          subs.set(message.id, null);
          return operate(message.id, message.payload);
        case MessageType.Complete: {
          const stream = subs.get(message.id);
          subs.delete(message.id);
          await stream?.return?.();
          return;
        }
        default:
          return socket.close(
            CloseCode.BadRequest,
            `Unexpected message of type ${message.type} received`,
          );
      }
    }

    socket.on('message', (raw) =>
      onMessage(String(raw)).catch((err: unknown) =>
        internalError('WebSocket message handling failed', err),
      ),
    );
    let closing = false;
    const endStreams = () => {
      closing = true;
      const open = [...subs.values()];
      subs.clear();
      for (const stream of open)
        stream
          ?.return?.()
          ?.catch((err: unknown) => log.error('ending a subscription failed', { err }));
    };
    // ws answers a peer's close frame through this same method: streams end as the closing
    // handshake starts, not when a stalled peer's TCP finally goes (closeTimeout later)
    const close = socket.close.bind(socket);
    socket.close = (code?: number, reason?: string | Buffer) => {
      endStreams();
      close(code, reason);
    };
    socket.once('close', () => {
      clearTimeout(initWait);
      if (pongWait) clearTimeout(pongWait);
      clearInterval(pinger);
      endStreams();
    });
  });
  return {
    async dispose() {
      for (const client of wss.clients) client.close(1001, 'Going away');
      wss.removeAllListeners();
      await new Promise<void>((resolve, reject) =>
        wss.close((err) => (err ? reject(err) : resolve())),
      );
    },
  };
}

/** The TCP socket under a WebSocket (ws keeps it as `_socket`). */
const tcpOf = (socket: WebSocket) =>
  (socket as unknown as { _socket: import('node:net').Socket })._socket;

/**
 * Bytes the kernel has taken from this socket so far: Node counts in `bytesWritten` what is still
 * queued too, and `writableLength` is that queue (with the write in flight), so the difference
 * grows only while the peer's TCP window lets our data through.
 */
function bytesTaken(socket: WebSocket): number {
  const tcp = tcpOf(socket);
  return tcp.bytesWritten - tcp.writableLength;
}

const sent = () => true;
const unsent = () => false;

// below this much unsent data a frame is queued without waiting for its write to finish
const WAIT_ABOVE_BYTES = 64 * 1024;

/**
 * A stream waits for its frames to be written only once the socket holds a backlog, so a slow
 * reader still holds its stream back (and its queue reports drops) without a promise per frame.
 */
function send(socket: WebSocket, message: Message): Promise<void> | undefined {
  if (socket.readyState !== socket.OPEN) return undefined;
  if (socket.bufferedAmount < WAIT_ABOVE_BYTES) return void write(socket, message);
  return new Promise((resolve, reject) =>
    write(socket, message, (err) => (err ? reject(err) : resolve())),
  );
}

/** A fragmented message's frames are written together, in one writev (nothing can come between). */
function write(socket: WebSocket, message: Message, done?: (err?: Error) => void): void {
  if (typeof message === 'string') return socket.send(message, { binary: false }, done);
  const tcp = tcpOf(socket);
  tcp.cork();
  try {
    const last = message.length - 1;
    message.forEach((frame, i) =>
      socket.send(frame, { binary: false, fin: i === last }, i === last ? done : undefined),
    );
  } finally {
    tcp.uncork(); // a socket left corked would hold every later frame
  }
}
