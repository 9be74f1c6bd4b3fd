// Loaded only when STORAGE_URL is s3:// (see open-store.ts): the SDK is several MiB.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { Logger } from '../logger.js';
import type { ByteRange, ObjectStore, PutResult, StoredObject } from './object-store.js';
import type { StorageSpec } from './storage-url.js';
import { checkKey } from './store-key.js';

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

// S3's smallest part; two in flight bound an upload's memory to about 15 MiB, whatever its size
const PART_BYTES = 5 * 1024 * 1024;
const PARTS_IN_FLIGHT = 2;
// header and index readers ask for small pieces: one block fetched serves the next few
const READ_BLOCK = 64 * 1024;

/** Objects in an S3-compatible bucket under an optional prefix; big uploads go multipart. */
export class S3Store implements ObjectStore {
  readonly kind = 's3';
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  private block: { key: string; start: number; data: Buffer } | null = null;

  constructor(
    spec: Extract<StorageSpec, { kind: 's3' }>,
    credentials: S3Credentials | undefined,
    private readonly log: Logger,
  ) {
    this.bucket = spec.bucket;
    this.prefix = spec.prefix;
    this.client = new S3Client({
      region: spec.region,
      endpoint: spec.endpoint,
      forcePathStyle: spec.forcePathStyle,
      // unset: the SDK's own chain (instance role, web identity, ~/.aws)
      credentials,
      // checksum trailers (aws-chunked bodies) are not understood by every S3-compatible server
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  private name(key: string): string {
    return this.prefix + checkKey(key);
  }

  localPath(): null {
    return null;
  }

  /** A multipart upload for anything past one part; a failure aborts it, so no object appears. */
  async put(key: string, source: AsyncIterable<Buffer>): Promise<PutResult> {
    const hash = createHash('sha256');
    let size = 0;
    let sourceError: unknown = null;
    async function* counted(): AsyncGenerator<Buffer> {
      try {
        for await (const chunk of source) {
          size += chunk.length;
          hash.update(chunk);
          yield chunk;
        }
      } catch (err) {
        sourceError = err;
        throw err;
      }
    }
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: this.name(key), Body: Readable.from(counted()) },
      partSize: PART_BYTES,
      queueSize: PARTS_IN_FLIGHT,
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (err) {
      // the source's refusal (limit, type, client gone) is the story; an abort that failed is not
      if (sourceError) {
        if (sourceError !== err)
          this.log.warn('an upload refused midway left parts in the bucket (abort failed)', {
            key,
            reason: (err as Error).message,
          });
        throw sourceError;
      }
      throw err;
    }
    return { size, sha256: hash.digest('hex') };
  }

  async get(key: string, range?: ByteRange): Promise<Readable | null> {
    try {
      const out = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: this.name(key),
          Range: range ? `bytes=${range.start}-${range.end}` : undefined,
        }),
      );
      return out.Body as Readable;
    } catch (err) {
      if (missing(err)) return null;
      throw err;
    }
  }

  async readAt(key: string, position: number, length: number): Promise<Buffer> {
    const b = this.block;
    if (b?.key === key && position >= b.start && position + length <= b.start + b.data.length)
      return b.data.subarray(position - b.start, position - b.start + length);
    if (length <= 0) return Buffer.alloc(0);
    const want = Math.max(length, READ_BLOCK);
    let data: Buffer;
    try {
      const out = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: this.name(key),
          Range: `bytes=${position}-${position + want - 1}`,
        }),
      );
      data = Buffer.from(await out.Body!.transformToByteArray());
    } catch (err) {
      // a start past the end: nothing to read, as a file read there returns
      if ((err as { name?: string }).name === 'InvalidRange') return Buffer.alloc(0);
      throw err;
    }
    this.block = { key, start: position, data };
    return data.subarray(0, length);
  }

  async stat(key: string): Promise<StoredObject | null> {
    try {
      const out = await this.client.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: this.name(key) }),
      );
      return { key, size: out.ContentLength ?? 0, modifiedAt: out.LastModified ?? new Date(0) };
    } catch (err) {
      if (missing(err)) return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    if (this.block?.key === key) this.block = null;
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.name(key) }));
  }

  async *list(): AsyncIterable<StoredObject> {
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: this.prefix,
          ContinuationToken: token,
        }),
      );
      for (const o of page.Contents ?? []) {
        const key = o.Key?.slice(this.prefix.length) ?? '';
        if (!key || key.includes('/')) continue; // another tool's objects under our prefix
        yield { key, size: o.Size ?? 0, modifiedAt: o.LastModified ?? new Date(0) };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  destroy(): void {
    this.client.destroy();
  }
}

function missing(err: unknown): boolean {
  if (!(err instanceof S3ServiceException)) return false;
  return (
    err.name === 'NoSuchKey' || err.name === 'NotFound' || err.$metadata.httpStatusCode === 404
  );
}
