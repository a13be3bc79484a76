// Review 3, N11: a new administrator must set up a second factor before
// anything else. The set-up page works with and without JavaScript, at
// phone width, by its labels; screenshots at 360 and 1280 px.
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { freshCode, PASSWORD, signIn, useSession } from './helpers';

test('a new administrator sets up the second factor before reaching the editors\' pages', async ({ page }, info) => {
  const username = `ny-admin-${info.project.name}-${Date.now().toString(36)}`;
  // An administrator (signed in past the second factor in
  // tests/auth.setup.ts) creates the account.
  await useSession(page, 'admin');
  await page.goto('/redaktor/kontoer');
  await page.getByLabel('Brukernavn').fill(username);
  await page.getByLabel('Navn', { exact: true }).fill('Ada Admin');
  await page.getByRole('radio', { name: /^Administrator/ }).check();
  await page.getByLabel('Passord', { exact: true }).fill('Passord12345');
  await page.getByRole('button', { name: 'Opprett kontoen' }).click();
  await expect(page.locator('.field-error', { hasText: /^Passordet er for lett å gjette: / })).toBeVisible();
  await page.getByLabel('Passord', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Opprett kontoen' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Kontoen er opprettet.' })).toBeVisible();

  // The new administrator: the password leads to the set-up, nowhere else.
  await page.context().clearCookies();
  await signIn(page, username, PASSWORD);
  await expect(page).toHaveURL(/\/redaktor\/konto\/totp\?neste=%2Fredaktor$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Totrinnsinnlogging' })).toBeVisible();
  await expect(page.getByRole('img', { name: /QR-kode/ })).toBeVisible();
  const code = page.getByLabel('Engangskode fra autentiseringsappen');
  await expect(code).toHaveAttribute('autocomplete', 'one-time-code');
  await expect(code).toHaveAttribute('inputmode', 'numeric');
  if (info.project.name !== 'no-js') {
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  }
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: info.outputPath(`totp-setup-${width}.png`), fullPage: true });
  }
  const secret = (await page.locator('.factor-secret').innerText()).replace(/\s/g, '');
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);

  // A wrong code is refused by the field; the right one turns it on.
  await code.fill('12345');
  await page.getByRole('button', { name: 'Slå på totrinnsinnlogging' }).click();
  await expect(page.getByText(/^Koden stemmer ikke\./)).toBeVisible();
  await page.getByLabel('Engangskode fra autentiseringsappen').fill(await freshCode(page, secret));
  await page.getByRole('button', { name: 'Slå på totrinnsinnlogging' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Totrinnsinnlogging er slått på.' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Gjenopprettingskoder' }).getByRole('listitem')).toHaveCount(10);
  await page.screenshot({ path: info.outputPath('totp-codes.png'), fullPage: true });
  await page.getByRole('link', { name: /gå videre/ }).click();
  await expect(page.getByText('Logget inn som Ada Admin (administrator).')).toBeVisible();
});
