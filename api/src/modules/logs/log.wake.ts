// Wakes a follower when its directory changes (fs.watch), or after a poll interval as a fallback.
import { watch, type FSWatcher } from 'node:fs';

export class DirWaker {
  private watcher: FSWatcher | null = null;
  private dirty = true;
  private wake: (() => void) | null = null;
  private closed = false;
  private watched: AbortSignal | null = null;

  /** Wakes for entries whose name starts with `prefix` (the log and its rotated siblings). */
  constructor(
    private readonly dir: string,
    private readonly prefix: string,
  ) {}

  /** (Re)creates the watcher; a directory that is missing or unwatchable leaves us on polling. */
  ensure(): void {
    if (this.watcher || this.closed) return;
    try {
      // watch the directory, not the file: a file watch dies with rename and misses re-creation
      const w = watch(this.dir, { persistent: false }, (_event, name) => {
        if (!name || String(name).startsWith(this.prefix)) this.poke();
      });
      w.on('error', () => {
        w.close();
        if (this.watcher === w) this.watcher = null;
        this.poke();
      });
      this.watcher = w;
    } catch {
      this.watcher = null;
    }
  }

  poke(): void {
    this.dirty = true;
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  /** Resolves at the next change (or one already seen since the last wait), after `ms`, or on abort. */
  async wait(ms: number, signal: AbortSignal): Promise<void> {
    this.ensure();
    if (!this.dirty && !signal.aborted) {
      if (this.watched !== signal) {
        // one listener per signal, not one added and removed per wait: on the path of every live
        // line, and EventTarget listeners cost microseconds each
        this.watched = signal;
        signal.addEventListener('abort', () => this.poke(), { once: true });
      }
      const timer = setTimeout(() => this.poke(), ms);
      await new Promise<void>((resolve) => (this.wake = resolve));
      clearTimeout(timer);
    }
    this.dirty = false;
  }

  close(): void {
    this.closed = true;
    this.watcher?.close();
    this.watcher = null;
    this.poke();
  }
}
