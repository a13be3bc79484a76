// Single-page navigation between the visitors' pages (navigator.js): the
// document survives, the title changes, focus and scroll behave as after a
// page load, and back and forward work.
import { expect, test } from '@playwright/test';
import { failOnPageErrors, openMenu, waitForHydration } from './helpers';

test('a walk home → list → filter → resource → back keeps the document', async ({ page }) => {
  const noErrors = failOnPageErrors(page);
  const documents: string[] = [];
  page.on('request', (r) => { if (r.resourceType() === 'document') documents.push(r.url()); });
  await page.goto('/');
  await waitForHydration(page);
  documents.length = 0;
  await page.evaluate(() => ((window as any).__marker = 'still-here'));

  // A link: a new page, its heading takes focus, the title changes, at the top.
  await page.evaluate(() => window.scrollTo(0, 300));
  await page.getByRole('link', { name: /^Se alle \d+ ressurser$/ }).click();
  await expect(page).toHaveURL(/\/ressurser$/);
  await expect(page).toHaveTitle('Ressurser – Bli involvert');
  await expect(page.locator('main h1')).toBeFocused();
  expect(await page.evaluate(() => window.scrollY)).toBe(0);

  // A filter: the view changes in place, focus stays on the control (on a
  // phone the filters are behind "Filtrer", and stay open).
  const toggle = page.getByRole('link', { name: 'Filtrer' });
  if (await toggle.isVisible()) {
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  }
  const box = page.getByRole('checkbox', { name: /^Individnivå/ });
  await box.check();
  await expect(page).toHaveURL(/nivaa=individ/);
  await expect(box).toBeFocused();
  await expect(page.locator('#antall-kunngjoring')).toHaveText(/^\d+ ressurs(er)?$/);
  if (await toggle.isVisible()) {
    await expect(toggle, 'the filter panel stays open').toHaveAttribute('aria-expanded', 'true');
  }

  // Down the list, into a resource, and back: the list as it was, where it was.
  const first = page.locator('.card-list a').first();
  const title = (await first.textContent())!.trim();
  await first.scrollIntoViewIfNeeded();
  await page.evaluate(() => window.scrollBy(0, 200));
  const listScroll = await page.evaluate(() => window.scrollY);
  expect(listScroll).toBeGreaterThan(0);
  // A click where the link is, without Playwright scrolling it into view first.
  await first.evaluate((a: HTMLAnchorElement) => a.click());
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(page.locator('main h1')).toBeFocused();
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  await expect(page).toHaveTitle(`${title} – Bli involvert`);

  await page.goBack();
  await expect(page).toHaveURL(/nivaa=individ/);
  await expect(page.locator('#f-nivaa-individ'), 'the view is the filtered one').toBeChecked();
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBe(listScroll);
  await page.goForward();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);

  expect(await page.evaluate(() => (window as any).__marker)).toBe('still-here');
  expect(documents, 'no document was loaded').toEqual([]);
  await noErrors();
});

test('what a visitor typed while a slow answer was on its way is kept', async ({ page }) => {
  const noErrors = failOnPageErrors(page);
  await page.goto('/ressurser');
  await waitForHydration(page);
  // The answer for "bruker" is held until the visitor has typed on.
  let release = () => {};
  const held = new Promise<void>((resolve) => { release = resolve; });
  const isBruker = (url: URL) => url.pathname === '/ressurser' && url.searchParams.get('q') === 'bruker';
  await page.route((url) => isBruker(url), async (route) => { await held; await route.continue(); });
  const field = page.getByLabel('Søk i ressursene');
  const sent = page.waitForRequest((r) => isBruker(new URL(r.url())));
  await field.pressSequentially('bruker');
  await sent;
  // Typed on before the answer came (its own search waits for a pause):
  // the answer must not put "bruker" back under the visitor's fingers.
  await field.pressSequentially('medvirkning');
  release();
  await expect(page).toHaveURL(/q=brukermedvirkning/);
  await expect(field).toHaveValue('brukermedvirkning');
  await expect(field).toBeFocused();
  await noErrors();
});

test('the menu, the guide and "Var denne siden nyttig?" work without a page load', async ({ page }) => {
  const noErrors = failOnPageErrors(page);
  await page.goto('/veiviser');
  await waitForHydration(page);
  await page.evaluate(() => ((window as any).__marker = 1));
  await page.getByRole('group', { name: 'Hva planlegger dere?' }).getByLabel('Et forskningsprosjekt').check();
  await page.getByRole('button', { name: 'Vis anbefalingen' }).click();
  await expect(page.locator('#mangler')).toBeFocused();
  await openMenu(page);
  await page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Hvorfor brukerinvolvering?' }).click();
  await expect(page.locator('main h1')).toBeFocused();
  await page.getByRole('button', { name: 'Ja' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Takk for svaret!' })).toBeFocused();
  // Answered in place: the address (and the history) stay as they were.
  await expect(page).not.toHaveURL(/nyttig=/);
  expect(await page.evaluate(() => (window as any).__marker)).toBe(1);
  await noErrors();
});

test('editors\' pages and sign-in load as pages of their own', async ({ page }) => {
  await page.goto('/');
  await waitForHydration(page);
  await page.evaluate(() => ((window as any).__marker = 1));
  await page.goto('/logg-inn');
  expect(await page.evaluate(() => (window as any).__marker)).toBeUndefined();
  await page.goto('/');
  await waitForHydration(page);
  await page.evaluate(() => ((window as any).__marker = 1));
  await page.locator('footer').getByRole('link', { name: 'Besøksstatistikk' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Besøksstatistikk');
  expect(await page.evaluate(() => (window as any).__marker)).toBe(1);
});
