// Suggestions while typing in the catalogue's search field (suggest.js, issue
// 19): an ARIA 1.2 combobox. Keyboard only, as a screen reader user works
// it: the field keeps focus, arrow keys move the active option
// (aria-activedescendant, aria-selected), Escape closes, a live region says
// how many there are, and Enter still submits the search.
import { expect, test } from '@playwright/test';
import { failOnPageErrors } from './helpers';

test('the search field suggests titles and works by keyboard', async ({ page }) => {
  const noErrors = failOnPageErrors(page);
  await page.goto('/ressurser');
  const field = page.getByLabel('Søk i ressursene');
  await field.focus();
  await field.pressSequentially('brukerutv');
  // The catalogue's live search swaps the page after a pause in typing; the
  // list must survive that, and keys pressed during the swap would be lost.
  await expect(page).toHaveURL(/q=brukerutv/);
  await expect(page.locator('#antall-kunngjoring')).toHaveText(/ressurs/);

  const combo = page.getByRole('combobox', { name: 'Søk i ressursene' });
  await expect(combo).toHaveAttribute('aria-autocomplete', 'list');
  await expect(combo).toHaveAttribute('aria-controls', 'sok-forslag');
  await expect(combo).toHaveAttribute('aria-expanded', 'true');
  const listbox = page.getByRole('listbox', { name: 'Forslag' });
  await expect(listbox).toBeVisible();
  const options = listbox.getByRole('option');
  await expect(options.first()).toHaveText(/^Brukerutvalg/);
  const count = await options.count();
  expect(count).toBeGreaterThan(0);
  expect(count).toBeLessThanOrEqual(8);
  await expect(page.locator('#sok-forslag-status')).toHaveText(`${count} forslag. Bruk pil ned for å velge.`);
  await expect(combo).not.toHaveAttribute('aria-activedescendant', /.+/);

  // Arrow keys move the active option; focus stays in the field.
  await combo.press('ArrowDown');
  await expect(combo).toHaveAttribute('aria-activedescendant', 'sok-forslag-0');
  await expect(options.first()).toHaveAttribute('aria-selected', 'true');
  await expect(combo).toBeFocused();
  if (count > 1) {
    await combo.press('ArrowDown');
    await expect(combo).toHaveAttribute('aria-activedescendant', 'sok-forslag-1');
    await expect(options.first()).toHaveAttribute('aria-selected', 'false');
    await combo.press('ArrowUp');
  }
  await combo.press('ArrowUp');
  await expect(combo).toHaveAttribute('aria-activedescendant', `sok-forslag-${count - 1}`);

  // Escape closes the list and keeps what was typed.
  await combo.press('Escape');
  await expect(combo).toHaveAttribute('aria-expanded', 'false');
  await expect(listbox).toBeHidden();
  await expect(combo).not.toHaveAttribute('aria-activedescendant', /.+/);
  await expect(combo).toHaveValue('brukerutv');

  // Enter with no option active submits the search, as without JavaScript.
  await combo.press('Enter');
  await expect(page).toHaveURL(/\/ressurser\?q=brukerutv/);
  await expect(page.locator('.result-count')).toHaveText(/\d+ ressurs/);

  // Enter on an active option opens that resource.
  const again = page.getByLabel('Søk i ressursene');
  await again.fill('');
  await again.pressSequentially('fokusgrupp');
  await expect(page).toHaveURL(/q=fokusgrupp/);
  await expect(page.locator('#antall-kunngjoring')).toHaveText(/ressurs/);
  await expect(page.getByRole('combobox', { name: 'Søk i ressursene' })).toHaveAttribute('aria-expanded', 'true');
  await expect(page.getByRole('option').first()).toHaveText('Dialogmøter og fokusgrupper');
  await page.getByRole('combobox', { name: 'Søk i ressursene' }).press('ArrowDown');
  await page.getByRole('combobox', { name: 'Søk i ressursene' }).press('Enter');
  await expect(page).toHaveURL(/\/ressurser\/dialogmoter-og-fokusgrupper$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dialogmøter og fokusgrupper');
  await noErrors();
});

test('a typo gets "Mente du …?" as a link', async ({ page }) => {
  await page.goto('/ressurser?q=erfaringskonsulnet');
  await expect(page.getByText('Du søkte etter «erfaringskonsulnet».')).toBeVisible();
  await page.getByRole('link', { name: /^«erfaringskonsulent/ }).click();
  await expect(page).toHaveURL(/q=erfaringskonsulent/);
});
