import { defineConfig } from '@playwright/test';

// The app under test: the debug build made by `cargo leptos build`, on a port
// of its own and a fresh data directory (SQLite, demo school seeded).
const PORT = Number(process.env.KULISY_E2E_PORT ?? 3100);

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    locale: 'ru-RU',
    timezoneId: 'Europe/Moscow',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      // The machine has no network beyond the package registries: keep
      // Chromium from reaching out on its own.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: 'rm -rf target/e2e-data && target/debug/kulisy',
    cwd: '..',
    url: `http://127.0.0.1:${PORT}/healthz`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    env: {
      LEPTOS_SITE_ADDR: `127.0.0.1:${PORT}`,
      LEPTOS_ENV: 'DEV',
      KULISY_DATA: 'target/e2e-data',
      KULISY_DEMO: 'true',
      DATABASE_URL: '',
      SMTP_URL: '',
      SITE_URL: `http://127.0.0.1:${PORT}`,
      RUST_LOG: 'warn',
    },
  },
});
