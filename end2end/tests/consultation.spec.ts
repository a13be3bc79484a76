// An editor publishes a consultation round; a visitor answers some of its
// questions anonymously; the editor reads the answers question by question.
import { expect, test } from '@playwright/test';
import { useSession } from './helpers';

test('publish a round, answer it, read the answers', async ({ page }, info) => {
  const title = `Brukermedvirkning på systemnivå ${info.project.name}`;
  await useSession(page, 'editor');
  await page.goto('/redaktor/innspill');
  await page.getByRole('link', { name: 'Ny innspillsrunde' }).click();
  await page.getByLabel('Tittel').fill(title);
  await page.getByLabel('Siste svardag').fill('31.12.2099');
  await page.getByRole('button', { name: 'Lagre' }).click();
  await expect(page.locator('.field-error', { hasText: 'Skriv minst ett spørsmål, ett per linje.' })).toBeVisible();
  await expect(page.locator('.field-error', { hasText: /Skriv siste svardag som ÅÅÅÅ-MM-DD/ })).toBeVisible();
  await expect(page.getByLabel('Tittel')).toHaveValue(title);
  await page.getByLabel('Siste svardag').fill('2099-12-31');
  await page.getByLabel('Spørsmål', { exact: true }).fill('Hva er de største utfordringene?\nHvilke tiltak virker?');
  await page.getByLabel('Innledning (Markdown)').fill('Helsedirektoratet ber om **innspill**.');
  await page.getByRole('radio', { name: 'Publisert' }).check();
  await page.getByRole('button', { name: 'Lagre' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Lagret.' })).toBeVisible();

  await page.context().clearCookies();
  await page.goto('/innspill');
  await page.getByRole('link', { name: title }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.locator('.prose strong')).toHaveText('innspill');
  await page.getByRole('button', { name: 'Send svarene' }).click();
  await expect(page.getByText('Svar på minst ett av spørsmålene.')).toBeVisible();
  await page.getByLabel('2. Hvilke tiltak virker?').fill('Faste møter med brukerrådet.');
  await page.getByRole('button', { name: 'Send svarene' }).click();
  await expect(page.getByText('Takk for svarene dine! De er lagret.')).toBeVisible();

  await useSession(page, 'editor');
  await page.goto('/redaktor/innspill');
  await page.getByRole('link', { name: title }).click();
  await expect(page.getByRole('heading', { name: 'Svar (1)' })).toBeVisible();
  await expect(page.getByText('Faste møter med brukerrådet.')).toBeVisible();
});
