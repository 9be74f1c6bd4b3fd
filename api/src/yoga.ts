import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { GraphQLError } from 'graphql';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { AppServices, ServerContext } from './context.js';
import { AppError } from './errors.js';
import { MAX_JSON_BODY, useSharedEvents } from './fast/index.js';
import { useParsedMultipart } from './http/multipart.js';
import type { Logger } from './logger.js';
import { useAuthGate } from './plugins/auth-gate.js';
import { useCsrf } from './plugins/csrf.js';
import { maskError, useContractErrorCodes } from './plugins/error-codes.js';
import { useOperationMetrics } from './plugins/operation-metrics.js';
import { useOrmContext } from './plugins/orm-context.js';
import { useStreamsNeedStreaming } from './plugins/streams-need-streaming.js';
import { useSubscriptionGuard } from './plugins/subscription-guard.js';
import { QueueOverflowError } from './realtime/queue.js';
import { schema } from './schema.js';

export type Yoga = YogaServerInstance<ServerContext, object>;

/** Adds the Set-Cookie values a resolver asked for (login, logout) to the HTTP response. */
function useSetCookies(): Plugin<ServerContext> {
  return {
    onResponse({ serverContext, response }) {
      for (const c of (serverContext as Partial<ServerContext> | undefined)?.setCookies ?? [])
        response.headers.append('set-cookie', c);
    },
  };
}

/** FAST_PATHS=off: Yoga's own body limit answers in the contract's words (PAYLOAD_TOO_LARGE), as fast/json-body.ts does. */
function useBodyLimitCode(): Plugin {
  return {
    onResultProcess({ result, setResult }) {
      const errors = (result as { errors?: readonly GraphQLError[] }).errors;
      // Yoga's REQUEST_ENTITY_TOO_LARGE, already given a contract code by maskError: told by its words
      if (!errors?.some((e) => e.message === 'Request body too large')) return;
      setResult({
        errors: [
          new GraphQLError(`Request body is larger than ${MAX_JSON_BODY} bytes.`, {
            extensions: { code: 'PAYLOAD_TOO_LARGE', http: { status: 413 } },
          }),
        ],
      } as never);
    },
  };
}

const isExpected = (e: unknown) =>
  e instanceof AppError ||
  e instanceof QueueOverflowError ||
  (e instanceof Error && (e as { originalError?: unknown }).originalError instanceof AppError);

function yogaLogger(log: Logger) {
  const fmt = (args: unknown[]) =>
    args.map((a) => (a instanceof Error ? (a.stack ?? a.message) : String(a))).join(' ');
  return {
    debug: (...a: unknown[]) => log.debug(fmt(a)),
    info: (...a: unknown[]) => log.info(fmt(a)),
    warn: (...a: unknown[]) => log.warn(fmt(a)),
    // Yoga reports every error it rewrote; ours (AppError) are expected answers, not failures
    error: (...a: unknown[]) =>
      a.some(isExpected)
        ? undefined
        : log.error('unexpected error (masked for the client)', { detail: fmt(a) }),
  };
}

/** Yoga with every plugin: the same ones run on HTTP, SSE and WebSocket (through getEnveloped). */
export function createYogaServer(services: AppServices): Yoga {
  const { config, orm, log } = services;
  const fast = config.FAST_PATHS === 'on';
  return createYoga<ServerContext>({
    schema,
    graphqlEndpoint: '/graphql',
    maskedErrors: { maskError },
    batching: false,
    // fast paths: the Node layer limits bodies (fast/json-body.ts), and Yoga's own limit costs half the throughput
    maxRequestBodySize: fast ? (false as never) : MAX_JSON_BODY,
    cors: config.PUBLIC_ORIGIN.length
      ? { origin: config.PUBLIC_ORIGIN, credentials: true, methods: ['GET', 'POST'] }
      : false,
    graphiql: false, // served from the web build by http/graphiql.ts
    landingPage: false,
    logging: yogaLogger(log),
    plugins: [
      useCsrf(),
      useParsedMultipart(),
      useOrmContext(orm),
      EnvelopArmorPlugin({
        blockFieldSuggestion: { enabled: false }, // signed-in callers get suggestions; signed-out ones one generic message (auth-gate.ts)
        maxDepth: { flattenFragments: true }, // a fragment spread is not a level of nesting
        costLimit: { maxCost: 20_000 }, // the default 5,000 refuses a page of 100 runs; list sizes are capped server-side
      }),
      useContractErrorCodes(),
      useAuthGate(),
      useSubscriptionGuard(),
      useOperationMetrics(),
      useSetCookies(),
      useStreamsNeedStreaming(),
      ...(fast ? [useSharedEvents(maskError)] : [useBodyLimitCode()]), // shared events last: see its comment
    ],
  });
}
