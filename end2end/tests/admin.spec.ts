import { test, expect, awaitHydration } from './fixtures';

// An 8×8 PNG: a real image for a show's poster.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEUlEQVR4nGOIFlLCihiGlgQABtojwaO7N2YAAAAASUVORK5CYII=',
  'base64',
);

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

test('the office adds a teacher, a course with two weekly slots and a show; the public pages show them', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/login');
  await page.getByLabel('Электронная почта').fill('admin@kulisy.test');
  await page.getByLabel('Пароль').fill('kulisy-demo');
  await page.getByRole('button', { name: 'Войти' }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await awaitHydration(page);

  // A teacher.
  await page.getByRole('link', { name: 'Администрирование' }).click();
  await expect(page.getByRole('figure').filter({ hasText: 'Занятые места по курсам' })).toBeVisible();
  // The weekly chart names the month of its first week and where it changes.
  const months = /\d+ (янв\.|февр\.|марта|апр\.|мая|июня|июля|авг\.|сент\.|окт\.|нояб\.|дек\.)/;
  await expect(page.getByRole('figure').filter({ hasText: 'Заявки по неделям' })).toContainText(months);
  await page.getByRole('navigation', { name: 'Разделы администрирования' }).getByRole('link', { name: 'Люди' }).click();
  await page.locator('summary').filter({ hasText: 'Добавить педагога' }).click();
  await page.getByLabel('Имя и фамилия').fill('Анатолий Эфрос');
  await page.getByLabel('Электронная почта').fill('efros@kulisy.test');
  await page.getByLabel('Специализация').fill('Режиссура и актёрский тренинг');
  await page.getByRole('button', { name: 'Добавить педагога' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Педагог добавлен' })).toBeVisible();

  // A course taught by them, with two weekly slots.
  await page.goto('/admin/courses');
  await page.getByRole('link', { name: 'Новый курс' }).click();
  await awaitHydration(page);
  // The editor carries the office menu like every office page.
  await expect(page.getByRole('navigation', { name: 'Разделы администрирования' })).toBeVisible();
  await page.getByLabel('Название').fill('Этюдный метод');
  await page.getByLabel('Мест в группе').fill('8');
  await page.getByLabel('Начало курса').fill(day(5));
  await page.getByLabel('Окончание курса').fill(day(80));
  await page.getByLabel('Анатолий Эфрос').check();
  await page.getByLabel('Показывать в расписании').check();
  await page.locator('#f-slot-0-weekday').selectOption({ label: 'Вторник' });
  await page.locator('#f-slot-0-time').fill('18:30');
  await page.locator('#f-slot-0-room').fill('Малая сцена');
  await page.locator('#f-slot-1-weekday').selectOption({ label: 'Четверг' });
  await page.locator('#f-slot-1-time').fill('19:00');
  await page.locator('#f-slot-1-room').fill('Малая сцена');
  await page.getByRole('button', { name: 'Сохранить курс' }).click();
  await expect(page).toHaveURL(/\/admin\/courses$/);
  await expect(page.getByRole('link', { name: 'Этюдный метод' })).toBeVisible();

  // A show.
  await page.goto('/admin/shows');
  await awaitHydration(page);
  await page.getByLabel('Название').fill('Три сестры');
  await page.getByLabel('Дата и время начала').fill(`${day(20)}T19:00`);
  await page.getByLabel('Место').fill('Учебная сцена «Кулис»');
  await page.getByLabel('Описание').fill('Дипломный спектакль по пьесе А. П. Чехова.');
  await page.getByRole('button', { name: 'Сохранить' }).click();
  await expect(page.locator('.flash-area')).toContainText('Спектакль добавлен');
  const show = page.locator('li.card').filter({ hasText: 'Три сестры' });
  await show.getByLabel('Афиша (JPEG, PNG, WebP, до 5 МБ)').setInputFiles({ name: 'poster.png', mimeType: 'image/png', buffer: PNG });
  await show.getByRole('button', { name: 'Загрузить' }).click();
  await expect(page.locator('.flash-area')).toContainText('Афиша загружена');

  // The public pages.
  await page.goto('/courses?day=2');
  await expect(page.locator('.card__title').getByRole('link', { name: 'Этюдный метод' })).toBeVisible();
  await expect(page.locator('main')).toContainText('Анатолий Эфрос');
  await page.goto('/afisha');
  await page.getByRole('link', { name: 'Три сестры' }).click();
  // The show's own page shows its poster, not only the afisha card.
  await expect(page.getByRole('img', { name: 'Афиша спектакля «Три сестры»' })).toBeVisible();
});
