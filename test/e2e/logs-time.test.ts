// The logs page's time controls: each line's time in its gutter, a time range (from/to) that
// shows only its lines, jumping to a time, and downloading the range as a text file. The browser
// runs in another zone than UTC, so its local times must be converted both ways.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startE2E, viewLines, type E2E } from './browser.js';

const AGENT = `
commands: []
logs:
  - name: app
    path: app.log
    roles: [admin, user]
`;
const T0 = Date.UTC(2026, 10, 1, 0, 0, 0);
const at = (minute: number) => new Date(T0 + minute * 60_000).toISOString();
const lineOf = (minute: number) => `${at(minute)} INFO job ${minute}`;
const N = 3000;
// Asia/Kolkata: UTC+05:30 all year, so the page's local times differ from the file's
const ZONE = 'Asia/Kolkata';
const local = (minute: number) =>
  new Date(T0 + minute * 60_000 + 330 * 60_000).toISOString().slice(0, 19);

let e: E2E;
let page: Page;
let problems: string[];

beforeAll(async () => {
  e = await startE2E(AGENT);
  const parts: string[] = [];
  for (let i = 0; i < N; i++) {
    parts.push(`${lineOf(i)}\n`);
    if (i === 1001) parts.push('  at stack frame of 1001\n');
  }
  writeFileSync(path.join(e.server.dir, 'app.log'), parts.join(''));
  const ctx = await e.context({ timezoneId: ZONE });
  problems = ctx.problems;
  page = await ctx.newPage();
  await signIn(page);
}, 180_000); // the first file to start may build web/dist
afterAll(() => e?.close());

const count = () => page.getByTestId('log-view').getAttribute('data-line-count').then(Number);
const row = (text: string) => page.getByTestId('log-line').filter({ hasText: text });

describe('logs page times', () => {
  it('shows each timed line’s local time in its gutter', async () => {
    await page.goto('/logs?source=app');
    await page
      .locator('[data-testid="log-status"][data-state="live"]')
      .waitFor({ timeout: 10_000 });
    const last = row(lineOf(N - 1));
    await last.waitFor();
    // 2026-11-03 01:59 UTC is 07:29 in Kolkata (a past year's time also shows its year); the
    // row's own text is unchanged
    expect(await last.getAttribute('data-time')).toMatch(/^(2026 )?Nov 3 07:29:00\.000$/);
    expect(await last.textContent()).toBe(lineOf(N - 1));
    const gutter = await last.evaluate((el) => getComputedStyle(el, '::before').content);
    expect(gutter).toMatch(/^"(2026 )?Nov 3 07:29:00\.000"$/);
  });

  it('shows only the lines of a time range, with the untimed line that belongs to one', async () => {
    await page.getByLabel('From', { exact: true }).fill(local(1000));
    await page.getByLabel('To', { exact: true }).fill(local(1004));
    await page.getByRole('button', { name: 'Show range' }).click();
    await page.locator('[data-testid="log-status"][data-state="range"]').waitFor();
    await expect.poll(count).toBe(5);
    expect(await viewLines(page, 'log-view')).toEqual([
      lineOf(1000),
      lineOf(1001),
      '  at stack frame of 1001',
      lineOf(1002),
      lineOf(1003),
    ]);
    const url = new URL(page.url());
    expect(url.searchParams.get('since')).toBe(at(1000));
    expect(url.searchParams.get('until')).toBe(at(1004));

    // the download link carries the same range; fetched with the page's cookie, it has the same lines
    const href = await page.getByTestId('log-download').getAttribute('href');
    expect(href).toBe(
      `/logs/app/lines.txt?since=${encodeURIComponent(at(1000))}&until=${encodeURIComponent(at(1004))}`,
    );
    const download = await page.request.get(href!);
    expect(download.status()).toBe(200);
    expect(download.headers()['content-disposition']).toMatch(/attachment; filename="app-/);
    expect(await download.text()).toBe(
      `${lineOf(1000)}\n${lineOf(1001)}\n  at stack frame of 1001\n${lineOf(1002)}\n${lineOf(1003)}\n`,
    );

    // a reload keeps the range; Clear range goes back to the live tail
    await page.reload();
    await page.locator('[data-testid="log-status"][data-state="range"]').waitFor();
    await expect.poll(count).toBe(5);
    // Chromium leaves out whole seconds of a datetime-local value
    expect(await page.getByLabel('From', { exact: true }).inputValue()).toBe(
      local(1000).replace(/:00$/, ''),
    );
    await page.getByRole('button', { name: 'Clear range' }).click();
    await page.locator('[data-testid="log-status"][data-state="live"]').waitFor();
    await row(lineOf(N - 1)).waitFor();
  });

  it('jumps to a time: the page starts there, newer pages load, older ones scroll in', async () => {
    await page.getByLabel('Jump to', { exact: true }).fill(local(500));
    await page.getByRole('button', { name: 'Jump', exact: true }).click();
    // the jump's line is in view, though older lines scroll in above it
    const inView = async (text: string) => {
      const r = await row(text).boundingBox();
      const v = await page.getByTestId('log-view').boundingBox();
      return !!r && !!v && r.y >= v.y && r.y + r.height <= v.y + v.height;
    };
    await expect.poll(() => inView(lineOf(500)), { timeout: 10_000 }).toBe(true);
    // the page holds lines from the jump on; Load newer reads on to the file's end, then live
    await page.getByRole('button', { name: 'Load newer lines' }).click();
    await page.getByRole('button', { name: 'Load newer lines' }).click();
    await page
      .locator('[data-testid="log-status"][data-state="live"]')
      .waitFor({ timeout: 10_000 });
    await expect.poll(count).toBeGreaterThanOrEqual(N - 500 + 1);
    const lines = await viewLines(page, 'log-view');
    expect(lines.at(-1)).toBe(lineOf(N - 1));
    expect(new Set(lines).size).toBe(lines.length); // nothing twice
    expect(problems).toEqual([]);
  });
});
