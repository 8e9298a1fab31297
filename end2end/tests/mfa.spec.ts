import { test, expect, allowConsoleError, awaitHydration } from './fixtures';
import { createHmac } from 'node:crypto';

/** The six-digit TOTP code of a base32 secret, `offset` steps from now. */
function totp(secret: string, offset = 0): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/=+$/, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
  const step = Buffer.alloc(8);
  step.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30_000) + offset));
  const digest = createHmac('sha1', key).update(step).digest();
  const at = digest[19] & 0x0f;
  return String((digest.readUInt32BE(at) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

test('a teacher turns on sign-in codes, then signs in with password and code', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Электронная почта').fill('orlova@kulisy.test');
  await page.getByLabel('Пароль').fill('kulisy-demo');
  await page.getByRole('button', { name: 'Войти' }).click();
  await expect(page).toHaveURL(/\/teach$/);
  await awaitHydration(page);

  await page.getByRole('link', { name: 'Профиль' }).click();
  const panel = page.locator('#mfa');
  await panel.getByRole('button', { name: 'Настроить вход с кодом' }).click();
  await expect(panel.getByRole('img', { name: 'QR-код для приложения-аутентификатора' })).toBeVisible();
  const secret = (await panel.locator('code.secret').textContent())!.trim();
  await panel.getByLabel('Код из приложения').fill(totp(secret));
  await panel.getByRole('button', { name: 'Включить' }).click();
  await expect(panel.locator('.recovery-codes')).toContainText('Сохраните резервные коды');
  await expect(panel.getByText(/Включён\. Резервных кодов осталось: 10/)).toBeVisible();
  // The codes stay on screen after the page has re-read the profile.
  await expect(panel.locator('.recovery-codes li')).toHaveCount(10);

  await page.getByRole('button', { name: 'Выйти' }).click();
  await expect(page.getByRole('link', { name: 'Войти' })).toBeVisible();
  await page.goto('/login');
  await page.getByLabel('Электронная почта').fill('orlova@kulisy.test');
  await page.getByLabel('Пароль').fill('kulisy-demo');
  await page.getByRole('button', { name: 'Войти' }).click();
  await expect(page).toHaveURL(/\/login\/code$/);
  allowConsoleError('status of 422'); // a wrong code, on purpose
  await page.getByLabel('Код').fill('000000');
  await page.getByRole('button', { name: 'Войти' }).click();
  await expect(page.getByText('Код не подошёл')).toBeVisible();
  // The code that turned the feature on is spent: the next step's opens.
  await page.getByLabel('Код').fill(totp(secret, 1));
  await page.getByRole('button', { name: 'Войти' }).click();
  await expect(page).toHaveURL(/\/teach$/);
});
