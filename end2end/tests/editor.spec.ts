// Editors sign in with a plain form post, with or without JavaScript.
import { expect, test } from '@playwright/test';

// scripts/test.sh creates this account before starting the server.
const USER = 'e2e-redaktor';
const PASSWORD = process.env.E2E_EDITOR_PASSWORD ?? 'et langt testpassord 123';

test('the dashboard asks for sign-in, then shows drafts and stale resources', async ({ page }) => {
  await page.goto('/redaktor');
  await expect(page).toHaveURL(/\/logg-inn\?neste=/);
  await expect(page.getByRole('heading', { level: 1, name: 'Logg inn for redaktører' })).toBeVisible();

  await page.getByLabel('Brukernavn').fill(USER);
  await page.getByLabel('Passord').fill('feil passord');
  await page.getByRole('button', { name: 'Logg inn' }).click();
  await expect(page.getByRole('alert')).toHaveText('Feil brukernavn eller passord.');
  await expect(page.getByLabel('Brukernavn')).toHaveValue(USER);

  await page.getByLabel('Passord').fill(PASSWORD);
  await page.getByRole('button', { name: 'Logg inn' }).click();
  await expect(page).toHaveURL(/\/redaktor$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Redaktør' })).toBeVisible();
  await expect(page.getByRole('heading', { name: /^Utkast \(\d+\)$/ })).toBeVisible();
  await expect(page.getByRole('link', { name: /Sårbare overganger/ })).toBeVisible();

  const cookies = await page.context().cookies();
  const session = cookies.find((c) => c.name === 'bli_okt');
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe('Lax');

  await page.getByRole('button', { name: 'Logg ut' }).click();
  await expect(page.getByText('Du er logget ut.')).toBeVisible();
  await page.goto('/redaktor');
  await expect(page).toHaveURL(/\/logg-inn/);
});
