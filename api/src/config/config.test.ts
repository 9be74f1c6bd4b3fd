import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const MAIN = path.resolve(import.meta.dirname, '../main.ts');
const TSX = path.resolve(import.meta.dirname, '../../../node_modules/tsx/dist/cli.mjs');

function run(
  env: Record<string, string>,
  cwd: string,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [TSX, MAIN], {
      cwd,
      env: { PATH: process.env.PATH!, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    // tsx compiles main.ts and its imports cold: on a loaded 2-core machine that alone took >15 s
    const timer = setTimeout(() => child.kill('SIGKILL'), 50_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe('configuration', () => {
  it('the instance lease: 15 s renewed every 3 s by default; a heartbeat over half the lease is refused', () => {
    expect(loadConfig({})).toMatchObject({
      INSTANCE_LEASE_SECONDS: 15,
      INSTANCE_HEARTBEAT_SECONDS: 3,
    });
    const err = (() => {
      try {
        loadConfig({ INSTANCE_LEASE_SECONDS: '2', INSTANCE_HEARTBEAT_SECONDS: '1.5' });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems).toEqual([
      expect.stringMatching(/^INSTANCE_HEARTBEAT_SECONDS: must be at most half/),
    ]);
    expect(() => loadConfig({ INSTANCE_LEASE_SECONDS: '0' })).toThrow(/INSTANCE_LEASE_SECONDS/);
  });

  it('defaults match the contract', () => {
    const c = loadConfig({}, '/srv/app');
    expect(c).toMatchObject({
      PORT: 5000,
      HOST: '127.0.0.1',
      DATA_DIR: '/srv/app/data',
      LOGS_DIR: '/srv/app/logs',
      AGENT_CONFIG: '/srv/app/agent.yaml',
      UPLOAD_MAX_BYTES: 104857600,
    });
    expect(c.ADMIN_USERNAME).toBe('admin');
  });

  it('names every bad variable at once, and never echoes a secret', () => {
    try {
      loadConfig({
        PORT: 'eighty',
        DATA_DIR: '../../etc',
        UPLOAD_MAX_BYTES: '-1',
        ADMIN_PASSWORD: 'short',
        REDIS_URL: 'http://x',
      });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const msg = (err as Error).message;
      for (const name of ['PORT', 'DATA_DIR', 'UPLOAD_MAX_BYTES', 'ADMIN_PASSWORD', 'REDIS_URL'])
        expect(msg).toContain(name);
      expect(msg).toMatch(/DATA_DIR: must not contain "\.\." segments/);
      expect(msg).not.toContain('"short"');
    }
  });

  it('a bad value in .env stops the process with a message naming it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tiny-agent-env-'));
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path.join(dir, '.env'), 'PORT=99999\nUPLOAD_MAX_BYTES=lots\n');
    const r = await run({}, dir);
    expect(r.code).toBe(78);
    expect(r.stderr).toMatch(/PORT: /);
    expect(r.stderr).toMatch(/UPLOAD_MAX_BYTES: /);
  }, 60_000);

  it('request bodies, uploads per user and /metrics: defaults, parsing, and a bad token never echoed', () => {
    const c = loadConfig({}, '/srv/app');
    expect(c).toMatchObject({
      REQUEST_BODY_TIMEOUT_SECONDS: 30,
      REQUEST_BODY_MIN_BYTES: 1024,
      UPLOAD_CONCURRENCY_PER_USER: 4,
    });
    expect(c.METRICS_TOKEN).toBeUndefined();
    expect(c.METRICS_LISTEN).toBeUndefined();
    expect(loadConfig({ METRICS_LISTEN: '0.0.0.0:9464' }).METRICS_LISTEN).toEqual({
      host: '0.0.0.0',
      port: 9464,
    });
    expect(loadConfig({ METRICS_LISTEN: '[::1]:9464' }).METRICS_LISTEN).toEqual({
      host: '::1',
      port: 9464,
    });
    try {
      loadConfig({
        METRICS_LISTEN: '9464',
        METRICS_TOKEN: 'short token',
        REQUEST_BODY_TIMEOUT_SECONDS: '0',
        UPLOAD_CONCURRENCY_PER_USER: 'many',
      });
      expect.unreachable();
    } catch (err) {
      const msg = (err as Error).message;
      for (const name of [
        'METRICS_LISTEN',
        'METRICS_TOKEN',
        'REQUEST_BODY_TIMEOUT_SECONDS',
        'UPLOAD_CONCURRENCY_PER_USER',
      ])
        expect(msg).toContain(name);
      expect(msg).not.toContain('short token');
    }
  });
});
