import { readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { childEnv, startProcess, type OutputChunk, type ProcessHandle } from './command.runner.js';
import { waitUntil } from '../../test/wait.js';

const node = (script: string) => [process.execPath, '-e', script];
const start = (
  argv: string[],
  more: { timeoutMs?: number; killGraceMs?: number; cwd?: string } = {},
) => startProcess({ argv, env: childEnv(), timeoutMs: 20_000, ...more });

async function collect(handle: ProcessHandle): Promise<OutputChunk[]> {
  const chunks: OutputChunk[] = [];
  for await (const c of handle.chunks) chunks.push(c);
  return chunks;
}
const text = (chunks: OutputChunk[], stream: OutputChunk['stream']) =>
  chunks
    .filter((c) => c.stream === stream)
    .map((c) => c.data)
    .join('');

/** Live (non-zombie) processes in group `pgid`, read from /proc. */
function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    // "pid (comm) state ppid pgrp …"; comm may hold spaces and parentheses
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z') members.push(Number(entry));
  }
  return members;
}

describe('startProcess', () => {
  it('keeps stdout and stderr apart and in order, and records success', async () => {
    const h = start(['sh', '-c', 'echo out1; sleep 0.2; echo err1 >&2; sleep 0.2; echo out2']);
    expect(await collect(h)).toEqual([
      { stream: 'stdout', data: 'out1\n' },
      { stream: 'stderr', data: 'err1\n' },
      { stream: 'stdout', data: 'out2\n' },
    ]);
    expect(await h.done).toEqual({ status: 'SUCCEEDED', exitCode: 0, signal: null });
  });

  it('decodes a character split across two writes', async () => {
    const h = start(
      node(
        'const w = (b) => process.stdout.write(Buffer.from(b)); w([0xe2, 0x82]); setTimeout(() => w([0xac, 0x78]), 150);',
      ),
    );
    const chunks = await collect(h);
    expect(text(chunks, 'stdout')).toBe('€x');
    expect(chunks.some((c) => c.data.includes('\ufffd'))).toBe(false);
  });

  it('records exit codes and signals', async () => {
    expect(await start(['sh', '-c', 'exit 3']).done).toEqual({
      status: 'FAILED',
      exitCode: 3,
      signal: null,
    });
    expect(await start(['sh', '-c', 'kill -USR1 $$']).done).toEqual({
      status: 'FAILED',
      exitCode: null,
      signal: 'SIGUSR1',
    });
  });

  it('cancels the whole group, background children included', async () => {
    const h = start(['sh', '-c', 'sleep 100 & sleep 100 & wait'], { killGraceMs: 3000 });
    await waitUntil(() => groupMembers(h.pid!).length === 3, { what: 'the process group' });
    const t0 = Date.now();
    h.cancel();
    expect(await h.done).toMatchObject({ status: 'CANCELLED', signal: 'SIGTERM' });
    await waitUntil(() => groupMembers(h.pid!).length === 0, {
      timeoutMs: 2000,
      what: 'the process group',
    });
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it('kills a process that ignores SIGTERM after the grace period', async () => {
    const h = start(['sh', '-c', 'trap "" TERM; sleep 100'], { killGraceMs: 300 });
    await waitUntil(() => groupMembers(h.pid!).length === 2, { what: 'the process group' });
    const t0 = Date.now();
    h.cancel();
    expect(await h.done).toMatchObject({ status: 'CANCELLED', signal: 'SIGKILL' });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    await waitUntil(() => groupMembers(h.pid!).length === 0, {
      timeoutMs: 1000,
      what: 'the process group',
    });
  });

  it('kills background children that outlive their leader', async () => {
    const h = start(['sh', '-c', '(trap "" TERM; exec sleep 100) & echo started'], {
      killGraceMs: 300,
    });
    const chunks = await collect(h); // ends only once the stubborn child no longer holds the pipe
    expect(text(chunks, 'stdout')).toBe('started\n');
    expect(await h.done).toEqual({ status: 'SUCCEEDED', exitCode: 0, signal: null });
    await waitUntil(() => groupMembers(h.pid!).length === 0, {
      timeoutMs: 1000,
      what: 'the process group',
    });

    const quiet = start(['sh', '-c', 'sleep 100 >/dev/null 2>&1 &']);
    expect((await quiet.done).status).toBe('SUCCEEDED');
    await waitUntil(() => groupMembers(quiet.pid!).length === 0, {
      timeoutMs: 2000,
      what: 'the process group',
    });
  });

  it('times out', async () => {
    const h = start(['sleep', '100'], { timeoutMs: 200 });
    expect(await h.done).toEqual({ status: 'TIMED_OUT', exitCode: null, signal: 'SIGTERM' });
  });

  describe('programs that cannot start', () => {
    let dir: string;
    afterEach(() => rm(dir, { recursive: true, force: true }));

    it('resolve FAILED with the reason instead of throwing', async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'runner-'));
      const script = path.join(dir, 'not-executable.sh');
      await writeFile(script, '#!/bin/sh\necho hi\n');
      await chmod(script, 0o644);
      const cases: [string[], string | undefined, string][] = [
        [['/nonexistent/prog'], undefined, 'Cannot start "/nonexistent/prog": program not found.'],
        [
          ['no-such-program-here'],
          undefined,
          'Cannot start "no-such-program-here": program not found.',
        ],
        [[script], undefined, `Cannot start "${script}": permission denied (is it executable?).`],
        [
          ['ls'],
          path.join(dir, 'gone'),
          `Cannot start "ls": working directory ${path.join(dir, 'gone')} does not exist.`,
        ],
      ];
      for (const [argv, cwd, error] of cases) {
        const h = start(argv, { cwd });
        expect(await collect(h)).toEqual([]);
        expect(await h.done).toEqual({ status: 'FAILED', exitCode: null, signal: null, error });
      }
      expect((await start([]).done).status).toBe('FAILED');
    });
  });

  it('gives the child only PATH, LANG, HOME and its own extras', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      SECRET_TOKEN: 'hunter2',
      AI_API_KEY: 'sk-x',
      LANG: 'C.UTF-8',
      HOME: '/home/agent',
    });
    try {
      const h = startProcess({
        argv: ['env'],
        env: childEnv({ GREETING: 'hi' }),
        timeoutMs: 10_000,
      });
      const lines = text(await collect(h), 'stdout')
        .trim()
        .split('\n');
      expect(lines.sort()).toEqual([
        'GREETING=hi',
        'HOME=/home/agent',
        'LANG=C.UTF-8',
        `PATH=${saved.PATH}`,
      ]);
    } finally {
      process.env = saved;
    }
  });

  it('pauses a fast producer while the consumer is not reading', async () => {
    const size = 8 * 1024 * 1024;
    const h = start(
      node(
        `const fs = require('fs'); const b = Buffer.alloc(65536, 97); for (let i = 0; i < ${size / 65536}; i++) fs.writeSync(1, b);`,
      ),
    );
    await new Promise((r) => setTimeout(r, 700));
    // Unread output must hold the child back rather than pile up in our memory.
    expect(groupMembers(h.pid!)).toEqual([h.pid]);
    const chunks = await collect(h);
    expect(chunks.reduce((n, c) => n + c.data.length, 0)).toBe(size);
    expect(Math.max(...chunks.map((c) => c.data.length))).toBeLessThanOrEqual(256 * 1024);
    expect((await h.done).status).toBe('SUCCEEDED');
  });

  it('merges small chunks that wait together', async () => {
    const h = start(
      node(
        `let i = 0; const t = setInterval(() => { process.stdout.write(i + '\\n'); if (++i === 200) clearInterval(t); }, 1);`,
      ),
    );
    await h.done; // nothing read yet: all 200 writes are waiting
    const chunks = await collect(h);
    expect(text(chunks, 'stdout')).toBe(Array.from({ length: 200 }, (_, i) => `${i}\n`).join(''));
    expect(chunks.length).toBeLessThan(5);
  });

  it('drains and finishes when the consumer stops reading early', async () => {
    const h = start(
      node(
        `const fs = require('fs'); const b = Buffer.alloc(65536, 97); for (let i = 0; i < 128; i++) fs.writeSync(1, b);`,
      ),
    );
    for await (const chunk of h.chunks) {
      expect(chunk.stream).toBe('stdout');
      break;
    }
    expect((await h.done).status).toBe('SUCCEEDED');
  });
});
