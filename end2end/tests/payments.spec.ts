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
