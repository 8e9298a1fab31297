import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';

export { expect };
export type { Browser, Page } from '@playwright/test';

/**
 * Every test fails on an error in the browser's console or an uncaught
 * exception, in any page of any context it opens: no page logs an error in
 * normal use. A test that opens a refused or missing page on purpose says
 * which message it expects with `allowConsoleError`.
 */
export const test = base.extend<{ consoleErrors: void }>({
  consoleErrors: [
    async ({ browser, context }, use, testInfo) => {
      const errors: string[] = [];
      const watch = (ctx: BrowserContext) => {
        ctx.on('console', (message) => {
          if (message.type() === 'error') errors.push(`${message.text()} (${message.location().url})`);
        });
        ctx.on('weberror', (error) => errors.push(`uncaught: ${error.error().message}`));
        // A page with scripts that arrives without its own policy (the one
        // naming the nonce its scripts carry) cannot hydrate: say so with the
        // headers. Pages without scripts (a refused upload's) need no nonce.
        ctx.on('response', async (response) => {
          if (response.request().resourceType() !== 'document') return;
          const headers = await response.allHeaders().catch(() => ({}) as Record<string, string>);
          const html = (headers['content-type'] ?? '').startsWith('text/html');
          const policy = headers['content-security-policy'] ?? '';
          if (!html || response.status() === 304 || policy.includes("'nonce-")) return;
          const body = await response.text().catch(() => '<script');
          if (body.includes('<script')) {
            errors.push(`a page without its policy: ${response.status()} ${response.url()} ${JSON.stringify(headers)}`);
          }
        });
      };
      watch(context);
      const newContext = browser.newContext.bind(browser);
      browser.newContext = async (...args) => {
        const ctx = await newContext(...args);
        watch(ctx);
        return ctx;
      };
      await use();
      browser.newContext = newContext;
      const allowed = testInfo.annotations.filter((a) => a.type === 'allowed-console-error').map((a) => a.description ?? '');
      const unexpected = errors.filter((e) => !allowed.some((text) => e.includes(text)));
      expect(unexpected, 'errors in the browser console').toEqual([]);
    },
    { auto: true },
  ],
});

/** This test opens a page that answers with an error on purpose (a refusal, a 404). */
export function allowConsoleError(text: string) {
  test.info().annotations.push({ type: 'allowed-console-error', description: text });
}

/**
 * Waits for the page to come alive. A page starts its bundle on the first
 * sign of a person (or at once when the browser holds the bundle already),
 * so this acts as one first: a key that types nothing.
 */
export async function awaitHydration(page: Page, timeout = 30_000) {
  await page.keyboard.press('Shift');
  await expect(page.locator('body[data-hydrated]')).toBeAttached({ timeout });
}
