import { test, expect, allowConsoleError, awaitHydration, type Page } from './fixtures';

/** Collects console errors and uncaught exceptions of a page. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(String(err)));
  return errors;
}

test('the home page arrives rendered by the server', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/');
  await expect(page).toHaveTitle('Кулисы — театральная школа');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Театральная школа «Кулисы»');
  await expect(page.getByRole('heading', { name: 'Скоро на сцене' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Вишнёвый сад' })).toBeVisible();
  await context.close();
});

test('the page hydrates without console errors', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await awaitHydration(page);
  expect(errors).toEqual([]);
});

test('a visitor downloads the bundle when they act, the public pages only; the sign-in page arrives when opened', async ({ page }) => {
  const errors = watchErrors(page);
  const wasm: string[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('.wasm')) wasm.push(new URL(r.url()).pathname);
  });
  await page.goto('/courses');
  await page.waitForLoadState('networkidle');
  expect(wasm, 'a first visit reads the page without the bundle').toEqual([]);
  await awaitHydration(page);
  expect(wasm, 'the main bundle alone').toEqual([expect.stringMatching(/^\/pkg\/kulisy\.[\w-]+\.wasm$/)]);
  // Client-side: the sign-in piece is fetched, then the page works.
  await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));
  await page.getByRole('banner').getByRole('link', { name: 'Войти' }).click();
  await expect(page.getByLabel('Электронная почта')).toBeVisible();
  expect(wasm.some((path) => path.includes('split_account')), `fetched: ${wasm}`).toBe(true);
  expect(wasm.some((path) => path.includes('split_office')), 'the office piece stays on the server').toBe(false);
  await page.getByLabel('Электронная почта').fill('anna@kulisy.test');
  await page.getByLabel('Пароль').fill('kulisy-demo');
  await page.getByRole('button', { name: 'Войти' }).click();
  await expect(page).toHaveURL(/\/my\/enrollments$/);
  expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
  expect(errors).toEqual([]);
});

test('once the browser holds the bundle, the next public page starts it at once', async ({ page }) => {
  await page.goto('/afisha');
  await awaitHydration(page);
  await page.goto('/courses'); // a full page load, and no key or pointer this time
  await expect(page.locator('body[data-hydrated]')).toBeAttached({ timeout: 30_000 });
});

test('navigating to a course happens in the browser after hydration', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await awaitHydration(page);
  // A full page load would wipe this marker; client-side routing keeps it.
  await page.evaluate(() => ((window as any).__stillHere = true));

  await page.getByRole('navigation', { name: 'Основная навигация' })
    .getByRole('link', { name: 'Курсы и расписание' }).click();
  await expect(page).toHaveURL(/\/courses$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Курсы и расписание');

  await page.getByRole('link', { name: 'Сценическая речь' }).click();
  await expect(page).toHaveURL(/\/courses\/scenicheskaya-rech$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Сценическая речь');
  await expect(page.getByRole('cell', { name: 'Вторник' })).toBeVisible();
  await expect(page).toHaveTitle('Сценическая речь — Кулисы');

  expect(await page.evaluate(() => (window as any).__stillHere)).toBe(true);
  expect(errors).toEqual([]);
});

test('the catalogue works with JavaScript disabled', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/courses');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Курсы и расписание');
  // Every course of the demo school (other tests may have added more).
  for (const title of ['Актёрское мастерство: основы', 'Сценическая речь', 'Сценическое движение и пластика', 'Импровизация', 'Работа перед камерой', 'Вокал для драматических актёров']) {
    await expect(page.locator('article.course-card').getByRole('link', { name: title, exact: true })).toBeVisible();
  }
  await expect(page.getByText('Мест нет — лист ожидания')).toBeVisible();
  await page.getByRole('link', { name: 'Импровизация' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Импровизация');
  await expect(page.getByRole('cell', { name: 'Пятница' })).toBeVisible();
  await context.close();
});

test('pages fit a 360 px phone', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  for (const path of ['/', '/courses', '/afisha']) {
    await page.goto(path);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width, `${path} scrolls sideways`).toBeLessThanOrEqual(360);
  }
  await context.close();
});

test('an unknown address gets the Russian 404 page', async ({ page }) => {
  allowConsoleError('status of 404');
  const response = await page.goto('/nichego-net');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Страница не найдена');
});

test('the site can be used with the keyboard', async ({ page }) => {
  await page.goto('/');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Перейти к содержанию' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#main$/);
});
