import { test, expect, type Page } from './fixtures';
import { signedIn } from './session';

/** A real PNG and a real WebM, made by the browser itself (nothing binary is committed). */
async function makeMedia(page: Page): Promise<{ png: Buffer; webm: Buffer }> {
  const [png, webm] = await page.evaluate(async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 640;
    canvas.height = 360;
    const ctx = canvas.getContext('2d')!;
    const draw = (t: number) => {
      ctx.fillStyle = `hsl(${t % 360}, 60%, 40%)`;
      ctx.fillRect(0, 0, 640, 360);
      ctx.fillStyle = '#fff';
      ctx.font = '48px sans-serif';
      ctx.fillText(`Кулисы ${t}`, 40 + (t % 200), 180);
    };
    draw(0);
    const png = canvas.toDataURL('image/png').split(',')[1];
    const recorder = new MediaRecorder(canvas.captureStream(25), { mimeType: 'video/webm;codecs=vp8', videoBitsPerSecond: 2_000_000 });
    const chunks: Blob[] = [];
    recorder.ondataavailable = (e) => chunks.push(e.data);
    const stopped = new Promise((resolve) => (recorder.onstop = resolve));
    recorder.start(100);
    for (let t = 0; t < 60; t++) {
      draw(t * 7);
      await new Promise((r) => setTimeout(r, 40));
    }
    recorder.stop();
    await stopped;
    const bytes = new Uint8Array(await new Blob(chunks, { type: 'video/webm' }).arrayBuffer());
    let binary = '';
    bytes.forEach((b) => (binary += String.fromCharCode(b)));
    return [png, btoa(binary)];
  });
  return { png: Buffer.from(png, 'base64'), webm: Buffer.from(webm, 'base64') };
}

test('a student uploads a photo and a video with a progress bar, and shows them on the public portfolio', async ({ browser }) => {
  test.setTimeout(120_000);
  const page = await signedIn(browser, 'anna@kulisy.test');
  await page.getByRole('link', { name: 'Портфолио' }).click();
  await expect(page.getByRole('heading', { name: 'Портфолио', level: 1 })).toBeVisible();
  const { png, webm } = await makeMedia(page);
  expect(webm.length).toBeGreaterThan(20_000);
  const form = page.locator('form.upload-form');

  // A photo.
  await form.getByLabel('Фото').check();
  await form.getByLabel('Название').fill('Портрет в гриме');
  await form.getByLabel('Показывать всем на публичной странице').check();
  await form.getByLabel('Файл').setInputFiles({ name: 'portrait.png', mimeType: 'image/png', buffer: png });
  await form.getByRole('button', { name: 'Добавить' }).click();
  await expect(form.getByRole('status').filter({ hasText: 'Фотография добавлена' })).toBeVisible();
  await expect(page.locator('article.portfolio-item').filter({ hasText: 'Портрет в гриме' }).getByRole('img', { name: 'Портрет в гриме' })).toBeVisible();

  // The page refuses a wrong file before sending it.
  await form.getByLabel('Видео').check();
  await form.getByLabel('Название').fill('Не видео');
  await form.getByLabel('Файл').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('просто текст') });
  await form.getByRole('button', { name: 'Добавить' }).click();
  await expect(form.getByText('Этот файл не подходит: нужен MP4, MOV или WebM.')).toBeVisible();

  // A video over a slow line: the progress bar counts up, and a first try is cancelled.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: webm.length / 4 });
  await form.getByLabel('Название').fill('Этюд «Утро»');
  await form.getByLabel('Файл').setInputFiles({ name: 'etude.webm', mimeType: 'video/webm', buffer: webm });
  await form.getByRole('button', { name: 'Добавить' }).click();
  const progress = form.getByRole('status').filter({ hasText: /Загружено \d+%/ });
  await expect(progress).toBeVisible();
  await form.getByRole('button', { name: 'Отменить загрузку' }).click();
  await expect(form.getByText('Загрузка отменена.')).toBeVisible();

  await form.getByLabel('Показывать всем на публичной странице').check();
  await form.getByRole('button', { name: 'Добавить' }).click();
  await expect(progress).toBeVisible();
  const seen = new Set<number>();
  const deadline = Date.now() + 60_000;
  while (await progress.isVisible()) {
    expect(Date.now(), `the bar still shows after a minute; percentages seen: ${[...seen]}`).toBeLessThan(deadline);
    // Reads without waiting: the bar may be gone by now (the upload done), and
    // a waiting read would wait for a bar that never comes back.
    const [text = ''] = await progress.allTextContents();
    const pct = Number(/(\d+)%/.exec(text)?.[1] ?? NaN);
    if (!Number.isNaN(pct)) seen.add(pct);
    await page.waitForTimeout(100);
  }
  expect(seen.size, `percentages seen: ${[...seen]}`).toBeGreaterThan(1);
  await expect(form.getByRole('status').filter({ hasText: 'Видео добавлено' })).toBeVisible();
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await expect(page.locator('article.portfolio-item').filter({ hasText: 'Этюд «Утро»' })).toHaveCount(1);

  // The public page: the gallery and a player that plays.
  await page.getByRole('link', { name: 'Открыть публичную страницу' }).click();
  await expect(page.getByRole('heading', { name: 'Анна Кузнецова' })).toBeVisible();
  await expect(page.getByRole('img', { name: 'Портрет в гриме' })).toBeVisible();
  await expect(page.getByText('Диплом фестиваля «Театральная весна»')).toBeVisible();
  const video = page.locator('video');
  await expect(video).toHaveCount(1);
  await video.evaluate((v: HTMLVideoElement) => {
    v.muted = true;
    return v.play();
  });
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 10_000 }).toBeGreaterThan(0.2);
  // A visitor sees the same page.
  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto(page.url());
  await expect(visitor.getByRole('img', { name: 'Портрет в гриме' })).toBeVisible();
});

test('a student reviews a course, the office publishes it, the course page shows it', async ({ browser }) => {
  test.setTimeout(90_000);
  const anna = await signedIn(browser, 'anna@kulisy.test');
  await anna.getByRole('link', { name: 'Отзывы' }).click();
  const card = anna.locator('article.review-card').filter({ hasText: 'Работа перед камерой' });
  await card.getByLabel('4').check();
  await card.getByLabel('Отзыв').fill('Камера перестала пугать: <b>много</b> практики на площадке.');
  await card.getByRole('button', { name: 'Отправить отзыв' }).click();
  await expect(card.locator('.status')).toHaveText('на модерации');

  const admin = await signedIn(browser, 'admin@kulisy.test');
  await admin.goto('/admin/reviews');
  const queued = admin.locator('article.review-card').filter({ hasText: 'Камера перестала пугать' });
  await queued.getByRole('button', { name: 'Опубликовать' }).click();
  await expect(admin.getByRole('status').filter({ hasText: 'Отзыв опубликован' })).toBeVisible();

  await admin.goto('/courses');
  await admin.getByRole('link', { name: 'Работа перед камерой' }).first().click();
  const reviews = admin.locator('section.reviews');
  await expect(reviews).toContainText('Камера перестала пугать: <b>много</b> практики на площадке.');
  await expect(reviews).toContainText('4,0 из 5');
});
