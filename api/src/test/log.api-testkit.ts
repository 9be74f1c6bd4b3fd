// Helpers for the logs tests that go through the real server (harness.ts). Not used at run time.
import type { TestServer } from './harness.js';

export const TAIL = `subscription($s: String!, $b: Int, $a: String, $f: String) {
  logTail(source: $s, backfill: $b, after: $a, filter: $f) { cursor kind text truncated droppedCount } }`;
export const LINES = `query($s: String!, $n: Int, $before: String, $f: String) {
  logLines(source: $s, last: $n, before: $before, filter: $f) { cursor kind text truncated } }`;

export interface Tail {
  events: any[];
  readonly ended: { error?: unknown } | null;
  waitFor(n: number, timeoutMs?: number): Promise<void>;
  waitEnd(timeoutMs?: number): Promise<{ error?: unknown }>;
  stop(): void;
}

export type Transport = 'ws' | 'sse';

export function tail(
  s: TestServer,
  transport: Transport,
  auth: { token: string },
  vars: { s: string; b?: number; a?: string; f?: string },
): Tail {
  return transport === 'ws'
    ? s.subscribeWs(TAIL, vars, { token: auth.token })
    : s.subscribeSse(TAIL, vars, { token: auth.token });
}

/** The LogLine payloads received so far (an error result has none). */
export const lines = (
  t: Tail,
): {
  cursor: string;
  kind: string;
  text: string;
  truncated: boolean;
  droppedCount: number | null;
}[] => t.events.flatMap((e) => (e.data?.logTail ? [e.data.logTail] : []));

export const texts = (t: Tail): string[] =>
  lines(t).flatMap((l) => (l.kind === 'LINE' ? [l.text] : []));

/** The code a stream ended with: graphql-ws `error` message, or an errors result (SSE, or WS before the stream). */
export function endCode(t: Tail): string | undefined {
  const wsError = (t.ended?.error as { extensions?: { code?: string } }[] | undefined)?.[0]
    ?.extensions?.code;
  const inResult = t.events.find((e) => e.errors)?.errors?.[0]?.extensions?.code;
  return wsError ?? inResult;
}

export const code = (r: { errors?: { extensions?: { code?: string } }[] }): string | undefined =>
  r.errors?.[0]?.extensions?.code;

/** Numbers 1..total seen zero times and more than once in "line <n> …" texts. */
export function gapsAndTwins(
  seen: Map<number, number>,
  total: number,
): { missing: number[]; twice: number[] } {
  const missing = Array.from({ length: total }, (_, i) => i + 1).filter((n) => !seen.has(n));
  const twice = [...seen].filter(([, c]) => c > 1).map(([n]) => n);
  return { missing, twice };
}
