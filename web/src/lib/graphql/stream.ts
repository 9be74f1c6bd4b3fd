import type { AnyVariables, Client, OperationResult, TypedDocumentNode } from '@urql/core';
import { onEnd, pipe, subscribe } from 'wonka';
import { type AppFailure, isFatal, toFailure } from './errors';
import { socketStateOf } from './socket';

export type StreamStatus = 'connecting' | 'live' | 'reconnecting' | 'ended' | 'failed';

export interface StreamOptions<Data, Vars extends AnyVariables> {
  /** Asked at every (re)subscribe, so a resume starts from the last seq/cursor received. */
  variables(): Vars;
  onData(data: Data): void;
  /** The server completed the stream. Return true to subscribe again (from `variables()`). */
  onComplete?(): boolean | Promise<boolean>;
  onStatus?(status: StreamStatus, failure?: AppFailure): void;
  /** Each subscribe after the first: events may have been missed, so lists can reload. */
  onResubscribe?(): void;
}

export interface Stream {
  close(): void;
}

/** 0.5 s, 1 s, 2 s … capped at 15 s, with ±25% jitter so reconnecting tabs don't stampede. */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(15_000, 500 * 2 ** Math.max(0, attempt));
  return Math.round(base * (0.75 + random() * 0.5));
}

/** A subscription that resumes itself after a drop, a slow-subscriber close or a server restart. */
export function openStream<Data, Vars extends AnyVariables>(
  client: Client,
  document: TypedDocumentNode<Data, Vars>,
  options: StreamOptions<Data, Vars>,
): Stream {
  let closed = false;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let current: { unsubscribe(): void } | undefined;
  let starts = 0;

  const retryLater = (delay: number) => {
    if (closed) return;
    timer = setTimeout(start, delay);
  };

  function start() {
    if (closed) return;
    let failure: AppFailure | null = null;
    let finished = false;
    let live = false;
    let sub: { unsubscribe(): void } | undefined;
    let stopWaiting = () => {};
    const goLive = () => {
      if (finished || live) return;
      live = true;
      options.onStatus?.('live');
    };
    // once per subscription, whichever comes first: the source ends, or an error arrives
    const finish = () => {
      if (finished) return;
      finished = true;
      stopWaiting();
      queueMicrotask(() => sub?.unsubscribe());
      void ended(failure);
    };
    if (starts++ > 0) options.onResubscribe?.();
    options.onStatus?.(attempt === 0 ? 'connecting' : 'reconnecting');
    sub = current = pipe(
      client.subscription(document, options.variables()),
      onEnd(finish),
      subscribe((result: OperationResult<Data, Vars>) => {
        if (finished) return;
        if (result.error) {
          // urql leaves the source open after a graphql-ws Error message, so an error ends it here
          failure = toFailure(result.error);
          finish();
          return;
        }
        // urql repeats the last payload with hasNext: false when the server completes
        if (result.hasNext === false || !result.data) return;
        attempt = 0;
        goLive();
        options.onData(result.data);
      }),
    );
    // live once the socket carrying it is acknowledged, even before a first event
    stopWaiting = socketStateOf(client)?.whenConnected(goLive) ?? stopWaiting;
  }

  async function ended(failure: AppFailure | null) {
    current = undefined;
    if (closed) return;
    if (failure && isFatal(failure.code)) {
      options.onStatus?.('failed', failure);
      return;
    }
    if (failure) {
      options.onStatus?.('reconnecting', failure);
      retryLater(backoffDelay(attempt++));
      return;
    }
    const again = (await options.onComplete?.()) ?? false;
    if (closed) return;
    if (again) retryLater(backoffDelay(attempt++));
    else options.onStatus?.('ended');
  }

  start();
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      current?.unsubscribe();
    },
  };
}
