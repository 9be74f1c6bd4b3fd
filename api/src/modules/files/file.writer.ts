import type { Readable } from 'node:stream';
import { PayloadTooLargeError, UnsupportedMediaTypeError } from '../../errors.js';
import type { ObjectStore } from '../../storage/object-store.js';
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

/**
 * Streams `source` into `store` under `key`, counting and typing it on the way (the store hashes
 * it). On any failure (limit, refused type, client gone, disk full, bucket error) the store keeps
 * nothing and the error is rethrown; the source is drained rather than destroyed, so the
 * multipart parser can finish the request.
 */
export async function writeUpload(
  source: Readable,
  store: ObjectStore,
  key: string,
  opts: WriteOptions,
): Promise<Written> {
  const sniffer = new TypeSniffer();
  let mimeType = '';
  async function* checked(): AsyncGenerator<Buffer> {
    let size = 0;
    for await (const chunk of source.iterator({
      destroyOnReturn: false,
    }) as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > opts.maxBytes) {
        throw new PayloadTooLargeError(
          `The file is larger than ${opts.limitReason ?? `the upload limit of ${opts.maxBytes} bytes`}.`,
        );
      }
      const known = await sniffer.push(chunk);
      if (known && !opts.accepts(known)) throw refusedType(known);
      yield chunk;
    }
    // thrown before the generator ends: the store has not committed anything yet
    mimeType = await sniffer.end();
    if (!opts.accepts(mimeType)) throw refusedType(mimeType);
  }
  try {
    const { size, sha256 } = await store.put(key, checked());
    return { size, sha256, mimeType };
  } catch (err) {
    source.resume();
    throw err;
  }
}

function refusedType(mime: string): UnsupportedMediaTypeError {
  return new UnsupportedMediaTypeError(
    `Files of type ${mime} (judged from the content) are not accepted here.`,
  );
}
