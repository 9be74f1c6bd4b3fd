// GraphiQL through the shipped nginx (infra/nginx/templates) over HTTPS, in Chromium with every
// request to another origin blocked and counted, under nginx's headers with no CSP violation: it
// signs in, runs a query and a subscription, fits a phone, and a token typed into its Headers tab
// signs in its subscriptions as it does its queries.
import type { BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningNginx } from '../deploy/tools.js';
import {
  ADMIN_PASSWORD,
  nginxInFront,
  runAsAdmin,
  screenshot,
  startE2E,
  type E2E,
} from './browser.js';
import { blockOtherOrigins, runOperation, typeInto } from './graphiql.page.js';

const AGENT = `
commands:
  - name: hello
    title: Say hello
    argv: ["echo", "hello from the agent"]
logs: []
`;

let e: E2E;
let nginx: RunningNginx;
let adminToken: string;
let runId: string;

beforeAll(async () => {
  e = await startE2E(AGENT, { env: { TRUST_PROXY: 'true' } });
  adminToken = (await e.server.login()).token;
  await e.server.createUser('olga', 'USER', 'olga-password-1');
  runId = await runAsAdmin(e, 'hello');
  nginx = await nginxInFront(e);
}, 180_000); // the first file to start may build web/dist
afterAll(async () => {
  await nginx?.stop();
  await e?.close();
});

/**
 * A browser profile on nginx's HTTPS address (its self-signed certificate accepted) whose every
 * request to another origin is aborted and recorded, and whose CSP violations are console errors
 * (so they land in `ctx.problems`).
 */
async function throughNginx(opts: BrowserContextOptions = {}) {
  const ctx = await e.context({ baseURL: nginx.httpsUrl, ignoreHTTPSErrors: true, ...opts });
  const foreign = await blockOtherOrigins(ctx, new URL(nginx.httpsUrl).origin);
  await ctx.addInitScript(() =>
    addEventListener('securitypolicyviolation', (ev) =>
      console.error(`CSP violation: ${ev.violatedDirective} ${ev.blockedURI}`),
    ),
  );
  return { ctx, foreign };
}

async function openSignedIn(page: Page, username: string, password: string) {
  const res = await page.goto('/graphql');
  expect(res?.status()).toBe(200);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('current-user').filter({ hasText: username }).waitFor();
  return res!;
}

/** Puts `json` into GraphiQL's Headers tab. */
async function setHeaders(page: Page, json: string) {
  const tab = page.locator('button[data-name="headers"]');
  await tab.click();
  await expect.poll(() => tab.getAttribute('class')).toMatch(/active/);
  await typeInto(page, '.graphiql-editor-tool .monaco-editor', json);
}

describe('GraphiQL through the shipped nginx', () => {
  it('loads under nginx’s headers with nothing from another origin, signs in, runs a query and a subscription', async () => {
    const { ctx, foreign } = await throughNginx();
    const page = await ctx.newPage();
    const res = await openSignedIn(page, 'admin', ADMIN_PASSWORD);
    // one policy on the page (GraphiQL's, sent by the app; nginx adds none of its own)
    const csp = (await res.headerValues('content-security-policy')).filter(Boolean);
    expect(csp).toHaveLength(1);
    expect(csp[0]).toMatch(/worker-src 'self'/);
    expect(await res.headerValue('strict-transport-security')).toBe('max-age=31536000');

    expect(await runOperation(page, '{ me { username role } }', /"username": "admin"/)).toMatch(
      /"role": "ADMIN"/,
    );
    const ws = page.waitForEvent('websocket');
    await runOperation(
      page,
      `subscription { commandOutput(runId: "${runId}") { data } }`,
      /hello from the agent/,
    );
    expect((await ws).url()).toBe(`wss://127.0.0.1:${nginx.httpsPort}/graphql`);
    await screenshot(page, 'graphiql-nginx', { fullPage: false });

    expect(foreign).toEqual([]);
    expect(ctx.problems).toEqual([]);
  }, 120_000);

  it('at phone size (390 px) nothing scrolls sideways and the bar’s controls are on screen', async () => {
    const { ctx, foreign } = await throughNginx({ viewport: { width: 390, height: 844 } });
    const page = await ctx.newPage();
    await openSignedIn(page, 'admin', ADMIN_PASSWORD);
    await runOperation(page, '{ me { username } }', /"username": "admin"/);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    for (const control of [
      page.getByRole('link', { name: 'Web UI' }),
      page.getByRole('button', { name: 'Sign out' }),
      page.getByRole('button', { name: /Execute query/ }),
    ]) {
      const box = (await control.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
    }
    await screenshot(page, 'graphiql-phone', { fullPage: false });
    expect(foreign).toEqual([]);
    expect(ctx.problems).toEqual([]);
  }, 120_000);

  it('a token in the Headers tab signs in subscriptions too; a bad one does not sign the page out', async () => {
    const { ctx, foreign } = await throughNginx();
    const page = await ctx.newPage();
    // the page is olga's (a USER, by cookie), who may not see the admin's run
    await openSignedIn(page, 'olga', 'olga-password-1');
    const subscribe = `subscription { commandOutput(runId: "${runId}") { data } }`;
    await runOperation(page, subscribe, /NOT_FOUND/);

    // the admin's token typed into the Headers tab: the query and the subscription are the admin's
    await setHeaders(page, JSON.stringify({ Authorization: `Bearer ${adminToken}` }));
    await runOperation(page, '{ me { username } }', /"username": "admin"/);
    const ws = page.waitForEvent('websocket');
    const init = ws.then((socket) =>
      socket.waitForEvent('framesent', (f) => String(f.payload).includes('connection_init')),
    );
    await runOperation(page, subscribe, /hello from the agent/);
    expect(JSON.parse(String((await init).payload))).toEqual({
      type: 'connection_init',
      payload: { authorization: `Bearer ${adminToken}` },
    });

    // a wrong token: the server's refusal in the result pane, and the page still olga's
    await setHeaders(page, JSON.stringify({ Authorization: 'Bearer not-a-token' }));
    await runOperation(page, `{ commandRun(id: "${runId}") { id } }`, /UNAUTHENTICATED/);
    await runOperation(page, subscribe, /Check the Authorization header/);
    await expect.poll(() => page.getByTestId('current-user').textContent()).toBe('olga');

    // headers emptied: back to the cookie, on its own socket
    await setHeaders(page, '{}');
    await runOperation(page, subscribe, /NOT_FOUND/);
    expect(foreign).toEqual([]);
    // the one problem is the wrong token's answer, which Chromium logs: 401 UNAUTHENTICATED
    expect(ctx.problems).toEqual([
      expect.stringMatching(
        /^console: Failed to load resource: the server responded with a status of 401 \(\) <https?:\/\/[^>]+\/graphql>$/,
      ),
    ]);
  }, 120_000);
});
