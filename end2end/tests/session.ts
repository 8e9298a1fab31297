import { expect, type Browser, type Page } from '@playwright/test';
import { awaitHydration } from './fixtures';

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
  await awaitHydration(page);
  return page;
}
