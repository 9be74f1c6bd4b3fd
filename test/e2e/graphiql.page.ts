// Driving the GraphiQL page in the browser tests (graphiql.test.ts, graphiql-nginx.test.ts).
import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';

/** Aborts and records every request of `ctx` to an origin other than `origin`. */
export async function blockOtherOrigins(ctx: BrowserContext, origin: string): Promise<string[]> {
  const foreign: string[] = [];
  await ctx.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('data:') || url.startsWith('blob:') || new URL(url).origin === origin)
      return route.continue();
    foreign.push(url);
    return route.abort('blockedbyclient');
  });
  return foreign;
}

/** Replaces the text of the visible Monaco editor under `editor` (the operation, the headers). */
export async function typeInto(page: Page, editor: string, text: string): Promise<void> {
  await page.locator(editor).filter({ visible: true }).first().click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

/** Replaces the operation in the editor and runs it; resolves with the result pane's text. */
export async function runOperation(
  page: Page,
  query: string,
  expected: string | RegExp,
): Promise<string> {
  await typeInto(page, '.graphiql-query-editor .monaco-editor', query);
  // GraphiQL takes the editor's text into its state 100 ms after the last keystroke (debounced),
  // storing it as it does: a click before that ran the previous operation
  await expect
    .poll(() => page.evaluate(() => localStorage.getItem('graphiql:query')), { timeout: 5_000 })
    .toBe(query);
  await page.getByRole('button', { name: /Execute query/ }).click();
  const result = page.locator('.result-window');
  const text = () => result.innerText().then((t) => t.replace(/\u00a0/g, ' ')); // Monaco's spaces
  await expect
    .poll(text, { timeout: 15_000 })
    .toMatch(expected)
    .catch(async (err: Error) => {
      throw new Error(`${query}: ${err.message}\n${await text()}`);
    });
  return text();
}
