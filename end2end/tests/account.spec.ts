import { test, expect, allowConsoleError, awaitHydration, type Page } from './fixtures';
import { linkFromMail } from './mail';

// An 8×8 PNG: a real image for the profile photo.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEUlEQVR4nGOIFlLCihiGlgQABtojwaO7N2YAAAAASUVORK5CYII=',
  'base64',
);

async function hydrated(page: Page, path: string) {
  await page.goto(path);
  await awaitHydration(page);
}

function flash(page: Page) {
  return page.locator('.flash-area');
}

test('a student registers, confirms, edits the profile, recovers the password and leaves', async ({ page }) => {
  test.setTimeout(120_000);
  const email = `e2e-${Date.now()}@example.ru`;
  const first = 'Занавес поднят 1';
  const second = 'Антракт окончен 2';
  const third = 'Финальный поклон 3';

  // Register.
  await hydrated(page, '/register');
  await page.getByLabel('Имя и фамилия').fill('Вера Комиссаржевская');
  await page.getByLabel('Электронная почта').fill(email);
  await page.getByLabel('Пароль', { exact: true }).fill(first);
  await page.getByLabel('Пароль ещё раз').fill(first);
  await page.getByLabel('Я согласен(на) на обработку моих персональных данных').check();
  await page.getByRole('button', { name: 'Зарегистрироваться' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(flash(page)).toContainText('мы отправили письмо');

  // Confirm the address with the link from the e-mail.
  await hydrated(page, await linkFromMail(email, '/confirm-email'));
  await page.getByRole('button', { name: 'Подтвердить адрес' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(flash(page)).toContainText('Адрес подтверждён');

  // Log in.
  await page.getByLabel('Электронная почта').fill(email);
  await page.getByLabel('Пароль').fill(first);
  await page.getByRole('button', { name: 'Войти' }).click();
  await expect(page).toHaveURL(/\/my\/enrollments$/);
  await expect(page.locator('.site-user__name')).toHaveText('Вера Комиссаржевская');
  await page.getByRole('banner').getByRole('link', { name: 'Профиль' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Профиль');

  // Edit the profile.
  await page.getByLabel('Телефон').fill('+7 903 000-11-22');
  await page.getByLabel('О себе').fill('Играю Нину Заречную.');
  await page.getByRole('button', { name: 'Сохранить', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Профиль сохранён' })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Телефон')).toHaveValue('+7 903 000-11-22');

  // Upload a photo.
  await page.getByLabel('Новая фотография').setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: PNG });
  await page.getByRole('button', { name: 'Загрузить' }).click();
  await expect(flash(page)).toContainText('Фотография обновлена');
  await expect(page.getByRole('img', { name: 'Фотография: Вера Комиссаржевская' })).toBeVisible();

  // Change the password, then log out.
  await awaitHydration(page);
  await page.getByLabel('Текущий пароль').fill(first);
  await page.getByLabel('Новый пароль', { exact: true }).fill(second);
  await page.getByLabel('Новый пароль ещё раз').fill(second);
  await page.getByRole('button', { name: 'Сменить пароль' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Пароль изменён' })).toBeVisible();
  await page.getByRole('button', { name: 'Выйти' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('banner').getByRole('link', { name: 'Войти' })).toBeVisible();

  // Forgot it: reset through the e-mailed link.
  const before = Date.now();
  await hydrated(page, '/forgot');
  await page.getByLabel('Электронная почта').fill(email);
  await page.getByRole('button', { name: 'Прислать ссылку' }).click();
  await expect(flash(page)).toContainText('мы отправили на него ссылку');
  await hydrated(page, await linkFromMail(email, '/reset-password', before - 1000));
  await page.getByLabel('Новый пароль', { exact: true }).fill(third);
  await page.getByLabel('Пароль ещё раз').fill(third);
  await page.getByRole('button', { name: 'Сохранить пароль' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(flash(page)).toContainText('Пароль изменён');

  // The old password no longer works (refused on purpose: 409); the new one does.
  allowConsoleError('status of 409');
  await page.getByLabel('Электронная почта').fill(email);
  await page.getByLabel('Пароль').fill(second);
  await page.getByRole('button', { name: 'Войти' }).click();
  await expect(page.getByRole('alert')).toContainText('Неверный адрес или пароль');
  await page.getByLabel('Пароль').fill(third);
  await page.getByRole('button', { name: 'Войти' }).click();
  await expect(page).toHaveURL(/\/my\/enrollments$/);
  await page.getByRole('banner').getByRole('link', { name: 'Профиль' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Профиль');

  // Delete the account.
  await page.locator('#f-delete_password').fill(third);
  await page.getByLabel('Я понимаю, что удаление необратимо').check();
  await page.getByRole('button', { name: 'Удалить учётную запись' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(flash(page)).toContainText('Учётная запись удалена');
  await expect(page.getByRole('banner').getByRole('link', { name: 'Войти' })).toBeVisible();
});

test('forms work before the wasm bundle loads', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel('Электронная почта').fill('anna@kulisy.test');
  await page.getByLabel('Пароль').fill('не тот пароль');
  await page.getByRole('button', { name: 'Войти' }).click();
  await expect(page.getByRole('alert')).toContainText('Неверный адрес или пароль');

  await page.getByLabel('Электронная почта').fill('anna@kulisy.test');
  await page.getByLabel('Пароль').fill('kulisy-demo');
  await page.getByRole('button', { name: 'Войти' }).click();
  await expect(page).toHaveURL(/\/my\/enrollments$/);
  await expect(page.locator('.flash-area')).toContainText('Добро пожаловать');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Мои записи');

  // A page behind a mailed link shares its address with no other site, yet
  // its refused form still comes back to it with the reason.
  await page.goto('/reset-password?token=0123456789abcdef');
  await page.getByLabel('Новый пароль', { exact: true }).fill('Новый пароль 2026');
  await page.getByLabel('Пароль ещё раз').fill('Новый пароль 2026');
  await page.getByRole('button', { name: 'Сохранить пароль' }).click();
  await expect(page).toHaveURL(/\/reset-password\?token=0123456789abcdef/);
  await expect(page.getByRole('alert')).toContainText('Ссылка недействительна или устарела');
  await context.close();
});
