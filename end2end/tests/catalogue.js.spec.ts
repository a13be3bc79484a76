// Catalogue behaviour that needs JavaScript.
import { expect, test } from '@playwright/test';
import { waitForHydration } from './helpers';

test('changes apply without a reload and keep keyboard focus @desktop', async ({ page }) => {
  await page.goto('/ressurser');
  await waitForHydration(page);
  await page.evaluate(() => ((window as any).__marker = 1));
  const box = page.getByRole('checkbox', { name: /^Individnivå/ });
  await box.focus();
  await page.keyboard.press('Space');
  await expect(page).toHaveURL(/nivaa=individ/);
  await expect(box).toBeChecked();
  await expect(box).toBeFocused();
  expect(await page.evaluate(() => (window as any).__marker)).toBe(1);
});

test('the new count is announced to screen readers', async ({ page }) => {
  await page.goto('/ressurser');
  await waitForHydration(page);
  const live = page.locator('[role="status"][aria-live="polite"]');
  await expect(live).toHaveText('');
  await page.goto('/ressurser'); // a fresh load does not announce
  await waitForHydration(page);
  const search = page.getByLabel('Søk i ressursene'); // a searchbox, or a combobox with JavaScript (suggest.js)
  await search.pressSequentially('fit', { delay: 30 });
  await expect(page).toHaveURL(/q=fit/);
  await expect(live).toHaveText(/^\d+ ressurs(er)?$|^1 ressurs$/);
});

test('the phone filter button opens a one-column panel @phone', async ({ page }) => {
  await page.goto('/ressurser');
  await waitForHydration(page);
  const panel = page.locator('#filtre');
  await expect(panel).toBeHidden();
  const toggle = page.getByRole('link', { name: 'Filtrer' });
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await toggle.click();
  await expect(panel).toBeVisible();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  const box = await page.getByRole('checkbox', { name: /^Systemnivå/ }).boundingBox();
  const label = await page.locator('label[for="f-nivaa-system"]').boundingBox();
  expect(label!.height).toBeGreaterThanOrEqual(44);
  expect(box!.x + 10).toBeLessThan(360);
});
