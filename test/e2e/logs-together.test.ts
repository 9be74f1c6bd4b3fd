// The logs page with every part of issue 21 at once, as merged: the time gutter beside file
// dividers, JSON columns with the server's time (once, in its column), the merged view with times,
// a time range, the Download link, and a phone. The browser runs in Asia/Kolkata (UTC+05:30), so
// a time shown in UTC would be caught. Screenshots: test-artifacts/screenshots/logs-together-*.png.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLogrotate } from '../../api/src/test/log.testkit.js';
import { screenshot, signIn, startE2E, type E2E } from './browser.js';

const AGENT = `
commands: []
logs:
  - name: app
    path: app.log
    roles: [admin]
  - name: api
    path: api.log
    roles: [admin]
    format: json
  - name: web
    path: web.log
    roles: [admin]
`;
const ZONE = 'Asia/Kolkata';
const T0 = Date.UTC(2026, 10, 1, 9, 30, 0); // 2026-11-01 09:30 UTC is 15:00 in Kolkata
const iso = (s: number) => new Date(T0 + s * 1000).toISOString();
/** The gutter's text for second `s`: Kolkata's clock, the day in front (and the year, another year). */
const shown = (s: number) => {
  const d = new Date(T0 + s * 1000 + 330 * 60_000);
  const clock = d.toISOString().slice(11, 23);
  return new RegExp(`^(\\d{4} )?Nov 1 ${clock.replace(/\./g, '\\.')}$`);
};
const text = (s: number, what: string) => `${iso(s)} INFO ${what}`;
const pino = (s: number, level: number, msg: string, extra: object) =>
  JSON.stringify({ level, time: T0 + s * 1000, msg, ...extra });

let e: E2E;
let page: Page;
let problems: string[];

beforeAll(async () => {
  e = await startE2E(AGENT);
  const dir = e.server.dir;
  const log = path.join(dir, 'app.log');
  writeFileSync(path.join(dir, 'app.rotate.conf'), `${log} {\n  create\n  rotate 3\n}\n`);
  writeFileSync(log, [1, 2, 3].map((s) => `${text(s, `old ${s}`)}\n`).join(''));
  await runLogrotate(path.join(dir, 'app.rotate.conf'), path.join(dir, 'app.state'));
  writeFileSync(
    log,
    `${text(10, 'boom')}\n  at handler (app.js:10)\n${text(11, 'new 11')}\n${text(12, 'new 12')}\n`,
  );
  writeFileSync(
    path.join(dir, 'api.log'),
    [
      pino(20, 30, 'request done', { status: 200, req: { method: 'GET' } }),
      pino(21, 50, 'upstream failed', { status: 502, req: { method: 'POST' } }),
      pino(22, 30, 'request done', { status: 201, req: { method: 'PUT' } }),
      pino(23, 50, 'upstream failed', { status: 503, req: { method: 'GET' } }),
    ]
      .map((l) => `${l}\n`)
      .join(''),
  );
  writeFileSync(path.join(dir, 'web.log'), `${text(5, 'web up')}\n${text(13, 'web GET /')}\n`);
  const ctx = await e.context({ timezoneId: ZONE });
  problems = ctx.problems;
  page = await ctx.newPage();
  await signIn(page);
}, 180_000); // the first file to start may build web/dist
afterAll(() => e?.close());

const rows = (p: Page) => p.getByTestId('log-line');
const row = (p: Page, t: string) => rows(p).filter({ hasText: t });
const state = (p: Page, s: string) =>
  p.locator(`[data-testid="log-status"][data-state="${s}"]`).waitFor({ timeout: 10_000 });
const gutter = (p: Page, t: string) =>
  row(p, t).evaluate((el) => getComputedStyle(el, '::before').content);
/** Where a row's own text (not its ::before gutter) starts, in px from the page's left. */
const textLeft = (p: Page, t: string) =>
  row(p, t).evaluate((el) => {
    const r = document.createRange();
    r.selectNodeContents(el);
    return Math.round(r.getBoundingClientRect().left);
  });
const left = (p: Page, selector: string) =>
  p
    .locator(selector)
    .first()
    .evaluate((el) => Math.round(el.getBoundingClientRect().left));

describe('the logs page, every part together', () => {
  it('a plain source: times in a gutter, untimed lines under the text, a divider per file', async () => {
    await page.goto('/logs?source=app');
    await state(page, 'live');
    await expect.poll(() => rows(page).count()).toBe(7);
    expect(await row(page, 'new 12').getAttribute('data-time')).toMatch(shown(12));
    expect(await gutter(page, 'new 12')).toMatch(/^"(\d{4} )?Nov 1 15:00:12\.000"$/);
    // the stack line has no time: an empty gutter keeps its text under the others' text
    expect(await row(page, 'at handler').getAttribute('data-time')).toBeNull();
    expect(await textLeft(page, 'at handler')).toBe(await textLeft(page, 'new 12'));
    expect(await textLeft(page, 'old 1')).toBe(await textLeft(page, 'new 12'));
    // the current file begins at "boom": the divider and the gutter share the row
    const boom = row(page, 'boom');
    expect(await boom.getAttribute('data-file-start')).toBe('app.log');
    expect(await boom.evaluate((el) => getComputedStyle(el, '::after').content)).toBe(
      '"— app.log —"',
    );
    expect(await gutter(page, 'boom')).toMatch(/15:00:10\.000"$/);
    await screenshot(page, 'logs-together-plain', { fullPage: false });
  });

  it('a JSON source: the server’s time once, in its column, in local time; columns and a where', async () => {
    await page.goto('/logs?source=api');
    await state(page, 'live');
    await expect.poll(() => rows(page).count()).toBe(4);
    await page.getByText('Columns (0)').click();
    const chooser = page.getByRole('group', { name: 'Fields shown as columns' });
    await chooser.getByLabel('status').check();
    await chooser.getByLabel('req.method').check();
    await page.getByText('Columns (2)').click(); // folded again
    await page.getByLabel('Where (JSON fields)').fill('status>=500');
    await page.getByRole('button', { name: 'Apply' }).click();
    await state(page, 'live');
    await expect.poll(() => rows(page).count()).toBe(2);

    const first = rows(page).first();
    expect(await first.textContent()).toMatch(
      /^ERROR(\d{4} )?Nov 1 15:00:21\.000upstream failed502POST$/,
    );
    // no gutter on a JSON row: the time is its column
    expect(await first.evaluate((el) => getComputedStyle(el, '::before').content)).toBe('none');
    // each heading stands over its column
    for (const [head, cell] of [
      ['level', '[data-testid="log-level"]'],
      ['time', '[data-testid="log-time"]'],
      ['status', '[data-field="status"]'],
    ]) {
      const heading = await left(page, `[data-testid="log-columns"] [data-head="${head}"]`);
      expect(Math.abs(heading - (await left(page, `[data-testid="log-line"] ${cell}`)))).toBe(0);
    }
    // the time cell shows the whole text: nothing cut off
    const cut = await first
      .getByTestId('log-time')
      .evaluate((el) => el.scrollWidth > el.clientWidth);
    expect(cut).toBe(false);
    // the Download link carries the where, as the view does
    const href = await page.getByTestId('log-download').getAttribute('href');
    expect(href).toBe(`/logs/api/lines.txt?where=${encodeURIComponent('status>=500')}`);
    await screenshot(page, 'logs-together-json', { fullPage: false });
  });

  it('the merged view: each line has its time in the gutter, then its source tag', async () => {
    await page.goto('/logs?source=app&merge=web');
    await state(page, 'live');
    await expect.poll(() => rows(page).count()).toBe(9);
    const web = row(page, 'web GET /');
    expect(await web.getAttribute('data-time')).toMatch(shown(13));
    expect(await gutter(page, 'web GET /')).toMatch(/15:00:13\.000"$/);
    // the tags line up: after the gutter, the same place in every row
    const tags = await page
      .getByTestId('log-line-source')
      .evaluateAll((els) => [
        ...new Set(els.map((el) => Math.round(el.getBoundingClientRect().left))),
      ]);
    expect(tags).toHaveLength(1);
    expect(tags[0]).toBeGreaterThan((await left(page, '[data-testid="log-view"]')) + 80);
    // a merged view is live only: no time range or jump that would do nothing
    expect(await page.getByRole('button', { name: 'Show range' }).count()).toBe(0);
    expect(await page.getByLabel('Jump to').count()).toBe(0);
    await screenshot(page, 'logs-together-merged', { fullPage: false });
  });

  it('a time range: only its lines, the range in the Download link', async () => {
    // within the current file: logLines(since, until) does not read rotated files yet (reported)
    await page.goto(`/logs?source=app&since=${iso(10)}&until=${iso(12)}`);
    await state(page, 'range');
    await expect.poll(() => rows(page).count()).toBe(3); // boom, its stack line, new 11
    expect(await textLeft(page, 'at handler')).toBe(await textLeft(page, 'new 11'));
    const href = await page.getByTestId('log-download').getAttribute('href');
    expect(href).toBe(
      `/logs/app/lines.txt?since=${encodeURIComponent(iso(10))}&until=${encodeURIComponent(iso(12))}`,
    );
    await screenshot(page, 'logs-together-range', { fullPage: false });
    expect(problems).toEqual([]);
  });

  it('a phone: nothing wider than the screen, the toolbar’s buttons on screen', async () => {
    const ctx = await e.context({ timezoneId: ZONE, viewport: { width: 390, height: 844 } });
    const phone = await ctx.newPage();
    await signIn(phone);
    for (const [source, query] of [
      ['app', 'filter=new'],
      ['api', 'where=status%3E%3D500'],
    ]) {
      await phone.goto(`/logs?source=${source}&${query}`);
      await state(phone, 'live');
      await expect.poll(() => rows(phone).count()).toBeGreaterThan(0);
      const wide = await phone.evaluate(() => document.documentElement.scrollWidth);
      expect(wide, `${source}: the page is ${wide} px wide`).toBeLessThanOrEqual(390);
      for (const el of [
        phone.getByRole('button', { name: 'Pause' }),
        phone.getByRole('button', { name: 'Clear view' }),
        phone.getByTestId('log-download'),
        phone.getByTestId('log-status'),
      ]) {
        const box = (await el.boundingBox())!;
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width).toBeLessThanOrEqual(390);
      }
      const toolbar = await phone
        .locator('.terminal .toolbar')
        .evaluate((el) => el.scrollWidth - el.clientWidth);
      expect(toolbar).toBe(0);
      if (source === 'api') {
        // the lines scroll sideways on a phone; the column headings go with them
        await phone.getByTestId('log-view').evaluate((v) => {
          v.scrollLeft = 120;
          v.dispatchEvent(new Event('scroll'));
        });
        for (const [head, cell] of [
          ['level', '[data-testid="log-level"]'],
          ['time', '[data-testid="log-time"]'],
        ]) {
          const at = (sel: string) => left(phone, sel);
          await expect
            .poll(async () => (await at(`[data-head="${head}"]`)) - (await at(cell)))
            .toBe(0);
        }
        expect(await left(phone, '[data-testid="log-level"]')).toBeLessThan(0);
      }
      await screenshot(phone, `logs-together-phone-${source}`, { fullPage: true });
    }
    expect(ctx.problems).toEqual([]);
    await ctx.close();
  });
});
