// The log view pages back: scrolling to the top of a 10,000-line log loads older lines through
// logLines(before:) until the file's first line, the view does not jump as pages arrive, and the
// live tail keeps flowing meanwhile (a "new lines" button instead of a yank). "Backfill lines" +
// Apply starts the view again with that many lines.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, signedInPage, startE2E, viewLines, type E2E } from './browser.js';

const AGENT = `
commands: []
logs:
  - name: big
    path: big.log
    roles: [admin]
`;
const TOTAL = 10_000;
const label = (i: number) => `L${String(i).padStart(5, '0')}`;
const fileLine = (i: number) => `${label(i)} INFO request served in ${i % 97} ms`;

let e: E2E;
let page: Page;
let problems: string[];
let bigLog: string;

beforeAll(async () => {
  e = await startE2E(AGENT);
  bigLog = path.join(e.server.dir, 'big.log');
  const lines = Array.from({ length: TOTAL }, (_, i) => `${fileLine(i + 1)}\n`);
  writeFileSync(bigLog, lines.join(''));
  ({ page, problems } = await signedInPage(e));
}, 180_000); // the first file to start may build web/dist
afterAll(() => e?.close());

const view = () => page.getByTestId('log-view');
const count = () => view().getAttribute('data-line-count').then(Number);
const line = (text: string) => page.getByTestId('log-line').filter({ hasText: text });

/** The text of the row 30 px below the log view's top edge (below the "older lines" row). */
const topRow = () =>
  view().evaluate((v: HTMLElement) => {
    const r = v.getBoundingClientRect();
    const el = document.elementFromPoint(r.left + 40, r.top + 30);
    return el?.closest('[data-testid="log-line"]')?.textContent ?? null;
  });

async function open(expected: number) {
  await page.goto('/logs?source=big');
  await page.locator('[data-testid="log-status"][data-state="live"]').waitFor({ timeout: 10_000 });
  await expect.poll(count, { timeout: 10_000 }).toBe(expected);
}

describe('log scroll-back', () => {
  it('scrolls a 10,000-line log back to its first line while lines are appended', async () => {
    await open(200); // the default backfill
    let appended = 0;
    const writer = setInterval(() => appendFileSync(bigLog, `appended ${++appended}\n`), 40);
    try {
      await line('appended 3').waitFor({ timeout: 10_000 });

      // one page first: the row at the top stays at the top while older lines arrive above it
      await view().evaluate((v: HTMLElement) => (v.scrollTop = 0));
      await expect.poll(topRow).toBe(fileLine(TOTAL - 199));
      await expect.poll(count).toBeGreaterThan(1200);
      expect(await topRow()).toBe(fileLine(TOTAL - 199));
      expect(await view().getAttribute('data-following')).toBe('false');

      // then to the very top, a page at a time
      await expect
        .poll(
          async () => {
            await view().evaluate((v: HTMLElement) => (v.scrollTop = 0));
            return line(fileLine(1)).count();
          },
          { timeout: 60_000, interval: 200 },
        )
        .toBe(1);
      await page.getByText('Start of the file').waitFor();
      expect(await topRow()).toBe(fileLine(1));
      await screenshot(page, 'logs-scrolled-back', { fullPage: false });

      // the tail kept flowing below without pulling the view down
      const seen = appended;
      await expect.poll(() => count()).toBeGreaterThanOrEqual(TOTAL + seen);
      expect(await topRow()).toBe(fileLine(1));
      const jump = page.getByRole('button', { name: /new lines? ↓/ });
      await expect.poll(() => jump.textContent()).toMatch(/^[1-9][\d,]* new lines? ↓$/);
    } finally {
      clearInterval(writer);
    }
    await line(`appended ${appended}`).count(); // settles the last write's number
    await page.getByRole('button', { name: /new lines? ↓/ }).click();
    await line(`appended ${appended}`).waitFor({ timeout: 10_000 });
    expect(await view().getAttribute('data-following')).toBe('true');

    // every line once, in order: the whole file, then everything appended
    const want = [
      ...Array.from({ length: TOTAL }, (_, i) => fileLine(i + 1)),
      ...Array.from({ length: appended }, (_, i) => `appended ${i + 1}`),
    ];
    await expect.poll(count).toBe(want.length);
    // read at 5x the height: viewLines scrolls a screenful per two frames, 10,000 lines are many
    await page.setViewportSize({ width: 1280, height: 4000 });
    expect(await viewLines(page, 'log-view')).toEqual(want);
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(problems).toEqual([]);
  }, 180_000);

  it('"Backfill lines" + Apply starts the view again with that many lines', async () => {
    await open(200);
    await page.getByLabel('Backfill lines').fill('1500');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(count, { timeout: 10_000 }).toBe(1500);
    // the newest 1500: the view follows the end, where the file's last line is
    const last = readFileSync(bigLog, 'utf8').trimEnd().split('\n').at(-1);
    expect(await page.getByTestId('log-line').last().textContent()).toBe(last);
    expect(await view().getAttribute('data-following')).toBe('true');

    await page.getByLabel('Backfill lines').fill('0');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(count, { timeout: 10_000 }).toBe(0);
    // the new stream may not be live yet when Apply returns: append until one line arrives, then
    // every line shown must be one of those (backfill 0 showed nothing older)
    let n = 0;
    const writer = setInterval(() => appendFileSync(bigLog, `after backfill 0 #${++n}\n`), 200);
    try {
      await expect.poll(count, { timeout: 10_000 }).toBeGreaterThan(0);
    } finally {
      clearInterval(writer);
    }
    const shown = await page.getByTestId('log-line').allTextContents();
    expect(
      shown.every((t) => t.startsWith('after backfill 0 #')),
      shown.join('\n'),
    ).toBe(true);
    expect(problems).toEqual([]);
  }, 60_000);
});
