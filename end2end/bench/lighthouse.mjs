// Lighthouse's mobile performance run (simulated slow 4G, a mid-range
// phone's CPU) on each page given: score, largest contentful paint, total
// blocking time, the bytes a first visit transfers and how many of them are
// wasm. Prints one Markdown table row per page.
//
//   node end2end/bench/lighthouse.mjs http://127.0.0.1:3000 / /courses --as anna@kulisy.test /my/enrollments ...
//
// `--as EMAIL` signs in with the demo password and opens the paths after it
// with that person's session cookie (a fresh browser profile each page, as
// a first visit); `--as -` goes back to a visitor.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const run = promisify(execFile);
const [base, ...args] = process.argv.slice(2);
if (!base || args.length === 0) {
  console.error('usage: lighthouse.mjs BASE [--as EMAIL] PATH...');
  process.exit(2);
}
const lighthouse = fileURLToPath(new URL('../node_modules/.bin/lighthouse', import.meta.url));
const flags = '--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync';

/** The session cookie of a demo person, signed in through the app's own form endpoint. */
async function sessionOf(email) {
  const res = await fetch(`${base}/api/account/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json', Origin: base },
    body: new URLSearchParams({ email, password: 'kulisy-demo' }),
  });
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('kulisy_session='));
  if (!cookie) throw new Error(`${email} could not sign in: ${res.status}`);
  return cookie.split(';')[0];
}

let who = 'visitor';
let cookie = null;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--as') {
    who = args[++i];
    cookie = who === '-' ? null : await sessionOf(who);
    if (who === '-') who = 'visitor';
    continue;
  }
  const path = args[i];
  const extra = cookie ? [`--extra-headers=${JSON.stringify({ Cookie: cookie })}`] : [];
  const { stdout } = await run(
    lighthouse,
    [`${base}${path}`, '--only-categories=performance', '--output=json', '--quiet', `--chrome-flags=${flags}`, '--max-wait-for-load=60000', ...extra],
    { env: { ...process.env, CHROME_PATH: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' }, maxBuffer: 64 * 1024 * 1024 },
  );
  const r = JSON.parse(stdout);
  const ms = (id) => Math.round(r.audits[id].numericValue);
  const kb = (bytes) => (bytes / 1024).toFixed(0);
  const requests = r.audits['network-requests'].details.items;
  const wasm = requests.filter((item) => /\.wasm(\?|$)/.test(item.url)).reduce((sum, item) => sum + item.transferSize, 0);
  console.log(
    `| \`${path}\` | ${who.split('@')[0]} | ${Math.round(r.categories.performance.score * 100)} | ${ms('first-contentful-paint')} | ` +
      `${ms('largest-contentful-paint')} | ${ms('total-blocking-time')} | ${r.audits['cumulative-layout-shift'].numericValue.toFixed(3)} | ` +
      `${kb(r.audits['total-byte-weight'].numericValue)} | ${kb(wasm)} |`,
  );
}
