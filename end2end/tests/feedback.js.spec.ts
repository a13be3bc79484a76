// With JavaScript the feedback flow moves between steps without reloading.
import { expect, test } from '@playwright/test';
import { failOnPageErrors, waitForHydration } from './helpers';

test('the flow runs in the page, with no reloads until the receipt', async ({ page }) => {
  const noErrors = failOnPageErrors(page);
  await page.goto('/tilbakemelding');
  await waitForHydration(page);
  await page.evaluate(() => ((window as any).__sameDocument = true));
  const documents: string[] = [];
  page.on('request', (r) => { if (r.resourceType() === 'document') documents.push(r.url()); });

  await page.getByRole('radio', { name: /Noe annet/ }).check();
  await page.getByRole('button', { name: 'Neste' }).click();
  // As a person would: see step 2 before pressing "Neste" on it (a second
  // click while step 1's answer is on its way would press step 1's button).
  await expect(page.getByRole('heading', { name: /Steg 2 av 4/ })).toBeVisible();
  await page.getByRole('button', { name: 'Neste' }).click();
  await expect(page.getByText('Skriv hva du vil si til oss.')).toBeVisible();
  await expect(page.getByRole('heading', { name: /Steg 2 av 4/ })).toBeFocused();
  await page.getByLabel('Hva vil du si til oss?').fill('Fin side!');
  await page.getByRole('button', { name: 'Neste' }).click();
  await page.getByRole('button', { name: 'Tilbake' }).click();
  await expect(page.getByLabel('Hva vil du si til oss?')).toHaveValue('Fin side!');
  await page.getByRole('button', { name: 'Neste' }).click();
  await page.getByRole('button', { name: 'Neste' }).click();
  await expect(page.getByText('Fin side!')).toBeVisible();
  expect(documents, 'no page loads while stepping').toEqual([]);
  expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);

  await page.getByRole('button', { name: 'Send tilbakemeldingen' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Takk for tilbakemeldingen!' })).toBeVisible();
  await expect(page.locator('.reference')).toHaveText(/^TB-/);
  await noErrors();
});
