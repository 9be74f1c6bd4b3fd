// GraphiQL's fetcher: queries and mutations over same-origin fetch (the session cookie and the
// CSRF header ride along), subscriptions over graphql-ws on the same origin (the cookie signs the
// socket in). Any UNAUTHENTICATED answer tells the page the session is gone.
import type { GraphiQLProps } from 'graphiql';
import { getOperationAST, parse, type DocumentNode, type ExecutionResult } from 'graphql';
import { createClient } from 'graphql-ws';
import { CSRF_HEADERS, graphqlWsUrl } from '../lib/graphql/client';

export type Fetcher = GraphiQLProps['fetcher'];

interface Answer {
  errors?: { extensions?: { code?: string } }[];
}

const unauthenticated = (a: Answer) =>
  a.errors?.some((e) => e.extensions?.code === 'UNAUTHENTICATED') ?? false;

function isSubscription(
  query: string,
  operationName: string | null | undefined,
  doc?: DocumentNode,
) {
  try {
    return getOperationAST(doc ?? parse(query), operationName)?.operation === 'subscription';
  } catch {
    return false; // not parseable: the server says what is wrong with it
  }
}

/** A fetcher for one signed-in session; `dispose` closes its socket (sign-out, session ended). */
export function createFetcher(onSignedOut: () => void): { fetcher: Fetcher; dispose(): void } {
  const ws = createClient({ url: graphqlWsUrl(), lazy: true, retryAttempts: 0 });
  const fetcher: Fetcher = (params, opts) => {
    if (isSubscription(params.query, params.operationName, opts?.documentAST)) {
      const events = ws.iterate({
        query: params.query,
        operationName: params.operationName ?? undefined,
        variables: params.variables ?? undefined,
      });
      return (async function* () {
        for await (const event of events) {
          if (unauthenticated(event as Answer)) onSignedOut();
          yield event as ExecutionResult; // GraphiQL's type; on the wire errors are plain JSON
        }
      })();
    }
    return fetch('/graphql', {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...CSRF_HEADERS,
        ...opts?.headers,
      },
      body: JSON.stringify(params),
    })
      .then((res) => res.json())
      .then((answer: Answer) => {
        if (unauthenticated(answer)) onSignedOut();
        return answer as ExecutionResult;
      });
  };
  return { fetcher, dispose: () => void ws.dispose() };
}
