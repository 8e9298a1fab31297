// Lighthouse's mobile performance run (simulated slow 4G, a mid-range
// phone's CPU) on each page given: score, largest contentful paint, total
// blocking time and the bytes a first visit transfers. Prints one Markdown
// table row per page.
//
//   node end2end/bench/lighthouse.mjs http://127.0.0.1:3000 / /courses ...
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const run = promisify(execFile);
const [base, ...paths] = process.argv.slice(2);
if (!base || paths.length === 0) {
  console.error('usage: lighthouse.mjs BASE PATH...');
  process.exit(2);
}
const lighthouse = fileURLToPath(new URL('../node_modules/.bin/lighthouse', import.meta.url));
const flags = '--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync';
for (const path of paths) {
  const { stdout } = await run(
    lighthouse,
    [`${base}${path}`, '--only-categories=performance', '--output=json', '--quiet', `--chrome-flags=${flags}`, '--max-wait-for-load=60000'],
    { env: { ...process.env, CHROME_PATH: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' }, maxBuffer: 64 * 1024 * 1024 },
  );
  const r = JSON.parse(stdout);
  const ms = (id) => Math.round(r.audits[id].numericValue);
  const kb = (r.audits['total-byte-weight'].numericValue / 1024).toFixed(0);
  console.log(`| \`${path}\` | ${Math.round(r.categories.performance.score * 100)} | ${ms('first-contentful-paint')} | ${ms('largest-contentful-paint')} | ${ms('total-blocking-time')} | ${kb} |`);
}
