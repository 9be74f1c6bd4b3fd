// Pins the private parts of libraries that the fast paths (and the request plumbing around them)
// rely on. A failure here after an upgrade names the dependency and what moved: fix the fast path
// (or run FAST_PATHS=off) before shipping the upgrade.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { Socket, type AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { setImmediate as tick } from 'node:timers/promises';
import { buildSchema, GraphQLError } from 'graphql';
import { processRequest } from 'graphql-upload-minimal';
import { createYoga } from 'graphql-yoga';
import WebSocket, { WebSocketServer } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';

const schema = buildSchema('type Query { who: String }');
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function listen(
  handler: (req: IncomingMessage, res: import('node:http').ServerResponse) => void,
) {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('graphql-yoga', () => {
  it('exposes maskedErrorsOpts { maskError(error, message), errorMessage } wrapping ours (fast/shared-events.ts)', () => {
    const ours = (error: unknown, message: string) => new GraphQLError(`masked: ${message}`);
    const yoga = createYoga({ schema, maskedErrors: { maskError: ours }, logging: false });
    const opts = (yoga as unknown as { maskedErrorsOpts?: Record<string, unknown> | null })
      .maskedErrorsOpts;
    expect(
      opts && typeof opts.maskError === 'function' && typeof opts.errorMessage === 'string',
      'graphql-yoga: the instance no longer has maskedErrorsOpts { maskError, errorMessage }; shared-events.ts masks with it',
    ).toBe(true);
    const masked = (opts!.maskError as (e: Error, m: string) => Error)(
      new Error('secret'),
      opts!.errorMessage as string,
    );
    expect(
      masked.message,
      'graphql-yoga: maskedErrorsOpts.maskError no longer calls our maskError',
    ).toBe('masked: Unexpected error.');
  });
});

describe('@whatwg-node/server (under Yoga)', () => {
  it('requestListener passes a third argument on as the server context, and takes a pre-read object `req.body` as the parsed body (graphql-request.ts, fast/json-body.ts)', async () => {
    const yoga = createYoga<{ who: string }>({
      schema,
      graphqlEndpoint: '/graphql',
      logging: false,
      plugins: [
        {
          onRequestParse({ serverContext }) {
            expect(
              (serverContext as { who?: string }).who,
              '@whatwg-node/server: requestListener(req, res, ctx) no longer hands ctx to Yoga as the server context',
            ).toBe('third-argument');
          },
        },
      ],
    });
    const listener = yoga.requestListener as unknown as (
      req: IncomingMessage,
      res: import('node:http').ServerResponse,
      ctx: { who: string },
    ) => Promise<void>;
    const url = await listen((req, res) => {
      req.resume(); // the stream is not what Yoga should read: the pre-read body is
      (req as { body?: unknown }).body = { query: '{ who }', operationName: null };
      void listener(req, res, { who: 'third-argument' });
    });
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'not json: only req.body may be read',
    });
    const body = (await res.json()) as { data?: unknown; errors?: unknown };
    expect(
      body,
      '@whatwg-node/server: a pre-read req.body object is no longer used as the parsed body',
    ).toEqual({ data: { who: null } });
  });
});

describe('ws', () => {
  it('an open WebSocket keeps its net.Socket as `_socket`, with bytesWritten, writableLength, cork and uncork (fast/ws-socket.ts)', async () => {
    const server = createServer();
    servers.push(server);
    const wss = new WebSocketServer({ server });
    const accepted = new Promise<WebSocket>((r) => wss.on('connection', r));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
    const socket = await accepted;
    await new Promise((r) => client.once('open', r));
    const tcp = (socket as unknown as { _socket?: unknown })._socket;
    expect(
      tcp instanceof Socket,
      'ws: an open WebSocket no longer has `_socket` (a net.Socket)',
    ).toBe(true);
    const s = tcp as Socket;
    expect(
      [typeof s.bytesWritten, typeof s.writableLength, typeof s.cork, typeof s.uncork],
      'ws: `_socket` lacks bytesWritten/writableLength/cork/uncork',
    ).toEqual(['number', 'number', 'function', 'function']);
    client.terminate();
    socket.terminate();
    wss.close();
  });
});

describe('node:async_hooks', () => {
  it('AsyncLocalStorage.prototype has run, enterWith and disable, and a disabled storage runs again (fast/async-context.ts)', async () => {
    const proto = AsyncLocalStorage.prototype as unknown as Record<string, unknown>;
    expect(
      ['run', 'enterWith', 'disable'].map((m) => typeof proto[m]),
      'node: AsyncLocalStorage.prototype no longer has run/enterWith/disable; async-context.ts patches run and enterWith',
    ).toEqual(['function', 'function', 'function']);
    const s = new AsyncLocalStorage<number>();
    await s.run(1, async () => {
      await tick();
      expect(s.getStore()).toBe(1);
    });
    s.disable();
    expect(s.getStore(), 'node: a disabled AsyncLocalStorage still has a store').toBeUndefined();
    await s.run(2, async () => {
      await tick();
      expect(s.getStore(), 'node: run() after disable() no longer enables the storage').toBe(2);
    });
  });
});

describe('graphql-upload-minimal', () => {
  it('processRequest reads the body through req.pipe(parser) (http/multipart.ts keeps the parser heard)', async () => {
    let piped: unknown;
    const url = await listen((req, res) => {
      const pipe = req.pipe.bind(req);
      req.pipe = ((dest: NodeJS.WritableStream, o?: { end?: boolean }) => {
        piped = dest;
        return pipe(dest, o);
      }) as typeof req.pipe;
      processRequest(req, res).then(
        () => res.end('ok'),
        (err: Error) => res.end(err.message),
      );
    });
    const form = new FormData();
    form.append('operations', JSON.stringify({ query: '{ who }', variables: { f: null } }));
    form.append('map', JSON.stringify({ 0: ['variables.f'] }));
    form.append('0', new Blob(['hello']), 'a.txt');
    await (await fetch(url, { method: 'POST', body: form })).text();
    expect(
      piped instanceof Writable,
      'graphql-upload-minimal: processRequest no longer pipes the request into its parser with req.pipe',
    ).toBe(true);
  });
});
