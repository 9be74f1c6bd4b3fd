import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../test/harness.js';
import { AI_MAX_INPUT_BYTES } from './file.ai.js';
import { fileProcessor } from './file.processor.js';
import { pngBytes, tarBytes, zipBytes } from '../../test/file.testkit.js';

const code = (r: { errors?: { extensions?: { code?: string } }[] }) =>
  r.errors?.[0]?.extensions?.code;
const WATCH = `subscription($id: ID) { fileProcessed(id: $id) { id processingStatus processingResult } }`;

/** Uploads, then waits for the fileProcessed event of that file; returns the parsed result. */
async function processed(
  s: TestServer,
  who: { token: string },
  file: { name: string; content: Buffer | string },
) {
  const up = await s.upload(file, who);
  if (up.errors) throw new Error(JSON.stringify(up.errors));
  const sub = s.subscribeWs(WATCH, { id: up.data.uploadFile.id }, { token: who.token });
  await sub.waitEnd(15_000);
  const f = sub.events[0].data.fileProcessed;
  return {
    upload: up.data.uploadFile,
    status: f.processingStatus as string,
    result: JSON.parse(f.processingResult),
  };
}

describe('built-in processors', () => {
  let s: TestServer;
  let admin: { token: string };
  beforeAll(async () => {
    s = await startServer();
    admin = await s.login();
  });
  afterAll(async () => s.stop());

  it('a text preview, capped, cut on a character', async () => {
    const { status, result } = await processed(s, admin, {
      name: 'notes.md',
      content: '# Notes\nhéllo wörld ✓\n'.repeat(500),
    });
    expect(status).toBe('DONE');
    expect(result.preview.startsWith('# Notes\nhéllo wörld ✓\n')).toBe(true);
    expect([...result.preview].length).toBe(2000);
    expect(result.previewTruncated).toBe(true);
    expect(result.summary).toBeUndefined(); // AI is off
  });

  it('image dimensions from the header', async () => {
    const { result } = await processed(s, admin, { name: 'pic.txt', content: pngBytes(321, 123) });
    expect(result.image).toEqual({ format: 'png', width: 321, height: 123 });
  });

  it('zip and tar entries from their index, without extracting', async () => {
    const entries = [
      { name: 'docs/readme.txt', data: 'hello' },
      { name: 'évidence.bin', data: Buffer.alloc(1000, 7) },
      { name: '../../escape.sh', data: 'echo no' },
    ];
    const zip = await processed(s, admin, { name: 'a.zip', content: zipBytes(entries) });
    expect(zip.upload.mimeType).toBe('application/zip');
    expect(zip.result.archive).toEqual({
      format: 'zip',
      entries: 3,
      names: entries.map((e) => e.name),
      uncompressedBytes: 1012,
    });
    const tar = await processed(s, admin, { name: 'a.tar', content: tarBytes(entries) });
    expect(tar.upload.mimeType).toBe('application/x-tar');
    expect(tar.result.archive).toEqual({
      format: 'tar',
      entries: 3,
      names: entries.map((e) => e.name),
      uncompressedBytes: 1012,
    });
  });

  it('the subscription: owner or admin only, per file or for every file one may see', async () => {
    const alice = await s.createUser('alice');
    const bob = await s.createUser('bob');
    // processed before the watchers below subscribe, so its event can't reach them late
    const aliceFile = (await processed(s, alice, { name: 'a.txt', content: 'alice' })).upload.id;
    const denied = s.subscribeWs(WATCH, { id: aliceFile }, { token: bob.token });
    const end = await denied.waitEnd();
    expect(denied.events).toEqual([]);
    expect((end.error as any)[0].extensions.code).toBe('NOT_FOUND');

    const bobAll = s.subscribeWs(WATCH, {}, { token: bob.token });
    const adminAll = s.subscribeWs(WATCH, {}, { token: admin.token });
    await s.listening('fileProcessed', 2); // both subscribed
    const alices = await processed(s, alice, { name: 'b.txt', content: 'alice again' });
    const bobs = await processed(s, bob, { name: 'c.txt', content: 'bob' });
    await bobAll.waitFor(1);
    await adminAll.waitFor(2);
    await new Promise((r) => setTimeout(r, 200));
    expect(bobAll.events.map((e) => e.data.fileProcessed.id)).toEqual([bobs.upload.id]);
    expect(adminAll.events.map((e) => e.data.fileProcessed.id)).toEqual([
      alices.upload.id,
      bobs.upload.id,
    ]);
    bobAll.stop();
    adminAll.stop();
    // over SSE as well; a finished file answers at once and the stream ends
    const sse = s.subscribeSse(WATCH, { id: bobs.upload.id }, bob);
    await sse.waitEnd();
    expect(sse.events[0].data.fileProcessed).toMatchObject({
      id: bobs.upload.id,
      processingStatus: 'DONE',
    });
  });
});

interface Seen {
  path: string;
  headers: IncomingMessage['headers'];
  body: any;
}

/** A small real HTTP server speaking the chat-completions wire format. */
async function fakeAi() {
  const seen: Seen[] = [];
  let mode: 'ok' | 'error' | 'stall' = 'ok';
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      seen.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(raw) });
      if (mode === 'stall') return; // never answers
      if (mode === 'error') {
        res.writeHead(500, { 'content-type': 'application/json' });
        return res.end(
          JSON.stringify({
            error: {
              message: 'Incorrect API key provided: sk-test-not-a-real-key',
              type: 'invalid_request_error',
            },
          }),
        );
      }
      const chars = JSON.parse(raw).messages.at(-1).content.length;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: 'chatcmpl-1',
          object: 'chat.completion',
          created: 1,
          model: 'test-model',
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: `A file of ${chars} characters about ducks.` },
              finish_reason: 'stop',
            },
          ],
          usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    seen,
    setMode: (m: typeof mode) => (mode = m),
    close: () => new Promise((r) => (server.closeAllConnections(), server.close(r))),
  };
}

describe('AI summaries', () => {
  const KEY = 'sk-test-not-a-real-key';
  let ai: Awaited<ReturnType<typeof fakeAi>>;
  let s: TestServer;
  let alice: { token: string };
  beforeAll(async () => {
    ai = await fakeAi();
    s = await startServer({ AI_BASE_URL: ai.url, AI_MODEL: 'test-model', AI_API_KEY: KEY });
    alice = await s.createUser('alice');
  });
  afterAll(async () => {
    await s.stop();
    await ai.close();
  });

  it('sends only the capped text of that file, with the model and the key, and stores the summary', async () => {
    const admin = await s.login();
    await processed(s, admin, { name: 'other.txt', content: 'OTHER-USERS-SECRET\n' });
    ai.seen.length = 0;
    const text = 'ducks '.repeat(50_000); // 300 KB
    const { status, result } = await processed(s, alice, {
      name: 'name-is-private.txt',
      content: text,
    });
    expect(status).toBe('DONE');
    expect(ai.seen.length).toBe(1);
    const req = ai.seen[0]!;
    expect(req.path).toBe('/v1/chat/completions');
    expect(req.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(req.body.model).toBe('test-model');
    const sent = req.body.messages.at(-1).content as string;
    expect(Buffer.byteLength(sent)).toBeLessThanOrEqual(AI_MAX_INPUT_BYTES);
    expect(text.startsWith(sent)).toBe(true);
    const everything = JSON.stringify(req.body);
    expect(everything).not.toContain('name-is-private');
    expect(everything).not.toContain('OTHER-USERS-SECRET');
    expect(everything).not.toContain('alice');
    expect(result.summary).toBe(`A file of ${sent.length} characters about ducks.`);
    expect(result.preview.startsWith('ducks ducks')).toBe(true);
    // images are not sent
    ai.seen.length = 0;
    const png = await processed(s, alice, { name: 'p.png', content: pngBytes(4, 4) });
    expect(png.status).toBe('DONE');
    expect(ai.seen.length).toBe(0);
  });

  it('records an endpoint error as FAILED without the key, keeping the built-in facts', async () => {
    ai.setMode('error');
    const { status, result } = await processed(s, alice, { name: 'e.txt', content: 'error case' });
    expect(status).toBe('FAILED');
    expect(result.preview).toBe('error case');
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0].processor).toBe('ai');
    expect(result.errors[0].message).toContain('HTTP 500');
    expect(JSON.stringify(result)).not.toContain(KEY);
    expect(s.logText()).not.toContain(KEY);
    ai.setMode('ok');
  });

  it('a stalled endpoint never delays the upload, and times out into FAILED', async () => {
    ai.setMode('stall');
    fileProcessor(s.app.services).options.aiTimeoutMs = 500;
    const started = Date.now();
    const up = await s.upload({ name: 'slow.txt', content: 'slow' }, alice);
    expect(Date.now() - started).toBeLessThan(400);
    expect(up.data.uploadFile.processingStatus).toBe('PENDING');
    const sub = s.subscribeWs(WATCH, { id: up.data.uploadFile.id }, { token: alice.token });
    await sub.waitEnd(10_000);
    const f = sub.events[0].data.fileProcessed;
    expect(f.processingStatus).toBe('FAILED');
    expect(JSON.parse(f.processingResult).errors[0].message).toMatch(/did not answer within/);
    fileProcessor(s.app.services).options.aiTimeoutMs = 30_000;
    ai.setMode('ok');
  });

  it('stopping the server while the endpoint stalls ends quickly and leaves the file to be processed again', async () => {
    ai.setMode('stall');
    const t = await startServer({ AI_BASE_URL: ai.url, AI_MODEL: 'test-model' });
    const admin = await t.login();
    const up = await t.upload({ name: 'later.txt', content: 'later' }, admin);
    for (
      let i = 0;
      i < 100 && !ai.seen.some((r) => r.body.messages.at(-1).content === 'later');
      i++
    )
      await new Promise((r) => setTimeout(r, 20));
    const started = Date.now();
    await t.stop();
    expect(Date.now() - started).toBeLessThan(5000);
    expect(up.data.uploadFile.processingStatus).toBe('PENDING');
    expect(code(up)).toBeUndefined();
    ai.setMode('ok');
  });
});
