// Real bytes and real requests for the files tests (and the upload benchmark): no mocks.
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { crc32, deflateSync } from 'node:zlib';

export const UPLOAD_QUERY =
  'mutation($file: Upload!) { uploadFile(file: $file) { id name size mimeType sha256 processingStatus } }';

/** The parts of a one-file GraphQL multipart request around the file's bytes. */
export function multipartFrame(
  fileName: string,
  type = 'application/octet-stream',
  query = UPLOAD_QUERY,
  opts: { encodedName?: boolean } = {},
) {
  // RFC 5987 `filename*` carries any character, controls included; plain `filename` only header-safe ones
  const name = opts.encodedName
    ? `filename*=UTF-8''${encodeURIComponent(fileName)}`
    : `filename="${fileName.replace(/"/g, '%22')}"`;
  const boundary = `----tiny-agent-${randomBytes(12).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${JSON.stringify({ query, variables: { file: null } })}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n${JSON.stringify({ 0: ['variables.file'] })}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="0"; ${name}\r\nContent-Type: ${type}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { boundary, head, tail, contentType: `multipart/form-data; boundary=${boundary}` };
}

export interface RawUpload {
  req: ClientRequest;
  /** resolves with the answer (status and body text), or rejects when the connection dies first */
  response: Promise<{ status: number; body: string; at: number }>;
  /** bytes handed to the socket so far */
  sent(): number;
  /** writes and waits for the socket to take the bytes; false when the server has closed */
  write(chunk: Buffer): Promise<boolean>;
}

/** A multipart POST to /graphql written by hand, so a test decides when (and whether) each byte goes. */
export function rawUpload(
  url: string,
  opts: { headers?: Record<string, string>; contentLength?: number; contentType: string },
): RawUpload {
  const req = request(`${url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': opts.contentType,
      ...(opts.contentLength !== undefined ? { 'content-length': String(opts.contentLength) } : {}),
      ...opts.headers,
    },
  });
  let sent = 0;
  let closed = false;
  req.on('error', () => {
    closed = true;
  });
  const response = new Promise<{ status: number; body: string; at: number }>((resolve, reject) => {
    req.on('response', (res: IncomingMessage) => {
      const at = sent;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, at }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
  response.catch(() => {});
  return {
    req,
    response,
    sent: () => sent,
    write: (chunk) =>
      new Promise<boolean>((resolve) => {
        if (closed || req.destroyed) return resolve(false);
        req.write(chunk, (err) => {
          if (!err) sent += chunk.length;
          resolve(!err);
        });
      }),
  };
}

/** Entries of an uploads folder (temporary files included). */
export const listUploads = (dir: string): string[] => {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
};

function pngChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A valid grey PNG of the given size. */
export function pngBytes(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
  const raw = Buffer.alloc((width + 1) * height, 0x80);
  for (let y = 0; y < height; y++) raw[y * (width + 1)] = 0; // filter byte per row
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(raw)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A stored (uncompressed) zip with these entries, central directory included. */
export function zipBytes(entries: { name: string; data: Buffer | string }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const data = Buffer.from(e.data);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += 30 + name.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** A ustar archive with these regular files. */
export function tarBytes(entries: { name: string; data: Buffer | string }[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const data = Buffer.from(e.data);
    const h = Buffer.alloc(512);
    h.write(e.name, 0, 100, 'utf8');
    h.write('0000644\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write(data.length.toString(8).padStart(11, '0') + '\0', 124);
    h.write('00000000000\0', 136);
    h.write('        ', 148);
    h.write('0', 156);
    h.write('ustar\0' + '00', 257);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
    parts.push(h, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}
