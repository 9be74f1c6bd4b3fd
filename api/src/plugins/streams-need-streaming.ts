import {
  createGraphQLError,
  isAsyncIterable,
  processRegularResult,
  type Plugin,
} from 'graphql-yoga';

const MESSAGE =
  'A subscription needs a streaming transport: send it with `Accept: text/event-stream` (SSE) or over a WebSocket (graphql-transport-ws).';

/**
 * A subscription POSTed with `Accept: application/json` was opened and then answered 406 with no
 * body: nothing ever closed the stream (its gauge, identity watch and log follower stayed for
 * good). The stream is closed here and the caller told how to ask, with a contract code.
 * Must come after Yoga's own result processors: it acts only when none of them took the result.
 */
export function useStreamsNeedStreaming(): Plugin {
  return {
    onResultProcess({ request, result, resultProcessor, setResult, setResultProcessor }) {
      if (resultProcessor || !isAsyncIterable(result)) return;
      void result[Symbol.asyncIterator]()
        .return?.()
        ?.catch(() => {});
      setResult({
        errors: [
          createGraphQLError(MESSAGE, {
            extensions: { code: 'BAD_USER_INPUT', http: { status: 406 } },
          }),
        ],
      });
      const graphqlResponse = /application\/graphql-response\+json/.test(
        request.headers.get('accept') ?? '',
      );
      setResultProcessor(
        processRegularResult,
        graphqlResponse ? 'application/graphql-response+json' : 'application/json',
      );
    },
  };
}
