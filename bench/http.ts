import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { APP, fmt, load, ROOT, startProc } from './lib.js';

/** Authenticated `me` against bare node:http and bare Yoga, same load generator, same run. */
export async function benchHttp(): Promise<string[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tiny-agent-bench-'));
  writeFileSync(path.join(dir, 'agent.yaml'), 'commands: []\nlogs: []\n');
  const lines: string[] = [];
  const bare = await startProc(path.join(ROOT, 'bench/servers/bare-http.ts'));
  // production mode, as deployed (graphql-js skips its development-only instanceof checks)
  const yoga = await startProc(path.join(ROOT, 'bench/servers/bare-yoga.ts'), {
    NODE_ENV: 'production',
  });
  const app = await startProc(APP, {
    DATA_DIR: path.join(dir, 'data'),
    LOGS_DIR: path.join(dir, 'logs'),
    AGENT_CONFIG: path.join(dir, 'agent.yaml'),
    ADMIN_PASSWORD: 'bench-password-1',
    NODE_ENV: 'production',
  });
  try {
    const login = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'mutation { login(username: "admin", password: "bench-password-1") { token } }',
      }),
    });
    const token = ((await login.json()) as { data: { login: { token: string } } }).data.login.token;
    const me = JSON.stringify({ query: '{ me { id username role } }' });
    // warm-up: JIT and caches
    await load(`${app.url}/graphql`, {
      body: me,
      headers: { authorization: `Bearer ${token}` },
      seconds: 4,
    });
    await load(`${yoga.url}/graphql`, { body: JSON.stringify({ query: '{ hello }' }), seconds: 2 });
    await load(bare.url, { body: me, seconds: 2 });
    const b = await load(bare.url, { body: me });
    const y = await load(`${yoga.url}/graphql`, { body: JSON.stringify({ query: '{ hello }' }) });
    const a = await load(`${app.url}/graphql`, {
      body: me,
      headers: { authorization: `Bearer ${token}` },
    });
    if (a.non2xx || a.errors)
      lines.push(`WARNING: tiny-agent answered ${a.non2xx} non-2xx and ${a.errors} errors`);
    lines.push(
      'HTTP: authenticated `me` query (32 connections, 8 s each after a warm-up, autocannon; servers with NODE_ENV=production)',
    );
    lines.push(
      `  bare node:http fixed JSON   ${fmt(b.rps).padStart(8)} req/s   p99 ${fmt(b.p99)} ms`,
    );
    lines.push(
      `  bare Yoga { hello }         ${fmt(y.rps).padStart(8)} req/s   p99 ${fmt(y.p99)} ms   ${fmt(y.rps / b.rps, 2)}x bare`,
    );
    lines.push(
      `  tiny-agent me (Bearer)      ${fmt(a.rps).padStart(8)} req/s   p99 ${fmt(a.p99)} ms   ${fmt(a.rps / b.rps, 2)}x bare (goal >= 0.25x)`,
    );
    lines.push(
      `  tiny-agent start-up to listening: ${fmt(app.startMs)} ms (compiled build; goal < 2000 ms)`,
    );
  } finally {
    await Promise.all([bare.stop(), yoga.stop(), app.stop()]);
  }
  return lines;
}
