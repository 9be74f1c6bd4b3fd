// One GraphQL operation over HTTP, WebSocket or SSE as a real client sends it, and the outcome a
// caller sees: OK, or the `extensions.code` of the first error.
import type { Client } from 'graphql-ws';
import { collect, sseBlocks, type TestServer } from '../../api/src/test/harness.js';
import type { Topics } from '../../api/src/realtime/pubsub.js';
import { waitUntil } from '../../api/src/test/wait.js';

export type Transport = 'HTTP' | 'WS' | 'SSE';
export const TRANSPORTS: readonly Transport[] = ['HTTP', 'WS', 'SSE'];

/**
 * How a cell reads its answer: `once` (a query or mutation: one result), `replay` (a stream that
 * sends what is stored and completes), `first` (a stream's first event is enough), `live` (a stream
 * that waits for something to happen: opened, then `trigger`, then its first event).
 */
export type Read = 'once' | 'replay' | 'first' | 'live';

export interface Call {
  query: string;
  variables: Record<string, unknown>;
  /** the operation carries this file in `$file`: multipart over HTTP and SSE */
  upload?: { name: string; content: string };
  read: Read;
  /** `live` only: the topic the stream listens to, and what makes an event the caller may see */
  topic?: keyof Topics;
  trigger?: () => Promise<void>;
}

export interface Answer {
  outcome: string;
  data?: any;
  /** the first error's message */
  message?: string;
}

type Stream = ReturnType<typeof collect>;

/** Bearer auth for a signed-in caller; nothing at all when signed out. */
const bearer = (token: string | null): Record<string, string> =>
  token ? { authorization: `Bearer ${token}` } : {};

function body(call: Call): { body: BodyInit; headers: Record<string, string> } {
  if (!call.upload)
    return {
      body: JSON.stringify({ query: call.query, variables: call.variables }),
      headers: { 'content-type': 'application/json' },
    };
  const form = new FormData();
  form.append(
    'operations',
    JSON.stringify({ query: call.query, variables: { ...call.variables, file: null } }),
  );
  form.append('map', JSON.stringify({ 0: ['variables.file'] }));
  form.append('0', new Blob([call.upload.content], { type: 'text/plain' }), call.upload.name);
  return { body: form, headers: { 'x-graphql-yoga-csrf': '1' } };
}

/** A plain POST: one JSON answer (a refusal by the Node layer included). */
function overHttp(s: TestServer, call: Call, token: string | null): Stream {
  return collect((sink) => {
    const b = body(call);
    fetch(`${s.url}/graphql`, {
      method: 'POST',
      headers: {
        accept: 'application/graphql-response+json, application/json',
        ...b.headers,
        ...bearer(token),
      },
      body: b.body,
    })
      .then(async (res) => {
        const text = await res.text();
        // an answer without a body is its status (no cell expects one)
        if (!text) return (sink.next({ httpStatus: res.status }), sink.complete());
        try {
          sink.next(JSON.parse(text));
          sink.complete();
        } catch {
          sink.error(new Error(`non-JSON answer ${res.status}: ${text.slice(0, 200)}`));
        }
      })
      .catch((err) => sink.error(err));
    return () => {};
  });
}

/** Accept: text/event-stream; a JSON answer (a refusal before the stream) counts as one event. */
function overSse(s: TestServer, call: Call, token: string | null): Stream {
  const ac = new AbortController();
  return collect((sink) => {
    void (async () => {
      try {
        const b = body(call);
        const res = await fetch(`${s.url}/graphql`, {
          method: 'POST',
          signal: ac.signal,
          headers: { accept: 'text/event-stream', ...b.headers, ...bearer(token) },
          body: b.body,
        });
        if (!res.headers.get('content-type')?.startsWith('text/event-stream')) {
          sink.next(JSON.parse(await res.text()));
          return sink.complete();
        }
        for await (const block of sseBlocks(res.body!)) {
          if (block.event === 'complete') return sink.complete();
          if (block.data) sink.next(JSON.parse(block.data));
        }
        sink.complete();
      } catch (err) {
        if (!ac.signal.aborted) sink.error(err);
      }
    })();
    return () => ac.abort();
  });
}

/** graphql-ws: queries and mutations ride the socket too. An Upload can't: its value is the text. */
function overWs(client: Client, call: Call): Stream {
  const variables = call.upload ? { ...call.variables, file: call.upload.content } : call.variables;
  return collect((sink) => client.subscribe({ query: call.query, variables }, sink));
}

/** The outcome of what a stream delivered: a graphql-ws `error`, an errors result, or data. */
function outcomeOf(stream: Stream): Answer {
  const err = stream.ended?.error;
  if (err !== undefined) {
    if (Array.isArray(err)) return refusal(err);
    const close = err as { code?: number; reason?: string };
    return {
      outcome: close.code
        ? `socket closed ${close.code} ${close.reason ?? ''}`.trim()
        : `failed: ${String(err)}`,
    };
  }
  const first = stream.events[0];
  if (!first) return { outcome: 'no answer' };
  if (first.httpStatus) return { outcome: `HTTP ${first.httpStatus}` };
  if (first.errors?.length) return refusal(first.errors);
  return first.data
    ? { outcome: 'OK', data: first.data }
    : { outcome: `no data: ${JSON.stringify(first).slice(0, 200)}` };
}

/** An error without a contract code is an outcome too, and names its message so the cell says why. */
function refusal(errors: { message?: string; extensions?: { code?: string } }[]): Answer {
  const e = errors[0]!;
  return { outcome: e.extensions?.code ?? `no code: ${e.message}`, message: e.message };
}

/** Runs the call on one transport as the holder of `token` (null: signed out) and reads its answer. */
export async function callOn(
  s: TestServer,
  transport: Transport,
  call: Call,
  token: string | null,
  ws: () => Client,
): Promise<Answer> {
  const listeners = () => s.app.services.pubsub.listenerCount(call.topic);
  // a plain POST answers once, whatever the operation
  const read = transport === 'HTTP' ? 'once' : call.read;
  const before = read === 'live' ? listeners() : 0;
  const stream =
    transport === 'HTTP'
      ? overHttp(s, call, token)
      : transport === 'SSE'
        ? overSse(s, call, token)
        : overWs(ws(), call);
  try {
    // a replay is OK only when it also ended by itself
    if (read === 'once' || read === 'replay')
      return await stream.waitEnd().then(() => outcomeOf(stream));
    if (read === 'live') {
      // open: the server listens for this stream (or it was refused); then something it may see happens
      await waitUntil(() => stream.ended !== null || listeners() > before, {
        timeoutMs: 10_000,
        what: `the ${transport} stream to open`,
      });
      if (stream.ended === null) await call.trigger!();
    }
    await waitUntil(() => stream.ended !== null || stream.events.length > 0, {
      timeoutMs: 10_000,
      what: `a first event over ${transport}`,
    });
    return outcomeOf(stream);
  } finally {
    stream.stop();
    // the stream's resources go when the client stops it: the next live cell counts from here
    if (read === 'live')
      await waitUntil(() => listeners() <= before, {
        timeoutMs: 10_000,
        what: `the ${transport} stream's listener to go`,
      });
  }
}
