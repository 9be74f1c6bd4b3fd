// Paging back across rotations in the log view: the view scrolls from the current file into the
// rotated ones (app.log.1, app.log.2.gz, made by real logrotate) and draws "— app.log.1 —" where
// each file begins.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLogrotate } from '../../api/src/test/log.testkit.js';
import { screenshot, signedInPage, startE2E, viewLines, type E2E } from './browser.js';

const AGENT = `
commands: []
logs:
  - name: app
    path: app.log
    roles: [admin]
`;
const PER_FILE = 150;
const text = (part: number, i: number) => `P${part}-${String(i).padStart(3, '0')} GET /health 200`;

let e: E2E;
let page: Page;
let problems: string[];

beforeAll(async () => {
  e = await startE2E(AGENT);
  const log = path.join(e.server.dir, 'app.log');
  const config = path.join(e.server.dir, 'app.logrotate.conf');
  writeFileSync(config, `${log} {\n  create\n  rotate 5\n  compress\n  delaycompress\n}\n`);
  for (let part = 0; part < 3; part++) {
    const lines = Array.from({ length: PER_FILE }, (_, i) => `${text(part, i + 1)}\n`);
    writeFileSync(log, lines.join(''));
    if (part < 2) await runLogrotate(config, path.join(e.server.dir, 'app.state'));
  }
  ({ page, problems } = await signedInPage(e));
}, 180_000); // the first file to start may build web/dist
afterAll(() => e?.close());

const view = () => page.getByTestId('log-view');
const count = () => view().getAttribute('data-line-count').then(Number);
const row = (t: string) => page.getByTestId('log-line').filter({ hasText: t });

/** Scrolls row `index` (0-based, oldest first) into the middle of the view; returns its element. */
async function rowAt(index: number, t: string) {
  await view().evaluate((v: HTMLElement, i) => {
    v.scrollTop = Math.max(0, i * 20 - v.clientHeight / 2);
    v.dispatchEvent(new Event('scroll'));
  }, index);
  await row(t).waitFor();
  return row(t);
}

describe('log history in the view', () => {
  it('pages back across two rotations and marks where each file begins', async () => {
    await page.goto('/logs?source=app');
    await page
      .locator('[data-testid="log-status"][data-state="live"]')
      .waitFor({ timeout: 10_000 });
    await expect.poll(count, { timeout: 10_000 }).toBe(200); // the default backfill
    await expect
      .poll(
        async () => {
          await view().evaluate((v: HTMLElement) => (v.scrollTop = 0));
          return count();
        },
        { timeout: 30_000, interval: 200 },
      )
      .toBe(3 * PER_FILE);
    await page.getByText('Start of the file').waitFor();

    const all = [0, 1, 2].flatMap((part) =>
      Array.from({ length: PER_FILE }, (_, i) => text(part, i + 1)),
    );
    expect(await viewLines(page, 'log-view')).toEqual(all); // the divider is not part of a line

    const first1 = await rowAt(PER_FILE, text(1, 1));
    expect(await first1.getAttribute('data-file-start')).toBe('app.log.1');
    const drawn = await first1.evaluate((el) => getComputedStyle(el, '::after').content);
    expect(drawn).toBe('"— app.log.1 —"');
    await screenshot(page, 'logs-history-divider', { fullPage: false });
    const first2 = await rowAt(2 * PER_FILE, text(2, 1));
    expect(await first2.getAttribute('data-file-start')).toBe('app.log');
    // only where a file begins
    const second = await rowAt(PER_FILE + 1, text(1, 2));
    expect(await second.getAttribute('data-file-start')).toBeNull();
    expect(problems).toEqual([]);
  }, 120_000);
});
