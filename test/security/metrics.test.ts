import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLoopback, metricsRefusal } from '../../api/src/http/metrics-access.js';
import { startServer, type TestServer } from '../../api/src/test/harness.js';

const TOKEN = 'metrics-token-0123456789abcdef';

async function get(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers });
  const text = await res.text();
  return {
    status: res.status,
    text,
    json: res.headers.get('content-type')?.startsWith('application/json')
      ? JSON.parse(text)
      : undefined,
  };
}

describe('/metrics with METRICS_TOKEN', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({ METRICS_TOKEN: TOKEN });
  });
  afterAll(() => s?.stop());

  it('answers only with the token, even from this machine', async () => {
    for (const headers of [
      {} as Record<string, string>,
      { authorization: 'Bearer wrong-token-0123456789' },
      { authorization: `Basic ${TOKEN}` },
      { authorization: `Bearer ${TOKEN}x` },
    ]) {
      const r = await get(`${s.url}/metrics`, headers);
      expect(r.status, JSON.stringify(headers)).toBe(401);
      expect(r.json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(r.json.errors[0].message).toContain('METRICS_TOKEN');
      expect(r.text).not.toContain('tiny_agent_');
    }
    const ok = await get(`${s.url}/metrics`, { authorization: `Bearer ${TOKEN}` });
    expect(ok.status).toBe(200);
    expect(ok.text).toMatch(/^# HELP tiny_agent_/m);
    expect(s.logText()).toMatch(/"msg":"metrics request refused".*"reason":"no token"/);
    expect(s.logText()).not.toContain(TOKEN);
  });

  it('a token guess never reaches the log and a huge header is refused like any other', async () => {
    const r = await get(`${s.url}/metrics`, { authorization: `Bearer ${'g'.repeat(8000)}` });
    expect(r.status).toBe(401);
    expect(s.logText()).not.toContain('g'.repeat(100));
  });
});

describe('/metrics with METRICS_LISTEN', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({ METRICS_LISTEN: '127.0.0.1:0' });
  });
  afterAll(() => s?.stop());

  it('is served on its own listener, and the main port has none', async () => {
    const metricsUrl = s.app.metricsUrl!;
    expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(metricsUrl).not.toBe(s.url);
    const onMain = await get(`${s.url}/metrics`);
    expect(onMain.status).toBe(404);
    expect(onMain.json.errors[0].extensions.code).toBe('NOT_FOUND');
    const ok = await get(`${metricsUrl}/metrics`);
    expect(ok.status).toBe(200);
    expect(ok.text).toMatch(/^# HELP tiny_agent_/m);
  });

  it('the metrics listener serves nothing else', async () => {
    for (const p of ['/graphql', '/', '/health', '/files/x']) {
      const r = await get(`${s.app.metricsUrl}${p}`);
      expect(r.status, p).toBe(404);
      expect(r.json.errors[0].extensions.code).toBe('NOT_FOUND');
    }
  });
});

describe('/metrics with neither', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({ TRUST_PROXY: 'true' });
  });
  afterAll(() => s?.stop());

  it('answers on loopback, whatever X-Forwarded-For claims', async () => {
    expect((await get(`${s.url}/metrics`)).status).toBe(200);
    expect((await get(`${s.url}/metrics`, { 'x-forwarded-for': '203.0.113.9' })).status).toBe(200);
  });

  it('judges the socket address, never X-Forwarded-For', () => {
    const policy = { separateListener: false };
    const req = (remoteAddress: string) => ({
      remoteAddress,
      authorization: undefined,
      onMetricsListener: false,
    });
    for (const a of ['127.0.0.1', '127.3.2.1', '::1', '::ffff:127.0.0.1'])
      expect(metricsRefusal(req(a), policy), a).toBeNull();
    for (const a of [
      '10.0.0.5',
      '172.18.0.3',
      '::ffff:10.0.0.5',
      'fe80::1',
      '2001:db8::1',
      '127.0.0.1.evil',
    ]) {
      expect(metricsRefusal(req(a), policy), a).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    }
    expect(isLoopback(undefined)).toBe(false);
  });
});
