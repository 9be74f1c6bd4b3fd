// Memory: the server's resident set idle and with 100 open subscriptions, beside a bare node:http
// server measured the same way in the same run.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import ts from 'typescript';
import WebSocket from 'ws';
import { APP, fmt, ROOT, startProc, type Proc } from './lib.js';

const MiB = 1024 * 1024;
const SUBSCRIPTIONS = 100;
const PASSWORD = 'bench-password-1';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** VmRSS and its anonymous (heap, stacks) and file-backed (code, mapped libraries) parts, in bytes. */
function rss(pid: number) {
  const kb = (text: string, key: string) =>
    Number(new RegExp(`${key}:\\s+(\\d+)`).exec(text)?.[1] ?? 0) * 1024;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return { total: kb(status, 'VmRSS'), anon: kb(status, 'RssAnon'), file: kb(status, 'RssFile') };
}

/** Lets the process settle: RSS read every 500 ms until it moved less than 1% over 3 s (at most 20 s). */
async function settled(pid: number) {
  const seen: number[] = [];
  for (let i = 0; i < 40; i++) {
    seen.push(rss(pid).total);
    const last = seen.slice(-7);
    if (last.length === 7 && Math.max(...last) - Math.min(...last) < Math.max(...last) / 100) break;
    await sleep(500);
  }
  return rss(pid);
}

async function post(url: string, query: string, token?: string) {
  const r = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query }),
  });
  const body = (await r.json()) as { data?: Record<string, any>; errors?: unknown };
  if (!body.data) throw new Error(`${query}: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** One client per subscription, each on its own socket: a browser tab each, the costlier case. */
async function subscribe(url: string, token: string): Promise<Client[]> {
  const clients: Client[] = [];
  await Promise.all(
    Array.from({ length: SUBSCRIPTIONS }, async () => {
      const client = createClient({
        url: url.replace(/^http/, 'ws') + '/graphql',
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        connectionParams: { authorization: `Bearer ${token}` },
      });
      clients.push(client);
      // open once the first backfilled line arrives
      await new Promise<void>((resolve, reject) =>
        client.subscribe(
          { query: 'subscription { logTail(source: "bench", backfill: 1) { text } }' },
          {
            next: () => resolve(),
            error: reject,
            complete: () => reject(new Error('logTail completed')),
          },
        ),
      );
    }),
  );
  return clients;
}

/**
 * The bare server as plain JavaScript run by plain node: through tsx, Node 20 would add a loader
 * thread (a second V8 isolate) and esbuild to the baseline.
 */
function plainJs(script: string, dir: string): string {
  const out = path.join(dir, path.basename(script).replace(/\.ts$/, '.mjs'));
  writeFileSync(
    out,
    ts.transpileModule(readFileSync(script, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    }).outputText,
  );
  return out;
}

const mib = (bytes: number) => fmt(bytes / MiB, 1);
const parts = (r: ReturnType<typeof rss>) => `(anon ${mib(r.anon)}, file-backed ${mib(r.file)})`;

export async function benchMemory(): Promise<string[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tiny-agent-bench-mem-'));
  writeFileSync(path.join(dir, 'bench.log'), 'the first line\n');
  writeFileSync(
    path.join(dir, 'agent.yaml'),
    `commands: []
logs:
  - name: bench
    path: bench.log
# one socket per subscription
limits: { socketsPerUser: ${SUBSCRIPTIONS} }
`,
  );
  let bare: Proc | undefined;
  let app: Proc | undefined = undefined as Proc | undefined;
  const lines: string[] = [];
  try {
    bare = await startProc(plainJs(path.join(ROOT, 'bench/servers/bare-http.ts'), dir));
    await fetch(bare.url, { method: 'POST', body: '{}' }).then((r) => r.text());
    const base = await settled(bare.child.pid!);

    const env = {
      DATA_DIR: path.join(dir, 'data'),
      LOGS_DIR: path.join(dir, 'logs'),
      AGENT_CONFIG: path.join(dir, 'agent.yaml'),
      ADMIN_PASSWORD: PASSWORD,
    };
    /** Started, signed in, one query, settled: the first start creates the database and the admin. */
    const idleAfterStart = async () => {
      app = await startProc(APP, env);
      const { token } = (
        await post(
          app.url,
          `mutation { login(username: "admin", password: "${PASSWORD}") { token } }`,
        )
      ).login;
      await post(app.url, '{ me { id username role } }', token);
      return { token: token as string, idle: await settled(app.child.pid!) };
    };
    const first = (await idleAfterStart()).idle;
    await app!.stop();
    // the steady state of an installed server: restarted on its database
    const { token, idle } = await idleAfterStart();
    const clients = await subscribe(app!.url, token);
    const open = await settled(app!.child.pid!);
    await Promise.all(clients.map((c) => c.dispose()));

    const ratio = (r: ReturnType<typeof rss>, goal: number) => {
      const x = r.total / base.total;
      return `${fmt(x, 2)}x bare (goal <= ${goal}x: ${x <= goal ? 'met' : 'NOT met'})`;
    };
    lines.push('Memory: VmRSS after start-up, one signed-in query and a settle (RSS flat for 3 s)');
    const row = (label: string, r: ReturnType<typeof rss>) =>
      `  ${label.padEnd(50)} ${mib(r.total).padStart(6)} MiB ${parts(r)}`;
    lines.push(row('bare node:http, idle', base));
    lines.push(
      `${row('tiny-agent, first start (creates the database), idle', first)}  ${ratio(first, 2)}`,
    );
    lines.push(`${row('tiny-agent, restarted, idle', idle)}  ${ratio(idle, 2)}`);
    lines.push(
      `${row(`tiny-agent, ${SUBSCRIPTIONS} logTail subscriptions, a socket each`, open)}  ${ratio(open, 2.5)}`,
    );
  } finally {
    await app?.stop();
    await bare?.stop();
  }
  return lines;
}
