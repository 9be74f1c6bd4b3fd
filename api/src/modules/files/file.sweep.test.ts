import { mkdtempSync, rmSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, expect, it } from 'vitest';
import { createApp } from '../../app.js';
import { loadConfig } from '../../config/config.js';
import { gqlAt } from '../../test/harness.js';
import { listUploads, multipartFrame } from '../../test/file.testkit.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tiny-agent-sweep-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('a restart removes what a crash left (temporary files, recent rowless files) and finishes interrupted processing', async () => {
  // an AI endpoint that stalls until told otherwise, so processing is caught mid-way by the stop
  let stall = true;
  const ai = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (stall) return;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          choices: [
            { index: 0, message: { role: 'assistant', content: 'resumed' }, finish_reason: 'stop' },
          ],
        }),
      );
    });
  });
  await new Promise<void>((r) => ai.listen(0, '127.0.0.1', r));
  writeFileSync(path.join(dir, 'agent.yaml'), 'commands: []\nlogs: []\n');
  const config = loadConfig({
    PORT: '0',
    DATA_DIR: path.join(dir, 'data'),
    LOGS_DIR: path.join(dir, 'logs'),
    AGENT_CONFIG: path.join(dir, 'agent.yaml'),
    ADMIN_PASSWORD: 'admin-password-1',
    AI_BASE_URL: `http://127.0.0.1:${(ai.address() as AddressInfo).port}`,
    AI_MODEL: 'm',
  });
  const uploads = path.join(config.DATA_DIR, 'uploads');

  const first = await createApp(config);
  const { url } = await first.start();
  const login = await gqlAt(
    url,
    'mutation { login(username: "admin", password: "admin-password-1") { token } }',
  );
  const token = login.data.login.token;
  const frame = multipartFrame('kept.txt', 'text/plain');
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': frame.contentType,
      'x-graphql-yoga-csrf': '1',
      authorization: `Bearer ${token}`,
    },
    body: Buffer.concat([frame.head, Buffer.from('kept'), frame.tail]),
  }).then((r) => r.json());
  const kept = res.data.uploadFile.id;
  const row = async () =>
    (
      await gqlAt(
        url,
        `query($id: ID!) { file(id: $id) { processingStatus } }`,
        { id: kept },
        { token },
      )
    ).data.file;
  for (let i = 0; i < 100 && (await row()).processingStatus !== 'RUNNING'; i++)
    await new Promise((r) => setTimeout(r, 20));
  expect((await row()).processingStatus).toBe('RUNNING');
  await first.stop();

  // what a crash mid-upload, or between rename and insert, leaves behind
  const tmp = path.join(uploads, '.tmp-11111111-1111-4111-8111-111111111111');
  const recentOrphan = path.join(uploads, '22222222-2222-4222-8222-222222222222');
  const oldOrphan = path.join(uploads, '33333333-3333-4333-8333-333333333333');
  // what another instance sharing the folder is writing right now: not leftovers
  const liveTmp = path.join(uploads, '.tmp-44444444-4444-4444-8444-444444444444');
  const liveRenamed = path.join(uploads, '55555555-5555-4555-8555-555555555555');
  for (const f of [tmp, recentOrphan, oldOrphan, liveTmp, liveRenamed])
    writeFileSync(f, 'left over');
  const twoDaysAgo = new Date(Date.now() - 2 * 86400_000);
  const tenMinutesAgo = new Date(Date.now() - 600_000);
  utimesSync(oldOrphan, twoDaysAgo, twoDaysAgo);
  utimesSync(tmp, twoDaysAgo, twoDaysAgo);
  utimesSync(recentOrphan, tenMinutesAgo, tenMinutesAgo);

  stall = false;
  const second = await createApp(config);
  try {
    const { url: url2 } = await second.start();
    expect(existsSync(tmp)).toBe(false);
    expect(existsSync(recentOrphan)).toBe(false);
    // an old file without a row is more likely another database's: reported, not destroyed
    expect(existsSync(oldOrphan)).toBe(true);
    expect(listUploads(uploads)).toEqual(
      [kept, ...[oldOrphan, liveTmp, liveRenamed].map((f) => path.basename(f))].sort(),
    );
    const token2 = (
      await gqlAt(
        url2,
        'mutation { login(username: "admin", password: "admin-password-1") { token } }',
      )
    ).data.login.token;
    let file: any;
    for (let i = 0; i < 200; i++) {
      file = (
        await gqlAt(
          url2,
          `query($id: ID!) { file(id: $id) { processingStatus processingResult } }`,
          { id: kept },
          { token: token2 },
        )
      ).data.file;
      if (file.processingStatus === 'DONE') break;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(file.processingStatus).toBe('DONE');
    expect(JSON.parse(file.processingResult).summary).toBe('resumed');
  } finally {
    await second.stop();
    ai.closeAllConnections();
    ai.close();
  }
});
