// Signing in and out through the form.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startE2E, type E2E } from './browser.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E('commands: []\nlogs: []\n');
}, 180_000); // the first file to start may build web/dist
afterAll(() => e?.close());

describe('sign-in', () => {
  it("shows the server's message for a wrong password, lands on the dashboard with the right one, and signs out", async () => {
    const ctx = await e.context();
    const page = await ctx.newPage();
    await page.goto('/');
    await page.getByRole('heading', { level: 1, name: 'Sign in to Tiny Agent' }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);

    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill('not-the-password');
    const [res] = await Promise.all([
      page.waitForResponse(
        (r) => r.url().endsWith('/graphql') && (r.request().postData() ?? '').includes('login'),
      ),
      page.getByRole('button', { name: 'Sign in' }).click(),
    ]);
    const body = await res.json();
    const serverMessage: string = body.errors?.[0]?.message;
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(serverMessage).toBeTruthy();
    const error = page.getByTestId('signin-error');
    await error.waitFor();
    expect(await error.textContent()).toBe(serverMessage);
    expect(await error.getAttribute('role')).toBe('alert');
    expect(await page.getByLabel('Password').inputValue()).toBe(''); // cleared for the next try
    expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);

    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    expect(await page.getByTestId('current-user').textContent()).toBe('admin');
    expect(await page.getByTestId('signin-error').count()).toBe(0);
    const links = await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link')
      .allTextContents();
    expect(links).toEqual([
      'Dashboard',
      'Commands',
      'History',
      'Logs',
      'Files',
      'Users',
      'Automation',
      'Audit',
      'Account',
      'GraphiQL',
    ]);
    // the session is an HttpOnly cookie: a reload stays signed in, and scripts cannot read it
    const [cookie] = (await ctx.cookies()).filter((c) => c.name === 'tiny_agent_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(await page.evaluate(() => (globalThis as any).document.cookie)).not.toContain(
      'tiny_agent_session',
    );
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in to Tiny Agent' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Sign in to Tiny Agent' }).waitFor();
    expect(ctx.problems).toEqual([]);
  }, 60_000);
});
