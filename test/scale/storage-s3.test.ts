// STORAGE_URL=s3://…: uploads in an S3-compatible bucket, against a real S3 protocol server
// (s3rver, in this process, on a loopback port) and the real app.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authHeaders, startServer, type TestServer } from '../../api/src/test/harness.js';
import { multipartFrame, rawUpload, zipBytes } from '../../api/src/test/file.testkit.js';

interface S3rverApp {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  httpServer: Server;
}
const require = createRequire(import.meta.url);
const S3rver = require('s3rver') as new (o: Record<string, unknown>) => S3rverApp;
const AWSAccount = require('s3rver/lib/models/account') as new (
  id: number,
  name: string,
) => { createKeyPair(id: string, secret: string): void };

const BUCKET = 'tiny-uploads';
const PREFIX = 'team/a/';
const KEY_ID = 'tinyagenttestkey';
// long and random: any appearance in a log or an environment is a leak, not a coincidence
const SECRET = randomBytes(24).toString('hex');
const MIB = 1024 * 1024;
const AGENT = `
commands:
  - name: checksum
    title: SHA-256 of an uploaded file
    argv: ["sha256sum", "{{input}}"]
    roles: [admin, user]
    args:
      - { name: input, type: file }
  - name: env-of
    title: The child's environment and the path it got
    argv: ["sh", "-c", "env; echo PATH_GIVEN=$0", "{{input}}"]
    roles: [admin, user]
    args:
      - { name: input, type: file }
logs: []
`;

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const code = (r: { errors?: { extensions?: { code?: string } }[] }) =>
  r.errors?.[0]?.extensions?.code;

let s3dir: string;
let s3: S3rverApp;
let endpoint: string;
let bucket: S3Client;
let s: TestServer;
let admin: { token: string };
/** every request the S3 server received, as "METHOD path?query" */
const requests: string[] = [];
const multipartStarts = () => requests.filter((r) => /^POST .*\?uploads/.test(r)).length;
const aborts = () => requests.filter((r) => /^DELETE .*uploadId=/.test(r)).length;
// a zip header first: binary content of an accepted type
const zipOf = (tail: Buffer) => Buffer.concat([zipBytes([{ name: 'a.txt', data: 'a' }]), tail]);

beforeAll(async () => {
  s3dir = mkdtempSync(path.join(tmpdir(), 'tiny-agent-s3rver-'));
  new AWSAccount(210987654321, 'tiny-agent-test').createKeyPair(KEY_ID, SECRET);
  s3 = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: s3dir,
    vhostBuckets: false,
    configureBuckets: [{ name: BUCKET }],
  });
  const { port } = await s3.run();
  s3.httpServer.prependListener('request', (req) => requests.push(`${req.method} ${req.url}`));
  endpoint = `http://127.0.0.1:${port}`;
  bucket = new S3Client({
    region: 'us-east-1',
    endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: KEY_ID, secretAccessKey: SECRET },
  });
  s = await startServer(
    {
      STORAGE_URL: `s3://${BUCKET}/${PREFIX}?endpoint=${endpoint}&forcePathStyle=true`,
      AWS_ACCESS_KEY_ID: KEY_ID,
      AWS_SECRET_ACCESS_KEY: SECRET,
      UPLOAD_MAX_BYTES: String(24 * MIB),
    },
    { agentYaml: AGENT },
  );
  admin = await s.login();
}, 60_000);

afterAll(async () => {
  await s?.stop();
  bucket?.destroy();
  s3?.httpServer.closeAllConnections();
  await s3?.close();
  rmSync(s3dir, { recursive: true, force: true });
});

/** The object names under the prefix, as another S3 client sees them. */
async function objects(): Promise<string[]> {
  const page = await bucket.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: PREFIX }));
  return (page.Contents ?? []).map((o) => o.Key!.slice(PREFIX.length)).sort();
}

async function download(id: string, range?: string) {
  const res = await fetch(`${s.url}/files/${id}`, {
    headers: { ...authHeaders(admin), ...(range ? { range } : {}) },
  });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

async function outputOf(runId: string): Promise<string> {
  const sub = s.subscribeWs(
    `subscription($id: ID!) { commandOutput(runId: $id) { data } }`,
    { id: runId },
    admin,
  );
  await sub.waitEnd(20_000);
  return sub.events.map((e) => e.data.commandOutput.data).join('');
}

async function until(what: string, ok: () => Promise<boolean> | boolean, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Outcomes counted by tiny_agent_uploads_total, from /metrics (loopback). */
async function uploadOutcome(outcome: string): Promise<number> {
  const text = await (await fetch(`${s.url}/metrics`)).text();
  const m = new RegExp(`tiny_agent_uploads_total\\{outcome="${outcome}"\\} (\\d+)`).exec(text);
  return Number(m?.[1] ?? 0);
}

describe('STORAGE_URL=s3://', () => {
  it('stores a small upload as an object under the prefix, with size and sha256 right, and nothing on local disk', async () => {
    const content = 'hello from the bucket\n'.repeat(50);
    const up = await s.upload({ name: 'notes.txt', content }, admin);
    expect(up.errors).toBeUndefined();
    const f = up.data.uploadFile;
    expect(f).toMatchObject({ size: content.length, sha256: sha(content), mimeType: 'text/plain' });
    expect(await objects()).toContain(f.id);
    expect(existsSync(path.join(s.config.DATA_DIR, 'uploads', f.id))).toBe(false);

    const whole = await download(f.id);
    expect(whole.status).toBe(200);
    expect(whole.body.toString()).toBe(content);
    expect(whole.headers.get('etag')).toBe(`"${sha(content)}"`);
    const part = await download(f.id, 'bytes=6-9');
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 6-9/${content.length}`);
    expect(part.body.toString()).toBe('from');
    expect((await download(f.id, `bytes=${content.length}-`)).status).toBe(416);
  });

  it('streams a 20 MiB upload as a multipart upload; whole and ranged downloads read the bucket', async () => {
    const zip = zipOf(randomBytes(20 * MIB));
    const starts = multipartStarts();
    const up = await s.upload({ name: 'big.zip', content: zip }, admin);
    expect(up.errors).toBeUndefined();
    const f = up.data.uploadFile;
    expect(f).toMatchObject({ size: zip.length, sha256: sha(zip), mimeType: 'application/zip' });
    expect(await objects()).toContain(f.id);
    expect(multipartStarts()).toBe(starts + 1);
    // 5 MiB parts: never the whole file in one request (or in memory)
    expect(requests.filter((r) => r.includes(`${f.id}?partNumber=`)).length).toBe(5);

    const whole = await download(f.id);
    expect(whole.body.length).toBe(zip.length);
    expect(sha(whole.body)).toBe(sha(zip));
    const at = 15 * MIB + 3;
    const part = await download(f.id, `bytes=${at}-${at + 99}`);
    expect(part.status).toBe(206);
    expect(part.body.equals(zip.subarray(at, at + 100))).toBe(true);
  }, 60_000);

  it('an upload refused midway (too large) or cut by its client leaves no object', async () => {
    const before = await objects();
    const starts = multipartStarts();
    const big = await s.upload({ name: 'huge.zip', content: zipOf(randomBytes(30 * MIB)) }, admin);
    expect(code(big)).toBe('PAYLOAD_TOO_LARGE');
    expect(await objects()).toEqual(before);
    // it had begun in the bucket, and was aborted there
    expect(multipartStarts()).toBe(starts + 1);
    expect(aborts()).toBeGreaterThanOrEqual(1);

    const aborted = await uploadOutcome('aborted');
    const badInput = await uploadOutcome('BAD_USER_INPUT');
    const frame = multipartFrame('cut.bin');
    const raw = rawUpload(s.url, {
      contentType: frame.contentType,
      headers: { ...authHeaders(admin), 'x-graphql-yoga-csrf': '1' },
    });
    await raw.write(frame.head);
    await raw.write(zipOf(Buffer.alloc(0)));
    // past two 5 MiB parts: the multipart upload has begun in the bucket when the client leaves
    for (let i = 0; i < 12; i++) await raw.write(randomBytes(MIB));
    raw.req.destroy();
    await until(
      'the server to count the cut upload',
      async () =>
        (await uploadOutcome('aborted')) > aborted ||
        (await uploadOutcome('BAD_USER_INPUT')) > badInput,
    );
    expect(await objects()).toEqual(before);
    expect(multipartStarts()).toBe(starts + 2);
    expect(aborts()).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it('delete removes the object', async () => {
    const up = await s.upload({ name: 'gone.txt', content: 'delete me' }, admin);
    const id = up.data.uploadFile.id;
    expect(await objects()).toContain(id);
    const del = await s.gql(`mutation($id: ID!) { deleteFile(id: $id) }`, { id }, admin);
    expect(del.data.deleteFile).toBe(true);
    expect(await objects()).not.toContain(id);
    expect((await download(id)).status).toBe(404);
  });

  it('a command given a file argument reads a private copy, removed after the run; the secret is in no environment', async () => {
    const content = 'checksum me\n'.repeat(1000);
    const up = await s.upload({ name: 'c.txt', content }, admin);
    const id = up.data.uploadFile.id;
    const RUN = `mutation($name: String!, $args: [CommandArgInput!]) { runCommand(name: $name, args: $args) { id argv } }`;
    const run = await s.gql(RUN, { name: 'checksum', args: [{ name: 'input', value: id }] }, admin);
    expect(run.errors).toBeUndefined();
    expect(await outputOf(run.data.runCommand.id)).toContain(sha(content));

    const envRun = await s.gql(
      RUN,
      { name: 'env-of', args: [{ name: 'input', value: id }] },
      admin,
    );
    const out = await outputOf(envRun.data.runCommand.id);
    const given = /PATH_GIVEN=(.+)/.exec(out)?.[1] ?? '';
    expect(path.basename(given)).toBe(id);
    expect(given.startsWith(s.config.DATA_DIR)).toBe(false);
    expect(out).not.toContain(SECRET);
    expect(out).not.toMatch(/AWS_|STORAGE_URL/);
    await until('the run copy to be removed', () => !existsSync(path.dirname(given)));
  });

  it('processing reads the object: a text preview and a zip listing', async () => {
    const text = await s.upload({ name: 'p.txt', content: 'preview me please' }, admin);
    const zip = await s.upload(
      {
        name: 'p.zip',
        content: zipBytes([
          { name: 'one.txt', data: '1' },
          { name: 'two.txt', data: '22' },
        ]),
      },
      admin,
    );
    const Q = `query($id: ID!) { file(id: $id) { processingStatus processingResult } }`;
    const done = async (id: string) => {
      let r: { processingStatus: string; processingResult: string } | undefined;
      await until('processing to finish', async () => {
        r = (await s.gql(Q, { id }, admin)).data.file;
        return r!.processingStatus === 'DONE' || r!.processingStatus === 'FAILED';
      });
      expect(r!.processingStatus).toBe('DONE');
      return JSON.parse(r!.processingResult);
    };
    expect((await done(text.data.uploadFile.id)).preview).toBe('preview me please');
    expect((await done(zip.data.uploadFile.id)).archive).toMatchObject({
      format: 'zip',
      entries: 2,
      names: ['one.txt', 'two.txt'],
    });
  });

  it('with the bucket unreachable, uploads and downloads fail (nothing half-stored); they work again once it is back', async () => {
    const kept = await s.upload({ name: 'kept.txt', content: 'kept across the outage' }, admin);
    const keptId = kept.data.uploadFile.id;
    const port = Number(new URL(endpoint).port);
    s3.httpServer.closeAllConnections();
    await s3.close();

    const during = await s.upload({ name: 'lost.txt', content: 'not stored' }, admin);
    expect(code(during)).toBe('INTERNAL_SERVER_ERROR');
    expect(during.errors![0]!.message).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|s3/i);
    const down = await download(keptId);
    expect(down.status).toBe(500);
    const list = await s.gql(`{ files(first: 50) { edges { node { name } } } }`, {}, admin);
    expect(list.data.files.edges.map((e: { node: { name: string } }) => e.node.name)).not.toContain(
      'lost.txt',
    );

    // back, same port and folder: what was stored is there, new uploads work
    s3 = new S3rver({
      address: '127.0.0.1',
      port,
      silent: true,
      directory: s3dir,
      vhostBuckets: false,
    });
    await s3.run();
    expect((await download(keptId)).body.toString()).toBe('kept across the outage');
    const after = await s.upload({ name: 'after.txt', content: 'after' }, admin);
    expect(after.errors).toBeUndefined();
  }, 60_000);

  it('the S3 secret appears in no log line', () => {
    const log = s.logText();
    expect(log.length).toBeGreaterThan(0);
    expect(log).not.toContain(SECRET);
  });
});
