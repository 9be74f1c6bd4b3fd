// GraphiQL's fetcher: queries and mutations over same-origin fetch (the session cookie and the
// CSRF header ride along), subscriptions over graphql-ws on the same origin (the cookie signs the
// socket in, or the Authorization header typed into the Headers tab). An UNAUTHENTICATED answer
// sent with the cookie alone tells the page the session is gone.
import type { GraphiQLProps } from 'graphiql';
import { getOperationAST, parse, type DocumentNode, type ExecutionResult } from 'graphql';
import { CSRF_HEADERS } from '../lib/graphql/client';
import { authorizationOf, socketPool } from './graphiql.sockets';

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
  const sockets = socketPool();
  const fetcher: Fetcher = (params, opts) => {
    // a token typed into the Headers tab that fails says nothing about the page's own session
    const viaCookie = !authorizationOf(opts?.headers);
    const refused = (a: Answer) => {
      if (viaCookie && unauthenticated(a)) onSignedOut();
    };
    if (isSubscription(params.query, params.operationName, opts?.documentAST)) {
      const events = sockets.forHeaders(opts?.headers).iterate({
        query: params.query,
        operationName: params.operationName ?? undefined,
        variables: params.variables ?? undefined,
      });
      return (async function* () {
        try {
          for await (const event of events) {
            refused(event as Answer);
            yield event as ExecutionResult; // GraphiQL's type; on the wire errors are plain JSON
          }
        } catch (err) {
          // the server closed the socket (a refused token, too many sockets): say why, in words
          if (!(err instanceof CloseEvent)) throw err;
          yield { errors: [closedError(err, viaCookie)] } as unknown as ExecutionResult;
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
        refused(answer);
        return answer as ExecutionResult;
      });
  };
  return { fetcher, dispose: () => sockets.dispose() };
}

function closedError(event: CloseEvent, viaCookie: boolean) {
  const why = event.reason || `code ${event.code}`;
  return {
    message: viaCookie
      ? `The subscription's connection closed (${why}). Sign in again if your session ended.`
      : `The subscription's connection closed (${why}). Check the Authorization header in the Headers tab: it must be "Bearer " and a valid token.`,
  };
}
