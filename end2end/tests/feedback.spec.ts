// "Gi tilbakemelding", page answers and the editors' inbox; with and
// without JavaScript, and at phone width.
import { expect, Page, test } from '@playwright/test';
import { useSession } from './helpers';

async function next(page: Page) {
  await page.getByRole('button', { name: 'Neste' }).click();
}

test('suggest a resource with a step back to edit, get a receipt, and an editor turns it into a draft', async ({ page }, info) => {
  const title = `Erfaringskonsulenter i kommunen ${info.project.name}`;
  await page.goto('/ressurser/brukerutvalg-slik-organiserer-dere-det');
  await page.getByRole('link', { name: 'Gi tilbakemelding' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Gi tilbakemelding' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Steg 1 av 4: Hva gjelder det?' })).toBeVisible();

  await next(page);
  await expect(page.getByText('Velg hva tilbakemeldingen gjelder.')).toBeVisible();
  await page.getByRole('radio', { name: /Foreslå en ressurs/ }).check();
  await next(page);

  await expect(page.getByRole('heading', { name: /Steg 2 av 4/ })).toBeVisible();
  await expect(page.getByText('Ikke skriv helseopplysninger')).toBeVisible();
  await page.getByLabel('Lenke (hvis du har en)').fill('ikke-en-lenke');
  await next(page);
  await expect(page.getByText('Skriv hva ressursen heter.')).toBeVisible();
  await expect(page.getByText(/Skriv en hel nettadresse/)).toBeVisible();
  await page.getByLabel('Hva heter ressursen?').fill(title);
  await page.getByLabel('Lenke (hvis du har en)').fill('https://eksempel.no/erfaringskonsulenter');
  await page.getByRole('checkbox', { name: 'Tjenestenivå' }).check();
  await page.getByLabel(/Hvorfor er den nyttig/).fill('God oversikt over roller og lønn.');
  await next(page);

  // Step 3 is optional; go back to step 2, change the title, and on.
  await expect(page.getByRole('heading', { name: /Steg 3 av 4/ })).toBeVisible();
  await page.getByLabel('Navn (valgfritt)').fill('Kari');
  await page.getByRole('button', { name: 'Tilbake' }).click();
  await expect(page.getByLabel('Hva heter ressursen?')).toHaveValue(title);
  await expect(page.getByRole('checkbox', { name: 'Tjenestenivå' })).toBeChecked();
  await page.getByLabel('Hva heter ressursen?').fill(`${title} (ny)`);
  await next(page);
  await expect(page.getByLabel('Navn (valgfritt)')).toHaveValue('Kari');
  await next(page);

  // Review: edit a step from here, then send.
  await expect(page.getByRole('heading', { name: /Steg 4 av 4/ })).toBeVisible();
  await expect(page.getByText(`${title} (ny)`)).toBeVisible();
  await expect(page.getByText('Vi kontakter deg ikke')).toBeVisible();
  await page.getByRole('button', { name: 'Endre navn' }).click();
  await page.getByLabel('Navn (valgfritt)').fill('');
  await next(page);
  await expect(page.getByText('Anonym', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Send tilbakemeldingen' }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'Takk for tilbakemeldingen!' })).toBeVisible();
  const reference = (await page.locator('.reference').textContent())!.trim();
  expect(reference).toMatch(/^TB-[2-9A-Z]{4}-[2-9A-Z]{4}$/);

  // An editor finds it, notes and moves it on, and makes a draft of it.
  await useSession(page, 'editor');
  await page.goto('/redaktor/tilbakemeldinger');
  await page.getByLabel('Type').selectOption('forslag');
  await page.getByLabel('Status').selectOption('ny');
  await page.getByRole('button', { name: 'Vis' }).click();
  await page.getByRole('link', { name: new RegExp(reference) }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Tilbakemelding ${reference}` })).toBeVisible();
  await page.getByLabel('Status').selectOption('under-arbeid');
  await page.getByLabel('Notat (valgfritt)').fill('Sjekker med KORUS');
  await page.getByRole('button', { name: 'Lagre' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Lagret.' })).toBeVisible();
  await expect(page.getByText(/e2e-redaktor: satte status til «Under arbeid»/)).toBeVisible();
  await expect(page.getByText('Sjekker med KORUS')).toBeVisible();
  await page.getByRole('button', { name: 'Lag utkast til ressurs av forslaget' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Utkastet er laget av forslaget' })).toBeVisible();
  await expect(page.getByLabel('Tittel')).toHaveValue(`${title} (ny)`);
  await expect(page.getByRole('checkbox', { name: 'Tjenestenivå' })).toBeChecked();
});

test('report an error from a resource page: the page is filled in', async ({ page }) => {
  await page.goto('/ressurser/brukerutvalg-slik-organiserer-dere-det');
  await page.getByRole('link', { name: 'Meld fra om feil eller noe som mangler på denne siden' }).click();
  await page.getByRole('radio', { name: /Meld fra om en feil/ }).check();
  await next(page);
  await expect(page.getByLabel('Hvilken side eller ressurs gjelder det?')).toHaveValue('/ressurser/brukerutvalg-slik-organiserer-dere-det');
  await page.getByLabel('Hva er feil, eller hva mangler?').fill('Lenken til malen virker ikke.');
  await next(page);
  await page.getByLabel('E-post (valgfritt)').fill('kari@eksempel.no');
  await next(page);
  await expect(page.getByText(/Uten samtykke lagrer vi den ikke/)).toBeVisible();
  await page.getByLabel('Dere kan kontakte meg om denne tilbakemeldingen.').check();
  await next(page);
  await page.getByRole('button', { name: 'Send tilbakemeldingen' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Takk for tilbakemeldingen!' })).toBeVisible();
});

test('"Var denne siden nyttig?": Nei, then what was missing', async ({ page }) => {
  await page.goto('/ressurser/brukerutvalg-slik-organiserer-dere-det');
  const box = page.getByRole('region', { name: 'Var denne siden nyttig?' });
  await box.getByRole('button', { name: 'Nei' }).click();
  await expect(page.getByLabel('Takk. Hva manglet? (valgfritt)')).toBeVisible();
  await page.getByLabel('Takk. Hva manglet? (valgfritt)').fill('Et eksempel på mandat.');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(page.getByText('Takk! Det hjelper oss å gjøre siden bedre.')).toBeVisible();
});
