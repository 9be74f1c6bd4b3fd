// Files: upload through the page with visible progress, then download the same bytes back.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { signedInPage, startE2E, type E2E } from './browser.js';

let e: E2E;
let page: Page;
let problems: string[];

beforeAll(async () => {
  e = await startE2E('commands: []\nlogs: []\n');
  ({ page, problems } = await signedInPage(e));
}, 180_000); // the first file to start may build web/dist
afterAll(() => e?.close());

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** ~2 MB of text that differs line by line, so a shifted or lost block changes the hash. */
function textFile(bytes: number): Buffer {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const l = `${i.toString().padStart(7, '0')} ${createHash('md5').update(String(i)).digest('hex')} ünïcödé\n`;
    lines.push(l);
    size += Buffer.byteLength(l);
  }
  return Buffer.from(lines.join(''));
}

describe('files', () => {
  it('uploads with progress to 100% and downloads the same bytes', async () => {
    const content = textFile(2 * 1024 * 1024);
    const name = 'e2e upload.txt';
    await page.goto('/files');
    await page.getByRole('heading', { level: 1, name: 'Files' }).waitFor();

    // slow the upload down (CDP network throttling: 1 MB/s up) so progress is seen part-way
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: 1024 * 1024,
    });

    // every value the progress bar takes, recorded in the page as it changes
    await page.evaluate(() => {
      const w = globalThis as any;
      w.__progress = [];
      new w.MutationObserver(() => {
        const p = w.document.querySelector('[data-testid="upload-progress"]');
        if (p) w.__progress.push([Number(p.value), Number(p.max)]);
      }).observe(w.document.body, {
        subtree: true,
        childList: true,
        attributes: true,
        attributeFilter: ['value', 'max'],
      });
    });

    await page
      .getByLabel('Choose files to upload')
      .setInputFiles({ name, mimeType: 'text/plain', buffer: content });
    const item = page.getByTestId('upload-item').filter({ hasText: name });
    await item.waitFor();
    await page
      .locator('[data-testid="upload-item"][data-state="done"]')
      .waitFor({ timeout: 30_000 });
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });

    const bar = item.getByTestId('upload-progress');
    const [value, max] = await bar.evaluate((p: any) => [Number(p.value), Number(p.max)]);
    expect(max).toBeGreaterThanOrEqual(content.length); // the whole multipart body
    expect(value).toBe(max);
    expect(await item.textContent()).toContain('Uploaded · 100% of');
    const seen: [number, number][] = await page.evaluate(() => (globalThis as any).__progress);
    const partWay = seen.filter(([v, m]) => v > 0 && v < m);
    expect(partWay.length).toBeGreaterThan(0); // it moved, rather than jumping from 0 to done
    const values = seen.map(([v]) => v);
    expect(values).toEqual([...values].sort((a, b) => a - b)); // never backwards

    // the stored file is listed with the content's hash
    const row = page.getByTestId('file-row').filter({ hasText: name });
    await row.waitFor({ timeout: 10_000 });
    expect(await row.getByTitle('SHA-256').textContent()).toBe(`${sha256(content).slice(0, 12)}…`);
    expect(await row.textContent()).toContain('text/plain');

    // download through the page's own link
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      row.getByRole('link', { name: `Download ${name}` }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(name);
    const got = readFileSync((await download.path())!);
    expect(got.length).toBe(content.length);
    expect(sha256(got)).toBe(sha256(content));

    // and with the browser's cookie but no UI: same bytes, sent as an attachment
    const href = (await row.getByRole('link', { name: `Download ${name}` }).getAttribute('href'))!;
    const res = await page.request.get(href);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-disposition']).toMatch(/^attachment/);
    expect(sha256(await res.body())).toBe(sha256(content));
    expect(problems).toEqual([]);
  }, 60_000);

  it('deletes a file after confirmation', async () => {
    await page.goto('/files');
    const row = page.getByTestId('file-row').filter({ hasText: 'e2e upload.txt' });
    await row.waitFor();
    const href = (await row
      .getByRole('link', { name: 'Download e2e upload.txt' })
      .getAttribute('href'))!;
    await row.getByRole('button', { name: 'Delete e2e upload.txt' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete file' }).click();
    await expect.poll(() => page.getByTestId('file-row').count()).toBe(0);
    expect((await page.request.get(href)).status()).toBe(404);
    expect(problems).toEqual([]);
  }, 30_000);
});
