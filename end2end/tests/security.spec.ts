import { test, expect, awaitHydration, type Page } from './fixtures';
import { signedIn } from './session';

// What an attacker types into a name or a title: each part would run a
// script, add an element or send the page elsewhere if it became markup.
const PAYLOAD =
  '</title><script>window.__xss=1</script><img src=x onerror="window.__xss=2">' +
  '<meta http-equiv="refresh" content="0;url=/login"><a href="javascript:window.__xss=3">ссылка</a>';

/** A title that holds `text` as it is; the check waits for a navigation's title to land. */
function containing(text: string) {
  return new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
}

/** Fails when the page, as Chromium parsed and ran it, holds anything born of the payload. */
async function expectInert(page: Page, where: string) {
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss), where).toBeUndefined();
  await expect(page.locator('img[src="x"]'), where).toHaveCount(0);
  await expect(page.locator('meta[http-equiv]'), where).toHaveCount(0);
  await expect(page.locator('a[href^="javascript:"]'), where).toHaveCount(0);
  // The hydration data may carry the payload as a JSON string; a script
  // element made of it would hold nothing else.
  const injected = await page.locator('script').evaluateAll((scripts) =>
    scripts.filter((s) => (s.textContent ?? '').trim().startsWith('window.__xss')).length,
  );
  expect(injected, where).toBe(0);
}

test('names and titles people type stay text on every page that shows them', async ({ browser }) => {
  test.setTimeout(180_000);
  const dialogs: string[] = [];
  const watch = (page: Page) => page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });

  // The office announces a show whose title is the payload.
  const office = await signedIn(browser, 'admin@kulisy.test');
  watch(office);
  await office.goto('/admin/shows');
  await awaitHydration(office);
  const day = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  await office.getByLabel('Название').fill(`Чайка${PAYLOAD}`);
  await office.getByLabel('Дата и время начала').fill(`${day}T19:00`);
  await office.getByLabel('Место').fill(`Малая сцена${PAYLOAD}`);
  await office.getByLabel('Описание').fill(`Комедия.${PAYLOAD}`);
  await office.getByRole('button', { name: 'Сохранить' }).click();
  await expect(office.locator('.flash-area')).toContainText('Спектакль добавлен');
  await expectInert(office, 'the office list of shows');

  // A teacher makes their name the payload.
  const teacher = await signedIn(browser, 'lebedev@kulisy.test');
  watch(teacher);
  await teacher.goto('/my/profile');
  await awaitHydration(teacher);
  await teacher.getByLabel('Имя и фамилия').fill(`Михаил Лебедев${PAYLOAD}`);
  await teacher.getByRole('button', { name: 'Сохранить', exact: true }).click();
  await expect(teacher.getByRole('status').filter({ hasText: 'Профиль сохранён' })).toBeVisible();
  await expectInert(teacher, 'the teacher\'s own profile');

  // A visitor finds both by their links: rendered, then the kept copy.
  const visitor = await (await browser.newContext()).newPage();
  watch(visitor);
  await visitor.goto('/afisha');
  await expectInert(visitor, 'the afisha');
  await visitor.getByRole('link', { name: /^Чайка/ }).first().click();
  await expect(visitor).toHaveURL(/\/afisha\/chajka-title-script-window-xss-1-script/);
  await expect(visitor.getByRole('heading', { level: 1 })).toContainText('Чайка</title><script>');
  await expect(visitor).toHaveTitle(containing('Чайка</title><script>window.__xss=1</script>'));
  await expectInert(visitor, 'the show page');
  await visitor.reload();
  await expectInert(visitor, 'the show page, kept');
  const showUrl = visitor.url();

  await visitor.goto('/courses');
  await expectInert(visitor, 'the schedule');
  await visitor.locator('.card__title').getByRole('link', { name: 'Сценическая речь', exact: true }).click();
  await expectInert(visitor, 'a course page');
  await visitor.getByRole('link', { name: /^Михаил Лебедев/ }).first().click();
  await expect(visitor).toHaveURL(/\/teachers\/mihail-lebedev-title-script-window-xss-1-script/);
  await expect(visitor).toHaveTitle(containing('Михаил Лебедев</title><script>'));
  await expectInert(visitor, 'the teacher page');
  await visitor.reload();
  await expectInert(visitor, 'the teacher page, kept');

  // Signed in, the same pages are rendered for the person.
  await office.goto(visitor.url());
  await expectInert(office, 'the teacher page, signed in');
  await office.goto('/afisha');
  await office.getByRole('link', { name: /^Чайка/ }).first().click();
  await expectInert(office, 'the show page, signed in');
  expect(dialogs).toEqual([]);

  // The payloads are long words with no space to break at: on a phone they
  // wrap inside their boxes, and no page scrolls sideways.
  const phone = await (await browser.newContext({ viewport: { width: 360, height: 740 } })).newPage();
  for (const path of ['/afisha', new URL(showUrl).pathname, '/courses', new URL(visitor.url()).pathname]) {
    await phone.goto(path);
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    expect(width, `${path} scrolls sideways on a phone`).toBeLessThanOrEqual(360);
  }

  // Tidy up: the teacher's name back, the show gone.
  await teacher.getByLabel('Имя и фамилия').fill('Михаил Андреевич Лебедев');
  await teacher.getByRole('button', { name: 'Сохранить', exact: true }).click();
  await expect(teacher.getByRole('status').filter({ hasText: 'Профиль сохранён' })).toBeVisible();
});
