// Phones (390 px): no page scrolls sideways, tables become cards whose actions are on screen, and
// dates stay on one line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { screenshot, signIn, startE2E, type E2E } from './browser.js';

const AGENT = `
commands:
  - name: generate-quarterly-infrastructure-report
    title: Generate the quarterly infrastructure report
    argv: ["sh", "-c", "echo report; exit 2"]
    roles: [admin, user]
    maxConcurrent: 5
logs:
  - name: app
    path: app.log
    roles: [admin]
`;

let e: E2E;
const WIDTH = 390;

beforeAll(async () => {
  e = await startE2E(AGENT);
  const s = e.server;
  const admin = await s.login();
  await s.createUser('maximilian-the-operator', 'USER');
  for (let i = 0; i < 3; i++) {
    const r = await s.gql(
      `mutation { runCommand(name: "generate-quarterly-infrastructure-report") { id } }`,
      {},
      admin,
    );
    expect(r.errors).toBeUndefined();
  }
  await s.gql(
    `mutation { createApiToken(name: "deploy script for the staging cluster", expiresInDays: 30) { secret } }`,
    {},
    admin,
  );
  const up = await s.upload(
    {
      name: 'monthly-capacity-planning-spreadsheet-for-the-whole-datacenter-2026.csv',
      content: 'a,b\n1,2\n',
      type: 'text/csv',
    },
    admin,
  );
  expect(up.errors).toBeUndefined();
}, 180_000);
afterAll(() => e?.close());

async function fitsSideways(page: Page, what: string) {
  const [scroll, inner] = await page.evaluate(() => {
    const w = globalThis as any;
    return [w.document.documentElement.scrollWidth, w.innerWidth];
  });
  expect(
    scroll,
    `${what}: the page is ${scroll} px wide in a ${inner} px window`,
  ).toBeLessThanOrEqual(inner);
}

/** The element is shown and wholly inside the window's width (not behind a sideways scroll). */
async function onScreen(loc: Locator, what: string) {
  await loc.scrollIntoViewIfNeeded();
  expect(await loc.isVisible(), `${what} is visible`).toBe(true);
  const box = (await loc.boundingBox())!;
  expect(box.x, `${what} starts on screen`).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width, `${what} ends on screen`).toBeLessThanOrEqual(WIDTH);
}

/** The date in this element (the text with a year in it) is one line of text, not four. */
async function oneLine(loc: Locator, what: string) {
  const lines = await loc.evaluate((el: any) => {
    const d = (globalThis as any).document;
    const walker = d.createTreeWalker(el, 4 /* text nodes */);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!/\d{4}/.test(n.textContent)) continue;
      const range = d.createRange();
      range.selectNodeContents(n);
      const tops = [...range.getClientRects()].map((r: any) => Math.round(r.top));
      return new Set(tops).size;
    }
    return -1;
  });
  expect(lines, `${what} is on one line`).toBe(1);
}

describe('at 390 px', () => {
  it('every page fits the width, lists are cards, actions are on screen', async () => {
    const ctx = await e.context({
      viewport: { width: WIDTH, height: 844 },
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 2,
    });
    const page = await ctx.newPage();
    await signIn(page);
    const visit = async (path: string, heading: string) => {
      await page.goto(path);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    };

    await visit('/', 'Dashboard');
    await page.getByTestId('run-row').first().waitFor();
    await fitsSideways(page, 'dashboard');

    await visit('/commands', 'Commands');
    await fitsSideways(page, 'commands');

    await visit('/history', 'History');
    await expect.poll(() => page.getByTestId('run-row').count()).toBe(3);
    await fitsSideways(page, 'history');
    const run = page.getByTestId('run-row').first();
    await onScreen(run.getByRole('link'), 'the run link');
    await oneLine(run.locator('td').nth(2), 'the start time');
    await screenshot(page, 'layout-phone-history');

    await run.getByRole('link').click();
    await page.getByRole('heading', { level: 1 }).waitFor();
    await fitsSideways(page, 'run page');

    await visit('/files', 'Files');
    const file = page.getByTestId('file-row').first();
    await file.waitFor();
    await fitsSideways(page, 'files');
    await onScreen(file.getByRole('link', { name: /^Download / }), 'Download');
    await onScreen(file.getByRole('button', { name: /^Delete / }), 'Delete');
    await oneLine(file.locator('td').nth(3), 'the upload time');
    await screenshot(page, 'layout-phone-files');

    await visit('/users', 'Users');
    const user = page.getByTestId('user-row').filter({ hasText: 'maximilian-the-operator' });
    await user.waitFor();
    await fitsSideways(page, 'users');
    await onScreen(user.getByRole('button', { name: /^Delete / }), 'Delete user');
    await onScreen(user.getByRole('button', { name: /^End sessions / }), 'End sessions');
    await onScreen(user.getByLabel(/^Role of /), 'the role select');
    await screenshot(page, 'layout-phone-users');

    await visit('/account', 'Account');
    const token = page.getByTestId('token-row').first();
    await token.waitFor();
    await fitsSideways(page, 'account');
    await onScreen(token.getByRole('button', { name: /^Revoke / }), 'Revoke');
    await screenshot(page, 'layout-phone-account');

    await visit('/audit', 'Audit');
    await page.getByTestId('audit-row').first().waitFor();
    await fitsSideways(page, 'audit');
    await oneLine(page.getByTestId('audit-row').first().locator('td').first(), 'the event time');
    await screenshot(page, 'layout-phone-audit');

    await visit('/logs', 'Logs');
    await fitsSideways(page, 'logs');
    expect(ctx.problems).toEqual([]);
  }, 90_000);
});
