// What a visitor downloads: on every public page type, the /pkg files it
// transfers (brotli, as served) stay within the budget, and none of them is
// WebAssembly; an editor's page loads the editors' bundle.
import { expect, test } from '@playwright/test';
import { PAGE_TYPES, waitForHydration } from './helpers';

const PASSWORD = process.env.E2E_EDITOR_PASSWORD ?? 'et langt testpassord 123';
const BUDGET = 200_000; // issue 15: at most 200 KB; scripts/asset-budget.sh holds the tighter one

async function pkgBytes(page: import('@playwright/test').Page) {
  return page.evaluate(() =>
    (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
      .filter((e) => new URL(e.name).pathname.startsWith('/pkg/'))
      .map((e) => ({ url: new URL(e.name).pathname, bytes: e.encodedBodySize })),
  );
}

test('every public page type loads at most 200 KB from /pkg, and no WebAssembly @desktop', async ({ page }) => {
  for (const url of PAGE_TYPES) {
    await page.goto(url);
    await waitForHydration(page);
    // The body size as sent (brotli), also for a file the browser had cached.
    const files = await pkgBytes(page);
    const total = files.reduce((sum, f) => sum + f.bytes, 0);
    expect(files.some((f) => f.url.endsWith('.wasm')), `${url}: ${JSON.stringify(files)}`).toBe(false);
    expect(files.length, `${url}: the stylesheet and the navigator`).toBe(2);
    expect(total, `${url}: ${JSON.stringify(files)}`).toBeLessThanOrEqual(BUDGET);
  }
});

test('an editor\'s page loads the editors\' bundle and hydrates its islands @desktop', async ({ page }) => {
  await page.goto('/logg-inn?neste=/redaktor/ressurser/ny');
  await page.getByLabel('Brukernavn').fill('e2e-redaktor');
  await page.getByLabel('Passord').fill(PASSWORD);
  await page.getByRole('button', { name: 'Logg inn' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Ny ressurs' })).toBeVisible();
  await waitForHydration(page);
  const files = await pkgBytes(page);
  expect(files.some((f) => f.url.endsWith('.wasm')), JSON.stringify(files)).toBe(true);
  await expect(page.locator('leptos-island')).toHaveCount(1);
});
