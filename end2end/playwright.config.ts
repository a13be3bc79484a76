import { defineConfig, devices } from '@playwright/test';
import { BASE_URLS, SERVER } from './servers';

// The servers are started by scripts/test.sh (release build, a temporary
// database each) before Playwright runs: one per worker (servers.ts).
const baseURL = BASE_URLS[SERVER];

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
  workers: BASE_URLS.length,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: { baseURL, launchOptions, trace: 'off' },
  projects: [
    // Signs in the e2e editor and administrator once per server, for the
    // tests that start signed in (helpers.ts, `useSession`).
    { name: 'setup', testMatch: /auth\.setup\.ts$/, use: { launchOptions } },
    // A test tagged @phone runs only at phone width, one tagged @desktop only at desktop width.
    { name: 'desktop', dependencies: ['setup'], grepInvert: /@phone/, use: { ...devices['Desktop Chrome'], launchOptions } },
    {
      name: 'phone',
      dependencies: ['setup'],
      grepInvert: /@desktop/,
      use: { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, launchOptions },
    },
    {
      name: 'no-js',
      dependencies: ['setup'],
      // Hydration and client-side behaviour need JavaScript; they live in *.js.spec.ts.
      testIgnore: /\.js\.spec\.ts$/,
      grepInvert: /@phone/,
      use: { ...devices['Desktop Chrome'], javaScriptEnabled: false, launchOptions },
    },
  ],
});
