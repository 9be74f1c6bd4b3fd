// Every client route survives a reload and a bookmark: served directly by the app and through the
// shipped nginx (infra/nginx/templates), signed out (the sign-in page, then the route's own page
// once signed in, at the same address) and signed in (a reload shows the page again).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningNginx } from '../deploy/tools.js';
import { ADMIN_PASSWORD, nginxInFront, runAsAdmin, startE2E, type E2E } from './browser.js';

const AGENT = `
commands:
  - name: hello
    title: Say hello
    argv: ["echo", "hello"]
logs: []
`;

let e: E2E;
let nginx: RunningNginx;
let runId: string;

beforeAll(async () => {
  e = await startE2E(AGENT);
  runId = await runAsAdmin(e, 'hello');
  nginx = await nginxInFront(e);
}, 180_000); // the first file to start may build web/dist
afterAll(async () => {
  await nginx?.stop();
  await e?.close();
});

/** Every route of web/src/lib/router/routes.ts (and its trailing-slash form) with its heading. */
const routes = (): [string, string | RegExp][] => {
  const base: [string, string | RegExp][] = [
    ['/', 'Dashboard'],
    ['/commands', 'Commands'],
    ['/commands/hello', 'Say hello'],
    [`/runs/${runId}`, 'Run of hello'],
    ['/history', 'History'],
    ['/logs', 'Logs'],
    ['/files', 'Files'],
    ['/users', 'Users'],
    ['/account', 'Account'],
    ['/audit', 'Audit'],
  ];
  return [
    ...base,
    ...base.filter(([p]) => p !== '/').map(([p, h]) => [`${p}/`, h] as [string, string | RegExp]),
  ];
};

async function expectPage(page: Page, heading: string | RegExp, where: string) {
  await page
    .getByRole('heading', { level: 1, name: heading })
    .waitFor({ timeout: 10_000 })
    .catch((err) => {
      throw new Error(`${where}: no heading ${heading} (${err.message})`);
    });
}

const bases = () => [
  ['directly', e.url],
  ['through nginx', nginx.httpUrl],
];

describe('every route survives a reload and a bookmark', () => {
  for (const which of ['directly', 'through nginx']) {
    it(`${which}: signed out, a bookmark shows the sign-in page, then the page at the same address`, async () => {
      const base = bases().find(([w]) => w === which)![1]!;
      // one browser profile, its cookies cleared per route: a fresh profile per route cost ~2 s each
      const ctx = await e.context({ baseURL: base });
      const page = await ctx.newPage();
      for (const [route, heading] of routes()) {
        // the previous route's page goes first: a request it still sends after the cookies are
        // cleared would be answered 401 and logged as a problem of this route
        await page.goto('about:blank');
        await ctx.clearCookies();
        const res = await page.goto(route);
        const where = `${which} ${route}`;
        expect(res?.status(), where).toBe(200);
        // the first answer is the app itself, never a redirect
        expect(res?.request().redirectedFrom(), where).toBeNull();
        await expectPage(page, 'Sign in to Tiny Agent', where);
        // signing in (an argon2 verification each) on a sample of routes: the app's top level, a
        // nested one, a download prefix and a trailing slash; every route's page is checked below
        if (!['/', `/runs/${runId}`, '/files', '/history/'].includes(route)) continue;
        await page.getByLabel('Username').fill('admin');
        await page.getByLabel('Password').fill(ADMIN_PASSWORD);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await expectPage(page, heading, where);
        expect(new URL(page.url()).pathname, where).toBe(route);
      }
      expect(ctx.problems).toEqual([]);
      await ctx.close();
    }, 180_000);

    it(`${which}: signed in, each route loaded afresh (as a reload does) shows its page`, async () => {
      const base = bases().find(([w]) => w === which)![1]!;
      const ctx = await e.context({ baseURL: base });
      const page = await ctx.newPage();
      await page.goto('/');
      await page.getByLabel('Username').fill('admin');
      await page.getByLabel('Password').fill(ADMIN_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expectPage(page, 'Dashboard', which);
      for (const [route, heading] of routes()) {
        const where = `${which} ${route}`;
        // goto loads the whole document from the server, as a reload does (not a client-side
        // navigation): one load per route, which halves this test's time
        const res = await page.goto(route);
        expect(res?.status(), where).toBe(200);
        expect(res?.request().redirectedFrom(), where).toBeNull();
        await expectPage(page, heading, where);
        expect(new URL(page.url()).pathname, where).toBe(route);
      }
      expect(ctx.problems).toEqual([]);
    }, 120_000);
  }
});
