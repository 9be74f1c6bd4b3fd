// Logs: append-to-client latency beside GNU `tail -F` (and a bare `ws` server following the file the
// same way), and 1,000-socket fan-out beside a bare `ws` server.
import { execFileSync, spawn } from 'node:child_process';
import {
  closeSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { APP, fmt, pct, ROOT, startProc, type Proc } from './lib.js';
import { benchLogSearch } from './logs-search.js';

const APPENDS = 1000;
const PACE_MS = 5;
// between the first round and the steady ones: enough lines for both JITs (server and client) to settle
const WARM_APPENDS = 4000;
const WARM_PACE_MS = 1;
// steady rounds back to back: the goal is judged on their median p99 ratio, every round printed
const STEADY_ROUNDS = 5;
const SUBSCRIBERS = 1000;
// lines per second: one the server sustains for 1,000 sockets, and the brief's 200 (beyond it);
// BENCH_LOG_RATES= (empty) runs the latency rounds alone
const RATES = (process.env.BENCH_LOG_RATES ?? '20,200').split(',').filter(Boolean).map(Number);
const SECONDS = 10;
const PAD = 'x'.repeat(40);
const QUERY =
  'subscription { logTail(source: "bench") { cursor kind text truncated droppedCount } }';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** utime + stime of a process, in seconds. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

async function waitFor(check: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = performance.now() + ms;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

function gqlClient(url: string, token?: string): Client {
  return createClient({
    url: url.replace(/^http/, 'ws') + '/graphql',
    webSocketImpl: WebSocket,
    lazy: false,
    retryAttempts: 0,
    connectionParams: token ? { authorization: `Bearer ${token}` } : undefined,
  });
}

// Each reader runs in its own thread, so neither waits behind the other's handling or the appender's
// (they used to share the bench's event loop). Times come from process.hrtime: one monotonic clock
// for every thread. The thread posts { warm } once it has seen a "warm" line, and its times on request.
const READER = `
const { parentPort, workerData: w } = require('node:worker_threads');
const now = () => Number(process.hrtime.bigint()) / 1e6;
const at = [];
let warm = false;
const seen = (text, t) => {
  if (text.startsWith('lat ')) at[Number(text.slice(4))] = t;
  else if (text === 'warm' && !warm) { warm = true; parentPort.postMessage({ warm: true }); }
};
if (w.kind === 'tail') {
  const tail = require('node:child_process').spawn('tail', ['-F', '-n', '0', w.file], { stdio: ['ignore', 'pipe', 'inherit'] });
  let buf = '';
  tail.stdout.setEncoding('utf8');
  tail.stdout.on('data', (chunk) => {
    const t = now();
    buf += chunk;
    for (let i; (i = buf.indexOf('\\n')) >= 0; buf = buf.slice(i + 1)) seen(buf.slice(0, i), t);
  });
  parentPort.on('message', () => { tail.kill(); parentPort.postMessage({ at }); });
} else {
  const { createClient } = require(w.graphqlWs);
  const client = createClient({ url: w.url, webSocketImpl: require(w.ws), lazy: false, retryAttempts: 0, connectionParams: { authorization: 'Bearer ' + w.token } });
  client.subscribe({ query: w.query }, {
    next: (m) => seen(m.data?.logTail?.text ?? '', now()),
    error: (e) => parentPort.postMessage({ error: String(e?.message ?? e) }),
    complete: () => {},
  });
  parentPort.on('message', async () => { await client.dispose(); parentPort.postMessage({ at }); });
}`;

const hrNow = () => Number(process.hrtime.bigint()) / 1e6;

/** A reader thread: `warm` resolves once it has seen a "warm" line, `times()` ends it with its receive times. */
function reader(data: Record<string, string>) {
  const worker = new Worker(READER, { eval: true, workerData: data });
  let warm = false;
  let failed: unknown = null;
  worker.on('message', (m: { warm?: boolean; error?: string }) => {
    if (m.warm) warm = true;
    if (m.error) failed = new Error(`${data.kind} reader: ${m.error}`);
  });
  worker.on('error', (e) => (failed = e));
  return {
    warm: () => {
      if (failed) throw failed;
      return warm;
    },
    times: async () => {
      const done = new Promise<number[]>((resolve) =>
        worker.on('message', (m: { at?: number[] }) => m.at && resolve(m.at)),
      );
      worker.postMessage('stop');
      const at = await done;
      await worker.terminate();
      return at;
    },
  };
}

/** Each reader's latencies (ms) in a round, sorted. */
interface Round {
  gnu: number[];
  ours: number[];
}

/**
 * (a) One append every PACE_MS; time until the graphql-ws subscriber and `tail -F` each print it.
 * Rounds of APPENDS on the same subscription: the first right after start-up (the server's and the
 * client's JIT still compiling the path a line takes); then, after WARM_APPENDS more lines at a
 * faster pace, `rounds` steady ones back to back, the state the goal is judged on.
 */
async function latency(
  url: string,
  token: string,
  file: string,
  rounds: number,
): Promise<{ first: Round; steady: Round[] }> {
  const total = APPENDS + WARM_APPENDS + rounds * APPENDS;
  const sent = new Float64Array(total + 1);
  const require = createRequire(import.meta.url);
  const client = reader({
    kind: 'graphql-ws',
    url: url.replace(/^http/, 'ws') + '/graphql',
    token,
    query: QUERY,
    graphqlWs: require.resolve('graphql-ws'),
    ws: require.resolve('ws'),
  });
  const tail = reader({ kind: 'tail', file });
  const fd = openSync(file, 'a'); // held open, as a logger does
  let oursAt: number[] = [];
  let gnuAt: number[] = [];
  try {
    for (let i = 0; !(client.warm() && tail.warm()); i++) {
      if (i > 200) throw new Error('the subscriber or tail -F never saw a line');
      writeSync(fd, 'warm\n');
      await sleep(50);
    }
    await sleep(200);
    for (let n = 1; n <= total; n++) {
      sent[n] = hrNow();
      writeSync(fd, `lat ${n}\n`);
      await sleep(n > APPENDS && n <= APPENDS + WARM_APPENDS ? WARM_PACE_MS : PACE_MS);
    }
    await sleep(1000);
  } finally {
    closeSync(fd);
    [oursAt, gnuAt] = await Promise.all([client.times(), tail.times()]);
  }
  const received = (a: number[]) => a.filter((x) => x !== undefined && x !== null).length;
  if (received(oursAt) !== total || received(gnuAt) !== total) {
    throw new Error(
      `not every append reached both readers: graphql-ws ${received(oursAt)}, tail -F ${received(gnuAt)} of ${total}`,
    );
  }
  const ours = oursAt.map((t, n) => t - sent[n]!);
  const gnu = gnuAt.map((t, n) => t - sent[n]!);
  const round = (from: number): Round => {
    const sorted = (a: number[]) => a.slice(from, from + APPENDS).sort((x, y) => x - y);
    return { gnu: sorted(gnu), ours: sorted(ours) };
  };
  const steady = Array.from({ length: rounds }, (_, r) =>
    round(APPENDS + WARM_APPENDS + r * APPENDS + 1),
  );
  return { first: round(1), steady };
}

const p99 = (a: number[]) => pct(a, 0.99);
const signed = (ms: number) => (ms < 0 ? '-' : '+') + fmt(Math.abs(ms), 2);

const ratio = (r: Round) => p99(r.ours) / p99(r.gnu);
const medianOf = (rounds: Round[], pick: (r: Round) => number) =>
  pct(
    rounds.map(pick).sort((x, y) => x - y),
    0.5,
  );

/** The steady rounds' p99 ratios to `tail -F`, in round order, and the median round's. */
function ratios(rounds: Round[]): { each: number[]; median: number } {
  return { each: rounds.map(ratio), median: medianOf(rounds, ratio) };
}

function latencyReport(ours: { first: Round; steady: Round[] }, bare: Round[]): string[] {
  const cells = (s: number[]) =>
    `p50 ${fmt(pct(s, 0.5), 2).padStart(5)} ms   p99 ${fmt(p99(s), 2).padStart(5)} ms   max ${fmt(s.at(-1)!, 1).padStart(5)} ms`;
  const row = (name: string, s: number[]) => `  ${name.padEnd(34)} ${cells(s)}`;
  const rounds = (rs: Round[], name: string) =>
    rs.map(
      (r, i) =>
        `  ${String(i + 1).padStart(2)}  tail -F ${cells(r.gnu)}   ${name} ${cells(r.ours)}   p99 ${fmt(ratio(r), 2)}x`,
    );
  const o = ratios(ours.steady);
  const b = ratios(bare);
  const range = (each: number[]) => `${fmt(Math.min(...each), 2)}-${fmt(Math.max(...each), 2)}x`;
  const within = (each: number[]) =>
    `${each.filter((x) => x <= 2).length} of ${each.length} within 2x`;
  const p50 = (r: Round) => pct(r.ours, 0.5);
  return [
    `Logs: append -> reader latency, ${fmt(APPENDS)} appends a round, one every ${PACE_MS} ms, both readers on the same appends`,
    ` first ${fmt(APPENDS)} after start-up:`,
    row('GNU tail -F -> pipe', ours.first.gnu),
    row('tiny-agent logTail -> graphql-ws', ours.first.ours),
    `  p99 ${fmt(ratio(ours.first), 2)}x tail -F`,
    ` steady state: ${ours.steady.length} rounds back to back, after ${fmt(WARM_APPENDS)} more at one every ${WARM_PACE_MS} ms:`,
    ...rounds(ours.steady, 'tiny-agent'),
    `  p99 ${fmt(o.median, 2)}x tail -F in the median round (goal <= 2x); rounds ${range(o.each)}, ${within(o.each)}`,
    ` the same steady rounds against a bare ws server following a file the same way (fs.watch, readSync, one`,
    ` JSON.stringify and send per line; no GraphQL, no hub), the same client, tail -F again beside it:`,
    ...rounds(bare, 'bare ws   '),
    `  p99 ${fmt(b.median, 2)}x tail -F in the median round; rounds ${range(b.each)}, ${within(b.each)}`,
    `  tiny-agent's p50 minus the bare server's (medians of the rounds): ${signed(medianOf(ours.steady, p50) - medianOf(bare, p50))} ms`,
  ];
}

interface FanoutResult {
  delivered: number;
  complete: number;
  /** lines reported as skipped by DROPPED events (a subscriber fell behind its 1,000-event queue) */
  dropped: number;
  /** neither delivered nor reported once every subscriber caught up: the number that must be 0 */
  lost: number;
  /** still queued when we stopped waiting (the server had fallen behind); lost is unknown then */
  behind: number;
  duplicates: number;
  cpuPerLineUs: number;
  cpuSeconds: number;
  drainMs: number;
}

/**
 * (b) SUBSCRIBERS graphql-ws clients, one socket and one subscription each, on one source; `rate` lines
 * a second for SECONDS. Every subscriber must receive every line exactly once, or be told (DROPPED).
 */
async function fanout(
  url: string,
  pid: number,
  token: string | undefined,
  rate: number,
  ready: () => Promise<void>,
  send: () => Promise<void>,
): Promise<FanoutResult> {
  const total = rate * SECONDS;
  const seen = Array.from({ length: SUBSCRIBERS }, () => new Uint8Array(total + 1));
  const counts = new Int32Array(SUBSCRIBERS);
  const warmed = new Uint8Array(SUBSCRIBERS);
  const dropped = new Int32Array(SUBSCRIBERS);
  let duplicates = 0;
  const clients: Client[] = [];
  for (let i = 0; i < SUBSCRIBERS; i++) {
    const client = gqlClient(url, token);
    clients.push(client);
    client.subscribe<any>(
      { query: QUERY },
      {
        next: (m) => {
          const line = m.data?.logTail;
          if (!line) return console.error('fan-out error', JSON.stringify(m.errors));
          if (line.kind === 'DROPPED') dropped[i]! += line.droppedCount;
          if (line.kind !== 'LINE') return;
          if (line.text === 'ready') warmed[i] = 1;
          else if (line.text.startsWith('fan ')) {
            const n = Number(line.text.slice(4, line.text.indexOf(' ', 4)));
            if (seen[i]![n]) duplicates++;
            else {
              seen[i]![n] = 1;
              counts[i]!++;
            }
          }
        },
        error: (e) => console.error('fan-out subscription failed', e),
        complete: () => {},
      },
    );
    if (i % 50 === 49) await sleep(20); // don't open 1,000 sockets in one burst
  }
  try {
    // subscriptions start at the end of the file: repeat a marker until every one has seen it
    for (let i = 0; warmed.some((w) => !w); i++) {
      if (i > 300)
        throw new Error(
          `only ${warmed.filter(Boolean).length}/${SUBSCRIBERS} subscribers attached`,
        );
      await ready();
      await sleep(100);
    }
    await sleep(500);
    const cpu0 = cpuSeconds(pid);
    await send();
    const sentAt = performance.now();
    const sum = (a: Int32Array) => a.reduce((x, y) => x + y, 0);
    const accounted = () => counts.every((c, i) => c + dropped[i]! >= total);
    // a server that falls behind works through its queues for a while: wait, but not forever
    const caughtUp = await waitFor(accounted, 20_000, 'every line delivered or reported').then(
      () => true,
      () => false,
    );
    const drainMs = performance.now() - sentAt;
    const cpu = cpuSeconds(pid) - cpu0;
    const got = sum(counts);
    return {
      delivered: got,
      complete: counts.filter((c) => c === total).length,
      dropped: sum(dropped),
      lost: caughtUp ? total * SUBSCRIBERS - got - sum(dropped) : 0,
      behind: caughtUp ? 0 : total * SUBSCRIBERS - got - sum(dropped),
      duplicates,
      cpuPerLineUs: (cpu / got) * 1e6,
      cpuSeconds: cpu,
      drainMs,
    };
  } finally {
    await Promise.all(clients.map((c) => c.dispose()));
  }
}

/** Appends `rate` × SECONDS numbered lines at `rate` per second from a separate process (the server's own file). */
function appendAtRate(file: string, rate: number): Promise<void> {
  const script = `
    const fs = require('node:fs');
    const [file, rate, total, pad] = process.argv.slice(1);
    const fd = fs.openSync(file, 'a');
    const t0 = performance.now();
    let n = 0;
    (function tick() {
      const due = Math.min(+total, Math.floor(((performance.now() - t0) / 1000) * +rate) + 1);
      for (; n < due; n++) fs.writeSync(fd, 'fan ' + (n + 1) + ' ' + pad + '\\n');
      if (n < +total) setTimeout(tick, Math.max(0, (n / +rate) * 1000 - (performance.now() - t0)));
      else fs.closeSync(fd);
    })();`;
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['-e', script, file, String(rate), String(rate * SECONDS), PAD],
      { stdio: 'inherit' },
    );
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`appender exited with ${code}`)),
    );
  });
}

export async function benchLogs(): Promise<string[]> {
  // the search figures alone: BENCH_LOG_SEARCH_ONLY=1 npm run bench -- logs
  if (process.env.BENCH_LOG_SEARCH_ONLY === '1') return benchLogSearch();
  const dir = mkdtempSync(path.join(tmpdir(), 'tiny-agent-bench-logs-'));
  const file = path.join(dir, 'bench.log');
  writeFileSync(file, '');
  // one user's 1,000 sockets and subscriptions: far beyond the limits a real UI needs
  const limits = 'limits: { socketsPerUser: 2000, subscriptionsPerUser: 2000 }';
  writeFileSync(
    path.join(dir, 'agent.yaml'),
    `commands: []\nlogs:\n  - { name: bench, path: bench.log, roles: [admin] }\n${limits}\n`,
  );
  const out: string[] = [];
  let app: Proc | undefined;
  let bare: Proc | undefined;
  try {
    app = await startProc(APP, {
      DATA_DIR: path.join(dir, 'data'),
      LOGS_DIR: path.join(dir, 'logs'),
      AGENT_CONFIG: path.join(dir, 'agent.yaml'),
      ADMIN_PASSWORD: 'bench-password-1',
    });
    const login = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'mutation { login(username: "admin", password: "bench-password-1") { token } }',
      }),
    });
    const token = ((await login.json()) as any).data.login.token as string;

    const oursLatency = await latency(app.url, token, file, STEADY_ROUNDS);

    const ours: FanoutResult[] = [];
    for (const rate of RATES) {
      const ready = async () => writeFileSync(file, 'ready\n', { flag: 'a' });
      ours.push(
        await fanout(app.url, app.child.pid!, token, rate, ready, () => appendAtRate(file, rate)),
      );
    }
    await app.stop();
    app = undefined;
    const bareFile = path.join(dir, 'bare.log');
    writeFileSync(bareFile, '');
    bare = await startProc(path.join(ROOT, 'bench/servers/bare-ws.ts'), {
      BARE_TAIL_FILE: bareFile,
    });
    const bareUrl = bare.url;
    out.push(
      ...latencyReport(oursLatency, (await latency(bareUrl, '', bareFile, STEADY_ROUNDS)).steady),
    );
    const base: FanoutResult[] = [];
    for (const rate of RATES) {
      const ready = async () => void (await (await fetch(`${bareUrl}/ready`)).text());
      const send = async () =>
        void (await (await fetch(`${bareUrl}/start?rate=${rate}&seconds=${SECONDS}`)).text());
      base.push(await fanout(bareUrl, bare.child.pid!, undefined, rate, ready, send));
    }
    const row = (name: string, r: FanoutResult) =>
      `  ${name.padEnd(20)} ${String(r.complete).padStart(4)}/${SUBSCRIBERS} got every line; delivered ${fmt(r.delivered)}, DROPPED ${fmt(r.dropped)}, ` +
      (r.behind
        ? `${fmt(r.behind)} still queued 20 s after the last line (fell behind)`
        : `lost ${r.lost}`) +
      `, dup ${r.duplicates}; server CPU ${fmt(r.cpuSeconds, 1)} s = ${fmt(r.cpuPerLineUs, 1)} µs/line` +
      (r.behind ? '' : `; done ${fmt(r.drainMs / 1000, 1)} s after the last line`);
    if (RATES.length)
      out.push(
        `Logs: fan-out to ${SUBSCRIBERS} graphql-ws clients (${SUBSCRIBERS} sockets, one logTail each) on one file, ${SECONDS} s per rate`,
      );
    RATES.forEach((rate, i) => {
      out.push(` ${rate} lines/s (${fmt(rate * SUBSCRIBERS)} deliveries/s):`);
      out.push(row('bare ws broadcast', base[i]!));
      out.push(row('tiny-agent logTail', ours[i]!));
      out.push(
        `  server CPU per delivered line ${fmt(ours[i]!.cpuPerLineUs / base[i]!.cpuPerLineUs, 2)}x bare (goal <= 2x)`,
      );
    });
  } finally {
    await app?.stop();
    await bare?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return [...out, ...(await benchLogSearch())];
}
