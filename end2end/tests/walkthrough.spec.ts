// The walk-through of issue #15: the places where a new person used to
// stumble, walked as a person would, by labels and link texts.
import { test, expect, allowConsoleError, type Page } from './fixtures';
import { linkFromMail } from './mail';
import { signedIn } from './session';

function flash(page: Page) {
  return page.locator('.flash-area');
}

async function signIn(page: Page, email: string, password = 'kulisy-demo') {
  await page.getByLabel('Электронная почта').fill(email);
  await page.getByLabel('Пароль').fill(password);
  await page.getByRole('button', { name: 'Войти' }).click();
}

test('a dead confirmation link offers a new one, and an old link of a confirmed address says so', async ({ page }) => {
  test.setTimeout(120_000);
  const email = `walk-${Date.now()}@example.ru`;
  const password = 'Третий звонок 3';
  const start = Date.now();
  await page.goto('/register');
  await page.getByLabel('Имя и фамилия').fill('Алиса Коонен');
  await page.getByLabel('Электронная почта').fill(email);
  await page.getByLabel('Пароль', { exact: true }).fill(password);
  await page.getByLabel('Пароль ещё раз').fill(password);
  await page.getByLabel(/согласен\(на\) на обработку/).check();
  await page.getByRole('button', { name: 'Зарегистрироваться' }).click();
  await expect(page).toHaveURL(/\/login$/);
  const first = await linkFromMail(email, '/confirm-email', start - 1000);

  // Signing in before confirming sends a new letter: the first link dies.
  allowConsoleError('status of 409');
  const resent = Date.now();
  await signIn(page, email, password);
  await expect(page.getByRole('alert')).toContainText('Адрес ещё не подтверждён');
  const second = await linkFromMail(email, '/confirm-email', resent - 1);
  expect(second).not.toEqual(first);

  allowConsoleError('status of 410');
  await page.goto(first);
  await page.getByRole('button', { name: 'Подтвердить адрес' }).click();
  await expect(page.getByRole('alert')).toContainText('Ссылка недействительна или устарела');
  const forward = page.getByRole('region', { name: 'Что делать' });
  await forward.getByLabel('Электронная почта').fill(email);
  const asked = Date.now();
  await forward.getByRole('button', { name: 'Прислать новую ссылку' }).click();
  await expect(flash(page)).toContainText('мы отправили на него новую ссылку');
  const third = await linkFromMail(email, '/confirm-email', asked - 1);

  await page.goto(third);
  await page.getByRole('button', { name: 'Подтвердить адрес' }).click();
  await expect(flash(page)).toContainText('Адрес подтверждён');

  // The first letter, opened late: nothing to do any more, and it says so.
  await page.goto(first);
  await page.getByRole('button', { name: 'Подтвердить адрес' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(flash(page)).toContainText('уже подтверждён');
  await signIn(page, email, password);
  await expect(page).toHaveURL(/\/my\/enrollments$/);
});

test('a dead reset link offers a new letter right there', async ({ page }) => {
  allowConsoleError('status of 410');
  await page.goto('/reset-password?token=0123456789abcdef');
  await page.getByLabel('Новый пароль', { exact: true }).fill('Новый пароль 2026');
  await page.getByLabel('Пароль ещё раз').fill('Новый пароль 2026');
  await page.getByRole('button', { name: 'Сохранить пароль' }).click();
  await expect(page.getByRole('alert')).toContainText('Ссылка недействительна или устарела');
  const forward = page.getByRole('region', { name: 'Что делать' });
  await forward.getByLabel('Электронная почта').fill('anna@kulisy.test');
  await forward.getByRole('button', { name: 'Прислать ссылку' }).click();
  await expect(flash(page)).toContainText('мы отправили на него ссылку');
});

test('a visitor stopped on the way to enrolling signs in and lands where they were going', async ({ page }) => {
  // Clicked at once, before the bundle has started: each link loads its page
  // whole, and the wizard's page says "sign in first" with its status, 401.
  allowConsoleError('status of 401');
  await page.goto('/courses');
  await page.getByRole('link', { name: 'Сценическое движение и пластика' }).first().click();
  await page.getByRole('link', { name: 'Записаться' }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Нужно войти');
  const wanted = new URL(page.url()).pathname;
  await page.getByRole('main').getByRole('link', { name: 'Войти' }).click();
  await signIn(page, 'dmitry@kulisy.test');
  await expect(page).toHaveURL(new RegExp(`${wanted}$`));
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Запись на курс');
});

test('each role lands where its work is', async ({ browser }) => {
  for (const [email, landing, heading] of [
    ['admin@kulisy.test', /\/admin$/, 'Администрирование'],
    ['lebedev@kulisy.test', /\/teach$/, 'Кабинет педагога'],
    ['maria@kulisy.test', /\/my\/enrollments$/, 'Мои записи'],
  ] as const) {
    const page = await signedIn(browser, email, landing);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
    await page.context().close();
  }
});

test('a refused page shows the refusal alone, and the way to sign in as someone else', async ({ browser }) => {
  allowConsoleError('status of 403');
  const page = await signedIn(browser, 'anna@kulisy.test');
  await page.goto('/admin/people');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Нет доступа');
  await expect(page.getByText('Добавить педагога')).toHaveCount(0);
  await expect(page.getByRole('navigation', { name: 'Разделы администрирования' })).toHaveCount(0);
  await page.getByRole('link', { name: 'Войти под другой учётной записью' }).click();
  await signIn(page, 'admin@kulisy.test');
  await expect(page).toHaveURL(/\/admin\/people$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Люди');
});

test("the header's link of the page one is on shows what changed since", async ({ browser }) => {
  test.setTimeout(120_000);
  const student = await signedIn(browser, 'nikita@kulisy.test');
  const request = student.locator('article.enrollment').filter({ hasText: 'Сценическая речь' });
  await expect(request.locator('.status')).toHaveText('Ожидание');

  const teacher = await signedIn(browser, 'lebedev@kulisy.test', /\/teach$/);
  const nikita = teacher.locator('article.enrollment').filter({ hasText: 'Никита Смирнов' }).filter({ hasText: 'Сценическая речь' });
  await nikita.getByRole('button', { name: 'Подтвердить' }).click();
  await expect(teacher.getByRole('status').filter({ hasText: 'Заявка подтверждена' })).toBeVisible();

  await student.getByRole('banner').getByRole('link', { name: 'Мои записи' }).click();
  await expect(request.locator('.status')).toHaveText('Подтверждено');
});

test('a phone portrait stands upright in the portfolio', async ({ browser }) => {
  const page = await signedIn(browser, 'maria@kulisy.test');
  await page.getByRole('banner').getByRole('link', { name: 'Портфолио' }).click();
  // A landscape JPEG from the browser's own encoder, with the EXIF note
  // «turn a quarter clockwise» that phones write into portraits.
  const landscape = Buffer.from(
    await page.evaluate(() => {
      const canvas = document.createElement('canvas');
      [canvas.width, canvas.height] = [400, 200];
      const g = canvas.getContext('2d')!;
      g.fillStyle = '#d00';
      g.fillRect(0, 0, 400, 100);
      g.fillStyle = '#00d';
      g.fillRect(0, 100, 400, 100);
      return canvas.toDataURL('image/jpeg').split(',')[1];
    }),
    'base64',
  );
  const tiff = [0x49, 0x49, 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0];
  const app1 = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), Buffer.from(tiff)]);
  const segment = Buffer.concat([Buffer.from([0xff, 0xe1, (app1.length + 2) >> 8, (app1.length + 2) & 0xff]), app1]);
  const portrait = Buffer.concat([landscape.subarray(0, 2), segment, landscape.subarray(2)]);

  const form = page.locator('form.upload-form');
  await form.getByLabel('Фото').check();
  await form.getByLabel('Название').fill('Портрет с телефона');
  await form.getByLabel('Файл').setInputFiles({ name: 'IMG_0001.JPG', mimeType: 'image/jpeg', buffer: portrait });
  await form.getByRole('button', { name: 'Добавить' }).click();
  await expect(form.getByRole('status').filter({ hasText: 'Фотография добавлена' })).toBeVisible();
  const shown = page.getByRole('img', { name: 'Портрет с телефона' });
  await expect(shown).toBeVisible();
  await expect.poll(() => shown.evaluate((img: HTMLImageElement) => img.naturalHeight > img.naturalWidth)).toBe(true);
});

test("the office sets the school's details once, and every page shows them", async ({ browser }) => {
  const office = await signedIn(browser, 'admin@kulisy.test', /\/admin$/);
  await office.getByRole('navigation', { name: 'Разделы администрирования' }).getByRole('link', { name: 'Школа' }).click();
  await expect(office.getByRole('heading', { level: 1 })).toHaveText('Школа');
  await office.getByLabel('Название школы').fill('Рампа');
  await office.getByLabel('Телефон').fill('+7 (843) 200-00-00');
  await office.getByLabel('Ссылка на карту').fill('https://yandex.ru/maps/-/CHabc');
  await office.getByLabel(/Школа в соцсетях/).fill('https://vk.com/rampa');
  await office.getByRole('button', { name: 'Сохранить' }).click();
  await expect(office.getByRole('status').filter({ hasText: 'Сведения о школе сохранены' })).toBeVisible();
  const footer = office.getByRole('contentinfo');
  await expect(footer).toContainText('Рампа');
  await expect(footer.getByRole('link', { name: '+7 (843) 200-00-00' })).toHaveAttribute('href', 'tel:+78432000000');

  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto('/');
  await visitor.getByRole('link', { name: 'Афиша' }).first().click();
  await expect(visitor).toHaveTitle('Афиша — Рампа');
  await expect(visitor.getByRole('contentinfo').getByRole('link', { name: 'Как добраться' })).toHaveAttribute('href', 'https://yandex.ru/maps/-/CHabc');
  await expect(visitor.getByRole('contentinfo').getByRole('link', { name: 'ВКонтакте' })).toBeVisible();

  // A bad value is named beside its field, and nothing changes.
  allowConsoleError('status of 422');
  await office.getByLabel('Ссылка на карту').fill('javascript:alert(1)');
  await office.getByRole('button', { name: 'Сохранить' }).click();
  await expect(office.getByText('Ссылка должна начинаться с https://')).toBeVisible();
  await office.getByLabel('Ссылка на карту').fill('');
  await office.getByLabel('Название школы').fill('Кулисы');
  await office.getByRole('button', { name: 'Сохранить' }).click();
  await expect(office.getByRole('banner')).toContainText('Кулисы');
});
