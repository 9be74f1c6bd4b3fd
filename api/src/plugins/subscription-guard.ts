import { GraphQLError, getOperationAST, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context, ServerContext } from '../context.js';

const ended = (): ExecutionResult => ({
  errors: [new GraphQLError('Your session ended (signed out, disabled, role changed or token revoked). Sign in again.', { extensions: { code: 'UNAUTHENTICATED' } })],
});

/**
 * Every subscription, on every transport, is tied to its viewer's identity: when that identity
 * is revoked the stream gets one UNAUTHENTICATED error and completes. Also counts open streams.
 */
export function useSubscriptionGuard(): Plugin {
  return {
    onSubscribe({ args }) {
      const ctx = args.contextValue as unknown as ServerContext;
      // only streams need a signal: queries never pay for an AbortController
      const ac = new AbortController();
      Object.assign(ctx, { signal: ac.signal, abortOperation: () => ac.abort() });
      const kind = getOperationAST(args.document, args.operationName)
        ?.selectionSet.selections.map((s) => ('name' in s && s.name ? s.name.value : '?'))[0] ?? 'unknown';
      return {
        onSubscribeResult({ result, setResult }) {
          if (!(Symbol.asyncIterator in Object(result))) return;
          const inner = (result as AsyncIterable<ExecutionResult>)[Symbol.asyncIterator]();
          setResult(guard(inner, ctx, kind) as never);
        },
      };
    },
  };
}

/**
 * Streams must end when `ctx.signal` aborts (their queues take it): that is how a revocation
 * or shutdown reaches a generator parked waiting for its next event, without a race per event.
 */
function guard(inner: AsyncIterator<ExecutionResult>, ctx: ServerContext, kind: string): AsyncIterableIterator<ExecutionResult> {
  const gauge = ctx.app.metrics.openSubscriptions;
  gauge.inc({ kind });
  const abort = () => (ctx as Partial<Context>).abortOperation?.();
  let ending: 'revoked' | 'shutdown' | null = null;
  let finished = false;
  const unwatch = ctx.viewer
    ? ctx.app.auth.watch(ctx.viewer, (reason) => {
        ending ??= reason;
        abort();
      })
    : () => {};
  const finish = () => {
    if (finished) return;
    finished = true;
    unwatch();
    abort();
    gauge.dec({ kind });
  };
  const done = (): IteratorResult<ExecutionResult> => ({ value: undefined, done: true });
  let sentEnd = false;
  // after the end: a revoked identity gets one UNAUTHENTICATED result, then the stream completes
  const afterEnd = (): IteratorResult<ExecutionResult> => {
    if (ending !== 'revoked' || sentEnd) return done();
    sentEnd = true;
    return { value: ended(), done: false };
  };
  const endEarly = (): IteratorResult<ExecutionResult> => {
    finish();
    void inner.return?.()?.catch(() => {});
    return afterEnd();
  };
  return {
    // plain promise chaining, not an async function: this runs once per event per subscriber
    next() {
      if (finished) return Promise.resolve(afterEnd());
      return inner.next().then(
        (r) => {
          if (ending) return endEarly();
          if (r.done) finish();
          return r;
        },
        (err: unknown) => {
          finish();
          if (ending) return afterEnd();
          throw err;
        },
      );
    },
    async return() {
      finish();
      void inner.return?.()?.catch(() => {});
      return done();
    },
    async throw(err) {
      finish();
      return inner.throw ? inner.throw(err) : Promise.reject(err);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
