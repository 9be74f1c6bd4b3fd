import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { APP, fmt, startProc } from './lib.js';

const MB = 1024 * 1024;
const producer = (chunks: number) =>
  `const b=Buffer.alloc(65536,120);let n=0;(function w(){while(n<${chunks}){n++;if(!process.stdout.write(b))return process.stdout.once('drain',w)}})()`;

/** The producer piped to /dev/null by a bare Node process: the ceiling for reading a child's output. */
async function bare(chunks: number): Promise<number> {
  const t = performance.now();
  await new Promise<void>((resolve) => {
    const child = spawn(process.execPath, ['-e', producer(chunks)], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', () => {});
    child.on('close', () => resolve());
  });
  return (chunks * 65536) / MB / ((performance.now() - t) / 1000);
}

const rss = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;

export async function benchCommands(): Promise<string[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tiny-agent-bench-cmd-'));
  writeFileSync(
    path.join(dir, 'agent.yaml'),
    `commands:
  - name: flood
    title: 200 MiB of output
    argv: ["node", "-e", "${producer(3200)}"]
    timeout: 600
  - name: fanout
    title: 20 MiB of output
    argv: ["node", "-e", "${producer(320)}"]
    maxOutputBytes: 30000000
    maxConcurrent: 1
logs: []
`,
  );
  const app = await startProc(APP, {
    DATA_DIR: path.join(dir, 'data'),
    LOGS_DIR: path.join(dir, 'logs'),
    AGENT_CONFIG: path.join(dir, 'agent.yaml'),
    ADMIN_PASSWORD: 'bench-password-1',
  });
  const lines: string[] = [];
  try {
    const login = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation { login(username: "admin", password: "bench-password-1") { token } }' }),
    });
    const token = ((await login.json()) as any).data.login.token as string;
    const client = createClient({ url: app.url.replace('http', 'ws') + '/graphql', webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` } });
    const run = async (name: string) => {
      const r = await fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: `mutation { runCommand(name: "${name}") { id } }` }),
      });
      return ((await r.json()) as any).data.runCommand.id as string;
    };
    const marks: number[] = [];
    const receive = (id: string, onBytes?: (bytes: number) => void) =>
      new Promise<number>((resolve, reject) => {
        let bytes = 0;
        client.subscribe(
          { query: 'subscription($id: ID!) { commandOutput(runId: $id) { seq data } }', variables: { id } },
          {
            next: (m: any) => {
              bytes += m.data.commandOutput.data.length;
              onBytes?.(bytes);
            },
            error: reject,
            complete: () => resolve(bytes),
          },
        );
      });

    const bareMBs = await bare(3200);
    const idle = rss(app.child.pid!);
    let peak = idle;
    const sampler = setInterval(() => (peak = Math.max(peak, rss(app.child.pid!))), 50);
    const t = performance.now();
    // server RSS after each 40 MiB received: flat means it stops growing with the volume
    const bytes = await receive(await run('flood'), (b) => {
      if (b >= (marks.length + 1) * 40 * MB) marks.push(rss(app.child.pid!));
    });
    const secs = (performance.now() - t) / 1000;
    clearInterval(sampler);
    const ours = bytes / MB / secs;
    lines.push('Commands: 200 MiB producer streamed to one graphql-ws subscriber');
    lines.push(`  bare node, child stdout -> /dev/null   ${fmt(bareMBs).padStart(6)} MiB/s`);
    lines.push(`  tiny-agent -> graphql-ws subscriber    ${fmt(ours).padStart(6)} MiB/s   ${fmt(ours / bareMBs, 2)}x bare (goal >= 0.5x); ${fmt(bytes / MB)} MiB received live, the first 10 MiB stored (the default cap)`);
    lines.push(`  server RSS: idle ${fmt(idle / MB)} MiB, peak ${fmt(peak / MB)} MiB (+${fmt((peak - idle) / MB)} MiB)`);
    lines.push(`  server RSS after every 40 MiB streamed: ${marks.map((m) => `+${fmt((m - idle) / MB)}`).join(', ')} MiB`);

    const id = await run('fanout');
    const t2 = performance.now();
    const got = await Promise.all(Array.from({ length: 100 }, () => receive(id)));
    const secs2 = (performance.now() - t2) / 1000;
    const complete = got.filter((b) => b === 320 * 65536).length;
    lines.push(`Commands: 100 subscribers on one 20 MiB run: ${complete}/100 received every byte, ${fmt((got.reduce((a, b) => a + b, 0) / MB) / secs2)} MiB/s delivered in total`);
    await client.dispose();
  } finally {
    await app.stop();
  }
  return lines;
}
