// How log lines look: ANSI colour codes are drawn as colours (never shown raw), the applied
// filter's matches are marked (plain text and /regex/i), and the view holds up in light, dark
// and on a 390 px phone. Screenshots: test-artifacts/screenshots/logs-*.png.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, signIn, signedInPage, startE2E, type E2E } from './browser.js';

const AGENT = `
commands: []
logs:
  - name: app
    path: app.log
    roles: [admin]
`;
const ESC = '\x1b';
const LINES = [
  '2026-12-06 20:01:02 INFO  server listening on 127.0.0.1:5000',
  `2026-12-06 20:01:03 ${ESC}[32mINFO${ESC}[0m  worker ${ESC}[1mpool-1${ESC}[0m started (4 threads)`,
  '2026-12-06 20:01:04 DEBUG cache warmed: 1,204 keys',
  `2026-12-06 20:01:05 ${ESC}[33mWARN${ESC}[0m  slow request: timeout 30 ms on /api/runs`,
  `${ESC}[31mERROR${ESC}[0m disk ${ESC}[1;32mfull${ESC}[0m on sda1`,
  JSON.stringify({ time: '2026-12-06T20:01:07Z', level: 'error', msg: 'payment failed', id: 42 }),
  '2026-12-06 20:01:08 INFO  Timeout 12 reached, retrying',
  `2026-12-06 20:01:09 ${ESC}[36mINFO${ESC}[0m  ${ESC}[38;5;208mdeploy${ESC}[0m finished in 3.2 s`,
  '2026-12-06 20:01:10 INFO  disk usage 71% on /var',
];

let e: E2E;
let page: Page;
let problems: string[];

beforeAll(async () => {
  e = await startE2E(AGENT);
  writeFileSync(path.join(e.server.dir, 'app.log'), LINES.map((l) => `${l}\n`).join(''));
  ({ page, problems } = await signedInPage(e));
}, 180_000); // the first file to start may build web/dist
afterAll(() => e?.close());

const line = (p: Page, text: string) => p.getByTestId('log-line').filter({ hasText: text });

async function openApp(p: Page, query = '') {
  await p.goto(`/logs?source=app${query}`);
  await p.locator('[data-testid="log-status"][data-state="live"]').waitFor({ timeout: 10_000 });
}

const colour = (p: Page, rowText: string, spanText: string) =>
  line(p, rowText)
    .locator('span, mark')
    .filter({ hasText: new RegExp(`^${spanText}$`) })
    .evaluate((el) => {
      const s = getComputedStyle(el);
      return { color: s.color, weight: s.fontWeight };
    });

async function filterBy(p: Page, filter: string) {
  await p.getByLabel('Filter (on the server)').fill(filter);
  await p.getByRole('button', { name: 'Apply' }).click();
  await p.locator('[data-testid="log-status"][data-state="live"]').waitFor({ timeout: 10_000 });
}

const marks = (p: Page) => p.getByTestId('log-view').locator('mark').allTextContents();

describe('log rendering', () => {
  it('draws ANSI colour codes as colours and never shows them raw', async () => {
    await openApp(page);
    await expect.poll(() => page.getByTestId('log-line').count()).toBe(LINES.length);
    expect(await line(page, 'on sda1').textContent()).toBe('ERROR disk full on sda1');
    const texts = await page.getByTestId('log-line').allTextContents();
    expect(texts.filter((t) => t.includes(ESC) || /\[\d+(;\d+)*m/.test(t))).toEqual([]);
    // --ansi-1 and --ansi-2 of the theme; bold from SGR 1
    expect(await colour(page, 'on sda1', 'ERROR')).toEqual({
      color: 'rgb(255, 107, 107)',
      weight: '400',
    });
    expect(await colour(page, 'on sda1', 'full')).toEqual({
      color: 'rgb(123, 216, 143)',
      weight: '700',
    });
    expect(await colour(page, 'deploy', 'deploy')).toEqual({
      color: 'rgb(255, 135, 0)', // palette 208
      weight: '400',
    });
    expect(await line(page, 'on sda1').getAttribute('data-level')).toBe('error');
    expect(await line(page, 'slow request').getAttribute('data-level')).toBe('warn');
    await screenshot(page, 'logs-live', { fullPage: false });
    expect(problems).toEqual([]);
  }, 60_000);

  it('marks the matches of a plain filter and of a /regex/i filter', async () => {
    await openApp(page);
    await filterBy(page, 'disk');
    await expect.poll(() => page.getByTestId('log-line').count()).toBe(2);
    await expect.poll(() => marks(page)).toEqual(['disk', 'disk']);
    expect(await line(page, 'on sda1').textContent()).toBe('ERROR disk full on sda1');

    await filterBy(page, '/time(out)? \\d+/i');
    await expect.poll(() => page.getByTestId('log-line').count()).toBe(2);
    await expect.poll(() => marks(page)).toEqual(['timeout 30', 'Timeout 12']);
    await screenshot(page, 'logs-filter', { fullPage: false });
    expect(problems).toEqual([]);
  }, 60_000);

  it('looks right in dark and on a 390 px phone, with nothing scrolling sideways', async () => {
    const dark = await e.context({ colorScheme: 'dark' });
    const darkPage = await dark.newPage();
    await signIn(darkPage);
    await openApp(darkPage);
    await expect.poll(() => darkPage.getByTestId('log-line').count()).toBe(LINES.length);
    await screenshot(darkPage, 'logs-dark', { fullPage: false });
    expect(dark.problems).toEqual([]);

    const phone = await e.context({ viewport: { width: 390, height: 844 }, isMobile: true });
    const phonePage = await phone.newPage();
    await signIn(phonePage);
    await openApp(phonePage, '&filter=disk');
    await expect.poll(() => phonePage.getByTestId('log-line').count()).toBe(2);
    await expect.poll(() => marks(phonePage)).toEqual(['disk', 'disk']);
    expect(
      await phonePage.evaluate(() => document.documentElement.scrollWidth),
    ).toBeLessThanOrEqual(390);
    await screenshot(phonePage, 'logs-phone');
    expect(phone.problems).toEqual([]);
  }, 60_000);
});
