import type { OutputEvent } from '../modules/commands/command.live-chunk.js';
import { BoundedQueue } from './queue.js';
import type { Stream } from './stream.js';

/** Every realtime topic and its payload, in one place. A topic may be scoped by an id. */
export interface Topics {
  /**
   * an identity ended: subscriptions of matching viewers close. With `userId` and `sessionsOnly`,
   * only that user's sessions end (API tokens stay), all but `keep` (the session that asked).
   */
  authRevoked: { credentialId?: string; userId?: string; sessionsOnly?: boolean; keep?: string };
  /**
   * an instance hears Redis again after losing it: what it published meanwhile (a sign-out, a
   * revocation) may never have reached the others, so every instance re-checks what it holds
   */
  authResync: { at: number };
  /** a user's shown data changed (login time, role, …): cached copies are dropped */
  userChanged: { userId: string };
  /** a run's output, scoped by run id */
  runOutput: OutputEvent;
  /** stop a run, wherever it runs */
  runCancel: { runId: string };
  /** a run started or ended */
  runUpdated: { runId: string; startedById: string };
  /** an uploaded file's processing finished (DONE or FAILED) */
  fileProcessed: { fileId: string; ownerId: string };
}

/** Carries published events between instances; the in-process one is the default. */
export interface Transport {
  publish(channel: string, message: string): void;
  subscribe(channel: string, onMessage: (message: string) => void): () => void;
  close(): Promise<void>;
  /**
   * Whether events from other instances are arriving now; `listener` hears every change. While
   * not healthy, events published elsewhere may be lost for good (a transport without this
   * never loses any).
   */
  onHealth?(listener: (healthy: boolean) => void): () => void;
  readonly healthy?: boolean;
}

type Listener = (payload: unknown) => void;

export class PubSub {
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly remote = new Map<string, () => void>();

  constructor(private readonly transport?: Transport) {}

  publish<K extends keyof Topics>(topic: K, payload: Topics[K], id?: string): void {
    const channel = id ? `${topic}:${id}` : topic;
    if (this.transport) this.transport.publish(channel, JSON.stringify(payload));
    else this.deliver(channel, payload);
  }

  /** A plain listener, called synchronously for each event (keep it cheap). */
  on<K extends keyof Topics>(
    topic: K,
    listener: (payload: Topics[K]) => void,
    id?: string,
  ): () => void {
    const channel = id ? `${topic}:${id}` : topic;
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
      if (this.transport) {
        this.remote.set(
          channel,
          this.transport.subscribe(channel, (m) => this.deliver(channel, JSON.parse(m))),
        );
      }
    }
    set.add(listener as Listener);
    return () => {
      set.delete(listener as Listener);
      if (set.size === 0) {
        this.listeners.delete(channel);
        this.remote.get(channel)?.();
        this.remote.delete(channel);
      }
    };
  }

  /** An async iterator with its own bounded queue; overflow fails only this subscriber. */
  subscribe<K extends keyof Topics>(
    topic: K,
    opts: { id?: string; limit?: number; signal?: AbortSignal } = {},
  ): Stream<Topics[K]> {
    const queue = new BoundedQueue<Topics[K]>({ limit: opts.limit ?? 1000, signal: opts.signal });
    queue.onCleanup(this.on(topic, (p) => queue.push(p), opts.id));
    return queue.stream();
  }

  /** Listeners in this process: all of them, or those of one topic (and id, for a topic scoped by one). */
  listenerCount(topic?: keyof Topics, id?: string): number {
    if (topic) return this.listeners.get(id ? `${topic}:${id}` : topic)?.size ?? 0;
    let n = 0;
    for (const s of this.listeners.values()) n += s.size;
    return n;
  }

  /**
   * False while events from other instances may be missed (Redis unreachable): whoever caches
   * what those events would invalidate must not trust its cache meanwhile.
   */
  get healthy(): boolean {
    return this.transport?.healthy ?? true;
  }

  /**
   * Called each time events flow again after a gap in which some may have been missed: what
   * was cached then, or kept alive on the strength of "no revocation came", is to be re-checked.
   */
  onReconnect(listener: () => void): () => void {
    return this.transport?.onHealth?.((up) => up && listener()) ?? (() => {});
  }

  async close(): Promise<void> {
    this.listeners.clear();
    for (const off of this.remote.values()) off();
    this.remote.clear();
    await this.transport?.close();
  }

  private deliver(channel: string, payload: unknown): void {
    const set = this.listeners.get(channel);
    if (!set) return;
    for (const l of [...set]) l(payload);
  }
}
