import { expect, Page } from '@playwright/test';

/** Resolves once the WebAssembly bundle has hydrated the page. */
export async function waitForHydration(page: Page) {
  await page.waitForFunction(() => (window as any).__hydrated === true);
}

/** Resolves once the navigator has loaded the visitors' bundle and hydrated
 * the page's islands (`count` hydration rounds so far, for pages swapped in). */
export async function waitForIslands(page: Page, count = 1) {
  await page.waitForFunction((n) => ((window as any).__islands ?? 0) >= n, count);
}

/** Fails the test on any console error or uncaught exception in the page,
 * but those `expected` (a network failure the test causes on purpose). */
export function failOnPageErrors(page: Page, expected: RegExp[] = []) {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !expected.some((re) => re.test(m.text()))) errors.push(m.text());
  });
  return async () => expect(errors, 'errors in the browser console').toEqual([]);
}

/** Opens the main menu where a narrow screen folds it behind "Meny". */
export async function openMenu(page: Page) {
  const toggle = page.locator('summary', { hasText: 'Meny' });
  if (await toggle.isVisible()) {
    await toggle.click();
    await expect(page.getByRole('navigation', { name: 'Hovedmeny' })).toBeVisible();
  }
}

/** One URL per public page type; the sitemap must name each one's path. */
export const PAGE_TYPES = [
  '/',
  '/ressurser',
  '/ressurser?nivaa=individ&grad=involvere',
  '/ressurser/feedbackinformerte-tjenester-fit',
  '/kart',
  '/inngang/kompetansesenter',
  '/inngang/tjenestene',
  '/veiviser',
  '/veiviser?plan=kurs&berorte=parorende&nivaa=tjeneste&innflytelse=mye&tid=middels&honorar=delvis',
  '/hvorfor-brukerinvolvering',
  '/veiledere-og-foringer',
  '/brukerorganisasjoner',
  '/brukerorganisasjoner?orgtype=kompetansesenter',
  '/om-nettstedet',
  '/personvern',
  '/tilgjengelighet',
  '/nytt',
  '/tilbakemelding',
  '/innspill',
  '/statistikk',
  '/organisasjoner/a-larm',
];
