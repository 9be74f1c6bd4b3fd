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

function guard(inner: AsyncIterator<ExecutionResult>, ctx: ServerContext, kind: string): AsyncIterableIterator<ExecutionResult> {
  const gauge = ctx.app.metrics.openSubscriptions;
  gauge.inc({ kind });
  let revoked = false;
  let finished = false;
  let shutdown = false;
  let wake: (() => void) | null = null;
  const unwatch = ctx.viewer
    ? ctx.app.auth.watch(ctx.viewer, (reason) => {
        if (reason === 'shutdown') shutdown = true;
        else revoked = true;
        wake?.();
      })
    : () => {};
  const finish = () => {
    if (finished) return;
    finished = true;
    unwatch();
    (ctx as Partial<Context>).abortOperation?.();
    gauge.dec({ kind });
  };
  const stop = async (): Promise<IteratorResult<ExecutionResult>> => {
    finish();
    // not awaited: a generator parked in a pending next() only returns after that settles
    void inner.return?.()?.catch(() => {});
    return { value: undefined, done: true };
  };
  let sentEnd = false;
  return {
    async next() {
      if ((finished && !revoked) || shutdown) return stop();
      if (revoked) {
        if (sentEnd) return stop();
        sentEnd = true;
        void stop();
        return { value: ended(), done: false };
      }
      const revocation = new Promise<'revoked'>((resolve) => (wake = () => resolve('revoked')));
      let r: IteratorResult<ExecutionResult> | 'revoked';
      try {
        r = await Promise.race([inner.next(), revocation]);
      } catch (err) {
        finish();
        throw err;
      } finally {
        wake = null;
      }
      if (r === 'revoked') return this.next();
      if (r.done) finish();
      return r;
    },
    return: stop,
    async throw(err) {
      finish();
      return inner.throw ? inner.throw(err) : Promise.reject(err);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
