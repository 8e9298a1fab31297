import { test, expect, allowConsoleError, type Page } from './fixtures';
import { signedIn } from './session';

test('a teacher confirms one request and rejects another; the students see both outcomes', async ({ browser }) => {
  test.setTimeout(120_000);
  const teacher = await signedIn(browser, 'sokolova@kulisy.test', /\/teach$/);
  await expect(teacher.getByRole('heading', { name: 'Заявки, ждущие решения' })).toBeVisible();

  // Мария asked for «Актёрское мастерство: основы»: confirm.
  const maria = () =>
    teacher.locator('article.enrollment').filter({ has: teacher.getByRole('heading', { name: 'Мария Павлова' }) });
  await expect(maria()).toContainText('Актёрское мастерство: основы');
  await maria().getByRole('button', { name: 'Подтвердить' }).click();
  await expect(teacher.getByRole('status').filter({ hasText: 'Заявка подтверждена' })).toBeVisible();
  await expect(maria()).toHaveCount(0);

  // Дмитрий asked for «Работа перед камерой» as a pair: reject, with a reason.
  const dmitry = teacher.locator('article.enrollment').filter({ hasText: 'Дмитрий Волков' }).filter({ hasText: 'Работа перед камерой' });
  await dmitry.getByRole('link', { name: 'Отклонить…' }).click();
  allowConsoleError('status of 422'); // a rejection without a reason, on purpose
  await dmitry.getByRole('button', { name: 'Отклонить заявку' }).click();
  await expect(dmitry.getByText('Укажите причину')).toBeVisible();
  await dmitry.getByLabel('Причина отказа').fill('Курс рассчитан на тех, кто прошёл основы: приходите после базового курса.');
  await dmitry.getByRole('button', { name: 'Отклонить заявку' }).click();
  await expect(teacher.getByRole('status').filter({ hasText: 'Заявка отклонена' })).toBeVisible();

  // The students see the outcomes in their history.
  const mariaPage = await signedIn(browser, 'maria@kulisy.test', /\/my\/enrollments$/);
  await mariaPage.getByRole('link', { name: 'Мои записи' }).click();
  const confirmed = mariaPage.locator('article.enrollment').filter({ hasText: 'Актёрское мастерство: основы' });
  await expect(confirmed.locator('.status')).toHaveText('Подтверждено');

  const dmitryPage = await signedIn(browser, 'dmitry@kulisy.test', /\/my\/enrollments$/);
  await dmitryPage.getByRole('link', { name: 'Мои записи' }).click();
  const rejected = dmitryPage.locator('article.enrollment').filter({ hasText: 'Работа перед камерой' });
  await expect(rejected.locator('.status')).toHaveText('Отклонено');
  await expect(rejected).toContainText('приходите после базового курса');
});

test('the teacher sees a course roster filtered by status on a phone', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel('Электронная почта').fill('sokolova@kulisy.test');
  await page.getByLabel('Пароль').fill('kulisy-demo');
  await page.getByRole('button', { name: 'Войти' }).click();
  await expect(page).toHaveURL(/\/teach$/);
  await page.getByRole('link', { name: 'Актёрское мастерство: основы' }).first().click();
  await page.getByLabel('Статус').selectOption({ label: 'Подтверждено' });
  await page.getByRole('button', { name: 'Показать' }).click();
  await expect(page).toHaveURL(/status=confirmed/);
  await expect(page.locator('article.enrollment').filter({ hasText: 'Анна Кузнецова' })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await context.close();
});

test('a teacher edits the public profile on the profile page; the message stays after the page re-reads it', async ({ browser }) => {
  const page = await signedIn(browser, 'lebedev@kulisy.test');
  await page.getByRole('link', { name: 'Профиль' }).click();
  await expect(page.getByRole('heading', { name: 'Профиль педагога' })).toBeVisible();
  const specialization = page.getByLabel('Специализация');
  const before = await specialization.inputValue();
  await specialization.fill('Импровизация и этюд');
  await page.getByRole('button', { name: 'Сохранить профиль педагога' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Профиль педагога сохранён.' })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Специализация')).toHaveValue('Импровизация и этюд');
  // Put back for the tests that follow.
  await page.getByLabel('Специализация').fill(before);
  await page.getByRole('button', { name: 'Сохранить профиль педагога' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Профиль педагога сохранён.' })).toBeVisible();
});
