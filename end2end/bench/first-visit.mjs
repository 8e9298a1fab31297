// A first visit to one page in headless Chromium, as a new visitor with an
// empty cache: the bytes that crossed the wire (compressed, with headers) by
// kind of resource — while the visitor only reads, then in all once they
// act (a key; a public page starts its bundle then) — and how long the page
// took to become interactive after that (the marks that `hydrate()` leaves
// on the page's timeline). Medians over RUNS visits.
//
//   node end2end/bench/first-visit.mjs http://127.0.0.1:3000/courses [RUNS]
import { chromium } from '@playwright/test';

const url = process.argv[2];
const runs = Number(process.argv[3] ?? 5);
if (!url) {
  console.error('usage: first-visit.mjs URL [RUNS]');
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const visits = [];
for (let i = 0; i < runs; i++) {
  const context = await browser.newContext({ locale: 'ru-RU' });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const kinds = new Map();
  const bytes = {};
  cdp.on('Network.responseReceived', (e) => kinds.set(e.requestId, e.type));
  cdp.on('Network.loadingFinished', (e) => {
    const kind = kinds.get(e.requestId) ?? 'Other';
    bytes[kind] = (bytes[kind] ?? 0) + e.encodedDataLength;
  });
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForLoadState('networkidle');
  const reading = Object.values(bytes).reduce((a, b) => a + b, 0);
  const actedAt = await page.evaluate(() => performance.now());
  await page.keyboard.press('Shift');
  await page.locator('body[data-hydrated]').waitFor({ state: 'attached', timeout: 30_000 });
  await page.waitForLoadState('networkidle');
  const timing = await page.evaluate(() => {
    const at = (name) => performance.getEntriesByName(name)[0]?.startTime ?? NaN;
    const nav = performance.getEntriesByType('navigation')[0];
    return {
      start: at('kulisy-hydrate-start'),
      hydrated: at('kulisy-hydrated'),
      domContentLoaded: nav.domContentLoadedEventEnd,
    };
  });
  visits.push({ bytes, reading, ...timing, interactive: timing.hydrated - Math.max(actedAt, timing.domContentLoaded) });
  await context.close();
}
await browser.close();

const kinds = [...new Set(visits.flatMap((v) => Object.keys(v.bytes)))].sort();
const result = {
  url,
  runs,
  transferredBytes: Object.fromEntries(kinds.map((k) => [k, median(visits.map((v) => v.bytes[k] ?? 0))])),
  totalBytes: median(visits.map((v) => Object.values(v.bytes).reduce((a, b) => a + b, 0))),
  readingBytes: median(visits.map((v) => v.reading)),
  hydrateMs: median(visits.map((v) => v.hydrated - v.start)),
  interactiveAfterActingMs: median(visits.map((v) => v.interactive)),
  domContentLoadedMs: median(visits.map((v) => v.domContentLoaded)),
};
console.log(JSON.stringify(result));
