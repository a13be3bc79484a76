// Browse a few pages as an ordinary browser, then find them in the editors'
// dashboard and on the public statistics page. (Playwright's own user agent
// says HeadlessChrome, which the site rightly ignores as a bot.) Runs with
// and without JavaScript, and at phone width.
import { expect, test } from '@playwright/test';
import { useSession } from './helpers';

test.use({ userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36' });

test('pages a visitor reads show up in the dashboard and on the public page', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Når kompetansesenteret skal hjelpe tjenestene med brukerinvolvering' }).first().click();
  await expect(page).toHaveURL(/\/inngang\/tjenestene$/);
  await page.goto('/ressurser/et-bedre-liv');
  await page.goto('/ressurser?nivaa=system');
  await expect(page.locator('.result-count')).toBeVisible();

  await useSession(page, 'editor');
  await page.goto('/redaktor');
  await page.getByRole('link', { name: 'Statistikk', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Statistikk');

  // Counting is written in the background: look until it is there.
  const resources = page.getByRole('region', { name: 'Mest besøkte ressurser' });
  await expect(async () => {
    await page.reload();
    await expect(resources.getByRole('link', { name: /Et bedre liv/ })).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  const entries = page.getByRole('region', { name: 'Inngangene og veiviseren' });
  await expect(entries.getByRole('link', { name: /\/inngang\/tjenestene/ })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Mest brukte filtre' }).getByText('Nivå: Systemnivå')).toBeVisible();
  await expect(page.getByRole('img', { name: /Besøkende og sidevisninger per dag/ })).toBeVisible();
  // The numbers behind the chart, as a table.
  await page.getByText('Tallene per dag i en tabell').click();
  await expect(page.locator('.chart-table table')).toBeVisible();

  // A bad date is named by the field and kept.
  await page.getByLabel('Fra', { exact: true }).fill('2026-12-31');
  await page.getByLabel('Til', { exact: true }).fill('2026-01-01');
  await page.getByRole('button', { name: 'Vis' }).click();
  await expect(page.getByText('Fra-datoen må være før til-datoen.')).toBeVisible();

  await page.goto('/statistikk');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Besøksstatistikk');
  const views = Number(await page.locator('.headline dt:text-is("Sidevisninger") + dd').textContent());
  expect(views).toBeGreaterThan(0);
  // (Other tests browse as desktop Chrome and are counted too, so only the
  // shape is certain here: pages listed, and no search terms in public.)
  await expect(page.getByRole('region', { name: 'Mest besøkte sider' }).getByRole('row').nth(1)).toBeVisible();
  await expect(page.getByText('Søk uten treff')).toHaveCount(0);
});
