import { connect, type Socket } from 'node:net';

/** A raw HTTP/1.1 request on a plain TCP socket: the test decides when each byte goes out. */
export interface RawRequest {
  socket: Socket;
  /** everything the server sent so far */
  received(): string;
  /** resolves once the server has closed (or reset) the connection */
  closed: Promise<void>;
  isClosed(): boolean;
  write(bytes: string | Buffer): Promise<void>;
}

export async function openRaw(url: string, head: string): Promise<RawRequest> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) =>
    socket.once('connect', resolve).once('error', reject),
  );
  const parts: Buffer[] = [];
  let done = false;
  socket.on('data', (d: Buffer) => parts.push(d));
  const closed = new Promise<void>((resolve) => {
    socket.once('close', () => {
      done = true;
      resolve();
    });
    socket.on('error', () => {}); // a reset is one way of closing
  });
  const raw: RawRequest = {
    socket,
    received: () => Buffer.concat(parts).toString('latin1'),
    closed,
    isClosed: () => done,
    write: (bytes) =>
      new Promise<void>((resolve) =>
        socket.writable ? socket.write(bytes, () => resolve()) : resolve(),
      ),
  };
  await raw.write(head);
  return raw;
}

/** Status and parsed JSON body of a raw HTTP/1.1 answer (Content-Length framed). */
export function parseAnswer(text: string): { status: number; headers: string; body: any } {
  const end = text.indexOf('\r\n\r\n');
  const head = end < 0 ? text : text.slice(0, end);
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
  const rest = end < 0 ? '' : text.slice(end + 4);
  let body: any;
  try {
    body = JSON.parse(rest);
  } catch {
    body = rest;
  }
  return { status, headers: head, body };
}

export const BOUNDARY = 'tinyagentboundary';

/** The start of a GraphQL multipart upload (operations, map, then the file part's header), and its end. */
export function multipartParts(fileName = 'slow.txt'): { head: string; end: string } {
  const query = 'mutation($file: Upload!) { uploadFile(file: $file) { id size } }';
  const head =
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n` +
    JSON.stringify({ query, variables: { file: null } }) +
    `\r\n--${BOUNDARY}\r\nContent-Disposition: form-data; name="map"\r\n\r\n` +
    JSON.stringify({ 0: ['variables.file'] }) +
    `\r\n--${BOUNDARY}\r\nContent-Disposition: form-data; name="0"; filename="${fileName}"\r\nContent-Type: text/plain\r\n\r\n`;
  return { head, end: `\r\n--${BOUNDARY}--\r\n` };
}

/** Request line and headers of a multipart upload whose whole body is `length` bytes. */
export function uploadHead(url: string, token: string, length: number): string {
  const { host } = new URL(url);
  return (
    `POST /graphql HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${token}\r\nx-graphql-yoga-csrf: 1\r\n` +
    `Content-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${length}\r\n\r\n`
  );
}
