import type { Server } from 'node:http';
import { GraphQLError } from 'graphql';
import { CloseCode } from 'graphql-ws';
import type { YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer } from 'ws';
import type { AppServices, ServerContext } from '../context.js';
import { clientIp, credentialsOf, originAllowed } from '../http/request-identity.js';
import { socketCloseSignal } from '../http/close-signal.js';
import { isGraphQLError, withContractCode } from '../plugins/error-codes.js';
import { quotaRefusal } from '../plugins/subscription-guard.js';
import {
  quotaOf,
  SIGNED_OUT_OPERATIONS,
  tooManyOperations,
  tooManySockets,
} from './stream-quota.js';
import { serveGraphqlWs, type Operation, type ProtocolOptions } from '../fast/index.js';
import { serveStockGraphqlWs } from './ws-stock.js';

/** HTTP status hints mean nothing on a socket. */
function withoutHttp(e: GraphQLError): GraphQLError {
  if (!e.extensions?.http) return e;
  const { http: _http, ...extensions } = e.extensions;
  return new GraphQLError(e.message, {
    nodes: e.nodes,
    source: e.source,
    positions: e.positions,
    path: e.path,
    extensions,
  });
}

interface ConnectionState {
  token: string | undefined;
  ip: string;
  signedIn: boolean;
}

/**
 * The graphql-ws protocol on the same port and path as HTTP (our loop, fast/ws-socket.ts, or with
 * FAST_PATHS=off graphql-ws's own useServer: ws-stock.ts), wired through `yoga.getEnveloped` so
 * every plugin (auth gate, limits, masking, subscription guard) applies exactly as on HTTP and SSE.
 * The hooks below are the behaviour; both servers run them.
 */
export function attachWebSocket(
  server: Server,
  yoga: YogaServerInstance<ServerContext, object>,
  app: AppServices,
) {
  // small frames: a GraphQL operation never needs more; a flood of big frames costs nothing
  // closeTimeout (not in @types/ws): a peer that never answers our close frame is cut after 5 s, not 30
  const options = {
    server,
    path: yoga.graphqlEndpoint,
    maxPayload: 64 * 1024,
    closeTimeout: 5_000,
  };
  const wss = new WebSocketServer(options);
  const states = new WeakMap<object, ConnectionState>();
  const quota = quotaOf(app);

  const protocol: ProtocolOptions = {
    connectionInitWaitTimeout: 5_000,
    onConnect: async (ctx) => {
      const req = ctx.request;
      const param = ctx.connectionParams?.authorization;
      let token: string | undefined;
      if (typeof param === 'string' && /^bearer /i.test(param)) {
        token = param.slice(7).trim();
      } else {
        const creds = credentialsOf({ ...req.headers, authorization: undefined });
        // a cookie rides along on any page's WebSocket: accept it only from an allowed Origin
        if (
          creds.viaCookie &&
          !originAllowed(req.headers.origin, req.headers.host, app.config.PUBLIC_ORIGIN)
        ) {
          app.log.warn('WebSocket cookie refused from foreign origin', {
            origin: req.headers.origin,
          });
          return false;
        }
        token = creds.token;
      }
      const viewer = token ? await app.auth.authenticate(token) : null;
      if (token && !viewer) return false;
      if (ctx.socket.readyState !== ctx.socket.OPEN) return false; // gone while we looked: nothing to count
      const ip = clientIp(req, app.config.TRUST_PROXY);
      // sockets per identity: a user's (whichever credential), or a signed-out client address's
      const max = app.agent.config.limits.socketsPerUser;
      const slot = quota.sockets.take(viewer ? `user:${viewer.userId}` : `address:${ip}`, max);
      if (!slot) return { code: 4429, reason: tooManySockets(max, viewer !== null) };
      app.metrics.openWebSockets.inc();
      ctx.socket.once('close', () => {
        slot.release();
        app.metrics.openWebSockets.dec();
      });
      states.set(ctx, { token, ip, signedIn: viewer !== null });
      return true;
    },
    tooBusy: (ctx, running) => {
      const signedIn = states.get(ctx)?.signedIn ?? false;
      const max = signedIn ? app.agent.config.limits.subscriptionsPerSocket : SIGNED_OUT_OPERATIONS;
      return running >= max ? tooManyOperations(max, signedIn) : null;
    },
    refusal: quotaRefusal,
    onSubscribe: async (ctx, _id, payload) => {
      const state = states.get(ctx);
      if (!state)
        return [
          new GraphQLError('Connection not initialised.', {
            extensions: { code: 'UNAUTHENTICATED' },
          }),
        ];
      // re-checked per operation: a revoked token can't open new streams on an old socket
      const viewer = await app.auth.authenticate(state.token);
      if (state.token && !viewer) {
        ctx.socket.close(CloseCode.Forbidden, 'Session ended');
        return [
          new GraphQLError('Your session ended. Sign in again.', {
            extensions: { code: 'UNAUTHENTICATED' },
          }),
        ];
      }
      const serverContext: ServerContext = {
        app,
        viewer,
        clientIp: state.ip,
        setCookies: [],
        secure: false,
        transport: 'ws',
        clientGone: () => socketCloseSignal(ctx.socket),
      };
      const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
        ...serverContext,
        req: ctx.request,
        socket: ctx.socket,
        params: payload,
      });
      let document;
      try {
        document = parse(payload.query);
      } catch (err) {
        return [
          withoutHttp(withContractCode(isGraphQLError(err) ? err : new GraphQLError(String(err)))),
        ];
      }
      let errors;
      try {
        errors = validate(schema, document).map(withoutHttp);
      } catch (err) {
        // graphql-armor throws its limits (depth, cost, aliases, directives): that operation's error, not the socket's
        if (!isGraphQLError(err)) throw err;
        errors = [withoutHttp(withContractCode(err))];
      }
      // signed out, the auth gate has already made them one message naming nothing of the schema
      if (errors.length) return errors;
      const args = {
        schema,
        operationName: payload.operationName,
        document,
        variableValues: payload.variables,
        contextValue: await contextFactory(),
      };
      return {
        args,
        execute: execute as Operation['execute'],
        subscribe: subscribe as Operation['subscribe'],
      };
    },
  };
  const disposable =
    app.config.FAST_PATHS === 'on'
      ? serveGraphqlWs(protocol, wss, app.log, app.config.wsKeepAliveMs)
      : serveStockGraphqlWs(protocol, wss, app.config.wsKeepAliveMs);
  app.metrics.webSockets.bufferedBytes = () => {
    let bytes = 0;
    for (const client of wss.clients) bytes += client.bufferedAmount;
    return bytes;
  };
  return {
    wss,
    async close() {
      for (const client of wss.clients) client.close(1001, 'Server shutting down');
      await disposable.dispose();
    },
  };
}
