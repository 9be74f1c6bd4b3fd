// The audit page: an admin sees who did what after doing audited things, filters by action,
// actor and time (kept in the address), and pages with "Load more"; a USER sees neither the link
// nor the events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { navTo, screenshot, signIn, startE2E, type E2E } from './browser.js';

const AGENT = `
commands:
  - name: greet
    title: Greet
    argv: ["echo", "hello", "{{name}}"]
    args:
      - { name: name, type: string, maxLength: 40 }
    roles: [admin, user]
logs: []
`;

let e: E2E;
beforeAll(async () => {
  e = await startE2E(AGENT);
}, 180_000); // the first file to start may build web/dist
afterAll(() => e?.close());

const rows = (page: Page) => page.getByTestId('audit-row');
const actions = (page: Page) =>
  rows(page).evaluateAll((els) => els.map((el: any) => el.dataset.action as string));

describe('audit page', () => {
  it('shows audited actions to an admin, filters them, pages them, and stays hidden from users', async () => {
    const s = e.server;
    const carol = await s.createUser('carol', 'USER', 'carol-password-1');
    const greet = `mutation($n: String!) { runCommand(name: "greet", args: [{ name: "name", value: $n }]) { id } }`;
    expect((await s.gql(greet, { n: 'from carol' }, carol)).errors).toBeUndefined();

    const ctx = await e.context();
    const page = await ctx.newPage();
    await signIn(page);
    // the admin runs something through the page's API session, and downloads a file 60 times
    expect((await s.gql(greet, { n: 'from admin' }, await s.login())).errors).toBeUndefined();
    const up = await s.upload({ name: 'report.txt', content: 'audited bytes\n' }, carol);
    const fileId = up.data.uploadFile.id as string;
    for (let i = 0; i < 60; i++) {
      const res = await fetch(`${s.url}/files/${fileId}`, {
        headers: { authorization: `Bearer ${carol.token}` },
      });
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    }

    await navTo(page, 'Audit');
    await rows(page).first().waitFor();
    // newest first: the last download leads; the first page holds 50
    expect(await rows(page).count()).toBe(50);
    expect((await actions(page))[0]).toBe('FILE_DOWNLOADED');
    await page.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => actions(page).then((a) => a.includes('RUN_STARTED'))).toBe(true);
    const all = await actions(page);
    expect(all.filter((a) => a === 'FILE_DOWNLOADED')).toHaveLength(60);
    expect(all.filter((a) => a === 'RUN_STARTED')).toHaveLength(2);
    expect(all).toContain('FILE_UPLOADED');

    // by action: only the two runs, with their argv, actor and address
    await page.getByLabel('Action').selectOption({ label: 'Run started' });
    await expect.poll(() => actions(page)).toEqual(['RUN_STARTED', 'RUN_STARTED']);
    expect(new URL(page.url()).searchParams.get('action')).toBe('RUN_STARTED');
    const carolRun = rows(page).filter({ hasText: 'carol' });
    expect(await carolRun.textContent()).toContain('argv: echo hello "from carol"');
    expect(await carolRun.textContent()).toContain('127.0.0.1');
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);

    // and by actor, picked from the users list
    await page.getByLabel('Actor').selectOption({ label: 'carol' });
    await expect.poll(() => rows(page).count()).toBe(1);
    expect(await rows(page).first().textContent()).toContain('from carol');
    expect(new URL(page.url()).searchParams.get('actor')).toBe(carol.userId);
    await screenshot(page, 'audit-filtered');

    // a time range that starts after everything: nothing; the filters survive a reload
    await page.getByLabel('Since').fill('2099-01-01T00:00');
    await page.getByText('No events.').waitFor();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Audit' }).waitFor();
    await page.getByText('No events.').waitFor();
    expect(await page.getByLabel('Action').inputValue()).toBe('RUN_STARTED');
    expect(await page.getByLabel('Since').inputValue()).toBe('2099-01-01T00:00');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => rows(page).count()).toBe(50);
    expect(new URL(page.url()).search).toBe('');
    await screenshot(page, 'audit');
    expect(ctx.problems).toEqual([]);

    // carol: no link, and the address shows the usual refusal without any event
    const userCtx = await e.context();
    const userPage = await userCtx.newPage();
    await signIn(userPage, 'carol', 'carol-password-1');
    expect(
      await userPage
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Audit' })
        .count(),
    ).toBe(0);
    await userPage.goto('/audit');
    await userPage.getByRole('heading', { level: 1, name: 'Audit' }).waitFor();
    await userPage.getByText('Only administrators can read the audit trail.').waitFor();
    expect(await rows(userPage).count()).toBe(0);
    expect(userCtx.problems).toEqual([]);
  }, 90_000);
});
