import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ObjectStore } from '../../storage/object-store.js';

/**
 * Private copies of bucket-stored files for one run's `file` arguments (a command needs a path):
 * one 0700 folder under the system temp dir, removed when the run ends or fails to start.
 */
export class RunFileCopies {
  private dir: Promise<string> | null = null;
  private removed = false;

  /** Copies `key` out of `store` and returns the copy's path. */
  async add(store: ObjectStore, key: string): Promise<string | null> {
    if (this.removed) throw new Error('the run has already ended');
    this.dir ??= mkdtemp(path.join(tmpdir(), 'tiny-agent-run-'));
    const target = path.join(await this.dir, key);
    const body = await store.get(key);
    if (!body) return null;
    await pipeline(body, createWriteStream(target, { flags: 'wx', mode: 0o600 }));
    return target;
  }

  async remove(): Promise<void> {
    this.removed = true;
    const dir = await this.dir?.catch(() => null);
    if (dir) await rm(dir, { recursive: true, force: true });
  }

  /** `work`, removing the copies if it fails. */
  async during<T>(work: Promise<T>): Promise<T> {
    return work.catch(async (err: unknown) => {
      await this.remove();
      throw err;
    });
  }

  /** An admitted run's slot that also removes the copies when released; a refusal removes them at once. */
  until<S extends { release(): void }>(slot: S | string): { release(): void } | string {
    if (typeof slot === 'string') {
      void this.remove().catch(() => {});
      return slot;
    }
    return {
      release: () => {
        slot.release();
        void this.remove().catch(() => {});
      },
    };
  }
}
