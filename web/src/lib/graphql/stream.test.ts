import type { Client } from '@urql/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeSubject, type Subject } from 'wonka';
import { attachSocketState, SocketState } from './socket';
import { backoffDelay, openStream } from './stream';

// A stand-in for urql's client: each subscription() call gets a subject the test drives.
function fakeClient() {
  const calls: { variables: unknown; subject: Subject<unknown> }[] = [];
  const client = {
    subscription: (_doc: unknown, variables: unknown) => {
      const subject = makeSubject<unknown>();
      calls.push({ variables, subject });
      return subject.source;
    },
  } as unknown as Client;
  return { client, calls };
}

const doc = {} as never;
const gqlError = (code: string) => ({
  graphQLErrors: [{ message: code, extensions: { code } }],
  message: code,
});

describe('openStream', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('delivers data and resubscribes after an error from the latest variables', async () => {
    const { client, calls } = fakeClient();
    let last = 0;
    const seen: number[] = [];
    const statuses: string[] = [];
    openStream<{ n: number }, { after: number }>(client, doc, {
      variables: () => ({ after: last }),
      onData: (d) => seen.push((last = d.n)),
      onStatus: (s) => statuses.push(s),
    });
    calls[0].subject.next({ data: { n: 1 }, hasNext: true });
    calls[0].subject.next({ data: { n: 2 }, hasNext: true });
    calls[0].subject.next({ error: gqlError('RATE_LIMITED'), hasNext: true });
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toHaveLength(2);
    expect(calls[1].variables).toEqual({ after: 2 });
    calls[1].subject.next({ data: { n: 3 }, hasNext: true });
    expect(seen).toEqual([1, 2, 3]);
    expect(statuses).toEqual(['connecting', 'live', 'reconnecting', 'reconnecting', 'live']);
  });

  it('stops on errors that retrying cannot fix', async () => {
    const { client, calls } = fakeClient();
    const statuses: string[] = [];
    openStream(client, doc, {
      variables: () => ({}),
      onData: () => {},
      onStatus: (s) => statuses.push(s),
    });
    calls[0].subject.next({ error: gqlError('UNAUTHENTICATED'), hasNext: true });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(1);
    expect(statuses.at(-1)).toBe('failed');
  });

  it('asks onComplete whether to go on when the server completes, and ignores urql’s final echo', async () => {
    const { client, calls } = fakeClient();
    const seen: number[] = [];
    const answers = [true, false];
    const statuses: string[] = [];
    openStream<{ n: number }, object>(client, doc, {
      variables: () => ({}),
      onData: (d) => seen.push(d.n),
      onComplete: () => answers.shift()!,
      onStatus: (s) => statuses.push(s),
    });
    calls[0].subject.next({ data: { n: 1 }, hasNext: true });
    calls[0].subject.next({ data: { n: 1 }, hasNext: false });
    calls[0].subject.complete();
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toHaveLength(2);
    calls[1].subject.complete();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(2);
    expect(seen).toEqual([1]);
    expect(statuses.at(-1)).toBe('ended');
  });

  it('retries network failures with backoff until closed', async () => {
    const { client, calls } = fakeClient();
    const onResubscribe = vi.fn();
    const stream = openStream(client, doc, {
      variables: () => ({}),
      onData: () => {},
      onResubscribe,
    });
    calls[0].subject.next({
      error: { graphQLErrors: [], networkError: new Error('closed'), message: 'x' },
      hasNext: false,
    });
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toHaveLength(2);
    expect(onResubscribe).toHaveBeenCalledTimes(1);
    calls[1].subject.next({
      error: { graphQLErrors: [], networkError: new Error('closed'), message: 'x' },
      hasNext: false,
    });
    stream.close();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(2);
  });

  it('is live once its socket is acknowledged, before any event, and again after a reconnect', async () => {
    const { client, calls } = fakeClient();
    const socket = new SocketState();
    attachSocketState(client, socket);
    const statuses: string[] = [];
    openStream(client, doc, {
      variables: () => ({}),
      onData: () => {},
      onStatus: (s) => statuses.push(s),
    });
    expect(statuses).toEqual(['connecting']);
    socket.set(true);
    expect(statuses).toEqual(['connecting', 'live']);
    // the socket drops: closed first, then the subscription errors
    socket.set(false);
    calls[0].subject.next({
      error: { graphQLErrors: [], networkError: new Error('closed'), message: 'x' },
      hasNext: false,
    });
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toHaveLength(2);
    expect(statuses).toEqual(['connecting', 'live', 'reconnecting', 'reconnecting']);
    socket.set(true);
    expect(statuses.at(-1)).toBe('live');
    // a stream opened on a socket that is already up is live at once; one that failed is not revived
    calls[1].subject.next({ error: gqlError('FORBIDDEN'), hasNext: true });
    socket.set(false);
    socket.set(true);
    expect(statuses.at(-1)).toBe('failed');
    const other: string[] = [];
    openStream(client, doc, {
      variables: () => ({}),
      onData: () => {},
      onStatus: (s) => other.push(s),
    });
    expect(other).toEqual(['connecting', 'live']);
  });

  it('backs off exponentially up to 15 s', () => {
    expect(backoffDelay(0, () => 0.5)).toBe(500);
    expect(backoffDelay(3, () => 0.5)).toBe(4000);
    expect(backoffDelay(20, () => 0.5)).toBe(15_000);
    expect(backoffDelay(1, () => 0)).toBe(750);
  });
});
