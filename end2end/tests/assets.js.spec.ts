// What a visitor downloads: on every public page type, the HTML and the
// /pkg files it transfers (brotli, as served) stay within the budget of its
// kind. A page with islands loads the visitors' bundle (and never the
// editors'); a page without islands loads no WebAssembly at all; an
// editor's page loads the editors' bundle.
import { expect, test } from '@playwright/test';
import { PAGE_TYPES, useSession, waitForHydration, waitForIslands } from './helpers';
// Issue 25: the HTML plus everything under /pkg.
const ISLAND_BUDGET = 130_000;
// The frame (stylesheet and navigator, about 8.8 kB) plus the page's HTML.
const PLAIN_BUDGET = 16_500;
// The organisations' directory lists every organisation on one page, so it
// grows with the content (56 organisations: 9.4 kB of HTML, about 170 B
// each): its own budget, until it is paged.
const DIRECTORY = '/brukerorganisasjoner';
const DIRECTORY_BUDGET = 20_000;

async function pkgBytes(page: import('@playwright/test').Page) {
  return page.evaluate(() =>
    (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
      .filter((e) => new URL(e.name).pathname.startsWith('/pkg/'))
      .map((e) => ({ url: new URL(e.name).pathname, bytes: e.encodedBodySize })),
  );
}

async function htmlBytes(page: import('@playwright/test').Page) {
  return page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).encodedBodySize);
}

test('every public page type stays within its budget; only pages with islands load wasm, and only the visitors\' @desktop', async ({ page }) => {
  for (const url of PAGE_TYPES) {
    await page.goto(url);
    await waitForHydration(page);
    const islands = await page.locator('leptos-island').count();
    if (islands) await waitForIslands(page);
    // The body size as sent (brotli), also for a file the browser had cached.
    const files = await pkgBytes(page);
    const html = await htmlBytes(page);
    const total = html + files.reduce((sum, f) => sum + f.bytes, 0);
    const what = `${url}: HTML ${html} B, ${JSON.stringify(files)}`;
    expect(files.some((f) => f.url.includes('/bli-involvert.') && !f.url.endsWith('.css')), `${what}: never the editors' bundle`).toBe(false);
    if (islands) {
      expect(files.some((f) => /\/visitors\.[0-9a-f]+\.wasm$/.test(f.url)), what).toBe(true);
      expect(total, what).toBeLessThanOrEqual(ISLAND_BUDGET);
    } else {
      expect(files.some((f) => f.url.endsWith('.wasm')), what).toBe(false);
      expect(files.length, `${what}: the stylesheet and the navigator`).toBe(2);
      expect(total, what).toBeLessThanOrEqual(url === DIRECTORY ? DIRECTORY_BUDGET : PLAIN_BUDGET);
    }
  }
  // The catalogue and the feedback flow are the pages with islands.
  for (const url of ['/ressurser', '/tilbakemelding']) {
    await page.goto(url);
    await expect(page.locator('leptos-island'), url).toHaveCount(1);
  }
});

test('an editor\'s page loads the editors\' bundle and hydrates its islands @desktop', async ({ page }) => {
  await useSession(page, 'editor');
  await page.goto('/redaktor/ressurser/ny');
  await expect(page.getByRole('heading', { level: 1, name: 'Ny ressurs' })).toBeVisible();
  await waitForHydration(page);
  const files = await pkgBytes(page);
  expect(files.some((f) => f.url.endsWith('.wasm')), JSON.stringify(files)).toBe(true);
  // The resource form, and the files panel's «Sett inn i teksten» (issue 29).
  const islands = await page.locator('leptos-island').evaluateAll((els) => els.map((el) => el.getAttribute('data-component') ?? ''));
  expect(islands.map((name) => name.replace(/_.*$/, '')).sort(), JSON.stringify(islands)).toEqual(['InsertButtons', 'ResourceForm']);
});
