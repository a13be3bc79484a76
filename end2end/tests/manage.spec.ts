// Administrators manage categories, organisations and accounts, and read the
// audit log; editors are kept out of the administrators' pages. Runs with
// and without JavaScript, and at phone width.
import { expect, Page, test } from '@playwright/test';
import { PASSWORD, signIn as signInWith, useSession } from './helpers';

/** The e2e editor and administrator start signed in (tests/auth.setup.ts,
 * the administrator past the second factor); a new account signs in
 * through the form. */
async function signIn(page: Page, user: string) {
  if (user === 'e2e-redaktor' || user === 'e2e-admin') {
    await useSession(page, user === 'e2e-admin' ? 'admin' : 'editor');
    await page.goto('/redaktor');
  } else {
    await signInWith(page, user, PASSWORD);
  }
  await expect(page).toHaveURL(/\/redaktor$/);
}

test('an editor is refused the administrators\' pages', async ({ page }) => {
  await signIn(page, 'e2e-redaktor');
  await expect(page.getByRole('link', { name: 'Kontoer' })).toHaveCount(0);
  for (const path of ['/redaktor/kategorier', '/redaktor/kontoer', '/redaktor/logg']) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(403);
    await expect(page.getByText('Du har ikke tilgang til dette.')).toBeVisible();
  }
});

test('categories: add, rename, and retire a value in use only after a warning', async ({ page }, info) => {
  const label = `Fritidsklubber ${info.project.name}`;
  await signIn(page, 'e2e-admin');
  await page.getByRole('link', { name: 'Kategorier' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Kategorier' })).toBeVisible();

  // An empty name is refused by the field.
  await page.getByRole('button', { name: 'Legg til' }).first().click();
  await expect(page.getByText('Skriv et navn på verdien.')).toBeVisible();

  const target = page.getByLabel(/^Ny verdi under Målgruppe/);
  await target.fill(label);
  await target.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Verdien er lagt til.' })).toBeVisible();
  await expect(page.getByText(label, { exact: true })).toBeVisible();

  await page.getByLabel(`Nytt navn for «${label}»`).fill(`${label} og ungdomshus`);
  await page.getByLabel(`Nytt navn for «${label}»`).press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Navnet er endret.' })).toBeVisible();
  await expect(page.getByText(`${label} og ungdomshus`, { exact: true })).toBeVisible();

  // A value many resources use: the warning says how many.
  const used = page.locator('li', { has: page.getByText('Pårørende', { exact: true }) }).first();
  await used.getByRole('button', { name: 'Trekk tilbake' }).click();
  const warning = page.getByRole('alert').filter({ hasText: 'Vil du trekke den tilbake?' });
  await expect(warning).toContainText(/brukt \d+ ganger/);
  await page.getByRole('link', { name: 'Avbryt' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Vil du trekke den tilbake?' })).toHaveCount(0);
  // Retire the new, unused value at once, then bring it back.
  const fresh = page.locator('li', { has: page.getByText(`${label} og ungdomshus`, { exact: true }) });
  await fresh.getByRole('button', { name: 'Trekk tilbake' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Verdien er trukket tilbake.' })).toBeVisible();
  await page.locator('li', { has: page.getByText(`${label} og ungdomshus`, { exact: true }) }).getByRole('button', { name: 'Gjeninnsett' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Verdien kan velges igjen.' })).toBeVisible();

  await page.goto('/redaktor/logg');
  await expect(page.getByRole('cell', { name: `«${label}» → «${label} og ungdomshus»` })).toBeVisible();
});

test('organisations: a bad address is refused by the field, then the organisation is created', async ({ page }, info) => {
  const name = `Brukerstyrt senter ${info.project.name}`;
  await signIn(page, 'e2e-redaktor');
  await page.getByRole('navigation', { name: 'Redaktørverktøy' }).getByRole('link', { name: 'Organisasjoner' }).click();
  await page.getByRole('link', { name: 'Ny organisasjon' }).click();
  await page.getByLabel('Navn', { exact: true }).fill(name);
  await page.getByLabel('Nettsted', { exact: true }).fill('senteret.no');
  await page.getByRole('radio', { name: 'Brukerstyrt senter' }).check();
  await page.getByRole('button', { name: 'Lagre' }).click();
  await expect(page.locator('.field-error', { hasText: 'Skriv en hel nettadresse som begynner med https://' })).toBeVisible();
  await expect(page.getByLabel('Navn', { exact: true })).toHaveValue(name);
  await expect(page.getByRole('radio', { name: 'Brukerstyrt senter' })).toBeChecked();

  await page.getByLabel('Nettsted', { exact: true }).fill('https://senteret.example.org/');
  await page.getByRole('button', { name: 'Lagre' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Organisasjonen er lagret.' })).toBeVisible();
  await page.goto('/redaktor/organisasjoner');
  await expect(page.getByRole('link', { name })).toBeVisible();
});

test('accounts: an administrator creates an editor who can then sign in', async ({ page }, info) => {
  const username = `ny-${info.project.name}`;
  await signIn(page, 'e2e-admin');
  await page.getByRole('link', { name: 'Kontoer' }).click();
  await page.getByLabel('Brukernavn').fill(username);
  await page.getByLabel('Navn', { exact: true }).fill('Nina Nyansatt');
  await page.getByLabel('Passord', { exact: true }).fill('kort');
  await page.getByRole('button', { name: 'Opprett kontoen' }).click();
  await expect(page.locator('.field-error', { hasText: 'Passordet må ha minst 12 tegn.' })).toBeVisible();
  await expect(page.getByLabel('Brukernavn')).toHaveValue(username);
  await expect(page.getByLabel('Passord', { exact: true })).toHaveValue('');

  await page.getByLabel('Passord', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Opprett kontoen' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Kontoen er opprettet.' })).toBeVisible();
  await expect(page.getByRole('heading', { name: `Nina Nyansatt (${username})` })).toBeVisible();

  await page.context().clearCookies();
  await signIn(page, username);
  await expect(page.getByText('Logget inn som Nina Nyansatt (redaktør).')).toBeVisible();
});
