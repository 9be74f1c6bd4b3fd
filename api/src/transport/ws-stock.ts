import type { ExecutionArgs, ExecutionResult } from 'graphql';
import type { Context } from 'graphql-ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import type { WebSocketServer } from 'ws';
import type { Connection, Operation, ProtocolOptions } from '../fast/index.js';

type Ctx = Context<Record<string, unknown>, Extra>;

/** A refusal sent as an `error` message: graphql-ws sends a stream's thrown GraphQLError that way (its extensions kept). */
function refusedStream(error: Error): AsyncIterableIterator<ExecutionResult> {
  const stream: AsyncIterableIterator<ExecutionResult> = {
    next: () => Promise.reject(error),
    return: () => Promise.resolve({ value: undefined, done: true }),
    [Symbol.asyncIterator]: () => stream,
  };
  return stream;
}

/**
 * ws answers a peer's close frame through `socket.close`: the streams end as the closing handshake
 * starts, as on our loop, not when a stalled peer's TCP finally goes (closeTimeout later).
 */
function endStreamsOnClose(ctx: Ctx): void {
  const socket = ctx.extra.socket;
  const close = socket.close.bind(socket);
  socket.close = (code?: number, reason?: string | Buffer) => {
    for (const stream of Object.values(ctx.subscriptions) as (Partial<
      AsyncIterator<unknown>
    > | null)[])
      void stream?.return?.()?.catch(() => {});
    close(code, reason);
  };
}

/**
 * FAST_PATHS=off: graphql-ws's own server (`useServer` on the `ws` server) running the same hooks
 * as our loop (ws.ts), so authentication, limits and refusals are the same; only the speed differs.
 */
export function serveStockGraphqlWs(
  options: ProtocolOptions,
  wss: WebSocketServer,
  keepAliveMs: number,
) {
  const connections = new WeakMap<Ctx, Connection>();
  const connectionOf = (ctx: Ctx): Connection => {
    let conn = connections.get(ctx);
    if (!conn) {
      conn = {
        socket: ctx.extra.socket,
        request: ctx.extra.request,
        get connectionParams() {
          return ctx.connectionParams;
        },
      };
      connections.set(ctx, conn);
    }
    return conn;
  };
  // each operation runs through the execute and subscribe of its own enveloped Yoga
  const operations = new WeakMap<ExecutionArgs, Operation>();
  const operationOf = (args: ExecutionArgs) => operations.get(args)!;

  return useServer(
    {
      connectionInitWaitTimeout: options.connectionInitWaitTimeout,
      onConnect: async (ctx) => {
        const accepted = await options.onConnect(connectionOf(ctx));
        if (accepted === true) endStreamsOnClose(ctx);
        if (typeof accepted === 'boolean') return accepted;
        // our own close code and reason; graphql-ws's 4403 after it finds the socket closing
        ctx.extra.socket.close(accepted.code, accepted.reason);
        return false;
      },
      onSubscribe: async (ctx, id, payload) => {
        const conn = connectionOf(ctx);
        // graphql-ws holds this operation's place already: the others are the ones running
        const busy = options.tooBusy?.(conn, Object.keys(ctx.subscriptions).length - 1);
        if (busy) return [busy];
        const prepared = await options.onSubscribe(conn, id, payload);
        if (Array.isArray(prepared)) return prepared;
        const operation = prepared as Operation;
        operations.set(operation.args, operation);
        return operation.args;
      },
      execute: (args) => operationOf(args).execute(args) as never,
      subscribe: (args) => operationOf(args).subscribe(args) as never,
      onOperation: (_ctx, _id, _payload, _args, result) => {
        if (Symbol.asyncIterator in Object(result)) return;
        const refused = options.refusal?.(result as ExecutionResult);
        return refused?.[0] ? refusedStream(refused[0]) : undefined;
      },
    },
    wss,
    keepAliveMs,
  );
}
