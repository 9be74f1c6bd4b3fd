import { createHash } from 'node:crypto';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { PayloadTooLargeError, UnsupportedMediaTypeError } from '../../errors.js';
import { TypeSniffer } from './file.sniffer.js';

export interface WriteOptions {
  /** more bytes than this refuse the upload the moment they arrive */
  maxBytes: number;
  /** why the limit applies, for the refusal's message */
  limitReason?: string;
  accepts(mime: string): boolean;
}

export interface Written {
  size: number;
  sha256: string;
  mimeType: string;
}

// writes are batched: fewer syscalls, and the source keeps flowing while one is in progress
const BATCH_BYTES = 1024 * 1024;

/**
 * Streams `source` to `tmpPath` (created exclusively, mode 0600), hashing, counting and typing it
 * on the way, fsyncs it, renames it to `finalPath` and fsyncs the folder. On any failure (limit,
 * refused type, client gone, disk full) nothing is left on disk and the error is rethrown; the
 * source is drained rather than destroyed, so the multipart parser can finish the request.
 */
export async function writeUpload(
  source: Readable,
  tmpPath: string,
  finalPath: string,
  opts: WriteOptions,
): Promise<Written> {
  const fh = await open(tmpPath, 'wx', 0o600).catch((err: unknown) => {
    source.resume();
    throw err;
  });
  const hash = createHash('sha256');
  const sniffer = new TypeSniffer();
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
    for await (const chunk of source.iterator({
      destroyOnReturn: false,
    }) as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > opts.maxBytes) {
        throw new PayloadTooLargeError(
          `The file is larger than ${opts.limitReason ?? `the upload limit of ${opts.maxBytes} bytes`}.`,
        );
      }
      hash.update(chunk);
      const known = await sniffer.push(chunk);
      if (known && !opts.accepts(known)) throw refusedType(known);
      batch.push(chunk);
      batchBytes += chunk.length;
      if (batchBytes >= BATCH_BYTES) await flush();
    }
    const mimeType = await sniffer.end();
    if (!opts.accepts(mimeType)) throw refusedType(mimeType);
    await flush();
    await drain();
    await fh.sync();
    closed = true;
    await fh.close();
    await rename(tmpPath, finalPath);
    renamed = true;
    await syncDir(path.dirname(finalPath));
    return { size, sha256: hash.digest('hex'), mimeType };
  } catch (err) {
    source.resume();
    await writing;
    if (!closed) await fh.close().catch(() => {});
    await unlink(renamed ? finalPath : tmpPath).catch(() => {});
    throw err;
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

function refusedType(mime: string): UnsupportedMediaTypeError {
  return new UnsupportedMediaTypeError(
    `Files of type ${mime} (judged from the content) are not accepted here.`,
  );
}
