// Runs only in the projects with JavaScript (see playwright.config.ts).
import { expect, test } from '@playwright/test';
import { PAGE_TYPES, failOnPageErrors, openMenu, waitForHydration } from './helpers';

test('the page hydrates and navigates on the client without a full reload', async ({ page }) => {
  const noErrors = failOnPageErrors(page);
  await page.goto('/');
  await waitForHydration(page);
  // A marker on window survives a client-side navigation but not a reload.
  await page.evaluate(() => ((window as any).__marker = 'still-here'));
  await openMenu(page);
  await page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Ressurser' }).click();
  await expect(page).toHaveURL(/\/ressurser$/);
  // A folded menu closes again after the navigation, as after a page load.
  if (await page.locator('summary', { hasText: 'Meny' }).isVisible()) {
    await expect(page.getByRole('navigation', { name: 'Hovedmeny' })).toBeHidden();
  }
  await expect(page.getByRole('heading', { level: 1, name: 'Ressurser' })).toBeVisible();
  expect(await page.evaluate(() => (window as any).__marker)).toBe('still-here');
  // The first resource on the list (the catalogue grows; any one will do).
  const first = page.locator('.card-title a').first();
  const title = (await first.innerText()).trim();
  await first.click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page).toHaveTitle(`${title} – Bli involvert`);
  expect(await page.evaluate(() => (window as any).__marker)).toBe('still-here');
  await noErrors();
});


test('every page type hydrates under the Content-Security-Policy, a revalidated one too', async ({ page }) => {
  // A blocked script or style would show as a console error.
  const noErrors = failOnPageErrors(page);
  for (const path of PAGE_TYPES) {
    const response = await page.goto(path);
    const csp = response!.headers()['content-security-policy'];
    expect(csp, path).toContain("'wasm-unsafe-eval'");
    expect(csp, path).not.toContain('unsafe-inline');
    await waitForHydration(page);
  }
  // A reload asks with the ETag; the 304 keeps the cached page and the policy
  // its nonce belongs to, so it hydrates again.
  await page.goto('/ressurser');
  await waitForHydration(page);
  const asked: string[] = [];
  page.on('response', async (r) => {
    if (new URL(r.url()).pathname !== '/ressurser') return;
    const sent = await r.request().allHeaders();
    const raw = await r.allHeaders();
    asked.push(`${sent['if-none-match'] ?? 'none'} -> ${r.status()} ${raw['etag'] ?? ''}`);
  });
  await page.reload();
  await waitForHydration(page);
  expect(asked.length).toBe(1);
  // Chromium sent the validator it had and got the same page back.
  expect(asked[0]).toMatch(/^(W\/"[0-9a-f]+") -> \d+ \1$/);
  await noErrors();
});
