import type { Readable } from 'node:stream';

/** What a finished put stored: counted and hashed on the way, never by reading the object back. */
export interface PutResult {
  size: number;
  sha256: string;
}

export interface StoredObject {
  key: string;
  size: number;
  modifiedAt: Date;
}

/** Inclusive byte positions, as in an HTTP Range. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Where uploaded bytes live: a folder or an S3-compatible bucket. Keys are server-made names
 * (file ids), never anything a client sent.
 */
export interface ObjectStore {
  readonly kind: 'folder' | 's3';
  /**
   * Streams `source` to `key`, counting and hashing it. If `source` throws (a limit, a refused
   * type, a client gone) nothing is left behind and that error is rethrown.
   */
  put(key: string, source: AsyncIterable<Buffer>): Promise<PutResult>;
  /** The bytes, or the inclusive range of them; null when there is no such object. */
  get(key: string, range?: ByteRange): Promise<Readable | null>;
  /** Up to `length` bytes from `position` (fewer at the end): for readers of headers and indexes. */
  readAt(key: string, position: number, length: number): Promise<Buffer>;
  stat(key: string): Promise<StoredObject | null>;
  /** Removes the object; a missing one is not an error. */
  delete(key: string): Promise<void>;
  /** Every stored object (complete ones only), for the sweep. */
  list(): AsyncIterable<StoredObject>;
  /** A path a child process can open: the stored file itself for a folder, null for a bucket. */
  localPath(key: string): string | null;
}
