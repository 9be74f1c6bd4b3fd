import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../api/src/test/harness.js';
import { multipartParts, openRaw, parseAnswer, uploadHead, type RawRequest } from './raw-http.js';
import { waitUntil } from '../../api/src/test/wait.js';

// a short window so the test is quick: a body must bring 1,024 bytes every half second
const ENV = { REQUEST_BODY_TIMEOUT_SECONDS: '0.5', REQUEST_BODY_MIN_BYTES: '1024' };

let s: TestServer;
let token: string;
const uploads = () => path.join(s.config.DATA_DIR, 'uploads');
const tmpFiles = () =>
  existsSync(uploads()) ? readdirSync(uploads()).filter((f) => f.startsWith('.tmp-')) : [];

beforeAll(async () => {
  s = await startServer(ENV);
  token = (await s.login()).token;
});
afterAll(() => s?.stop());

/** Sends `bytes` one at a time, `gapMs` apart, until the server closes the connection or all are sent. */
async function trickle(raw: RawRequest, bytes: string, gapMs: number): Promise<void> {
  for (const ch of bytes) {
    if (raw.isClosed()) return;
    await raw.write(ch);
    await new Promise((r) => setTimeout(r, gapMs));
  }
}

describe('slow request bodies', () => {
  it('a JSON body that stops arriving is ended with 408 and the connection closes', async () => {
    const body = JSON.stringify({ query: '{ me { id } }' });
    const { host } = new URL(s.url);
    const raw = await openRaw(
      s.url,
      `POST /graphql HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    await raw.write(body.slice(0, 5));
    await waitUntil(() => raw.isClosed(), {
      timeoutMs: 10_000,
      what: 'the server to close a stalled JSON request',
    });
    const answer = parseAnswer(raw.received());
    expect(answer.status).toBe(408);
    expect(answer.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(answer.body.errors[0].message).toMatch(/request body/i);
  });

  it('an upload trickled a byte at a time is ended, and its half-written file removed', async () => {
    const { head, end } = multipartParts();
    const content = 'x'.repeat(200);
    const raw = await openRaw(
      s.url,
      uploadHead(s.url, token, Buffer.byteLength(head + content + end)),
    );
    await raw.write(head + content.slice(0, 10)); // the file part has begun: the writer has a temp file
    await waitUntil(() => tmpFiles().length === 1, {
      timeoutMs: 10_000,
      what: 'the upload to start writing',
    });
    await trickle(raw, content.slice(10), 100);
    await waitUntil(() => raw.isClosed(), {
      timeoutMs: 10_000,
      what: 'the server to close a trickled upload',
    });
    const answer = parseAnswer(raw.received());
    expect(answer.status).toBe(408);
    expect(answer.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    await waitUntil(() => tmpFiles().length === 0, {
      timeoutMs: 10_000,
      what: 'the temp file to be removed',
    });
    expect(readdirSync(uploads())).toEqual([]);
    expect(s.logText()).toContain('request body stalled');
  });

  it('a slow but steady link (about 40 KB/s) still uploads', async () => {
    const { head, end } = multipartParts('steady.txt');
    const content = 'y'.repeat(64 * 1024);
    const raw = await openRaw(
      s.url,
      uploadHead(s.url, token, Buffer.byteLength(head + content + end)),
    );
    await raw.write(head);
    for (let i = 0; i < content.length; i += 4096) {
      await raw.write(content.slice(i, i + 4096));
      await new Promise((r) => setTimeout(r, 100));
    }
    await raw.write(end);
    await waitUntil(() => /\r\n\r\n\{.*\}$/s.test(raw.received()), {
      timeoutMs: 10_000,
      what: 'the answer',
    });
    const answer = parseAnswer(raw.received());
    expect(answer.status, raw.received()).toBe(200);
    expect(answer.body.data.uploadFile.size).toBe(64 * 1024);
    raw.socket.destroy();
  });
});

describe('concurrent uploads per user', () => {
  // the default body pace here: the burst below keeps this process busy for whole windows
  let s: TestServer;
  let token: string;
  const tmpFiles = () =>
    existsSync(path.join(s.config.DATA_DIR, 'uploads'))
      ? readdirSync(path.join(s.config.DATA_DIR, 'uploads')).filter((f) => f.startsWith('.tmp-'))
      : [];
  beforeAll(async () => {
    s = await startServer();
    token = (await s.login()).token;
  });
  afterAll(() => s?.stop());

  it('a fifth upload of one user is refused with RATE_LIMITED while four are in progress; other users are not held back', async () => {
    const { head, end } = multipartParts('held.txt');
    const other = await s.createUser('uploader-two');
    const before = tmpFiles().length;
    // the default cap is 4; each held upload keeps sending, so none is ended as stalled
    const held = await Promise.all(
      Array.from({ length: 4 }, () =>
        openRaw(
          s.url,
          uploadHead(s.url, token, Buffer.byteLength(head + 'z'.repeat(1_000_000) + end)),
        ),
      ),
    );
    await Promise.all(held.map((r) => r.write(head + 'z'.repeat(2048))));
    await waitUntil(() => tmpFiles().length - before === 4, {
      timeoutMs: 10_000,
      what: 'four uploads in progress',
    });
    const keepAlive = setInterval(() => held.forEach((r) => void r.write('z'.repeat(2048))), 100);
    try {
      const burst = await Promise.all(
        Array.from({ length: 200 }, () =>
          s.upload({ name: 'burst.txt', content: 'hello\n', type: 'text/plain' }, { token }),
        ),
      );
      const codes = burst.map((r) => `${r.status} ${r.errors?.[0]?.extensions?.code ?? 'ok'}`);
      expect(new Set(codes)).toEqual(new Set(['429 RATE_LIMITED']));
      expect(burst[0]!.errors![0]!.message).toMatch(/wait/i);
      const theirs = await s.upload(
        { name: 'theirs.txt', content: 'mine\n', type: 'text/plain' },
        other,
      );
      expect(theirs.errors).toBeUndefined();
      // a held upload that goes away frees its place (the other three keep theirs)
      held[0]!.socket.destroy();
      await waitUntil(
        async () =>
          !(
            await s.upload({ name: 'after.txt', content: 'after\n', type: 'text/plain' }, { token })
          ).errors,
        { timeoutMs: 10_000, what: 'a place to free up' },
      );
    } finally {
      clearInterval(keepAlive);
      for (const r of held) r.socket.destroy();
    }
    await waitUntil(() => tmpFiles().length === before, {
      timeoutMs: 10_000,
      what: 'every held upload to be cleaned up',
    });
  });
});
