import { utimes } from 'node:fs/promises';
import path from 'node:path';

/** How often a live upload's files are marked fresh, so another instance's sweep leaves them. */
export const HEARTBEAT_MS = 10_000;

/**
 * Uploads between their first byte and their row, in this process. While any is in flight their
 * files (`.tmp-<id>`, then `<id>` between rename and insert) get a fresh mtime every
 * HEARTBEAT_MS: on a shared uploads folder that is how another instance's start-up sweep tells a
 * live upload (however slowly its client sends) from a crash's leftovers.
 */
class InFlightUploads {
  private readonly dirs = new Map<string, string>();
  private timer: NodeJS.Timeout | null = null;

  add(id: string, dir: string): void {
    this.dirs.set(id, dir);
    this.timer ??= setInterval(() => void this.touchAll(), HEARTBEAT_MS).unref();
  }

  delete(id: string): void {
    this.dirs.delete(id);
    if (this.dirs.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  has(id: string): boolean {
    return this.dirs.has(id);
  }

  private async touchAll(): Promise<void> {
    const now = new Date();
    for (const [id, dir] of this.dirs)
      for (const name of [`.tmp-${id}`, id])
        await utimes(path.join(dir, name), now, now).catch(() => {}); // not (or no longer) there
  }
}

export const uploadsInFlight = new InFlightUploads();
