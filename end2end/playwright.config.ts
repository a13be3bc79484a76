import { defineConfig, devices } from '@playwright/test';

// The server is started by scripts/test.sh (release build, temporary database)
// before Playwright runs; BASE_URL says where.
const baseURL = process.env.BASE_URL ?? 'http://127.0.0.1:3310';

const launchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless=new',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-dev-shm-usage',
  ],
};

export default defineConfig({
  testDir: './tests',
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: { baseURL, launchOptions, trace: 'off' },
  projects: [
    // A test tagged @phone runs only at phone width, one tagged @desktop only at desktop width.
    { name: 'desktop', grepInvert: /@phone/, use: { ...devices['Desktop Chrome'], launchOptions } },
    {
      name: 'phone',
      grepInvert: /@desktop/,
      use: { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, launchOptions },
    },
    {
      name: 'no-js',
      // Hydration and client-side behaviour need JavaScript; they live in *.js.spec.ts.
      testIgnore: /\.js\.spec\.ts$/,
      grepInvert: /@phone/,
      use: { ...devices['Desktop Chrome'], javaScriptEnabled: false, launchOptions },
    },
  ],
});
