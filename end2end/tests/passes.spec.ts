import { test, expect, allowConsoleError, awaitHydration, type Page } from './fixtures';
import { signedIn } from './session';

/** The day `days` from today, as a date field and an option's value write it. */
function isoDay(days: number): string {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Miša's section of the passes page. */
function misha(page: Page) {
  return page.locator('section.panel').filter({ has: page.getByRole('heading', { name: 'Миша Морозов', exact: true }) });
}

test('the office prices a course and sells a pass to a child; the teacher marks him; the parent sees it, warns of an absence and books a make-up the other group expects', async ({ browser }) => {
  test.setTimeout(240_000);
  allowConsoleError('status of 422');

  // The office: a price refused beside its field — and kept there, as the
  // refusal changes nothing to re-read — then saved.
  const office = await signedIn(browser, 'admin@kulisy.test');
  await office.goto('/admin/courses');
  await office.getByRole('link', { name: 'Детская театральная студия', exact: true }).first().click();
  await office.getByRole('link', { name: 'Цены и абонементы' }).click();
  // The prices page as its address opens it: rendered by the server, then hydrated.
  await expect(office).toHaveURL(/\/prices$/);
  await office.goto(office.url());
  await awaitHydration(office);
  const price = office.getByLabel('Цена занятия, ₽');
  await price.fill('-5');
  await office.getByRole('button', { name: 'Сохранить цены' }).click();
  await expect(office.getByText('Цена не может быть отрицательной.')).toBeVisible();
  await office.waitForLoadState('networkidle');
  await expect(office.getByText('Цена не может быть отрицательной.')).toBeVisible();
  await expect(price).toHaveValue('-5');
  await price.fill('950');
  await office.getByRole('button', { name: 'Сохранить цены' }).click();
  await expect(office.getByText('Цена не может быть отрицательной.')).toBeHidden();
  await expect(price).toHaveValue('950');
  await office.waitForLoadState('networkidle');
  await office.reload();
  await expect(office.getByLabel('Цена занятия, ₽')).toHaveValue('950');

  // …and sells Миша a pass of eight lessons from a month ago.
  await office.goto('/admin/people?search=' + encodeURIComponent('Миша'));
  await office.getByRole('link', { name: 'Миша Морозов' }).click();
  await office.getByLabel('Абонемент', { exact: true }).selectOption({ index: 1 });
  await office.getByLabel('Начало действия').fill(isoDay(-30));
  await office.getByRole('button', { name: 'Продать абонемент' }).click();
  await expect(office.locator('article.pass').filter({ hasText: '8 занятий', hasNotText: 'ждёт оплаты' })).toContainText('Осталось 8 из 8');

  // The studio's teacher marks him present at two lessons the new pass covers.
  const teacher = await signedIn(browser, 'sokolova@kulisy.test');
  await teacher.getByRole('link', { name: 'Детская театральная студия' }).first().click();
  await expect(teacher.getByLabel('Занятие для посещаемости')).toBeVisible();
  const dates = await teacher.getByLabel('Занятие для посещаемости').locator('option').evaluateAll((options) =>
    options.map((o) => (o as HTMLOptionElement).value),
  );
  const covered = dates.filter((d) => d >= isoDay(-29) && d <= isoDay(-22)).slice(0, 2);
  expect(covered.length, `lessons: ${dates.join(' ')}`).toBe(2);
  for (const day of covered) {
    await teacher.getByLabel('Занятие для посещаемости').selectOption(day);
    await teacher.getByRole('button', { name: 'Показать' }).click();
    await expect(teacher).toHaveURL(new RegExp(`date=${day}`));
    const card = teacher.locator('article.card').filter({ hasText: 'Миша Морозов' });
    await card.getByRole('button', { name: 'Был(а)', exact: true }).click();
    await expect(card).toContainText('отмечен(а): был(а)');
  }

  // The parent, on a phone: 6 of 8, both dates, two lessons written off.
  const parent = await signedIn(browser, 'parent@kulisy.test');
  await parent.setViewportSize({ width: 360, height: 740 });
  // From the child's booking in «Мои записи» to his passes.
  await parent.goto('/my/enrollments');
  await parent
    .locator('article.enrollment')
    .filter({ hasText: 'Детская театральная студия' })
    .first()
    .getByRole('link', { name: 'Абонемент, пропуски и отработки' })
    .click();
  await expect(parent).toHaveURL(/\/my\/passes#member-\d+$/);
  const pass = misha(parent).locator('article.pass').filter({ hasText: '8 занятий', hasNotText: 'ждёт оплаты' });
  await expect(pass).toContainText('Осталось 6 из 8');
  await expect(pass).toContainText(/Действует с .+ по .+/);
  await pass.getByText('История абонемента').click();
  await expect(pass.locator('li').filter({ hasText: 'Списано занятие' })).toHaveCount(2);

  // She warns of an absence in time and books the make-up in the Sunday group.
  await misha(parent).getByRole('button', { name: 'Предупредить о пропуске' }).last().click();
  await expect(parent.getByText('Спасибо, что предупредили')).toBeVisible();
  const lesson = misha(parent).getByLabel('Занятие для отработки').first();
  await expect(lesson).toContainText('12:00');
  await misha(parent).getByRole('button', { name: 'Назначить отработку' }).first().click();
  await expect(misha(parent).getByText(/Назначена: .+12:00/)).toBeVisible();

  // The Sunday group's teacher expects him.
  const sunday = await signedIn(browser, 'lebedev@kulisy.test');
  await sunday.getByRole('link', { name: 'Детская театральная студия' }).first().click();
  await expect(sunday.locator('section').filter({ hasText: 'Придут на отработку' })).toContainText('Миша Морозов');
});
