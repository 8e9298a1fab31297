import { test, expect, allowConsoleError, awaitHydration } from './fixtures';
import { signedIn } from './session';

test('the office types the school’s bank details: a mistyped digit is refused beside its field and stays there, then they are saved', async ({ browser }) => {
  allowConsoleError('status of 422');
  const office = await signedIn(browser, 'admin@kulisy.test');
  await office.setViewportSize({ width: 360, height: 740 });
  await office.goto('/admin/school');
  await office.getByRole('link', { name: 'Реквизиты для оплаты' }).click();
  await expect(office).toHaveURL(/\/admin\/bank$/);
  await office.goto(office.url());
  await awaitHydration(office);
  await office.getByLabel('Получатель платежа').fill('ООО «Кулисы»');
  await office.getByLabel('ИНН').fill('7707083893');
  await office.getByLabel('КПП').fill('773601001');
  // One digit off: the control key against the BIC catches it.
  await office.getByLabel('Расчётный счёт').fill('40702810200000012346');
  await office.getByLabel('Банк', { exact: true }).fill('ПАО Сбербанк');
  await office.getByLabel('БИК').fill('044525225');
  await office.getByLabel('Корреспондентский счёт').fill('30101810400000000225');
  await office.getByRole('button', { name: 'Сохранить реквизиты' }).click();
  const refusal = office.getByText('Счёт не сходится с БИК по контрольному ключу: проверьте цифры.');
  await expect(refusal).toBeVisible();
  await expect(office.getByLabel('Расчётный счёт')).toHaveAttribute('aria-invalid', 'true');
  await office.waitForLoadState('networkidle');
  await expect(refusal).toBeVisible();
  await expect(office.getByLabel('Получатель платежа')).toHaveValue('ООО «Кулисы»');

  await office.getByLabel('Расчётный счёт').fill('4070 2810 2000 0001 2345');
  await office.getByRole('button', { name: 'Сохранить реквизиты' }).click();
  await expect(office.getByText('Реквизиты сохранены.').first()).toBeVisible();
  await expect(refusal).toBeHidden();
  await office.reload();
  await expect(office.getByLabel('Расчётный счёт')).toHaveValue('40702810200000012345');
});

test('a parent asks for a pass and opens its invoice with the QR code; the office records cash with the receipt, the pass is active, nothing is owed; a refund is owed back', async ({ browser }) => {
  test.setTimeout(180_000);
  allowConsoleError('status of 422');
  const parent = await signedIn(browser, 'parent@kulisy.test');
  await parent.setViewportSize({ width: 360, height: 740 });
  await parent.goto('/my/passes');
  const misha = parent.locator('section.panel').filter({ has: parent.getByRole('heading', { name: 'Миша Морозов', exact: true }) });
  await awaitHydration(parent);
  // «4 занятия»: the demo's open invoice is for «8 занятий».
  const ask = parent.getByRole('button', { name: 'Попросить абонемент' });
  await misha.locator('li').filter({ hasText: '4 занятия', has: ask }).first().locator(ask).click();
  await expect(parent.getByRole('status')).toContainText('Абонемент ждёт оплаты: счёт №');
  await parent.getByRole('status').getByRole('link', { name: /^счёт № / }).click();
  await expect(parent.getByRole('heading', { name: /^Счёт № \d{4}-\d{6}$/ })).toBeVisible();
  await expect(parent.getByRole('link', { name: '← Оплата' })).toBeVisible();
  const number = (await parent.getByRole('heading', { level: 1 }).textContent())!.replace('Счёт № ', '');
  await expect(parent.getByRole('img', { name: 'QR-код для оплаты в приложении банка' })).toBeVisible();
  await expect(parent.getByText(`Оплата по счёту ${number}, Миша Морозов`)).toBeVisible();
  const due = (await parent.locator('dd strong').textContent())!.replace(/[^\d,]/g, '');

  // The office: cash at the desk, with the receipt's number.
  const office = await signedIn(browser, 'admin@kulisy.test');
  await office.goto('/admin/people?search=' + encodeURIComponent('Миша'));
  await office.getByRole('link', { name: 'Миша Морозов' }).click();
  await office.getByRole('link', { name: 'Оплата: счета, платежи, возвраты' }).click();
  await awaitHydration(office);
  await office.getByLabel('Куда').selectOption({ label: `Счёт № ${number} — к оплате ${await parent.locator('dd strong').textContent()}` });
  await office.getByLabel('Сумма, ₽').fill(due);
  await office.getByLabel('Способ').selectOption({ label: 'Наличные' });
  await office.getByRole('button', { name: 'Записать оплату' }).click();
  await expect(office.getByText('Укажите номер чека, который напечатала касса.')).toBeVisible();
  await office.getByLabel('Номер чека').fill('ФД 20931');
  await office.getByRole('button', { name: 'Записать оплату' }).click();
  await expect(office.locator('li').filter({ hasText: `Счёт № ${number}` })).toContainText('Оплачен');

  // The parent: the pass is active, this invoice paid; the demo's other one still owed.
  await parent.goto('/my/passes');
  await expect(misha.locator('article.pass').filter({ hasText: '4 занятия', hasNotText: 'ждёт оплаты' }).first()).toBeVisible();
  await parent.goto('/my/payments');
  await expect(parent.locator('li').filter({ hasText: `Счёт № ${number}` })).toContainText('Оплачен');
  await expect(parent.locator('td').filter({ hasText: 'чек ФД 20931' })).toBeVisible();

  // A refund of 100 ₽ with its reason.
  await office.getByText(/^Оплата .+ можно вернуть до/).last().click();
  const refund = office.locator('details[open]');
  await refund.getByLabel('Сумма возврата, ₽').fill('100');
  await refund.getByLabel('Причина').fill('Пропуск по болезни');
  await refund.getByRole('button', { name: 'Вернуть' }).click();
  await expect(office.locator('td').filter({ hasText: 'Пропуск по болезни' })).toBeVisible();
  await parent.reload();
  await expect(parent.locator('li').filter({ hasText: `Счёт № ${number}` })).toContainText('Оплачен частично');
});

/** A CSV for Russian Excel read back: the BOM, then lines of `;`-separated fields. */
function csvLines(text: string): string[][] {
  expect(text.charCodeAt(0), 'a BOM for Excel').toBe(0xfeff);
  return text.slice(1).split('\r\n').filter((l) => l !== '').map((l) => l.split(';'));
}

test('the office reads the teachers’ payroll for a month, sets a rate (a bad one refused beside its field) and downloads the CSV for Excel', async ({ browser }) => {
  allowConsoleError('status of 422');
  const office = await signedIn(browser, 'admin@kulisy.test');
  await office.setViewportSize({ width: 360, height: 740 });
  await office.goto('/admin');
  await office.getByRole('navigation', { name: 'Разделы администрирования' }).getByRole('link', { name: 'Отчёты' }).click();
  await expect(office.getByRole('heading', { level: 1 })).toHaveText('Отчёты');
  await office.getByRole('link', { name: 'Зарплата педагогов' }).click();
  await expect(office).toHaveURL(/\/admin\/payroll$/);
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  const today = new Date();
  const from = iso(new Date(today.getTime() - 30 * 86_400_000));
  await awaitHydration(office);
  await office.getByLabel('С', { exact: true }).fill(from);
  await office.getByLabel('По', { exact: true }).fill(iso(today));
  await office.getByRole('button', { name: 'Показать' }).click();
  await expect(office).toHaveURL(new RegExp(`from=${from}`));
  const table = office.getByRole('region', { name: 'Зарплата педагогов' });
  await expect(table.getByRole('row').filter({ hasText: 'Екатерина Сергеевна Орлова' })).toContainText('3 600');

  // Лебедев's rate: a negative one is refused beside its field, then set.
  await office.getByText(/^Михаил Андреевич Лебедев: /).click();
  const form = office.locator('details[open]');
  await form.getByLabel('Ставка, ₽').fill('-5');
  await form.getByRole('button', { name: 'Сохранить ставку' }).click();
  await expect(form.getByText('Цена не может быть отрицательной.')).toBeVisible();
  await expect(form.getByLabel('Ставка, ₽')).toHaveAttribute('aria-invalid', 'true');
  await form.getByLabel('За что').selectOption({ label: 'за ученика на занятии' });
  await form.getByLabel('Ставка, ₽').fill('350');
  await form.getByRole('button', { name: 'Сохранить ставку' }).click();
  await expect(office.getByText('Михаил Андреевич Лебедев: 350 ₽ за ученика на занятии')).toBeVisible();

  const [download] = await Promise.all([office.waitForEvent('download'), office.getByRole('link', { name: 'Скачать CSV для Excel' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^kulisy-payroll-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
  const fs = await import('node:fs/promises');
  const lines = csvLines(await fs.readFile((await download.path())!, 'utf8'));
  expect(lines[0]).toEqual(['Педагог', 'Ставка', 'Ставка, ₽', 'Занятий', 'Учеников на занятиях', 'К выплате, ₽']);
  expect(lines).toContainEqual(['Екатерина Сергеевна Орлова', 'за занятие', '1800,00', '2', '3', '3600,00']);
  expect(lines).toContainEqual(['Михаил Андреевич Лебедев', 'за ученика на занятии', '350,00', '0', '0', '0,00']);
  expect(lines[lines.length - 1][0]).toBe('Итого');
});
