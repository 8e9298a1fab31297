import { test, expect, awaitHydration, type Page } from './fixtures';

const PASSWORD = 'kulisy-demo';

async function logIn(page: Page, email: string) {
  await page.goto('/login');
  await page.getByLabel('Электронная почта').fill(email);
  await page.getByLabel('Пароль').fill(PASSWORD);
  await page.getByRole('button', { name: 'Войти' }).click();
  await expect(page).toHaveURL(/\/my\/enrollments$/);
}

function course(page: Page, title: string) {
  return page.locator('.card__title').getByRole('link', { name: title, exact: true });
}

test('a student filters the schedule, enrolls in a pair course, sees it pending and cancels it', async ({ page }) => {
  test.setTimeout(120_000);
  await logIn(page, 'dmitry@kulisy.test');
  await awaitHydration(page);

  // Filter the schedule: pair courses only. The filter lives in the address.
  await page.getByRole('link', { name: 'Курсы и расписание' }).first().click();
  await page.getByLabel('Формат').selectOption({ label: 'Парное' });
  await page.getByRole('button', { name: 'Показать' }).click();
  await expect(page).toHaveURL(/format=pair/);
  // Addresses carry the chosen fields only, no nameless `&=` of the button.
  const clean = /[?&]=/;
  await expect(page).not.toHaveURL(clean);
  await expect(course(page, 'Импровизация')).toBeVisible();
  await expect(course(page, 'Сценическая речь')).toHaveCount(0);

  // The wizard: teacher → format and partner → period → summary.
  await course(page, 'Импровизация').click();
  await page.getByRole('link', { name: 'Записаться' }).click();
  await page.getByLabel('Екатерина Сергеевна Орлова').check();
  await page.getByRole('button', { name: 'Далее' }).click();
  await expect(page.getByLabel('Парное')).toBeChecked();
  await expect(page).not.toHaveURL(clean);
  await page.getByLabel('Электронная почта партнёра').fill('maria@kulisy.test');
  await page.getByRole('button', { name: 'Далее' }).click();
  await expect(page).toHaveURL(/step=/);
  await expect(page).not.toHaveURL(clean);

  // Free seats follow the chosen dates without a reload.
  const seats = page.locator('.seats-live');
  await expect(seats).toContainText('свободно 6 из 6');
  const start = await page.getByLabel('Начало').inputValue();
  await page.getByLabel('Окончание').fill('2000-01-01');
  await expect(seats).toContainText('Выберите даты внутри срока курса');
  const end = new Date(Date.parse(start) + 14 * 86_400_000).toISOString().slice(0, 10);
  await page.getByLabel('Окончание').fill(end);
  await expect(seats).toContainText('свободно 6 из 6');
  await page.getByRole('button', { name: 'Далее' }).click();

  await expect(page.getByRole('heading', { name: 'Проверьте заявку' })).toBeVisible();
  await expect(page.locator('.summary')).toContainText('Мария Павлова');
  await page.getByRole('button', { name: 'Отправить заявку' }).click();

  // History: pending, with the partner's answer awaited.
  await expect(page).toHaveURL(/\/my\/enrollments$/);
  await expect(page.locator('.flash-area')).toContainText('Заявка отправлена');
  const card = page.locator('article.enrollment').filter({ hasText: 'Импровизация' });
  await expect(card.locator('.status')).toHaveText('Ожидание');
  await expect(card).toContainText('ждём ответа партнёра');

  // Cancel, with a confirmation step.
  await card.getByRole('link', { name: 'Отменить заявку' }).click();
  await expect(card.getByRole('alertdialog')).toContainText('Отменить запись на «Импровизация»?');
  await card.getByRole('button', { name: 'Да, отменить' }).click();
  await expect(page.locator('.flash-area')).toContainText('Заявка отменена');
  await expect(card.locator('.status')).toHaveText('Отменено');
});

test('without JavaScript the filters and the whole wizard still work', async ({ browser }) => {
  test.setTimeout(120_000);
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await logIn(page, 'anna@kulisy.test');

  await page.goto('/courses');
  await page.getByLabel('День недели').selectOption({ label: 'Воскресенье' });
  await page.getByLabel('Только со свободными местами').check();
  await page.getByRole('button', { name: 'Показать' }).click();
  await expect(page).toHaveURL(/day=7/);
  await expect(course(page, 'Вокал для драматических актёров')).toBeVisible();
  await expect(course(page, 'Импровизация')).toHaveCount(0);

  await course(page, 'Вокал для драматических актёров').click();
  await page.getByRole('link', { name: 'Записаться' }).click();
  await page.getByRole('button', { name: 'Далее' }).click(); // the only teacher is chosen
  await page.getByLabel('Персональное').check();
  await page.getByRole('button', { name: 'Далее' }).click();
  await expect(page.locator('.seats-live')).toContainText('свободно 5 из 5');
  await page.getByRole('button', { name: 'Далее' }).click();
  await page.getByRole('button', { name: 'Отправить заявку' }).click();
  await expect(page).toHaveURL(/\/my\/enrollments$/);
  await expect(page.locator('article.enrollment').filter({ hasText: 'Вокал' }).locator('.status')).toHaveText('Ожидание');
  await context.close();
});

test('the week calendar fits a 360 px phone', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  await page.goto('/courses?view=week');
  await expect(page.locator('.week')).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(overflow).toBeLessThanOrEqual(360);
  await page.screenshot({ path: 'test-results/week-phone.png', fullPage: true });
  await context.close();
});
