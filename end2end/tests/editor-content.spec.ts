// An editor creates, edits and unpublishes a resource through the form,
// and the public catalogue follows. Runs with and without JavaScript.
import { expect, Page, test } from '@playwright/test';
import { useSession } from './helpers';

async function signIn(page: Page) {
  await useSession(page, 'editor');
  await page.goto('/redaktor');
  await expect(page).toHaveURL(/\/redaktor$/);
}

test('create, find, edit, unpublish and restore a resource', async ({ page }, info) => {
  const title = `Dialogkafé for pårørende ${info.project.name}`;
  await signIn(page);
  await page.getByRole('link', { name: 'Ny ressurs' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Ny ressurs' })).toBeVisible();

  // A first try without a summary or level: messages by the fields, input kept.
  await page.getByLabel('Tittel').fill(title);
  await page.getByRole('radio', { name: 'Eksempel fra praksis' }).check();
  await page.getByRole('radio', { name: 'Publisert' }).check();
  await page.getByRole('button', { name: 'Lagre' }).click();
  await expect(page.locator('.field-error', { hasText: 'Skriv et kort sammendrag.' })).toBeVisible();
  await expect(page.locator('.field-error', { hasText: 'Velg minst ett nivå.' })).toBeVisible();
  // The error summary at the top takes focus (server path and island path
  // alike), so a press on «Lagre» at the foot of the form shows what to fix,
  // and links each problem to its field.
  await expect(page.locator('#skjema-feil')).toBeFocused();
  await expect(page.locator('#skjema-feil').getByRole('link', { name: 'Velg minst ett nivå.' })).toHaveAttribute('href', '#facets-nivaa');
  await expect(page.getByLabel('Tittel')).toHaveValue(title);
  await expect(page.getByRole('radio', { name: 'Eksempel fra praksis' })).toBeChecked();

  await page.getByLabel('Sammendrag').fill('Et fast møtested der pårørende og ansatte snakker sammen om tjenesten.');
  await page.getByRole('checkbox', { name: 'Tjenestenivå' }).check();
  await page.getByRole('checkbox', { name: 'Pårørende', exact: true }).check();
  await page.getByRole('button', { name: 'Lagre' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Lagret.' })).toBeVisible();

  // The public list shows it under the right filters.
  await page.goto('/ressurser?nivaa=tjeneste&malgruppe=parorende');
  await expect(page.getByRole('link', { name: title })).toBeVisible();
  await page.goto('/ressurser?nivaa=individ');
  await expect(page.getByRole('link', { name: title })).toHaveCount(0);

  // Edit it.
  await page.goto('/redaktor');
  await page.goto(`/redaktor/ressurser/${await slugOf(page, title)}`);
  await page.getByLabel('Tittel').fill(`${title} (oppdatert)`);
  await page.getByRole('button', { name: 'Lagre' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Lagret.' })).toBeVisible();
  await expect(page.getByText(/Versjon 2, e2e-redaktor/)).toBeVisible();

  // Unpublish: it disappears from the public catalogue.
  await page.getByRole('radio', { name: /^Utkast/ }).check();
  await page.getByRole('button', { name: 'Lagre' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Lagret.' })).toBeVisible();
  await page.goto(`/ressurser?q=${encodeURIComponent('dialogkafé')}`);
  await expect(page.getByRole('link', { name: `${title} (oppdatert)` })).toHaveCount(0);

  // Restore version 2 (published, with the new title): it is back.
  const slug = await slugOf(page, title);
  await page.goto(`/redaktor/ressurser/${slug}`);
  await expect(page.getByText(/Versjon 3, e2e-redaktor.*\(gjeldende\)/)).toBeVisible();
  await page.getByRole('link', { name: 'Vis versjon 1' }).click();
  await expect(page.getByLabel('Tittel')).toHaveValue(title);
  await expect(page.getByText(/Skjemaet viser versjon 1/)).toBeVisible();
  await page.getByRole('button', { name: 'Gjenopprett versjon 2' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Den tidligere versjonen er gjenopprettet' })).toBeVisible();
  await expect(page.getByLabel('Tittel')).toHaveValue(`${title} (oppdatert)`);
  await expect(page.getByText(/Versjon 4, e2e-redaktor.*\(gjeldende\)/)).toBeVisible();
  await page.goto(`/ressurser/${slug}`);
  await expect(page.getByRole('heading', { level: 1, name: `${title} (oppdatert)` })).toBeVisible();

  // Unpublish in one click; publish again in one click.
  await page.goto(`/redaktor/ressurser/${slug}`);
  await page.getByRole('button', { name: 'Avpubliser', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'avpublisert' })).toBeVisible();
  expect((await page.goto(`/ressurser/${slug}`))?.status()).toBe(404);
  await page.goto(`/redaktor/ressurser/${slug}`);
  await page.getByRole('button', { name: 'Publiser', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'publisert og synlig' })).toBeVisible();
  expect((await page.goto(`/ressurser/${slug}`))?.status()).toBe(200);
});

test('preview the body without saving, then delete a resource after a question', async ({ page }, info) => {
  const title = `Slettes snart ${info.project.name}`;
  await signIn(page);
  await page.goto('/redaktor/ressurser/ny');
  await page.getByLabel('Tittel').fill(title);
  await page.getByLabel('Sammendrag').fill('En ressurs som bare finnes for å bli slettet.');
  await page.getByLabel('Tekst (Markdown)').fill('## Mellomtittel i forhåndsvisning\n\n- punkt');
  await page.getByRole('radio', { name: 'Veileder og føring' }).check();
  await page.getByRole('checkbox', { name: 'Systemnivå' }).check();
  await page.getByRole('button', { name: 'Forhåndsvis teksten' }).click();
  const preview = page.getByRole('region', { name: 'Forhåndsvisning' });
  await expect(preview.getByRole('heading', { name: 'Mellomtittel i forhåndsvisning' })).toBeVisible();
  await expect(page.getByLabel('Tittel')).toHaveValue(title);
  await page.getByRole('button', { name: 'Lagre' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Lagret.' })).toBeVisible();

  const slug = await slugOf(page, title);
  await page.getByRole('link', { name: 'Slett …' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Slette «${title}»?` })).toBeVisible();
  await page.getByRole('button', { name: 'Ja, slett ressursen' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Ressursen er slettet.' })).toBeVisible();
  expect((await page.goto(`/redaktor/ressurser/${slug}`))?.status()).toBe(404);
});

/** The slug the site made from a title (as the form's address field shows it). */
async function slugOf(page: Page, title: string) {
  return title
    .toLowerCase()
    .replace(/æ/g, 'ae').replace(/ø/g, 'o').replace(/å/g, 'a').replace(/é/g, 'e')
    .replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}
