import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../test/harness.js';
import { listUploads, multipartFrame, pngBytes, rawUpload } from '../../test/file.testkit.js';

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const code = (r: { errors?: { extensions?: { code?: string } }[] }) =>
  r.errors?.[0]?.extensions?.code;
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('uploads with the default settings', () => {
  let s: TestServer;
  let admin: { token: string; cookie: string };
  let uploads: string;
  beforeAll(async () => {
    // twenty at once below: above the default cap of 4 uploads in progress per user
    s = await startServer({ UPLOAD_CONCURRENCY_PER_USER: '20' });
    admin = await s.login();
    uploads = path.join(s.config.DATA_DIR, 'uploads');
  });
  afterAll(async () => s.stop());

  it('round-trips a file byte for byte with the right sha256 and size', async () => {
    const content = Buffer.concat([pngBytes(64, 48), randomBytes(3 * 1024 * 1024)]);
    const r = await s.upload({ name: 'photo.png', content, type: 'image/png' }, admin);
    expect(r.errors).toBeUndefined();
    const f = r.data.uploadFile;
    expect(f).toMatchObject({
      name: 'photo.png',
      size: content.length,
      mimeType: 'image/png',
      sha256: sha256(content),
      processingStatus: 'PENDING',
    });
    expect(f.id).toMatch(ID);
    const res = await fetch(`${s.url}/files/${f.id}`, {
      headers: { authorization: `Bearer ${admin.token}` },
    });
    expect(res.status).toBe(200);
    const body = Buffer.from(await res.arrayBuffer());
    expect(sha256(body)).toBe(sha256(content));
    expect(listUploads(uploads)).toContain(f.id);
  });

  it('stores hostile names as display text only, under generated names', async () => {
    const long = 'a'.repeat(296) + '.txt';
    const cases: [string, string][] = [
      ['../../x', 'x'],
      ['/etc/passwd', 'passwd'],
      ['..\\..\\windows\\system.ini', 'system.ini'],
      ['a.png%00.js', 'a.png%00.js'],
      ['invoice\u202Etxt.exe', 'invoicetxt.exe'],
      ['tab\there.txt', 'tab here.txt'],
      ['..', 'upload'],
    ];
    const before = listUploads(uploads);
    const ids: string[] = [];
    for (const [raw, shown] of [...cases, [long, 'a'.repeat(196) + '.txt'] as [string, string]]) {
      const r = await s.upload({ name: raw, content: `content of ${raw}\n` }, admin);
      expect(r.errors, raw).toBeUndefined();
      expect(r.data.uploadFile.name, raw).toBe(shown);
      expect(r.data.uploadFile.name.length).toBeLessThanOrEqual(200);
      ids.push(r.data.uploadFile.id);
      const res = await fetch(`${s.url}/files/${r.data.uploadFile.id}`, {
        headers: { authorization: `Bearer ${admin.token}` },
      });
      const disposition = res.headers.get('content-disposition')!;
      expect(disposition).toMatch(
        /^attachment; filename="[\x20-\x7e]*"; filename\*=UTF-8''[A-Za-z0-9%._~!-]*$/,
      );
      expect(disposition).not.toMatch(/\.\.|\/|\u202e/i);
      expect(await res.text()).toBe(`content of ${raw}\n`);
    }
    // on disk: exactly the generated ids, nothing else, nothing outside
    expect(listUploads(uploads)).toEqual([...before, ...ids].sort());
    for (const f of listUploads(uploads)) expect(f).toMatch(ID);
    expect(existsSync(path.join(s.config.DATA_DIR, 'x'))).toBe(false);
    expect(existsSync(path.join(s.dir, 'x'))).toBe(false);
  });

  it('strips controls that arrive encoded (filename*), and survives a malformed part header', async () => {
    const frame = multipartFrame('a\u0000b\u0007c\u202Ed.txt', 'text/plain', undefined, {
      encodedName: true,
    });
    const body = Buffer.concat([frame.head, Buffer.from('encoded name\n'), frame.tail]);
    const res = await fetch(`${s.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': frame.contentType,
        'x-graphql-yoga-csrf': '1',
        authorization: `Bearer ${admin.token}`,
      },
      body,
    }).then((r) => r.json());
    expect(res.data.uploadFile.name).toBe('abcd.txt');
    // a raw control character in a part header is malformed multipart: refused, and the server lives on
    const bad = await s.upload({ name: 'bell\u0007.txt', content: 'x' }, admin);
    expect(code(bad)).toBe('BAD_USER_INPUT');
    expect((await s.gql('{ me { id } }', {}, admin)).data.me.id).toBeTruthy();
  });

  it('judges the type by content: a PNG named .txt is a PNG, HTML claimed as image/png is text', async () => {
    const png = await s.upload(
      { name: 'notes.txt', content: pngBytes(2, 2), type: 'text/plain' },
      admin,
    );
    expect(png.data.uploadFile.mimeType).toBe('image/png');
    const html = await s.upload(
      { name: 'cat.png', content: '<html><script>alert(1)</script></html>', type: 'image/png' },
      admin,
    );
    expect(html.data.uploadFile.mimeType).toBe('text/plain');
    const res = await fetch(`${s.url}/files/${html.data.uploadFile.id}`, {
      headers: { authorization: `Bearer ${admin.token}` },
    });
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toBe(
      "default-src 'none'; sandbox; frame-ancestors 'none'",
    );
    expect(res.headers.get('content-disposition')).toMatch(/^attachment;/);
  });

  it('refuses content that is not an allowed type (random bytes), leaving nothing', async () => {
    const before = listUploads(uploads);
    const r = await s.upload(
      { name: 'data.txt', content: randomBytes(200_000), type: 'text/plain' },
      admin,
    );
    expect(code(r)).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(r.errors![0]!.message).toContain('application/octet-stream');
    const nul = await s.upload(
      { name: 'nul.txt', content: 'text\0with a NUL', type: 'text/plain' },
      admin,
    );
    expect(code(nul)).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(listUploads(uploads)).toEqual(before);
  });

  it('twenty uploads of the same name at once give twenty distinct files', async () => {
    const before = listUploads(uploads).length;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        s.upload({ name: 'same.txt', content: `upload number ${i}\n` }, admin),
      ),
    );
    const ids = new Set(results.map((r) => r.data.uploadFile.id));
    expect(ids.size).toBe(20);
    expect(results.every((r) => r.data.uploadFile.name === 'same.txt')).toBe(true);
    expect(listUploads(uploads).length).toBe(before + 20);
    for (const [i, r] of results.entries())
      expect(r.data.uploadFile.sha256).toBe(sha256(`upload number ${i}\n`));
  });

  it('refuses multipart without the CSRF header (cookie or token) before reading the body', async () => {
    const before = listUploads(uploads);
    const viaCookie = await s.upload(
      { name: 'a.txt', content: 'hi' },
      { cookie: admin.cookie },
      { csrf: false },
    );
    expect(viaCookie.status).toBe(403);
    expect(code(viaCookie)).toBe('FORBIDDEN');
    const viaToken = await s.upload(
      { name: 'a.txt', content: 'hi' },
      { token: admin.token },
      { csrf: false },
    );
    expect(code(viaToken)).toBe('FORBIDDEN');
    // with the header, the cookie works
    const ok = await s.upload({ name: 'a.txt', content: 'hi' }, { cookie: admin.cookie });
    expect(ok.data.uploadFile.name).toBe('a.txt');
    expect(listUploads(uploads).length).toBe(before.length + 1);
  });

  it('refuses more than 10 files or a field over 1 MiB in one request (PAYLOAD_TOO_LARGE), storing nothing', async () => {
    const before = listUploads(uploads);
    const post = (form: FormData) =>
      fetch(`${s.url}/graphql`, {
        method: 'POST',
        headers: { 'x-graphql-yoga-csrf': '1', authorization: `Bearer ${admin.token}` },
        body: form,
      }).then(async (r) => ({
        status: r.status,
        body: await r.json(),
      }));
    const many = new FormData();
    const vars = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`f${i}`, null]));
    const fields = Object.keys(vars)
      .map((v, i) => `u${i}: uploadFile(file: $${v}) { id }`)
      .join(' ');
    many.append(
      'operations',
      JSON.stringify({
        query: `mutation(${Object.keys(vars)
          .map((v) => `$${v}: Upload!`)
          .join(', ')}) { ${fields} }`,
        variables: vars,
      }),
    );
    many.append(
      'map',
      JSON.stringify(
        Object.fromEntries(Object.keys(vars).map((v, i) => [String(i), [`variables.${v}`]])),
      ),
    );
    for (let i = 0; i < 11; i++) many.append(String(i), new Blob([`file ${i}`]), `f${i}.txt`);
    const tooMany = await post(many);
    expect(tooMany.status).toBe(413);
    expect(tooMany.body.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');

    const big = new FormData();
    big.append(
      'operations',
      JSON.stringify({
        query: 'mutation($file: Upload!) { uploadFile(file: $file) { id } }',
        variables: { file: null },
        pad: 'x'.repeat(1024 * 1024),
      }),
    );
    big.append('map', JSON.stringify({ 0: ['variables.file'] }));
    big.append('0', new Blob(['x']), 'x.txt');
    const bigField = await post(big);
    expect(bigField.status).toBe(413);
    expect(bigField.body.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    expect(listUploads(uploads)).toEqual(before);
  });

  it('refuses an anonymous upload of a large body quickly, without writing it', async () => {
    const before = listUploads(uploads);
    const frame = multipartFrame('big.txt');
    const total = 200 * 1024 * 1024;
    const up = rawUpload(s.url, {
      contentType: frame.contentType,
      contentLength: frame.head.length + total + frame.tail.length,
      headers: { 'x-graphql-yoga-csrf': '1' },
    });
    const started = Date.now();
    await up.write(frame.head);
    const chunk = Buffer.alloc(256 * 1024, 'a');
    let answered: { status: number; body: string; at: number } | undefined;
    void up.response.then(
      (r) => (answered = r),
      () => {},
    );
    for (let sent = 0; sent < total && !answered; sent += chunk.length)
      if (!(await up.write(chunk))) break;
    const res = await up.response;
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(res.at).toBeLessThan(16 * 1024 * 1024);
    expect(Date.now() - started).toBeLessThan(5000);
    up.req.destroy();
    expect(listUploads(uploads)).toEqual(before);
  });

  it('a client cut off half-way leaves nothing: no temporary file, no row', async () => {
    const before = listUploads(uploads);
    const count = async () =>
      (await s.gql('{ files(first: 100) { edges { node { id } } } }', {}, admin)).data.files.edges
        .length;
    const rows = await count();
    const frame = multipartFrame('half.txt');
    const total = 8 * 1024 * 1024;
    const up = rawUpload(s.url, {
      contentType: frame.contentType,
      contentLength: frame.head.length + total + frame.tail.length,
      headers: { 'x-graphql-yoga-csrf': '1', authorization: `Bearer ${admin.token}` },
    });
    await up.write(frame.head);
    const chunk = Buffer.alloc(256 * 1024, 'b');
    for (let sent = 0; sent < total / 2; sent += chunk.length) await up.write(chunk);
    // the temporary file exists while the upload streams
    for (let i = 0; i < 100 && !listUploads(uploads).some((f) => f.startsWith('.tmp-')); i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(listUploads(uploads).some((f) => f.startsWith('.tmp-'))).toBe(true);
    up.req.destroy();
    for (let i = 0; i < 100 && listUploads(uploads).length !== before.length; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(listUploads(uploads)).toEqual(before);
    expect(await count()).toBe(rows);
  });
});

describe('limits', () => {
  const LIMIT = 1024 * 1024;
  let s: TestServer;
  let uploads: string;
  let user: { token: string; userId: string };
  beforeAll(async () => {
    s = await startServer({
      UPLOAD_MAX_BYTES: String(LIMIT),
      UPLOAD_QUOTA_BYTES: String(3 * LIMIT),
      UPLOAD_ALLOWED_TYPES: 'text/*, image/png',
    });
    uploads = path.join(s.config.DATA_DIR, 'uploads');
    user = await s.createUser('uploader');
  });
  afterAll(async () => s.stop());

  it('accepts exactly UPLOAD_MAX_BYTES and refuses one byte more, leaving nothing behind', async () => {
    const exact = await s.upload({ name: 'exact.txt', content: Buffer.alloc(LIMIT, 'x') }, user);
    expect(exact.errors).toBeUndefined();
    expect(exact.data.uploadFile.size).toBe(LIMIT);
    const over = await s.upload({ name: 'over.txt', content: Buffer.alloc(LIMIT + 1, 'x') }, user);
    expect(code(over)).toBe('PAYLOAD_TOO_LARGE');
    expect(over.errors![0]!.message).toContain(String(LIMIT));
    expect(listUploads(uploads)).toEqual([exact.data.uploadFile.id]);
    await s.gql(
      'mutation($id: ID!) { deleteFile(id: $id) }',
      { id: exact.data.uploadFile.id },
      user,
    );
  });

  it('answers PAYLOAD_TOO_LARGE the moment the limit is passed, before the client has sent the rest', async () => {
    const frame = multipartFrame('stream.txt');
    const total = 64 * LIMIT;
    const up = rawUpload(s.url, {
      contentType: frame.contentType,
      contentLength: frame.head.length + total + frame.tail.length,
      headers: { 'x-graphql-yoga-csrf': '1', authorization: `Bearer ${user.token}` },
    });
    await up.write(frame.head);
    const chunk = Buffer.alloc(64 * 1024, 'y');
    for (let sent = 0; sent <= LIMIT; sent += chunk.length) await up.write(chunk);
    // the client now stalls: the answer must not wait for the remaining 63 MiB
    const res = await up.response;
    expect(JSON.parse(res.body).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    expect(res.at).toBeLessThan(2 * LIMIT);
    expect(listUploads(uploads)).toEqual([]);
    up.req.destroy();
  });

  it('refuses a type outside UPLOAD_ALLOWED_TYPES as soon as the content shows it', async () => {
    const html = await s.upload(
      { name: 'x.png', content: '<html>hi</html>', type: 'image/png' },
      user,
    );
    expect(html.data.uploadFile.mimeType).toBe('text/plain'); // text/* is allowed
    const gif = await s.upload(
      {
        name: 'x.png',
        content: Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(1000, 1)]),
        type: 'image/png',
      },
      user,
    );
    expect(code(gif)).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(gif.errors![0]!.message).toContain('image/gif');
    // binary content is refused at its first non-text bytes, long before the end of the body
    const frame = multipartFrame('stream.txt');
    const up = rawUpload(s.url, {
      contentType: frame.contentType,
      contentLength: frame.head.length + 100 * LIMIT + frame.tail.length,
      headers: { 'x-graphql-yoga-csrf': '1', authorization: `Bearer ${user.token}` },
    });
    await up.write(frame.head);
    await up.write(Buffer.alloc(128 * 1024, 0));
    const res = await up.response;
    expect(JSON.parse(res.body).errors[0].extensions.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    up.req.destroy();
    await s.gql(
      'mutation($id: ID!) { deleteFile(id: $id) }',
      { id: html.data.uploadFile.id },
      user,
    );
    expect(listUploads(uploads)).toEqual([]);
  });

  it('enforces the per-user quota while streaming', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await s.upload({ name: `q${i}.txt`, content: Buffer.alloc(LIMIT - 10, 'q') }, user);
      expect(r.errors).toBeUndefined();
      ids.push(r.data.uploadFile.id);
    }
    const over = await s.upload({ name: 'q3.txt', content: Buffer.alloc(100, 'q') }, user);
    expect(code(over)).toBe('PAYLOAD_TOO_LARGE');
    expect(over.errors![0]!.message).toMatch(/quota/);
    expect(listUploads(uploads)).toEqual([...ids].sort());
    // another user has their own quota
    const other = await s.createUser('other-uploader');
    expect((await s.upload({ name: 'o.txt', content: 'fine' }, other)).errors).toBeUndefined();
  });
});
