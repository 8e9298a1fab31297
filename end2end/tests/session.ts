import { expect, type Browser, type Page } from '@playwright/test';

/** A demo person signed in through the login form, in a browser context of their own. */
export async function signedIn(
  browser: Browser,
  email: string,
  landing: RegExp = /\/(my\/enrollments|teach|admin)$/,
): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto('/login');
  await page.getByLabel('Электронная почта').fill(email);
  await page.getByLabel('Пароль').fill('kulisy-demo');
  await page.getByRole('button', { name: 'Войти' }).click();
  await expect(page).toHaveURL(landing);
  // A fresh context compiles the debug wasm again: give it time.
  await expect(page.locator('body[data-hydrated]')).toBeAttached({ timeout: 30_000 });
  return page;
}
