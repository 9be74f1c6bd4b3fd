// The merged log view: two sources chosen in the page, both followed in one view, each line tagged
// with its source in the order the lines arrive; the choice lives in the URL; a USER who may read
// only one of the sources is refused the merged view.
import { appendFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startE2E, type E2E } from './browser.js';

const AGENT = `
commands: []
logs:
  - name: app
    path: app.log
    roles: [admin, user]
  - name: web
    path: web.log
    roles: [admin]
`;

let e: E2E;
// lines stamped as a logger would: a merged backfill is ordered by these times
const at = (second: number) => `2024-05-01T10:00:${String(second).padStart(2, '0')}Z`;
const file = (name: string) => path.join(e.server.dir, name);

beforeAll(async () => {
  e = await startE2E(AGENT);
  writeFileSync(file('app.log'), `${at(1)} app seed\n`);
  writeFileSync(file('web.log'), `${at(2)} web seed\n`);
  await e.server.createUser('ulla', 'USER', 'user-password-1');
}, 180_000); // the first file to start may build web/dist
afterAll(() => e?.close());

/** Every row as "source: text", in the view's order (a few rows: all are rendered). */
const rows = (page: Page) =>
  page.getByTestId('log-line').evaluateAll((els) =>
    els.map((el) => {
      const tag = el.querySelector('[data-testid="log-line-source"]')?.textContent?.trim() ?? '';
      const text = (el.textContent ?? '').trim().slice(tag.length).trim();
      return `${tag}: ${text.replace(/^\S+Z /, '')}`;
    }),
  );
const status = (page: Page, state: string) =>
  page.locator(`[data-testid="log-status"][data-state="${state}"]`).waitFor({ timeout: 10_000 });

describe('merged logs', () => {
  it('follows two sources in one view, tagged, in order of arrival; the URL keeps the choice', async () => {
    const ctx = await e.context();
    const page = await ctx.newPage();
    await signIn(page);
    await page.goto('/logs?source=app');
    await status(page, 'live');
    await page.getByText('Merge with…').click();
    await page.getByRole('checkbox', { name: 'web' }).check();
    await expect.poll(() => new URL(page.url()).searchParams.get('merge')).toBe('web');
    await status(page, 'live');
    // the backfill, by the lines' times
    await expect.poll(() => rows(page)).toEqual(['app: app seed', 'web: web seed']);

    const expected = ['app: app seed', 'web: web seed'];
    for (const [i, [name, text]] of [
      ['web', 'w1'],
      ['app', 'a1'],
      ['web', 'w2'],
      ['app', 'a2'],
    ].entries()) {
      appendFileSync(file(`${name}.log`), `${at(10 + i)} ${text}\n`);
      expected.push(`${name}: ${text}`);
      await expect.poll(() => rows(page), { timeout: 10_000 }).toEqual(expected);
    }
    // a short coloured tag per source, each its own colour
    const colours = await page
      .getByTestId('log-line-source')
      .evaluateAll((els) => [...new Set(els.map((el) => getComputedStyle(el).color))]);
    expect(colours).toHaveLength(2);

    // reloaded: the same sources, and a backfill merged by time reads as the lines arrived
    await page.reload();
    await status(page, 'live');
    await expect.poll(() => rows(page)).toEqual(expected);
    expect(ctx.problems).toEqual([]);
    await ctx.close();
  });

  it('refuses the merged view to a USER who may read only one of the sources', async () => {
    const ctx = await e.context();
    const page = await ctx.newPage();
    await signIn(page, 'ulla', 'user-password-1');
    await page.goto('/logs?source=app&merge=web');
    await status(page, 'failed');
    await expect(page.getByTestId('log-status').textContent()).resolves.toContain(
      'The log source "web" was not found.',
    );
    expect(await page.getByTestId('log-line').count()).toBe(0);
    // alone, the source the USER may read is shown; the picker offers nothing to merge with
    await page.goto('/logs?source=app');
    await status(page, 'live');
    await expect.poll(() => page.getByTestId('log-line').count()).toBe(3);
    expect((await page.getByTestId('log-line').allTextContents()).join('\n')).not.toMatch(
      /web seed|w1|w2/,
    );
    expect(await page.getByTestId('log-merge').count()).toBe(0);
    await ctx.close();
  });
});
