// What a signed-in first visit downloads of the browser bundle: nothing
// until the person acts (the page is complete and works from its HTML),
// then the main module and the piece of the page's own audience — never
// another audience's piece (a student never downloads the office's code).
import fs from 'node:fs';
import path from 'node:path';
import { test, expect, awaitHydration } from './fixtures';

const PKG = path.resolve(__dirname, '../../target/site/pkg');

/** The pieces of the built bundle by audience, as the split manifest lists their files. */
function pieces(): Record<string, string[]> {
  const manifest = fs.readdirSync(PKG).find((f) => f.startsWith('__wasm_split_manifest'));
  expect(manifest, `a split build in ${PKG}`).toBeTruthy();
  const byKey: Record<string, string[]> = JSON.parse(fs.readFileSync(path.join(PKG, manifest!), 'utf8'));
  return Object.fromEntries(Object.entries(byKey).map(([key, files]) => [key.replace(/_\d+$/, ''), files]));
}

const ROLES = [
  { who: 'a student', email: 'anna@kulisy.test', page: '/my/enrollments', piece: 'student' },
  { who: 'a teacher', email: 'sokolova@kulisy.test', page: '/teach', piece: 'teaching' },
  { who: 'the office', email: 'admin@kulisy.test', page: '/admin', piece: 'office' },
];

for (const role of ROLES) {
  test(`${role.who}'s first page downloads no wasm until they act, then only their own piece`, async ({ browser, baseURL }) => {
    const all = pieces();
    const context = await browser.newContext();
    const signIn = await context.request.post('/api/account/login', {
      form: { email: role.email, password: 'kulisy-demo' },
      headers: { Accept: 'application/json', Origin: baseURL! },
    });
    expect(signIn.ok(), await signIn.text()).toBe(true);
    const page = await context.newPage();
    const wasm: string[] = [];
    page.on('request', (r) => {
      const name = new URL(r.url()).pathname.split('/').pop()!;
      if (name.endsWith('.wasm')) wasm.push(name.replace(/\.wasm$/, ''));
    });
    await page.goto(role.page, { waitUntil: 'load' });
    await expect(page.locator('main h1')).toBeVisible();
    // The page is painted and idle: still nothing of the bundle.
    await page.waitForTimeout(500);
    expect(wasm, 'wasm fetched before the person acted').toEqual([]);

    await awaitHydration(page);
    const own = new Set(all[role.piece]);
    const others = Object.entries(all)
      .filter(([piece]) => piece !== role.piece)
      .flatMap(([, files]) => files.filter((f) => !own.has(f)));
    expect(wasm.filter((f) => others.includes(f)), "another audience's pieces").toEqual([]);
    expect(wasm.some((f) => f.startsWith(`split_${role.piece}_`)), `its own piece: ${wasm.join(', ')}`).toBe(true);
    expect(wasm.filter((f) => f.startsWith('kulisy')).length, 'the main module, once').toBe(1);
    await context.close();
  });
}
