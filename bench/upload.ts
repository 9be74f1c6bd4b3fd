// Upload throughput and memory: a 1 GiB multipart upload through the real server (api/src/main.ts
// in its own process) beside a bare node:http + busboy server writing the same body to disk, in
// the same run. Run as a script with BENCH_ROLE=bare-busboy, this file is that bare server.
import busboy from 'busboy';
import { createHash } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { multipartFrame, UPLOAD_QUERY } from '../api/src/test/file.testkit.js';
import { APP, fmt, startProc, type Proc } from './lib.js';

const MiB = 1024 * 1024;
const TOTAL_MIB = 1024;
const ROUNDS = 3;
// text, so the server checks UTF-8 over every byte (the costlier path of type detection)
const BLOCK = Buffer.alloc(MiB, 'tiny-agent upload benchmark line, plain ASCII text.\n');

const rss = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;

/** Streams head + TOTAL_MIB generated MiB + tail as one request; resolves with the answer and seconds taken. */
function send(
  url: string,
  mib: number,
  headers: Record<string, string>,
  fileName: string,
): Promise<{ status: number; body: string; seconds: number }> {
  const frame = multipartFrame(fileName, 'text/plain', UPLOAD_QUERY);
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const req = request(url, {
      method: 'POST',
      headers: {
        'content-type': frame.contentType,
        'content-length': String(frame.head.length + mib * MiB + frame.tail.length),
        ...headers,
      },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body, seconds: (performance.now() - t) / 1000 }),
      );
    });
    let n = 0;
    req.write(frame.head);
    // generated as it goes: never more than one MiB block (reused) in memory
    const more = () => {
      while (n < mib) {
        n++;
        if (!req.write(BLOCK)) return void req.once('drain', more);
      }
      req.end(frame.tail);
    };
    more();
  });
}

interface Measured {
  mibs: number;
  idle: number;
  peak: number;
  status: number;
  body: string;
}

async function measure(
  proc: Proc,
  url: string,
  headers: Record<string, string>,
): Promise<Measured> {
  await new Promise((r) => setTimeout(r, 500)); // background work of the previous round settles
  const idle = rss(proc.child.pid!);
  let peak = idle;
  const sampler = setInterval(() => (peak = Math.max(peak, rss(proc.child.pid!))), 50);
  try {
    const r = await send(url, TOTAL_MIB, headers, 'big.txt');
    return { ...r, mibs: TOTAL_MIB / r.seconds, idle, peak };
  } finally {
    clearInterval(sampler);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchUpload(): Promise<string[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tiny-agent-bench-upload-'));
  writeFileSync(path.join(dir, 'agent.yaml'), 'commands: []\nlogs: []\n');
  let expected = createHash('sha256');
  for (let i = 0; i < TOTAL_MIB; i++) expected = expected.update(BLOCK);
  const sha256 = expected.digest('hex');
  const lines: string[] = [];
  const bare = await startProc(fileURLToPath(import.meta.url), {
    BENCH_ROLE: 'bare-busboy',
    BENCH_DIR: path.join(dir, 'bare'),
  });
  const app = await startProc(APP, {
    DATA_DIR: path.join(dir, 'data'),
    LOGS_DIR: path.join(dir, 'logs'),
    AGENT_CONFIG: path.join(dir, 'agent.yaml'),
    ADMIN_PASSWORD: 'bench-password-1',
    UPLOAD_MAX_BYTES: String(2 * 1024 * MiB),
  });
  try {
    const login = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'mutation { login(username: "admin", password: "bench-password-1") { token } }',
      }),
    });
    const token = ((await login.json()) as any).data.login.token as string;
    const ours = {
      url: `${app.url}/graphql`,
      headers: { authorization: `Bearer ${token}`, 'x-graphql-yoga-csrf': '1' },
    };
    // JIT and first-use costs out of the figures
    await send(bare.url, 16, {}, 'warm-up.txt');
    await send(ours.url, 16, ours.headers, 'warm-up.txt');
    // the disk and the other processes on this machine vary from second to second: alternate, take medians
    const b: Measured[] = [];
    const a: Measured[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const pair = [
        () => measure(bare, bare.url, {}).then((m) => b.push(m)),
        () => measure(app, ours.url, ours.headers).then((m) => a.push(m)),
      ];
      for (const run of round % 2 ? pair.reverse() : pair) await run();
    }
    for (const m of a) {
      const stored = (JSON.parse(m.body) as any).data?.uploadFile;
      if (stored?.sha256 !== sha256 || stored?.size !== TOTAL_MIB * MiB)
        lines.push(`WARNING: tiny-agent answered ${m.status} ${m.body.slice(0, 300)}`);
    }
    const bm = median(b.map((m) => m.mibs));
    const am = median(a.map((m) => m.mibs));
    const each = (ms: Measured[]) => ms.map((m) => fmt(m.mibs)).join(', ');
    const above = (ms: Measured[]) => Math.max(...ms.map((m) => m.peak - m.idle)) / MiB;
    lines.push(
      `Uploads: a ${TOTAL_MIB} MiB multipart text file generated as a stream, over loopback, ${ROUNDS} alternating rounds (medians); each server in its own process, both fsync`,
    );
    lines.push(
      `  bare node:http + busboy -> disk    ${fmt(bm).padStart(6)} MiB/s   (rounds: ${each(b)})   RSS peak +${fmt(above(b))} MiB above idle`,
    );
    lines.push(
      `  tiny-agent uploadFile              ${fmt(am).padStart(6)} MiB/s   (rounds: ${each(a)})   ${fmt(am / bm, 2)}x bare (goal >= 0.7x)`,
    );
    lines.push(
      `    (sha256, UTF-8/type check, .tmp file, fsync, rename, row; verified sha256 of every round)`,
    );
    lines.push(
      `  tiny-agent RSS: idle ${fmt(Math.min(...a.map((m) => m.idle)) / MiB)} MiB, peak +${fmt(above(a))} MiB above idle (goal <= 64 MiB; /proc/<pid> VmRSS every 50 ms)`,
    );
  } finally {
    await Promise.all([bare.stop(), app.stop()]);
    rmSync(dir, { recursive: true, force: true });
  }
  return lines;
}

/** The baseline: busboy straight to a file, flushed on close, nothing else. */
function bareBusboyServer(dir: string) {
  let n = 0;
  const server = createServer((req, res) => {
    const bb = busboy({ headers: req.headers });
    const writes: Promise<void>[] = [];
    bb.on('file', (_name, stream) =>
      writes.push(pipeline(stream, createWriteStream(path.join(dir, `f${n++}`), { flush: true }))),
    );
    bb.on('close', () => {
      void Promise.all(writes).then(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"data":{"ok":true}}');
      });
    });
    req.pipe(bb);
  });
  server.listen(0, '127.0.0.1', () =>
    console.log(
      `listening {"url":"http://127.0.0.1:${(server.address() as { port: number }).port}"}`,
    ),
  );
}

if (
  process.env.BENCH_ROLE === 'bare-busboy' &&
  process.argv[1] === fileURLToPath(import.meta.url)
) {
  const dir = process.env.BENCH_DIR!;
  (await import('node:fs')).mkdirSync(dir, { recursive: true });
  bareBusboyServer(dir);
}
