// JSON logs in the browser: a format: json source shows level, time, message and the field
// columns the user chose (remembered per source), a where box filters by field on the server, and
// a click on a value adds `name=value` to it. Screenshot: test-artifacts/screenshots/logs-json.png.
import { appendFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatLineTime } from '../../web/src/features/logs/log.time.js';
import { screenshot, signedInPage, startE2E, type E2E } from './browser.js';

const AGENT = `
commands: []
logs:
  - name: api
    path: api.log
    roles: [admin]
    format: json
`;
// ten minutes ago, on whole seconds: the page shows a time of today as a bare clock, another day's
// with its date, so the expected text is formatted as the page does (same machine, same zone)
const T0 = Math.floor((Date.now() - 600_000) / 1000) * 1000;
const shown = (i: number) => formatLineTime(new Date(T0 + i * 1000).toISOString());
const pino = (i: number, level: number, msg: string, extra: object) =>
  JSON.stringify({ level, time: T0 + i * 1000, pid: 4242, msg, ...extra });
const LINES = [
  pino(0, 30, 'listening', { port: 5000 }),
  pino(1, 30, 'request done', { status: 200, req: { method: 'GET', url: '/a' } }),
  pino(2, 50, 'upstream failed', { status: 502, req: { method: 'POST', url: '/pay' } }),
  pino(3, 40, 'slow request', { status: 200, req: { method: 'POST', url: '/b' } }),
  pino(4, 50, 'upstream failed', { status: 503, req: { method: 'GET', url: '/c' } }),
];

let e: E2E;
let page: Page;
let problems: string[];
let apiLog: string;

beforeAll(async () => {
  e = await startE2E(AGENT);
  apiLog = path.join(e.server.dir, 'api.log');
  writeFileSync(apiLog, LINES.map((l) => `${l}\n`).join(''));
  ({ page, problems } = await signedInPage(e));
}, 180_000); // the first file to start may build web/dist
afterAll(() => e?.close());

const rows = (p: Page) => p.getByTestId('log-line');
const live = (p: Page) =>
  p.locator('[data-testid="log-status"][data-state="live"]').waitFor({ timeout: 10_000 });
const column = (p: Page, name: string) =>
  rows(p).locator(`[data-field="${name}"]`).allTextContents();

describe('JSON logs', () => {
  it('shows level, time and message, and the field columns the user picks, kept per source', async () => {
    await page.goto('/logs?source=api');
    await live(page);
    await expect.poll(() => rows(page).count()).toBe(LINES.length);
    expect(await rows(page).getByTestId('log-level').allTextContents()).toEqual([
      'INFO',
      'INFO',
      'ERROR',
      'WARN',
      'ERROR',
    ]);
    expect(await rows(page).nth(2).textContent()).toBe(`ERROR${shown(2)}upstream failed`);
    const colour = (i: number) =>
      rows(page)
        .nth(i)
        .getByTestId('log-level')
        .evaluate((el) => getComputedStyle(el).color);
    expect(await colour(2)).toBe('rgb(255, 138, 128)'); // the theme's --terminal-err
    expect(await colour(0)).not.toBe(await colour(2));

    await page.getByText('Columns (0)').click();
    const chooser = page.getByRole('group', { name: 'Fields shown as columns' });
    expect(await chooser.getByRole('checkbox').count()).toBe(5); // pid, port, req.method, req.url, status
    await chooser.getByLabel('status').check();
    await chooser.getByLabel('req.method').check();
    expect(await page.getByTestId('log-column').allTextContents()).toEqual([
      'status',
      'req.method',
    ]);
    expect(await column(page, 'status')).toEqual(['', '200', '502', '200', '503']);
    expect(await column(page, 'req.method')).toEqual(['', 'GET', 'POST', 'POST', 'GET']);

    // remembered for this source across a reload
    await page.reload();
    await live(page);
    await expect
      .poll(() => page.getByTestId('log-column').allTextContents())
      .toEqual(['status', 'req.method']);
    await screenshot(page, 'logs-json', { fullPage: false });
    expect(problems).toEqual([]);
  }, 60_000);

  it('filters by field with the where box, live lines included', async () => {
    await page.goto('/logs?source=api');
    await live(page);
    await page.getByLabel('Where (JSON fields)').fill('status>=500');
    await page.getByRole('button', { name: 'Apply' }).click();
    await live(page);
    await expect.poll(() => column(page, 'status')).toEqual(['502', '503']);
    expect(new URL(page.url()).searchParams.get('where')).toBe('status>=500');

    appendFileSync(
      apiLog,
      `${pino(5, 30, 'fine', { status: 201, req: { method: 'PUT' } })}\n` +
        `${pino(6, 60, 'out of memory', { status: 500, req: { method: 'PUT' } })}\n`,
    );
    await rows(page).filter({ hasText: 'out of memory' }).waitFor({ timeout: 10_000 });
    expect(await column(page, 'status')).toEqual(['502', '503', '500']);
    expect(await rows(page).last().getByTestId('log-level').textContent()).toBe('FATAL');

    // a bad where is refused by the server with a message that points at it
    await page.getByLabel('Where (JSON fields)').fill('status>=');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page
      .locator('[data-testid="log-status"][data-state="failed"]')
      .filter({ hasText: 'expected a value after "status>="' })
      .waitFor({ timeout: 10_000 });
    problems.length = 0; // the refused request is reported on the console
  }, 60_000);

  it('a click on a value adds name=value to the where box and applies it', async () => {
    await page.goto('/logs?source=api');
    await live(page);
    await expect.poll(() => rows(page).count()).toBe(LINES.length + 2);
    await rows(page).nth(2).locator('[data-field="req.method"]').getByRole('button').click();
    await expect
      .poll(() => page.getByLabel('Where (JSON fields)').inputValue())
      .toBe('req.method=POST');
    await live(page);
    await expect.poll(() => column(page, 'req.method')).toEqual(['POST', 'POST']);
    await rows(page).nth(0).locator('[data-field="status"]').getByRole('button').click();
    await expect
      .poll(() => page.getByLabel('Where (JSON fields)').inputValue())
      .toBe('req.method=POST status=502');
    await expect
      .poll(() => rows(page).allTextContents())
      .toEqual([`ERROR${shown(2)}upstream failed502POST`]);
    expect(problems).toEqual([]);
  }, 60_000);
});
