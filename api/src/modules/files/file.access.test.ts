import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../test/harness.js';
import { listUploads } from '../../test/file.testkit.js';
import path from 'node:path';

const code = (r: { errors?: { extensions?: { code?: string } }[] }) =>
  r.errors?.[0]?.extensions?.code;
const FILE = `query($id: ID!) { file(id: $id) { id name uploadedBy { username } } }`;
const FILES = `query($first: Int, $after: String) { files(first: $first, after: $after) { edges { cursor node { id name } } pageInfo { hasNextPage endCursor } } }`;
const DELETE = `mutation($id: ID!) { deleteFile(id: $id) }`;

let s: TestServer;
let admin: { token: string; cookie: string };
let alice: { token: string; cookie: string; userId: string };
let bob: { token: string; cookie: string; userId: string };
let aliceFile: string;
const content = Buffer.from('0123456789abcdefghijklmnopqrstuvwxyz\n'.repeat(1000));

beforeAll(async () => {
  s = await startServer();
  admin = await s.login();
  alice = await s.createUser('alice');
  bob = await s.createUser('bob');
  aliceFile = (await s.upload({ name: 'alice-secret.txt', content }, alice)).data.uploadFile.id;
});
afterAll(async () => s.stop());

const get = (id: string, headers: Record<string, string> = {}, method = 'GET') =>
  fetch(`${s.url}/files/${id}`, { method, headers });
const bearer = (who: { token: string }) => ({ authorization: `Bearer ${who.token}` });

describe('who sees what', () => {
  it("another user's file is NOT_FOUND in GraphQL, exactly like a missing one", async () => {
    const foreign = await s.gql(FILE, { id: aliceFile }, bob);
    const missing = await s.gql(FILE, { id: '00000000-0000-4000-8000-000000000000' }, bob);
    const junk = await s.gql(FILE, { id: '../../etc/passwd' }, bob);
    for (const r of [foreign, missing, junk]) {
      expect(code(r)).toBe('NOT_FOUND');
      expect(r.errors![0]!.message).toBe(foreign.errors![0]!.message);
    }
    expect(code(await s.gql(DELETE, { id: aliceFile }, bob))).toBe('NOT_FOUND');
    expect((await s.gql(FILES, {}, bob)).data.files.edges).toEqual([]);
    // still there for its owner and the admin
    expect((await s.gql(FILE, { id: aliceFile }, alice)).data.file).toMatchObject({
      name: 'alice-secret.txt',
      uploadedBy: { username: 'alice' },
    });
    expect((await s.gql(FILE, { id: aliceFile }, admin)).data.file.id).toBe(aliceFile);
  });

  it("another user's file is 404 over HTTP, byte for byte like a missing one", async () => {
    const foreign = await get(aliceFile, bearer(bob));
    const missing = await get('00000000-0000-4000-8000-000000000000', bearer(bob));
    expect(foreign.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(await foreign.text()).toBe(await missing.text());
    expect((await get(aliceFile, { cookie: bob.cookie })).status).toBe(404);
    expect((await get(aliceFile)).status).toBe(401);
    expect((await get('..%2F..%2Fetc%2Fpasswd', bearer(admin))).status).toBe(404);
  });

  it('the owner downloads with a cookie or a token; the admin too', async () => {
    for (const headers of [{ cookie: alice.cookie }, bearer(alice), bearer(admin)]) {
      const res = await get(aliceFile, headers);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition')).toBe(
        `attachment; filename="alice-secret.txt"; filename*=UTF-8''alice-secret.txt`,
      );
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toBe(
        "default-src 'none'; sandbox; frame-ancestors 'none'",
      );
      expect(Buffer.from(await res.arrayBuffer()).equals(content)).toBe(true);
    }
  });

  it('USER lists their own files, ADMIN everything, newest first with cursor paging', async () => {
    const ids = [aliceFile];
    for (let i = 0; i < 4; i++)
      ids.push((await s.upload({ name: `a${i}.txt`, content: `${i}` }, alice)).data.uploadFile.id);
    const bobs = (await s.upload({ name: 'b.txt', content: 'b' }, bob)).data.uploadFile.id;
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = (await s.gql(FILES, { first: 2, after }, alice)).data.files;
      seen.push(...page.edges.map((e: any) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual([...ids].reverse());
    const all = (await s.gql(FILES, { first: 100 }, admin)).data.files.edges.map(
      (e: any) => e.node.id,
    );
    expect(all).toEqual([bobs, ...[...ids].reverse()]);
    expect(code(await s.gql(FILES, { after: 'not-a-cursor' }, alice))).toBe('BAD_USER_INPUT');
  });

  it('the owner or an admin deletes: row and bytes go', async () => {
    const mine = (await s.upload({ name: 'gone.txt', content: 'bye' }, bob)).data.uploadFile.id;
    const other = (await s.upload({ name: 'gone2.txt', content: 'bye' }, bob)).data.uploadFile.id;
    const uploads = path.join(s.config.DATA_DIR, 'uploads');
    expect((await s.gql(DELETE, { id: mine }, bob)).data.deleteFile).toBe(true);
    expect((await s.gql(DELETE, { id: other }, admin)).data.deleteFile).toBe(true);
    expect(listUploads(uploads)).not.toContain(mine);
    expect(listUploads(uploads)).not.toContain(other);
    expect((await get(mine, bearer(bob))).status).toBe(404);
    expect(code(await s.gql(FILE, { id: mine }, bob))).toBe('NOT_FOUND');
  });
});

describe('deleting a user', () => {
  it("removes the user's stored bytes with their rows, and no one else's", async () => {
    const carol = await s.createUser('carol');
    const hers = await Promise.all(
      [1, 2].map(
        async (i) =>
          (await s.upload({ name: `c${i}.txt`, content: `carol ${i}` }, carol)).data.uploadFile.id,
      ),
    );
    const uploads = path.join(s.config.DATA_DIR, 'uploads');
    const others = listUploads(uploads).filter((f) => !hers.includes(f));
    expect(listUploads(uploads)).toEqual(expect.arrayContaining(hers));
    expect(
      (await s.gql(`mutation($id: ID!) { deleteUser(id: $id) }`, { id: carol.userId }, admin)).data
        .deleteUser,
    ).toBe(true);
    for (let i = 0; i < 100 && listUploads(uploads).some((f) => hers.includes(f)); i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(listUploads(uploads)).toEqual(others);
    // disabling is not deleting: bytes stay
    const dave = await s.createUser('dave');
    const his = (await s.upload({ name: 'd.txt', content: 'dave' }, dave)).data.uploadFile.id;
    await s.gql(
      `mutation($id: ID!) { updateUser(id: $id, disabled: true) { id } }`,
      { id: dave.userId },
      admin,
    );
    await new Promise((r) => setTimeout(r, 200));
    expect(listUploads(uploads)).toContain(his);
  });
});

describe('ranges', () => {
  it('serves one range with 206, a suffix range, HEAD, and 416 past the end', async () => {
    const part = await get(aliceFile, { ...bearer(alice), range: 'bytes=10-19' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 10-19/${content.length}`);
    expect(await part.text()).toBe(content.subarray(10, 20).toString());
    const tail = await get(aliceFile, { ...bearer(alice), range: 'bytes=-5' });
    expect(await tail.text()).toBe(content.subarray(content.length - 5).toString());
    const open = await get(aliceFile, { ...bearer(alice), range: `bytes=${content.length - 3}-` });
    expect(await open.text()).toBe(content.subarray(content.length - 3).toString());
    const past = await get(aliceFile, { ...bearer(alice), range: `bytes=${content.length}-` });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe(`bytes */${content.length}`);
    const several = await get(aliceFile, { ...bearer(alice), range: 'bytes=0-1,5-6' });
    expect(several.status).toBe(200);
    expect((await several.arrayBuffer()).byteLength).toBe(content.length);
    const head = await get(aliceFile, bearer(alice), 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(content.length));
    expect(head.headers.get('accept-ranges')).toBe('bytes');
    // a stale If-Range gets the whole file
    const stale = await get(aliceFile, {
      ...bearer(alice),
      range: 'bytes=0-0',
      'if-range': '"other"',
    });
    expect(stale.status).toBe(200);
    const sha = createHash('sha256').update(content).digest('hex');
    const fresh = await get(aliceFile, {
      ...bearer(alice),
      range: 'bytes=0-0',
      'if-range': `"${sha}"`,
    });
    expect(fresh.status).toBe(206);
  });
});
