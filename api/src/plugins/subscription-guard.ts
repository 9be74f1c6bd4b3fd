import { GraphQLError, getOperationAST, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context, ServerContext } from '../context.js';
import { quotaOf, tooManySubscriptions, type Slot } from '../transport/stream-quota.js';

const refused = (max: number): ExecutionResult => ({ errors: [tooManySubscriptions(max)] });

/** A refusal by the per-user limit (told by its error: Yoga's masking passes on a copy of the result), sent over WebSocket as `error`. */
export const quotaRefusal = (result: ExecutionResult) =>
  !result.data && result.errors?.some((e) => e.extensions?.limit === 'subscriptionsPerUser')
    ? result.errors
    : undefined;

const ended = (): ExecutionResult => ({
  errors: [
    new GraphQLError(
      'Your session ended (signed out, disabled, role changed or token revoked). Sign in again.',
      { extensions: { code: 'UNAUTHENTICATED' } },
    ),
  ],
});

/**
 * Every subscription, on every transport, is tied to its viewer's identity: when that identity
 * is revoked the stream gets one UNAUTHENTICATED error and completes. Also counts open streams, and holds each user to limits.subscriptionsPerUser.
 */
export function useSubscriptionGuard(): Plugin {
  return {
    onSubscribe({ args }) {
      const ctx = args.contextValue as unknown as ServerContext;
      // only streams need a signal: queries never pay for an AbortController
      const ac = new AbortController();
      Object.assign(ctx, { signal: ac.signal, abortOperation: () => ac.abort() });
      const kind =
        getOperationAST(args.document, args.operationName)?.selectionSet.selections.map((s) =>
          'name' in s && s.name ? s.name.value : '?',
        )[0] ?? 'unknown';
      return {
        onSubscribeResult({ result, setResult }) {
          if (!(Symbol.asyncIterator in Object(result))) return;
          const inner = (result as AsyncIterable<ExecutionResult>)[Symbol.asyncIterator]();
          // counted once the stream exists (so every path out releases it), taken synchronously
          // (so a burst can't slip past the limit); the stream, set up lazily, is let go at once
          let slot: Slot | null = null;
          if (ctx.viewer) {
            const max = ctx.app.agent.config.limits.subscriptionsPerUser;
            slot = quotaOf(ctx.app).streams.take(`user:${ctx.viewer.userId}`, max);
            if (!slot) {
              ac.abort();
              void inner.return?.()?.catch(() => {});
              return setResult(refused(max) as never);
            }
          }
          setResult(new GuardedStream(inner, ctx, kind, slot) as never);
        },
      };
    },
  };
}

/**
 * Streams must end when `ctx.signal` aborts (their queues take it): that is how a revocation
 * or shutdown reaches a generator parked waiting for its next event, without a race per event.
 * A class, not an object of closures: the transport calls every stream's `next` (and its
 * `[Symbol.asyncIterator]`) from one place, and a new function there per stream threw that
 * place's optimized code away at the start of every stream ("wrong call target").
 */
class GuardedStream implements AsyncIterableIterator<ExecutionResult> {
  private ending: 'revoked' | 'shutdown' | null = null;
  private finished = false;
  private sentEnd = false;
  private readonly unwatch: () => void;

  constructor(
    private readonly inner: AsyncIterator<ExecutionResult>,
    private readonly ctx: ServerContext,
    private readonly kind: string,
    private readonly slot: Slot | null,
  ) {
    ctx.app.metrics.openSubscriptions.inc({ kind });
    this.unwatch = ctx.viewer
      ? ctx.app.auth.watch(ctx.viewer, (reason) => {
          this.ending ??= reason;
          this.abort();
        })
      : () => {};
  }

  // plain promise chaining, not an async function: this runs once per event per subscriber
  next(): Promise<IteratorResult<ExecutionResult>> {
    if (this.finished) return Promise.resolve(this.afterEnd());
    return this.inner.next().then(
      (r) => {
        if (this.ending) return this.endEarly();
        if (r.done) this.finish();
        return r;
      },
      (err: unknown) => {
        this.finish();
        if (this.ending) return this.afterEnd();
        throw err;
      },
    );
  }

  async return(): Promise<IteratorResult<ExecutionResult>> {
    this.close();
    return done();
  }

  async throw(err: unknown): Promise<IteratorResult<ExecutionResult>> {
    this.finish();
    return this.inner.throw ? this.inner.throw(err) : Promise.reject(err);
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  private abort() {
    (this.ctx as Partial<Context>).abortOperation?.();
  }

  private finish() {
    if (this.finished) return;
    this.finished = true;
    this.unwatch();
    this.abort();
    this.ctx.app.metrics.openSubscriptions.dec({ kind: this.kind });
    this.slot?.release();
  }

  /** After the end: a revoked identity gets one UNAUTHENTICATED result, then the stream completes. */
  private afterEnd(): IteratorResult<ExecutionResult> {
    if (this.ending !== 'revoked' || this.sentEnd) return done();
    this.sentEnd = true;
    return { value: ended(), done: false };
  }

  private endEarly(): IteratorResult<ExecutionResult> {
    this.close();
    return this.afterEnd();
  }

  /** Ends here and lets the inner stream go (its own cleanup runs in the background). */
  private close() {
    this.finish();
    void this.inner.return?.()?.catch(() => {});
  }
}

const done = (): IteratorResult<ExecutionResult> => ({ value: undefined, done: true });
