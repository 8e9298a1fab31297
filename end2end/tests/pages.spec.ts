// Every page each role reaches by following links, on a 360 px phone: no
// page scrolls sideways, axe-core finds no violation of any impact, the
// browser takes up every piece of data the server rendered the page with,
// and hydration adopts the server's HTML as it is: nothing moves, nothing in
// the page's main content is drawn again. Every link of this site the crawl
// meets answers without a redirect. Together the roles reach every route of
// the app: a page only a form or an e-mail leads to is named in its role's
// `unlinked`.
import AxeBuilder from '@axe-core/playwright';
import fs from 'node:fs';
import path from 'node:path';
import { test, expect, allowConsoleError, awaitHydration, type Page } from './fixtures';

const PHONE = { width: 360, height: 740 };
/** Enough for every kind of page; the crawl keeps one page of each kind. */
const MOST_PAGES = 45;

/** Pages no link leads to: those of e-mailed links, the second step of signing in, a missing page. */
const UNLINKED = ['/reset-password?token=0', '/confirm-email?token=0', '/confirm-email-change?token=0', '/family/join?token=0', '/login/code', '/nichego-net'];

const ROLES = [
  { who: 'a visitor', email: null, start: '/', unlinked: UNLINKED },
  { who: 'a student', email: 'anna@kulisy.test', start: '/my/enrollments', unlinked: [] },
  // A parent: the family page with children, the wizard's «Кого записываем?»,
  // the history grouped by child, and the invitation a second guardian opens.
  { who: 'a parent', email: 'parent@kulisy.test', start: '/my/enrollments', unlinked: ['/family/accept?token=0'] },
  { who: 'a teenager', email: 'teen@kulisy.test', start: '/my/enrollments', unlinked: [] },
  { who: 'a teacher', email: 'sokolova@kulisy.test', start: '/teach', unlinked: [] },
  { who: 'the office', email: 'admin@kulisy.test', start: '/admin', unlinked: [] },
] as const;

/** The routes of the app, read once. */
let routes: Map<string, RegExp> | undefined;

/** `/courses/rech/enroll?x=1` and `/courses/dvizhenie/enroll?y=2` are the same kind of page: one route's. */
function kind(path: string): string {
  const pathname = new URL(path, 'http://x').pathname;
  routes ??= appRoutes();
  const route = [...routes].find(([, pattern]) => pattern.test(pathname));
  return route ? route[0] : pathname;
}

/** Links of this site a person can follow from the page (no downloads, feeds or files). */
async function linksOn(page: Page): Promise<string[]> {
  return page.$$eval('a[href]', (anchors) =>
    anchors
      .filter((a) => !a.hasAttribute('download') && a.getAttribute('rel') !== 'external')
      .map((a) => new URL((a as HTMLAnchorElement).href))
      .filter((url) => url.origin === location.origin)
      .filter((url) => !/^\/(api|media|pkg|uploads)\/|\.(json|ics|xml|txt)$/.test(url.pathname))
      .map((url) => url.pathname + url.search),
  );
}

/**
 * Records which of the data the server sent with the page (leptos'
 * `__RESOLVED_RESOURCES`, by id) hydration reads. The browser numbers its
 * resources in the order it makes them; data the server made that the
 * browser never asks for means the two disagree on that order, and the page
 * hydrates some resource with another's data: a resource made inside a
 * `Suspense`'s content is made again each time the server walks that
 * content, one made in the page's component only once.
 */
function watchHydrationData() {
  const read = new Set<string>();
  let sent: unknown[] = [];
  Object.defineProperty(window, '__RESOLVED_RESOURCES', {
    configurable: true,
    get: () => sent,
    set: (value: unknown[]) => {
      sent = new Proxy(value, {
        get(target, key, receiver) {
          if (typeof key === 'string' && /^\d+$/.test(key)) read.add(key);
          return Reflect.get(target, key, receiver);
        },
      });
    },
  });
  (window as unknown as { __unreadHydrationData: () => string[] }).__unreadHydrationData = () =>
    Object.keys(sent).filter((id) => !read.has(id));
}

/**
 * Remembers the elements of the page's main content as the server's HTML
 * made them (the document is parsed and no script of the page has run yet),
 * each largest paint and each layout shift. A page that hydration draws
 * again (a part rendered differently in the browser, a panel replaced, data
 * fetched again) loses elements the server made and paints its largest
 * element a second time, when the bundle has arrived: on a phone on a slow
 * link, seconds later.
 */
function watchPaints() {
  const fromServer: Element[] = [];
  const largest: Element[] = [];
  let shifted = 0;
  document.addEventListener('readystatechange', () => {
    if (document.readyState === 'interactive') fromServer.push(...document.querySelectorAll('main *'));
  });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const element = (entry as PerformanceEntry & { element?: Element | null }).element;
      if (element) largest.push(element);
    }
  }).observe({ type: 'largest-contentful-paint', buffered: true });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) {
      if (!entry.hadRecentInput) shifted += entry.value;
    }
  }).observe({ type: 'layout-shift', buffered: true });
  const describe = (e: Element) => `<${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${e.className ? `.${String(e.className).split(' ').join('.')}` : ''}>`;
  (window as unknown as { __paintProblems: () => string[] }).__paintProblems = () => {
    const problems: string[] = [];
    const kept = new Set(fromServer);
    const gone = fromServer.filter((e) => !e.isConnected);
    if (gone.length > 0) problems.push(`hydration replaced ${gone.length} elements of the main content: ${gone.slice(0, 3).map(describe).join(', ')}`);
    const redrawn = largest.filter((e) => e.closest('main') && !kept.has(e));
    if (redrawn.length > 0) problems.push(`the largest paint came after hydration, from ${redrawn.map(describe).join(', ')}`);
    if (shifted > 0) problems.push(`the layout shifted by ${shifted.toFixed(4)}`);
    return problems;
  };
}

/** Every link of this site the role's crawl met and asked for. */
const asked = new Set<string>();

async function problemsOf(page: Page, path: string): Promise<string[]> {
  await page.goto(path);
  await awaitHydration(page);
  const problems: string[] = [];
  const unread = await page.evaluate(() => (window as unknown as { __unreadHydrationData: () => string[] }).__unreadHydrationData());
  if (unread.length > 0) problems.push(`the server sent data hydration never read: resources ${unread.join(', ')}`);
  problems.push(...(await page.evaluate(() => (window as unknown as { __paintProblems: () => string[] }).__paintProblems())));
  for (const link of await linksOn(page)) {
    if (asked.has(link)) continue;
    const res = await page.request.get(link, { maxRedirects: 0 });
    asked.add(link);
    if (res.status() >= 300 && res.status() < 400) problems.push(`links to ${link}, which answers ${res.status()} → ${res.headers()['location']}`);
  }
  const [scrollWidth, innerWidth] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  if (scrollWidth > innerWidth) problems.push(`scrolls sideways: ${scrollWidth} px wide at ${innerWidth} px`);
  const { violations } = await new AxeBuilder({ page }).analyze();
  for (const v of violations) {
    const where = v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ');
    problems.push(`axe ${v.impact} ${v.id}: ${v.help} — ${where}`);
  }
  return problems;
}

/** The routes of `src/app.rs`, as patterns of the paths they answer. */
function appRoutes(): Map<string, RegExp> {
  const app = fs.readFileSync(path.resolve(__dirname, '../../src/app.rs'), 'utf8');
  const templates = [...app.matchAll(/<Route path=path!\("([^"]*)"\)/g)].map((m) => `/${m[1]}`);
  return new Map(templates.map((t) => [t, new RegExp(`^${t.replace(/:\w+/g, '[^/]+')}$`)]));
}

/** The paths the crawls below checked, of every role. */
const checked = new Set<string>();

// In order, in one worker: the last test reads what the crawls checked.
test.describe.configure({ mode: 'serial' });

for (const role of ROLES) {
  test(`every page ${role.who} reaches works on a phone and passes axe`, async ({ browser }) => {
    test.setTimeout(600_000);
    // The wizard refuses visitors (401: sign in first) and staff (409: only
    // students enroll) with the page's status: the answer, not a fault.
    allowConsoleError('/enroll)');
    allowConsoleError('/nichego-net)');
    asked.clear();
    const context = await browser.newContext({ viewport: PHONE });
    await context.addInitScript(watchHydrationData);
    await context.addInitScript(watchPaints);
    const page = await context.newPage();
    if (role.email) {
      await page.goto('/login');
      await page.getByLabel('Электронная почта').fill(role.email);
      await page.getByLabel('Пароль').fill('kulisy-demo');
      await page.getByRole('button', { name: 'Войти' }).click();
      await expect(page).toHaveURL(new RegExp(`${role.start}$`));
      // The landing page finishes loading before the crawl opens it again:
      // a second navigation racing the first can leave the document with
      // the sign-in answer's policy, which lets no script run.
      await awaitHydration(page);
    }
    const queue: string[] = [role.start, '/', ...role.unlinked];
    const seen = new Set<string>();
    const report: string[] = [];
    while (queue.length > 0 && seen.size < MOST_PAGES) {
      const path = queue.shift()!;
      if (seen.has(kind(path))) continue;
      seen.add(kind(path));
      checked.add(new URL(path, 'http://x').pathname);
      for (const problem of await problemsOf(page, path)) report.push(`${path}: ${problem}`);
      queue.push(...(await linksOn(page)).filter((link) => !seen.has(kind(link))));
    }
    expect(seen.size, `pages of ${role.who}: ${[...seen].join(' ')}`).toBeGreaterThan(role.email ? 8 : 5);
    expect(report, `pages checked: ${[...seen].join(' ')}`).toEqual([]);
    await context.close();
  });
}

test('the crawls check every route of the app', () => {
  const routes = appRoutes();
  expect(routes.size, 'routes read from src/app.rs').toBeGreaterThan(25);
  const missed = [...routes].filter(([, pattern]) => ![...checked].some((p) => pattern.test(p))).map(([t]) => t);
  expect(missed, `no role reached these; checked: ${[...checked].join(' ')}`).toEqual([]);
});
