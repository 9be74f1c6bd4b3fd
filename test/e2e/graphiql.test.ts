// GraphiQL served by the app itself, in Chromium with every request to another origin blocked
// (and counted): the signed-out landing, signing in, the schema loading on its own, a query and a
// subscription; the UI pages and their fonts load the same way.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, runAsAdmin, screenshot, signIn, startE2E, type E2E } from './browser.js';
import { blockOtherOrigins, runOperation } from './graphiql.page.js';

const AGENT = `
commands:
  - name: hello
    title: Say hello
    argv: ["echo", "hello from the agent"]
logs: []
`;

let e: E2E;
let runId: string;

beforeAll(async () => {
  e = await startE2E(AGENT);
  runId = await runAsAdmin(e, 'hello');
}, 180_000); // the first file to start may build web/dist
afterAll(() => e?.close());

/** A context whose every request to another origin is aborted and recorded. */
async function sameOriginOnly(opts: { colorScheme?: 'light' | 'dark' } = {}) {
  const ctx = await e.context(opts);
  return { ctx, foreign: await blockOtherOrigins(ctx, new URL(e.url).origin) };
}

async function openGraphiQL(ctx: BrowserContext): Promise<Page> {
  const page = await ctx.newPage();
  const res = await page.goto('/graphql');
  expect(res?.status()).toBe(200);
  return page;
}

async function signInHere(page: Page) {
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('current-user').filter({ hasText: 'admin' }).waitFor();
}

describe('GraphiQL, served by the app with nothing from any other origin', () => {
  it('signed out it shows how to sign in; signing in loads the schema; a query and a subscription run', async () => {
    const { ctx, foreign } = await sameOriginOnly();
    const page = await openGraphiQL(ctx);
    await page.getByRole('heading', { level: 1, name: 'Tiny Agent GraphiQL' }).waitFor();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await screenshot(page, 'graphiql-signed-out');

    // a wrong password: the server's message, and still signed out
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('signin-error').waitFor();

    // signing in fetches the schema at once (no reload): the docs explorer lists the root types
    const introspected = page.waitForResponse(
      (r) => r.url().endsWith('/graphql') && (r.request().postData() ?? '').includes('__schema'),
    );
    await signInHere(page);
    const intro = await introspected;
    // the session cookie and the CSRF header went along without the user doing anything
    const sent = intro.request().headers();
    expect(sent['x-graphql-yoga-csrf']).toBe('1');
    expect((await intro.json()).data.__schema.queryType.name).toBe('Query');
    await page.getByRole('button', { name: /Show Documentation Explorer/ }).click();
    await page.getByText('Root Types').waitFor();
    await page
      .locator('.graphiql-doc-explorer')
      .getByText('Subscription', { exact: true })
      .waitFor();

    const me = await runOperation(page, '{ me { username role } }', /"username": "admin"/);
    expect(me).toMatch(/"role": "ADMIN"/);
    await screenshot(page, 'graphiql-signed-in');

    // a subscription over graphql-ws on the same origin: the stored output, then the end
    const ws = page.waitForEvent('websocket');
    await runOperation(
      page,
      `subscription { commandOutput(runId: "${runId}") { data } }`,
      /hello from the agent/,
    );
    expect(new URL((await ws).url()).origin).toBe(new URL(e.url).origin.replace(/^http/, 'ws'));

    expect(foreign).toEqual([]);
    expect(ctx.problems).toEqual([]);
  }, 120_000);

  it('follows a dark colour scheme', async () => {
    const { ctx, foreign } = await sameOriginOnly({ colorScheme: 'dark' });
    const page = await openGraphiQL(ctx);
    await signInHere(page);
    await runOperation(page, '{ me { username } }', /"username": "admin"/);
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const [r, g, b] = bg.match(/\d+/g)!.map(Number);
    expect(r! + g! + b!, `body background ${bg}`).toBeLessThan(150);
    await screenshot(page, 'graphiql-dark');
    expect(foreign).toEqual([]);
    expect(ctx.problems).toEqual([]);
  }, 120_000);

  it('the UI pages and their fonts load the same way', async () => {
    const { ctx, foreign } = await sameOriginOnly();
    const page = await ctx.newPage();
    await page.goto('/');
    await signIn(page);
    for (const path of ['/commands', `/runs/${runId}`, '/history', '/logs', '/files', '/account']) {
      await page.goto(path);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.evaluate(() => document.fonts.ready);
      const failed = await page.evaluate(() =>
        [...document.fonts].filter((f) => f.status === 'error').map((f) => f.family),
      );
      expect(failed, path).toEqual([]);
    }
    expect(foreign).toEqual([]);
    expect(ctx.problems).toEqual([]);
  }, 120_000);
});
