// A request's end as an AbortSignal, for resolvers that read a lot (a log search) and should stop
// when the client goes away. Made on demand: most requests never ask for it.
import type { ServerResponse } from 'node:http';

/** Aborts when the response closes: sent in full, or the connection ended first. */
export function closeSignal(res: ServerResponse): AbortSignal {
  const ac = new AbortController();
  if (res.closed) ac.abort();
  else res.once('close', () => ac.abort());
  return ac.signal;
}
