import { test, expect, allowConsoleError, awaitHydration, type Page } from './fixtures';
import { linkFromMail, mailWith } from './mail';
import { signedIn } from './session';

/** `years` full years before today, as a date field takes it. */
function bornYearsAgo(years: number, extraDays = 30): string {
  const d = new Date();
  d.setFullYear(d.getFullYear() - years);
  d.setDate(d.getDate() - extraDays);
  return d.toISOString().slice(0, 10);
}

async function addChild(page: Page, name: string, birth: string, notes = '') {
  const form = page.locator('section').filter({ has: page.getByRole('heading', { name: 'Добавить ребёнка' }) });
  await form.getByLabel('Имя и фамилия ребёнка').fill(name);
  await form.getByLabel('Дата рождения').fill(birth);
  await form.getByLabel('Для педагога: здоровье, аллергии, что важно знать').fill(notes);
  await form.getByLabel('Я родитель или законный представитель ребёнка').check();
  await form.getByRole('button', { name: 'Добавить ребёнка' }).click();
  await expect(page.getByRole('heading', { name, exact: true })).toBeVisible();
}

/** The wizard from the course page to the summary, for `who`. */
async function enroll(page: Page, course: string, who: string) {
  await page.goto('/courses');
  // The studio has two groups of one title: the first is the Saturday one.
  await page.locator('.card__title').getByRole('link', { name: course, exact: true }).first().click();
  await page.getByRole('link', { name: 'Записаться' }).click();
  await expect(page.getByRole('group', { name: 'Кого записываем?' })).toBeVisible();
  await page.getByLabel(who).check();
  await page.getByRole('button', { name: 'Далее' }).click();
}

test('a parent enrolls her son by age, invites her daughter to her own login; the teacher calls the parent', async ({ page, browser }) => {
  test.setTimeout(240_000);
  const stamp = Date.now();
  const parent = `parent-${stamp}@example.ru`;
  const daughter = `daughter-${stamp}@example.ru`;

  // Register, confirm, sign in, leave a phone number.
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto('/register');
  await awaitHydration(page);
  await page.getByLabel('Имя и фамилия').fill('Ольга Смирнова');
  await page.getByLabel('Электронная почта').fill(parent);
  await page.getByLabel('Пароль', { exact: true }).fill('semya-smirnovykh-1');
  await page.getByLabel('Пароль ещё раз').fill('semya-smirnovykh-1');
  await page.getByLabel('Я согласен(на) на обработку моих персональных данных').check();
  await page.getByRole('button', { name: 'Зарегистрироваться' }).click();
  await page.goto(await linkFromMail(parent, '/confirm-email'));
  await page.getByRole('button', { name: 'Подтвердить адрес' }).click();
  await page.getByLabel('Электронная почта').fill(parent);
  await page.getByLabel('Пароль').fill('semya-smirnovykh-1');
  await page.getByRole('button', { name: 'Войти' }).click();
  await expect(page).toHaveURL(/\/my\/enrollments$/);
  await page.goto('/my/profile');
  await page.getByLabel('Телефон').fill('+7 903 777-88-99');
  await page.getByRole('button', { name: 'Сохранить', exact: true }).click();
  await expect(page.locator('.flash-area, [role=status]').filter({ hasText: 'Профиль сохранён' }).first()).toBeVisible();

  // Two children, each with consent; without it the form says why.
  await page.goto('/my/family');
  await awaitHydration(page);
  const form = page.locator('section').filter({ has: page.getByRole('heading', { name: 'Добавить ребёнка' }) });
  await form.getByLabel('Имя и фамилия ребёнка').fill('Петя Смирнов');
  await form.getByLabel('Дата рождения').fill(bornYearsAgo(9));
  allowConsoleError('status of 422');
  await form.getByRole('button', { name: 'Добавить ребёнка' }).click();
  await expect(form.getByText('Без вашего согласия')).toBeVisible();
  await addChild(page, 'Петя Смирнов', bornYearsAgo(9), 'Аллергия на мёд');
  await addChild(page, 'Катя Смирнова', bornYearsAgo(15));

  // The daughter is too old for the children's studio; the son fits.
  await enroll(page, 'Детская театральная студия', 'Катя Смирнова');
  await expect(page.getByRole('alert').or(page.locator('.field__error')).filter({ hasText: 'Катя Смирнова на первое занятие' }).first()).toBeVisible();
  await page.getByLabel('Петя Смирнов').check();
  await page.getByRole('button', { name: 'Далее' }).click();
  for (let step = 0; step < 3; step++) await page.getByRole('button', { name: 'Далее' }).click();
  await expect(page.locator('.summary')).toContainText('Петя Смирнов');
  await page.getByRole('button', { name: 'Отправить заявку' }).click();
  await expect(page).toHaveURL(/\/my\/enrollments$/);
  const sons = page.locator('.enrollment-list').filter({ has: page.locator('article', { hasText: 'Детская театральная студия' }) });
  await expect(page.getByRole('heading', { name: 'Петя Смирнов' })).toBeVisible();
  await expect(sons.locator('.status').first()).toHaveText('Ожидание');

  // The daughter's course, then her own login.
  await enroll(page, 'Подростковая театральная мастерская', 'Катя Смирнова');
  for (let step = 0; step < 3; step++) await page.getByRole('button', { name: 'Далее' }).click();
  await page.getByRole('button', { name: 'Отправить заявку' }).click();
  await expect(page).toHaveURL(/\/my\/enrollments$/);
  await page.goto('/my/family');
  await awaitHydration(page);
  const katya = page.locator('article').filter({ has: page.getByRole('heading', { name: 'Катя Смирнова' }) });
  await katya.getByText('Пригласить к своему входу').click();
  await katya.getByLabel('Электронная почта ребёнка').fill(daughter);
  await katya.getByRole('button', { name: 'Отправить приглашение' }).click();
  const teen = await (await browser.newContext()).newPage();
  await teen.goto(await linkFromMail(daughter, '/family/join'));
  await teen.getByLabel('Пароль', { exact: true }).fill('katya-secret-15');
  await teen.getByLabel('Пароль ещё раз').fill('katya-secret-15');
  await teen.getByRole('button', { name: 'Завести вход' }).click();
  await expect(teen).toHaveURL(/\/login$/);
  await teen.getByLabel('Электронная почта').fill(daughter);
  await teen.getByLabel('Пароль').fill('katya-secret-15');
  await teen.getByRole('button', { name: 'Войти' }).click();
  await expect(teen).toHaveURL(/\/my\/enrollments$/);
  await expect(teen.locator('article.enrollment').filter({ hasText: 'Подростковая театральная мастерская' })).toBeVisible();

  // The teacher confirms the son's request and sees whom to call.
  const teacher = await signedIn(browser, 'sokolova@kulisy.test', /\/teach$/);
  const request = teacher.locator('article.enrollment').filter({ hasText: 'Петя Смирнов' });
  await request.getByRole('button', { name: 'Подтвердить' }).click();
  await expect(teacher.getByRole('status').filter({ hasText: 'Заявка подтверждена' })).toBeVisible();
  await teacher.getByRole('link', { name: 'Детская театральная студия' }).first().click();
  const row = teacher.locator('article.enrollment').filter({ hasText: 'Петя Смирнов' });
  await expect(row).toContainText('+7 903 777-88-99');
  await expect(row).toContainText('Аллергия на мёд');
  await expect(row).toContainText('9 лет');

  // The parent sees the new status and has the letter.
  await page.goto('/my/enrollments');
  await expect(sons.locator('.status').first()).toHaveText('Подтверждено');
  const letter = await mailWith(parent, 'Педагог подтвердил вашу запись на курс «Детская театральная студия»');
  expect(letter).toContain('представитель ученика: Петя Смирнов');
});
