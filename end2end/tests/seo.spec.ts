import { test, expect } from './fixtures';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { APIRequestContext } from '@playwright/test';

const run = promisify(execFile);

/** One page of each public kind, found the way a crawler finds them: from the sitemap. */
async function publicPages(request: APIRequestContext): Promise<Record<string, string>> {
  const xml = await (await request.get('/sitemap.xml')).text();
  const paths = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1].replaceAll('&amp;', '&')).pathname);
  const first = (prefix: string) => {
    const found = paths.find((p) => p.startsWith(prefix) && p !== prefix.replace(/\/$/, ''));
    expect(found, `a ${prefix} page in the sitemap`).toBeTruthy();
    return found!;
  };
  return {
    home: '/',
    schedule: '/courses',
    course: first('/courses/'),
    afisha: '/afisha',
    show: first('/afisha/'),
    teacher: first('/teachers/'),
    portfolio: first('/students/'),
    privacy: '/privacy',
  };
}

/** The JSON-LD objects of a page (top-level arrays unpacked). */
function structuredData(html: string): Record<string, unknown>[] {
  return [...html.matchAll(/<script type="application\/ld\+json"[^>]*>([\s\S]*?)<\/script>/g)].flatMap((m) => {
    const data = JSON.parse(m[1]);
    return Array.isArray(data) ? data : [data];
  });
}

test('Lighthouse scores every kind of public page 100 for SEO', async ({ request, baseURL }) => {
  test.setTimeout(600_000);
  const pages = await publicPages(request);
  const flags = '--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync';
  for (const [kind, path] of Object.entries(pages)) {
    const { stdout } = await run(
      'node_modules/.bin/lighthouse',
      [`${baseURL}${path}`, '--only-categories=seo', '--output=json', '--quiet', `--chrome-flags=${flags}`, '--max-wait-for-load=60000'],
      { env: { ...process.env, CHROME_PATH: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' }, maxBuffer: 64 * 1024 * 1024 },
    );
    const report = JSON.parse(stdout);
    const failed = Object.values(report.audits as Record<string, { id: string; score: number | null; scoreDisplayMode: string; title: string }>)
      .filter((a) => a.scoreDisplayMode === 'binary' && a.score !== 1)
      .map((a) => `${a.id}: ${a.title}`);
    expect(failed, `${kind} ${path}`).toEqual([]);
    expect(report.categories.seo.score, `${kind} ${path}`).toBe(1);
  }
});

/**
 * The structured data is checked against schema.org's definitions as
 * Google's `schema-dts` types them: each object becomes a typed constant,
 * and the TypeScript compiler refuses a property its type does not have or
 * a value of the wrong shape. An object of two types (the school, also a
 * theatre) may use the properties of either.
 */
test("the structured data of every public page is schema.org's", async ({ request }) => {
  test.setTimeout(180_000);
  const pages = await publicPages(request);
  const declarations: string[] = [];
  const seen = new Set<string>();
  for (const [kind, path] of Object.entries(pages)) {
    const html = await (await request.get(path)).text();
    for (const [i, object] of structuredData(html).entries()) {
      const { '@context': context, '@type': type, ...rest } = object as { '@context': string; '@type': string | string[] };
      expect(context, `${kind}: context`).toBe('https://schema.org');
      const types = Array.isArray(type) ? type : [type];
      types.forEach((t) => seen.add(t));
      const shape = types.map((t) => `Leaf<S.${t}, ${JSON.stringify(t)}>`).join(' & ');
      declarations.push(`// ${kind} ${path}\nexport const ${kind}${i}: ${shape} = ${JSON.stringify(rest, null, 1)};`);
    }
  }
  for (const t of ['EducationalOrganization', 'PerformingArtsTheater', 'Course', 'TheaterEvent', 'Person', 'BreadcrumbList']) {
    expect([...seen], t).toContain(t);
  }
  const dir = mkdtempSync(join(tmpdir(), 'kulisy-jsonld-'));
  try {
    const file = join(dir, 'structured.ts');
    writeFileSync(
      file,
      `import type * as S from '${join(process.cwd(), 'node_modules/schema-dts')}';\n` +
        `type Leaf<T, N extends string> = Omit<Extract<T, { '@type': N }>, '@type'>;\n\n` +
        declarations.join('\n\n'),
    );
    const tsc = join(process.cwd(), 'node_modules/.bin/tsc');
    const result = await run(tsc, ['--noEmit', '--strict', '--skipLibCheck', '--target', 'ES2022', '--moduleResolution', 'node', file]).then(
      () => '',
      (e: { stdout: string }) => e.stdout,
    );
    expect(result, 'schema.org refuses').toBe('');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a shared show shows its picture and a sentence', async ({ request, page }) => {
  const pages = await publicPages(request);
  const html = await (await request.get(pages.show)).text();
  const og = (property: string) => html.match(new RegExp(`<meta property="${property}" content="([^"]*)"`))?.[1] ?? '';
  for (const property of ['og:title', 'og:description', 'og:url', 'og:image', 'og:image:width', 'og:image:height', 'og:type', 'og:locale', 'og:site_name']) {
    expect(og(property), property).not.toBe('');
  }
  // The picture a messenger would fetch is there.
  const image = await request.get(new URL(og('og:image')).pathname);
  expect(image.status()).toBe(200);
  expect(image.headers()['content-type']).toMatch(/^image\//);
  await page.goto(pages.show);
  await expect(page.getByRole('navigation', { name: 'Навигационная цепочка' }).getByRole('link', { name: 'Афиша' })).toBeVisible();
});
