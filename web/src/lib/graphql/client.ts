import { Client, fetchExchange, mapExchange, subscriptionExchange } from '@urql/core';
import { createClient as createWsClient } from 'graphql-ws';
import { attachSocketState, SocketState } from './socket';

/** Yoga's CSRF prevention refuses HTTP requests without it. */
export const CSRF_HEADERS = { 'x-graphql-yoga-csrf': '1' } as const;

export function graphqlWsUrl(loc: Pick<Location, 'protocol' | 'host'> = location): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/graphql`;
}

export interface ClientHooks {
  /** Any operation answered UNAUTHENTICATED: the session is gone. */
  onUnauthenticated(): void;
}

/**
 * The one urql client: queries and mutations over fetch (same-origin cookie + CSRF header),
 * subscriptions over graphql-ws on the same origin (the cookie authenticates the socket).
 *
 * Reconnecting is done per stream (`openStream` in stream.ts), not inside graphql-ws: its own
 * retry re-sends each subscription's *first* variables, i.e. a stale afterSeq/cursor, which
 * would replay or skip lines. With retries off a dropped socket errors every stream, each one
 * resubscribes from its last seq/cursor, and the lazy socket reconnects on that subscribe.
 */
export function createGraphQLClient(hooks: ClientHooks): Client {
  const socket = new SocketState();
  const ws = createWsClient({
    url: graphqlWsUrl(),
    lazy: true,
    keepAlive: 15_000,
    retryAttempts: 0,
    // registered before any subscription's own listeners, so the state is current when they run
    on: {
      connected: () => socket.set(true),
      closed: () => socket.set(false),
      error: () => socket.set(false),
    },
  });
  const client = new Client({
    url: '/graphql',
    preferGetMethod: false,
    requestPolicy: 'network-only',
    fetchOptions: { credentials: 'same-origin', headers: { ...CSRF_HEADERS } },
    exchanges: [
      mapExchange({
        onError(error) {
          if (error.graphQLErrors.some((e) => e.extensions?.code === 'UNAUTHENTICATED'))
            hooks.onUnauthenticated();
        },
      }),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? '' };
          return {
            subscribe(sink) {
              const unsubscribe = ws.subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    ],
  });
  attachSocketState(client, socket);
  return client;
}
