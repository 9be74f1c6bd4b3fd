// History filters in Chromium: user and time range beside command and status, all kept in the URL
// with the page, so reload, Back and a bookmark show the same runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CommandRun } from '../../api/src/modules/commands/command-run.entity.js';
import { screenshot, signIn, startE2E, type E2E } from './browser.js';

const AGENT = `
commands:
  - name: backup
    title: Backup
    argv: ["true"]
    roles: [admin, user]
`;

let e: E2E;
let carolId = '';
// the browser runs in UTC, so a datetime-local value reads as UTC here too
const T0 = Date.parse('2026-03-01T00:00:00Z');
const HOUR = 3_600_000;
const seeded: { id: string; at: number; by: string }[] = [];

beforeAll(async () => {
  e = await startE2E(AGENT);
  const admin = await e.server.login();
  const carol = await e.server.createUser('carol', 'USER');
  carolId = carol.userId;
  // 80 finished runs an hour apart, alternating admin / carol
  const em = e.server.app.services.orm.em.fork();
  for (let i = 0; i < 80; i++) {
    const by = i % 2 ? carol.userId : admin.userId;
    const run = em.create(CommandRun, {
      commandName: 'backup',
      argv: ['true'],
      status: 'SUCCEEDED',
      exitCode: 0,
      startedAt: new Date(T0 + i * HOUR),
      finishedAt: new Date(T0 + i * HOUR + 1500),
      startedById: by,
    } as CommandRun);
    seeded.push({ id: run.id, at: T0 + i * HOUR, by });
  }
  await em.flush();
}, 180_000);
afterAll(() => e?.close());

const rowIds = (page: Page) =>
  page
    .getByTestId('run-row')
    .evaluateAll((rows: any[]) => rows.map((r) => r.dataset.runId as string));

/** Waits until the table shows exactly these runs, in this order. */
async function shows(page: Page, ids: string[]) {
  await expect.poll(() => rowIds(page), { timeout: 10_000 }).toEqual(ids);
}

describe('history filters', () => {
  it('filters by user and time range and keeps filters and page through reload, Back and a bookmark', async () => {
    const ctx = await e.context({ timezoneId: 'UTC' });
    const page = await ctx.newPage();
    await signIn(page);
    await page.goto('/history');
    await page.getByRole('heading', { level: 1, name: 'History' }).waitFor();

    await page.getByLabel('Started by').selectOption({ label: 'carol' });
    await page.getByLabel('From').fill('2026-03-01T10:00');
    await page.getByLabel('To').fill('2026-03-03T05:00'); // T0 + 53 h, the whole minute included
    const expected = seeded
      .filter((r) => r.by === carolId && r.at >= T0 + 10 * HOUR && r.at <= T0 + 53 * HOUR)
      .sort((a, b) => b.at - a.at)
      .map((r) => r.id);
    expect(expected.length).toBe(22);
    await shows(page, expected.slice(0, 20));
    const url = new URL(page.url());
    expect(url.searchParams.get('user')).toBe(carolId);
    expect(url.searchParams.get('from')).toBe('2026-03-01T10:00');
    expect(url.searchParams.get('to')).toBe('2026-03-03T05:00');

    await page.getByRole('button', { name: 'Older →' }).click();
    await shows(page, expected.slice(20));
    expect(new URL(page.url()).searchParams.get('after')).toBeTruthy();
    expect(await page.getByTestId('page-label').textContent()).toContain('Page 2');
    await screenshot(page, 'layout-history-filtered');
    const secondPage = page.url();

    // reload: same filters in the form, same page, and "Newer" still knows the way back
    await page.reload();
    await shows(page, expected.slice(20));
    expect(await page.getByLabel('From').inputValue()).toBe('2026-03-01T10:00');
    expect(await page.getByLabel('Started by').inputValue()).toBe(carolId);
    expect(await page.getByTestId('page-label').textContent()).toContain('Page 2');
    await page.getByRole('button', { name: '← Newer' }).click();
    await shows(page, expected.slice(0, 20));

    // Back returns to the second page
    await page.goBack();
    await shows(page, expected.slice(20));

    // a bookmark of the second page, opened in a fresh tab
    const other = await ctx.newPage();
    await other.goto(secondPage);
    await shows(other, expected.slice(20));
    expect(await other.getByLabel('To').inputValue()).toBe('2026-03-03T05:00');
    await other.getByRole('button', { name: '← Newer' }).click();
    await shows(other, expected.slice(0, 20));

    // clearing the filters shows every run again, newest first
    await other.getByRole('button', { name: 'Clear filters' }).click();
    await shows(
      other,
      [...seeded]
        .sort((a, b) => b.at - a.at)
        .slice(0, 20)
        .map((r) => r.id),
    );
    expect(ctx.problems).toEqual([]);
  }, 90_000);

  it('a user has no "Started by" filter and sees only their own runs', async () => {
    const ctx = await e.context({ timezoneId: 'UTC' });
    const page = await ctx.newPage();
    await signIn(page, 'carol', 'user-password-1');
    await page.goto('/history');
    await page.getByRole('heading', { level: 1, name: 'History' }).waitFor();
    await page.getByLabel('From').waitFor();
    expect(await page.getByLabel('Started by').count()).toBe(0);
    const mine = seeded
      .filter((r) => r.by === carolId)
      .sort((a, b) => b.at - a.at)
      .map((r) => r.id);
    await shows(page, mine.slice(0, 20));
    expect(ctx.problems).toEqual([]);
  }, 60_000);
});
