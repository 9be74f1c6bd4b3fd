import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { ByteRange, ObjectStore, PutResult, StoredObject } from './object-store.js';
import { checkKey } from './store-key.js';

// writes are batched: fewer syscalls, and the source keeps flowing while one is in progress
const BATCH_BYTES = 1024 * 1024;

/** Objects as files named by their key in one folder (0700), each 0600; partial ones are `.tmp-<key>`. */
export class FolderStore implements ObjectStore {
  readonly kind = 'folder';

  constructor(
    readonly dir: string,
    /** where `key` is written before it is complete; default `<dir>/.tmp-<key>` */
    private readonly tmpName: (key: string) => string = (key) => `.tmp-${key}`,
  ) {}

  localPath(key: string): string {
    return path.join(this.dir, checkKey(key));
  }

  tmpPath(key: string): string {
    return path.join(this.dir, this.tmpName(checkKey(key)));
  }

  /** Streams to `.tmp-<key>`, fsyncs, renames to `<key>` and fsyncs the folder; on failure leaves nothing. */
  async put(key: string, source: AsyncIterable<Buffer>): Promise<PutResult> {
    const tmp = this.tmpPath(key);
    const final = this.localPath(key);
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const fh = await open(tmp, 'wx', 0o600);
    const hash = createHash('sha256');
    let size = 0;
    let closed = false;
    let renamed = false;
    let batch: Buffer[] = [];
    let batchBytes = 0;
    // the next batch is read while this one is written; a write's failure surfaces at the next drain
    let writing: Promise<void> = Promise.resolve();
    let writeError: unknown = null;
    const drain = async () => {
      await writing;
      if (writeError) throw writeError;
    };
    const flush = async () => {
      await drain();
      if (!batch.length) return;
      writing = writeAll(fh, batch).catch((e: unknown) => void (writeError = e));
      batch = [];
      batchBytes = 0;
    };
    try {
      for await (const chunk of source) {
        size += chunk.length;
        hash.update(chunk);
        batch.push(chunk);
        batchBytes += chunk.length;
        if (batchBytes >= BATCH_BYTES) await flush();
      }
      await flush();
      await drain();
      await fh.sync();
      closed = true;
      await fh.close();
      await rename(tmp, final);
      renamed = true;
      await syncDir(this.dir);
      return { size, sha256: hash.digest('hex') };
    } catch (err) {
      await writing;
      if (!closed) await fh.close().catch(() => {});
      await unlink(renamed ? final : tmp).catch(() => {});
      throw err;
    }
  }

  async get(key: string, range?: ByteRange): Promise<Readable | null> {
    const full = this.localPath(key);
    const fh = await open(full, 'r').catch(() => null);
    if (!fh) return null;
    return createReadStream(full, { fd: fh, ...range, highWaterMark: 256 * 1024 });
  }

  async readAt(key: string, position: number, length: number): Promise<Buffer> {
    const fh = await open(this.localPath(key), 'r');
    try {
      const buf = Buffer.alloc(length);
      const { bytesRead } = await fh.read(buf, 0, length, position);
      return buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  }

  async stat(key: string): Promise<StoredObject | null> {
    const info = await stat(this.localPath(key)).catch(() => null);
    return info?.isFile() ? { key, size: info.size, modifiedAt: info.mtime } : null;
  }

  async delete(key: string): Promise<void> {
    await unlink(this.localPath(key)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }

  async *list(): AsyncIterable<StoredObject> {
    const names = await readdir(this.dir).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return [];
      throw err;
    });
    for (const name of names) {
      if (name.startsWith('.')) continue; // partial uploads and anything hidden
      const info = await stat(path.join(this.dir, name)).catch(() => null);
      if (info?.isFile()) yield { key: name, size: info.size, modifiedAt: info.mtime };
    }
  }
}

/** The rename itself survives a power cut only once the folder is flushed too. */
async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** writev until every byte is down: a short write is retried, an error (ENOSPC) thrown. */
async function writeAll(fh: FileHandle, chunks: Buffer[]): Promise<void> {
  let rest = [...chunks];
  while (rest.length) {
    const { bytesWritten } = await fh.writev(rest);
    if (bytesWritten === 0)
      throw Object.assign(new Error('The disk accepted no more bytes.'), { code: 'ENOSPC' });
    let skip = bytesWritten;
    while (rest.length && skip >= rest[0]!.length) skip -= rest.shift()!.length;
    if (rest.length && skip) rest = [rest[0]!.subarray(skip), ...rest.slice(1)];
  }
}
