// GraphiQL's graphql-ws clients: one per distinct Authorization header typed into its Headers tab
// (that token signs the socket in, through connectionParams), and one without, which the session
// cookie signs in. Queries send those headers over HTTP; this makes subscriptions do the same.
import { createClient, type Client } from 'graphql-ws';
import { graphqlWsUrl } from '../lib/graphql/client';

// distinct tokens kept at once: trying a few is normal, hundreds would only hold sockets open
const MAX_CLIENTS = 8;

/** The Authorization value in GraphiQL's headers (any spelling of the name), or '' for none. */
export function authorizationOf(headers: Record<string, unknown> | undefined): string {
  for (const [name, value] of Object.entries(headers ?? {}))
    if (name.toLowerCase() === 'authorization' && typeof value === 'string') return value.trim();
  return '';
}

export interface SocketPool {
  /** The client for these request headers, made on first use. */
  forHeaders(headers: Record<string, unknown> | undefined): Client;
  dispose(): void;
}

export function socketPool(): SocketPool {
  const clients = new Map<string, Client>();
  return {
    forHeaders(headers) {
      const authorization = authorizationOf(headers);
      let client = clients.get(authorization);
      if (client) return client;
      client = createClient({
        url: graphqlWsUrl(),
        lazy: true,
        retryAttempts: 0,
        ...(authorization ? { connectionParams: { authorization } } : {}),
      });
      clients.set(authorization, client);
      if (clients.size > MAX_CLIENTS) {
        // the longest-held one goes (Map keeps insertion order)
        const [oldest, old] = clients.entries().next().value!;
        clients.delete(oldest);
        void old.dispose();
      }
      return client;
    },
    dispose() {
      for (const client of clients.values()) void client.dispose();
      clients.clear();
    },
  };
}
