import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll } from 'vitest';
import { createApp, type App } from '../app.js';
import { loadConfig, type Config } from '../config/config.js';
import type { Topics } from '../realtime/pubsub.js';
import { waitUntil } from './wait.js';

export interface GqlResult<T = any> {
  status: number;
  headers: Headers;
  data?: T;
  errors?: { message: string; extensions?: { code?: string; [k: string]: unknown } }[];
}

export interface Auth {
  token?: string;
  cookie?: string;
  headers?: Record<string, string>;
}

/** The credential headers a client sends for `auth`. */
export function authHeaders(auth: Auth): Record<string, string> {
  return {
    ...(auth.token ? { authorization: `Bearer ${auth.token}` } : {}),
    ...(auth.cookie ? { cookie: auth.cookie } : {}),
    ...auth.headers,
  };
}

/** The blocks of an SSE body (`event:`/`data:` lines, or `:` ping comments), as they arrive. */
export async function* sseBlocks(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<{ event?: string; data?: string; ping: boolean }> {
  const decoder = new TextDecoder();
  let buf = '';
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buf += decoder.decode(chunk, { stream: true });
    let i: number;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, i);
      buf = buf.slice(i + 2);
      const data = block
        .split('\n')
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).trim())
        .join('\n');
      yield {
        event: /^event: (.*)$/m.exec(block)?.[1],
        data: data || undefined,
        ping: block.startsWith(':'),
      };
    }
  }
}

/** One GraphQL request over HTTP, as any client would send it. */
export async function gqlAt<T = any>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  auth: Auth = {},
): Promise<GqlResult<T>> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...authHeaders(auth),
    },
    body: JSON.stringify({ query, variables }),
  });
  return readGql<T>(res);
}

/** A GraphQL answer read from an HTTP response (failing loudly when it is not JSON). */
async function readGql<T = any>(res: Response): Promise<GqlResult<T>> {
  const text = await res.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`non-JSON answer ${res.status}: ${text.slice(0, 200)}`);
  }
  return { status: res.status, headers: res.headers, data: body.data, errors: body.errors };
}

const MINIMAL_AGENT = `commands: []\nlogs: []\n`;

/** Starts the real app on port 0 with a fresh data dir; every client talks to it over the wire. */
export async function startServer(
  env: Record<string, string> = {},
  opts: { agentYaml?: string; configure?: (c: Config) => void } = {},
) {
  const dir = mkdtempSync(path.join(tmpdir(), 'tiny-agent-test-'));
  const agentPath = path.join(dir, 'agent.yaml');
  writeFileSync(agentPath, opts.agentYaml ?? MINIMAL_AGENT);
  const config = loadConfig({
    PORT: '0',
    DATA_DIR: path.join(dir, 'data'),
    LOGS_DIR: path.join(dir, 'logs'),
    AGENT_CONFIG: agentPath,
    ADMIN_PASSWORD: 'admin-password-1',
    // the second test project runs the protocol suites with the stock paths (vitest.config.ts)
    ...(process.env.FAST_PATHS ? { FAST_PATHS: process.env.FAST_PATHS } : {}),
    ...env,
  });
  opts.configure?.(config);
  const app: App = await createApp(config);
  const { url } = await app.start();
  const wsUrl = url.replace(/^http/, 'ws') + '/graphql';
  const clients: Client[] = [];

  const gql = <T = any>(query: string, variables?: Record<string, unknown>, auth: Auth = {}) =>
    gqlAt<T>(url, query, variables, auth);

  async function login(username = 'admin', password = 'admin-password-1') {
    const r = await gql(
      `mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token user { id role } } }`,
      { u: username, p: password },
    );
    if (r.errors) throw new Error(`login failed: ${JSON.stringify(r.errors)}`);
    const cookie = r.headers.get('set-cookie')!.split(';')[0]!;
    return { token: r.data.login.token as string, userId: r.data.login.user.id as string, cookie };
  }

  async function createUser(
    username: string,
    role: 'ADMIN' | 'USER' = 'USER',
    password = 'user-password-1',
  ) {
    const admin = await login();
    const r = await gql(
      `mutation($u: String!, $p: String!, $r: Role!) { createUser(username: $u, password: $p, role: $r) { id } }`,
      { u: username, p: password, r: role },
      admin,
    );
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return { ...(await login(username, password)), password };
  }

  /**
   * `uploadFile` as a browser sends it: a multipart request (GraphQL multipart request spec) built
   * with FormData, with the CSRF header unless `csrf: false`. Returns the parsed answer.
   */
  async function upload(
    file: { name: string; content: Buffer | string; type?: string },
    auth: Auth = {},
    opts: { csrf?: boolean; query?: string } = {},
  ): Promise<GqlResult> {
    const form = new FormData();
    const query =
      opts.query ??
      'mutation($file: Upload!) { uploadFile(file: $file) { id name size mimeType sha256 downloadUrl processingStatus } }';
    form.append('operations', JSON.stringify({ query, variables: { file: null } }));
    form.append('map', JSON.stringify({ 0: ['variables.file'] }));
    form.append(
      '0',
      new Blob([typeof file.content === 'string' ? file.content : new Uint8Array(file.content)], {
        type: file.type ?? 'application/octet-stream',
      }),
      file.name,
    );
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: {
        accept: 'application/graphql-response+json, application/json',
        ...(opts.csrf === false ? {} : { 'x-graphql-yoga-csrf': '1' }),
        ...authHeaders(auth),
      },
      body: form,
    });
    return readGql(res);
  }

  /** A graphql-ws client; `headers` go on the upgrade request (cookie, origin). */
  function wsClient(
    opts: { token?: string; headers?: Record<string, string>; retryAttempts?: number } = {},
  ): Client {
    const headers = opts.headers ?? {};
    class Ws extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { headers });
      }
    }
    const client = createClient({
      url: wsUrl,
      webSocketImpl: Ws,
      lazy: true,
      retryAttempts: opts.retryAttempts ?? 0,
      connectionParams: opts.token ? { authorization: `Bearer ${opts.token}` } : undefined,
    });
    clients.push(client);
    return client;
  }

  /** Collects a subscription's events until it completes or errors. */
  function subscribeWs(
    query: string,
    variables: Record<string, unknown> = {},
    opts: { token?: string; headers?: Record<string, string>; client?: Client } = {},
  ) {
    const client = opts.client ?? wsClient(opts);
    return collect((sink) => client.subscribe({ query, variables }, sink));
  }

  /** A subscription over SSE (Yoga's distinct-connections mode), parsed from the raw stream. */
  function subscribeSse(query: string, variables: Record<string, unknown> = {}, auth: Auth = {}) {
    const ac = new AbortController();
    return collect((sink) => {
      void (async () => {
        try {
          const res = await fetch(`${url}/graphql`, {
            method: 'POST',
            signal: ac.signal,
            headers: {
              'content-type': 'application/json',
              accept: 'text/event-stream',
              ...authHeaders(auth),
            },
            body: JSON.stringify({ query, variables }),
          });
          if (!res.body) throw new Error(`no SSE body (${res.status})`);
          for await (const block of sseBlocks(res.body)) {
            if (block.event === 'complete') return sink.complete();
            if (block.data) sink.next(JSON.parse(block.data));
          }
          sink.complete();
        } catch (err) {
          if (!ac.signal.aborted) sink.error(err);
        }
      })();
      return () => ac.abort();
    });
  }

  /**
   * Waits until exactly `n` subscriptions listen to `topic` in this server: the signal that a
   * stream is open, for a subscription that sends nothing until its first event (or, with 0, that
   * the streams a test stopped are gone).
   */
  async function listening(topic: keyof Topics, n: number, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (app.services.pubsub.listenerCount(topic) !== n) {
      if (Date.now() > deadline)
        throw new Error(
          `timed out waiting for ${n} subscriptions to ${topic}; ${app.services.pubsub.listenerCount(topic)} listen`,
        );
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  return {
    url,
    wsUrl,
    dir,
    config,
    app,
    agentPath,
    gql,
    login,
    createUser,
    upload,
    wsClient,
    subscribeWs,
    subscribeSse,
    listening,
    logText: () => readFileSync(path.join(config.LOGS_DIR, 'system.log'), 'utf8'),
    async stop() {
      await Promise.all(clients.map((c) => c.dispose()));
      await app.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type TestServer = Awaited<ReturnType<typeof startServer>>;

type Sink = { next(v: any): void; error(e: unknown): void; complete(): void };

/** Subscription events in an array, with helpers to wait for a count or for the end. */
export function collect(start: (sink: Sink) => () => void) {
  const events: any[] = [];
  let ended: { error?: unknown } | null = null;
  const stop = start({
    next: (v) => {
      events.push(v);
    },
    error: (e) => {
      ended = { error: e };
    },
    complete: () => {
      ended = {};
    },
  });
  // checked often: a stream's events come in bursts, and tests wait on them by the hundred
  const until = (pred: () => boolean, timeoutMs: number, what: string) =>
    waitUntil(pred, {
      timeoutMs,
      everyMs: 10,
      what: () => `${what}; got ${JSON.stringify(events).slice(0, 500)}`,
    });
  return {
    events,
    get ended() {
      return ended;
    },
    waitFor: (n: number, timeoutMs = 10_000) =>
      until(() => events.length >= n, timeoutMs, `${n} events`),
    waitEnd: (timeoutMs = 10_000) =>
      until(() => ended !== null, timeoutMs, 'the end of the stream').then(() => ended!),
    stop,
  };
}

/**
 * One server for a whole test file, with its admin signed in. Call at the file's top level; the
 * fields are set before the first test runs.
 */
export function serverForFile(agentYaml: string, env: Record<string, string> = {}) {
  const file = {} as { s: TestServer; admin: Awaited<ReturnType<TestServer['login']>> };
  beforeAll(async () => {
    file.s = await startServer(env, { agentYaml });
    file.admin = await file.s.login();
  });
  afterAll(() => file.s?.stop());
  return file;
}

/**
 * commandOutput over a bare graphql-transport-ws socket, for tests that pause the reader at the
 * TCP level (`tcp.pause()`): the seqs and bytes received (not the text: runs here are tens of
 * MB), and the error or complete message that ended it.
 */
export async function rawCommandOutput(
  s: TestServer,
  token: string,
  variables: { id: string; after?: number },
) {
  const query =
    'subscription($id: ID!, $after: Int) { commandOutput(runId: $id, afterSeq: $after) { seq data } }';
  const ws = new WebSocket(s.wsUrl, 'graphql-transport-ws');
  const got = {
    seqs: [] as number[],
    bytes: 0,
    /** the start of every chunk with a notice of the agent's own in it */
    notices: [] as string[],
    end: null as null | { type: string; payload?: any },
  };
  ws.on('message', (raw) => {
    const m = JSON.parse(String(raw));
    if (m.type === 'connection_ack')
      ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables } }));
    else if (m.type === 'next') {
      got.seqs.push(m.payload.data.commandOutput.seq);
      const data = m.payload.data.commandOutput.data as string;
      got.bytes += data.length;
      if (data.includes('[tiny-agent]')) got.notices.push(data.slice(0, 300));
    } else if (m.type === 'error' || m.type === 'complete') got.end = m;
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  ws.send(
    JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }),
  );
  const tcp = (ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
  return { ws, got, tcp };
}
