// Runs only in the projects with JavaScript (see playwright.config.ts).
import { expect, test } from '@playwright/test';
import { failOnPageErrors, waitForHydration } from './helpers';

test('the page hydrates and navigates on the client without a full reload', async ({ page }) => {
  const noErrors = failOnPageErrors(page);
  await page.goto('/');
  await waitForHydration(page);
  // A marker on window survives a client-side navigation but not a reload.
  await page.evaluate(() => ((window as any).__marker = 'still-here'));
  await page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Ressurser' }).click();
  await expect(page).toHaveURL(/\/ressurser$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Ressurser' })).toBeVisible();
  expect(await page.evaluate(() => (window as any).__marker)).toBe('still-here');
  await page.getByRole('link', { name: 'Feedbackinformerte tjenester (FIT)' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Feedbackinformerte tjenester (FIT)' })).toBeVisible();
  await expect(page).toHaveTitle('Feedbackinformerte tjenester (FIT) – Bli involvert');
  expect(await page.evaluate(() => (window as any).__marker)).toBe('still-here');
  await noErrors();
});

