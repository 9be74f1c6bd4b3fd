import type { Client } from '@urql/core';

/**
 * Whether a client's subscription socket is open and acknowledged (graphql-ws `connected`).
 * graphql-transport-ws does not acknowledge a single subscription, so a stream counts as live once
 * its socket is: without this a stream with nothing to say yet (a run printing nothing, a quiet
 * log after a reconnect) would show "Connecting…"/"Connection lost…" until its first event.
 */
export class SocketState {
  connected = false;
  private waiting = new Set<() => void>();

  set(connected: boolean): void {
    this.connected = connected;
    if (!connected) return;
    const due = [...this.waiting];
    this.waiting.clear();
    for (const fn of due) fn();
  }

  /** Calls `fn` now if the socket is connected, else once it next is. Returns a canceller. */
  whenConnected(fn: () => void): () => void {
    if (this.connected) {
      fn();
      return () => {};
    }
    this.waiting.add(fn);
    return () => this.waiting.delete(fn);
  }
}

const states = new WeakMap<Client, SocketState>();

export const attachSocketState = (client: Client, state: SocketState): void =>
  void states.set(client, state);

/** The socket state of a client made by `createGraphQLClient`; undefined for any other client. */
export const socketStateOf = (client: Client): SocketState | undefined => states.get(client);
