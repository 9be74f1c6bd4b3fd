// A request's end (or its WebSocket's) as an AbortSignal, for resolvers that read a lot (a log
// search) and should stop when the client goes away. Made on demand: most requests never ask for it.
import type { ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';

/** Aborts when the response closes: sent in full, or the connection ended first. */
export function closeSignal(res: ServerResponse): AbortSignal {
  const ac = new AbortController();
  if (res.closed) ac.abort();
  else res.once('close', () => ac.abort());
  return ac.signal;
}

// one signal per socket, however many operations ask: a listener each would pile up on a long-lived socket
const socketSignals = new WeakMap<WebSocket, AbortSignal>();

/** Aborts when the WebSocket closes (the client left or dropped): its operations' end. */
export function socketCloseSignal(socket: WebSocket): AbortSignal {
  let signal = socketSignals.get(socket);
  if (!signal) {
    const ac = new AbortController();
    if (socket.readyState >= socket.CLOSING) ac.abort();
    else socket.once('close', () => ac.abort());
    socketSignals.set(socket, (signal = ac.signal));
  }
  return signal;
}
