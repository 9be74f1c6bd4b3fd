// Baseline for the logs fan-out: a bare `ws` server that speaks just enough graphql-transport-ws
// (init → ack, subscribe → id) and broadcasts generated lines, shaped like logTail's, to every
// subscription. It reads no file and runs no GraphQL: one JSON.stringify per line, one send per socket.
// /start?rate=200&seconds=10 sends "fan <n> …" lines and answers once the last one is sent;
// /ready sends one "ready" line (the bench repeats it until every subscriber has one).
// With BARE_TAIL_FILE it also follows that file, the least a Node server can do: a directory watch,
// a synchronous read of what was appended, then each complete line broadcast as above (the latency
// baseline: what is left of ours without GraphQL, the hub and its queues).
import { fstatSync, openSync, readSync, watch } from 'node:fs';
import { createServer } from 'node:http';
import { basename, dirname } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { WebSocketServer, type WebSocket } from 'ws';

const subs = new Map<WebSocket, string[]>(); // socket → its subscription ids
const pad = 'x'.repeat(40);

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname === '/ready') {
    broadcast('ready', 0);
    return res.end();
  }
  if (url.pathname !== '/start') return res.writeHead(404).end();
  const rate = Number(url.searchParams.get('rate') ?? 200);
  const total = rate * Number(url.searchParams.get('seconds') ?? 10);
  const t0 = performance.now();
  let n = 0;
  const tick = (): void => {
    // same pacing as the bench's appender: catch up to where the clock says we should be
    const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate) + 1);
    for (; n < due; n++) broadcast(`fan ${n + 1} ${pad}`, (n + 1) * 48);
    if (n < total) setTimeout(tick, Math.max(0, (n / rate) * 1000 - (performance.now() - t0)));
    else res.end(String(n));
  };
  tick();
});

/** `at`: a byte offset, so the cursor is the size of logTail's. */
function broadcast(text: string, at: number): void {
  const cursor = Buffer.from(`l1.1234567.${at}.1795618577020049`).toString('base64url');
  const payload = JSON.stringify({
    data: { logTail: { cursor, kind: 'LINE', text, truncated: false, droppedCount: null } },
  });
  for (const [ws, ids] of subs)
    for (const id of ids) ws.send(`{"id":"${id}","type":"next","payload":${payload}}`);
}

const wss = new WebSocketServer({ server, path: '/graphql' });
wss.on('connection', (ws) => {
  subs.set(ws, []);
  ws.on('message', (raw) => {
    const m = JSON.parse(String(raw)) as { type: string; id?: string };
    if (m.type === 'connection_init') ws.send('{"type":"connection_ack"}');
    else if (m.type === 'subscribe') subs.get(ws)!.push(m.id!);
    else if (m.type === 'complete')
      subs.set(
        ws,
        subs.get(ws)!.filter((id) => id !== m.id),
      );
    else if (m.type === 'ping') ws.send('{"type":"pong"}');
  });
  ws.on('close', () => subs.delete(ws));
});

server.listen(0, '127.0.0.1', () =>
  console.log(
    `listening {"url":"http://127.0.0.1:${(server.address() as { port: number }).port}"}`,
  ),
);

const file = process.env.BARE_TAIL_FILE;
if (file) {
  const fd = openSync(file, 'r');
  const block = Buffer.allocUnsafe(65536);
  let offset = fstatSync(fd).size;
  const utf8 = new StringDecoder('utf8'); // a character split across two reads is put back together
  let partial = '';
  watch(dirname(file), (_event, name) => {
    if (name !== basename(file)) return;
    for (;;) {
      const bytes = readSync(fd, block, 0, block.length, offset);
      offset += bytes;
      let text = partial + utf8.write(block.subarray(0, bytes));
      for (let nl; (nl = text.indexOf('\n')) >= 0; text = text.slice(nl + 1))
        broadcast(text.slice(0, nl), offset);
      partial = text;
      if (bytes < block.length) break; // a short read is the end, for now
    }
  });
}
