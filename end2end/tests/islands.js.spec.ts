// The visitors' islands (app/src/islands): the catalogue filter counts in
// the browser, the feedback flow steps in the browser and sends through a
// server function, and both pages work as before while the bundle is on its
// way.
import { expect, test } from '@playwright/test';
import { failOnPageErrors, waitForHydration, waitForIslands } from './helpers';

const count = (page: import('@playwright/test').Page, id: string) =>
  page.locator(`label[for="${id}"] .option-count`);

/** On a phone the filter panel opens behind its button. */
async function openFilters(page: import('@playwright/test').Page) {
  const toggle = page.getByRole('link', { name: 'Filtrer' });
  if (await toggle.isVisible()) await toggle.click();
}

test('ticking a box recounts every option at once, before the server answers', async ({ page }) => {
  const noErrors = failOnPageErrors(page);
  await page.goto('/ressurser');
  await waitForIslands(page);
  const before = await count(page, 'f-grad-involvere').textContent();
  const showBefore = await page.locator('[data-show]').textContent();
  // Hold the filtered page: whatever changes now was computed in the browser.
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const counts: string[] = [];
  await page.route(/\/ressurser\?/, async (route) => {
    counts.push(route.request().url());
    await held;
    await route.continue();
  });
  await openFilters(page);
  const box = page.getByRole('checkbox', { name: /^Individnivå/ });
  await box.focus();
  await page.keyboard.press('Space');
  await expect(page.locator('[data-show]')).not.toHaveText(showBefore!);
  await expect(count(page, 'f-grad-involvere')).not.toHaveText(before!);
  const live = page.locator('#antall-kunngjoring');
  const said = await live.textContent();
  expect(said).toMatch(/^\d+ ressurs(er)?$/);
  await expect(page.locator('[data-show]')).toHaveText(`Vis ${said!.toLowerCase()}`);
  await expect(page.locator('.result-count')).toHaveText(said!);
  await expect(box).toBeFocused();
  expect(counts.length, 'only the result list is asked for').toBeLessThanOrEqual(1);

  // The results follow; the count is not said a second time, focus stays.
  const changes: string[] = [];
  await page.exposeFunction('__said', (t: string) => changes.push(t));
  await page.evaluate(() => {
    const region = document.getElementById('antall-kunngjoring')!;
    new MutationObserver(() => (window as any).__said(region.textContent)).observe(region, {
      childList: true, characterData: true, subtree: true,
    });
  });
  release();
  await expect(page).toHaveURL(/nivaa=individ/);
  await expect(page.locator('.result-count')).toHaveText(said!);
  await expect(box).toBeFocused();
  await expect(box).toBeChecked();
  // The swapped-in page's island hydrates too.
  await waitForIslands(page, 2);
  expect(changes, 'one announcement per change').toEqual([]);
  await noErrors();
});

test('before the bundle arrives the filters work as before', async ({ page }) => {
  await page.route(/\/pkg\/visitors.*\.wasm/, () => { /* never answered */ });
  await page.goto('/ressurser');
  await waitForHydration(page);
  await openFilters(page);
  const box = page.getByRole('checkbox', { name: /^Systemnivå/ });
  await box.check();
  await expect(page).toHaveURL(/nivaa=system/);
  await expect(page.locator('#antall-kunngjoring')).toHaveText(/^\d+ ressurs(er)?$/);
  expect(await page.evaluate(() => (window as any).__islands)).toBeUndefined();
});

test('the feedback flow steps in the browser and sends once', async ({ page }) => {
  // The browser logs the connection this test drops.
  const noErrors = failOnPageErrors(page, [/ERR_INTERNET_DISCONNECTED/]);
  await page.goto('/tilbakemelding');
  await waitForIslands(page);
  const posts: string[] = [];
  page.on('request', (r) => { if (r.method() === 'POST') posts.push(new URL(r.url()).pathname); });

  // The domain's checks and sentences, without the server.
  await page.getByRole('button', { name: 'Neste' }).click();
  await expect(page.getByText('Velg hva tilbakemeldingen gjelder.')).toBeVisible();
  await expect(page.getByText('Rett opp 1 felt før du går videre.')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Steg 1 av 4: Hva gjelder det?' })).toBeFocused();
  await page.getByRole('radio', { name: /Foreslå en ressurs/ }).check();
  await page.getByRole('button', { name: 'Neste' }).click();
  await expect(page.getByRole('heading', { name: 'Steg 2 av 4: Detaljer' })).toBeFocused();
  await page.getByRole('button', { name: 'Neste' }).click();
  await expect(page.getByText('Skriv hva ressursen heter.')).toBeVisible();
  await expect(page.getByLabel('Hva heter ressursen?')).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('Hva heter ressursen?').fill('Samarbeidsavtale-mal');
  await page.getByLabel('Lenke (hvis du har en)').fill('ftp://feil');
  await page.getByRole('button', { name: 'Neste' }).click();
  await expect(page.getByText(/Skriv en hel nettadresse/)).toBeVisible();
  await page.getByLabel('Lenke (hvis du har en)').fill('https://example.org/mal');
  await page.getByLabel('Hvorfor er den nyttig? (valgfritt)').fill('God mal for avtaler.');

  // A reload keeps the draft (the tab's session storage).
  await page.reload();
  await waitForIslands(page);
  await expect(page.getByRole('heading', { name: 'Steg 2 av 4: Detaljer' })).toBeVisible();
  await expect(page.getByLabel('Hva heter ressursen?')).toHaveValue('Samarbeidsavtale-mal');
  await expect(page.getByLabel('Hvorfor er den nyttig? (valgfritt)')).toHaveValue('God mal for avtaler.');

  await page.getByRole('button', { name: 'Neste' }).click();
  await expect(page.getByRole('heading', { name: 'Steg 3 av 4: Kontaktinformasjon' })).toBeVisible();
  await page.getByRole('button', { name: 'Tilbake' }).click();
  await expect(page.getByLabel('Lenke (hvis du har en)')).toHaveValue('https://example.org/mal');
  await page.getByRole('button', { name: 'Neste' }).click();
  await page.getByRole('button', { name: 'Neste' }).click();
  await expect(page.getByRole('heading', { name: 'Steg 4 av 4: Se over og send' })).toBeFocused();
  await expect(page.locator('.review')).toContainText('Samarbeidsavtale-mal');
  await page.getByRole('button', { name: 'Endre ressurs' }).click();
  await expect(page.getByRole('heading', { name: 'Steg 2 av 4: Detaljer' })).toBeFocused();
  await page.getByLabel('Hva heter ressursen?').fill('Samarbeidsavtale, mal');
  await page.getByRole('button', { name: 'Neste' }).click();
  await page.getByRole('button', { name: 'Neste' }).click();
  await expect(page.locator('.review')).toContainText('Samarbeidsavtale, mal');
  expect(posts, 'no step went to the server').toEqual([]);

  // The connection drops while sending: a clear message, nothing lost.
  await page.route(/\/api\/send_feedback/, (route) => route.abort('internetdisconnected'));
  await page.getByRole('button', { name: 'Send tilbakemeldingen' }).click();
  await expect(page.getByRole('alert')).toContainText('Vi fikk ikke kontakt med nettstedet');
  await expect(page.locator('.review')).toContainText('Samarbeidsavtale, mal');
  // Sent again: stored, and the receipt shown.
  await page.unroute(/\/api\/send_feedback/);
  await page.getByRole('button', { name: 'Send tilbakemeldingen' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Takk for tilbakemeldingen!' })).toBeVisible();
  await expect(page.locator('.reference')).toHaveText(/^TB-/);
  expect(await page.evaluate(() => sessionStorage.getItem('bli-tilbakemelding'))).toBeNull();
  await noErrors();
});

test('before the bundle arrives the feedback flow works as before', async ({ page }) => {
  await page.route(/\/pkg\/visitors.*\.wasm/, () => { /* never answered */ });
  await page.goto('/tilbakemelding');
  await waitForHydration(page);
  await page.getByRole('radio', { name: /Noe annet/ }).check();
  await page.getByRole('button', { name: 'Neste' }).click();
  await expect(page.getByRole('heading', { name: /Steg 2 av 4/ })).toBeFocused();
  await page.getByLabel('Hva vil du si til oss?').fill('Uten øya.');
  // Each step is the server's answer here: the next click waits for it (a
  // click on the old step's button would send that step again).
  await page.getByRole('button', { name: 'Neste' }).click();
  await expect(page.getByRole('heading', { name: /Steg 3 av 4/ })).toBeFocused();
  await page.getByRole('button', { name: 'Neste' }).click();
  await page.getByRole('button', { name: 'Send tilbakemeldingen' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Takk for tilbakemeldingen!' })).toBeVisible();
});

test('a page answer is given in place: no new history entry, Back leaves the page', async ({ page }) => {
  const noErrors = failOnPageErrors(page);
  await page.goto('/ressurser?metode=fit');
  await waitForHydration(page);
  await page.getByRole('link', { name: 'Feedbackinformerte tjenester (FIT)', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Feedbackinformerte tjenester (FIT)' })).toBeVisible();
  const url = page.url();
  const box = page.getByRole('region', { name: 'Var denne siden nyttig?' });
  await box.getByRole('button', { name: 'Nei' }).click();
  await expect(page.getByLabel('Takk. Hva manglet? (valgfritt)')).toBeFocused();
  await page.getByLabel('Takk. Hva manglet? (valgfritt)').fill('Et eksempel fra kommunen.');
  await box.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Takk! Det hjelper oss' })).toBeFocused();
  expect(page.url(), 'the address stays').toBe(url);
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1, name: 'Ressurser' })).toBeVisible();
  await noErrors();
});
