// With JavaScript the resource form checks itself before sending and
// previews the Markdown body as the editor types.
import { expect, test } from '@playwright/test';
import { failOnPageErrors, useSession, waitForHydration } from './helpers';

test('the form shows the server\'s messages without a round trip, and a live preview', async ({ page }) => {
  const noErrors = failOnPageErrors(page);
  await useSession(page, 'editor');
  await page.goto('/redaktor/ressurser/ny');
  await expect(page.getByRole('heading', { level: 1, name: 'Ny ressurs' })).toBeVisible();
  await waitForHydration(page);

  const posts: string[] = [];
  page.on('request', (r) => { if (r.method() === 'POST' && r.url().includes('/redaktor/ressurser')) posts.push(r.url()); });
  await page.getByLabel('Tittel').fill('Uten sammendrag');
  await page.getByLabel('Nettadresse 1').fill('ikke-en-adresse');
  await page.getByRole('button', { name: 'Lagre' }).click();
  await expect(page.locator('.field-error', { hasText: 'Skriv et kort sammendrag.' })).toBeVisible();
  await expect(page.locator('.field-error', { hasText: 'Velg minst ett nivå.' })).toBeVisible();
  await expect(page.locator('.field-error', { hasText: 'Skriv en hel nettadresse som begynner med https://' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('Rett opp');
  // The error summary at the top takes focus (server path and island path
  // alike), so a press on «Lagre» at the foot of the form shows what to fix,
  // and links each problem to its field.
  await expect(page.locator('#skjema-feil')).toBeFocused();
  await expect(page.locator('#skjema-feil').getByRole('link', { name: 'Velg minst ett nivå.' })).toHaveAttribute('href', '#facets-nivaa');
  await expect(page.getByLabel('Sammendrag')).toHaveAttribute('aria-invalid', 'true');
  expect(posts, 'nothing was sent').toEqual([]);

  await page.getByLabel('Tekst (Markdown)').fill('## Levende mellomtittel\n\nMed **uthevet** tekst.');
  const preview = page.getByRole('region', { name: 'Forhåndsvisning' });
  await expect(preview.getByRole('heading', { name: 'Levende mellomtittel' })).toBeVisible();
  await expect(preview.locator('strong')).toHaveText('uthevet');
  await page.getByLabel('Tekst (Markdown)').fill('<script>window.__xss=1</script>[Bare tekst](javascript:window.__xss=2)');
  await expect(preview).toContainText('Bare tekst');
  expect(await page.evaluate(() => (window as any).__xss)).toBeUndefined();
  await noErrors();
});
