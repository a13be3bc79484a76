import { expect, test } from '@playwright/test';
import { failOnPageErrors } from './helpers';

test('the home page shows the two entry paths', async ({ page }) => {
  const noErrors = failOnPageErrors(page);
  const response = await page.goto('/');
  expect(response?.status()).toBe(200);
  await expect(page).toHaveTitle(/Bli involvert/);
  await expect(page.getByRole('heading', { level: 1, name: 'Bli involvert' })).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'Når du skal involvere brukere i ditt kompetansesenter' }),
  ).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'Når kompetansesenteret skal hjelpe tjenestene med brukerinvolvering' }),
  ).toBeVisible();
  expect(await page.locator('html').getAttribute('lang')).toBe('nb');
  await noErrors();
});

test('the list shows the seeded resources', async ({ page }) => {
  await page.goto('/ressurser');
  await expect(page).toHaveTitle('Ressurser – Bli involvert');
  await expect(page.getByRole('heading', { level: 1, name: 'Ressurser' })).toBeVisible();
  const count = Number((await page.locator('.result-count').innerText()).match(/^(\d+) ressurser$/)![1]);
  expect(count).toBeGreaterThanOrEqual(30);
  await expect(page.locator('.card')).toHaveCount(20);
  await page.goto('/ressurser?side=2');
  await expect(page.locator('.card')).toHaveCount(Math.min(count - 20, 20));
  await page.goto('/ressurser?q=feedbackinformerte');
  await expect(page.getByRole('link', { name: 'Feedbackinformerte tjenester (FIT)' })).toBeVisible();
  // Drafts are not public.
  await expect(page.getByRole('link', { name: /Sårbare overganger/ })).toHaveCount(0);
});

test('a detail page shows its body, facets, organisations and links', async ({ page }) => {
  await page.goto('/ressurser/feedbackinformerte-tjenester-fit');
  await expect(page).toHaveTitle('Feedbackinformerte tjenester (FIT) – Bli involvert');
  await expect(page.getByRole('heading', { level: 1, name: 'Feedbackinformerte tjenester (FIT)' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Slik fungerer det' })).toBeVisible();
  const facts = page.getByRole('complementary', { name: 'Om ressursen' });
  await expect(facts.getByText('Nivå', { exact: true })).toBeVisible();
  await expect(facts.getByText('Individnivå')).toBeVisible();
  await expect(facts.getByText('Feedbackinformerte tjenester (FIT)', { exact: true })).toBeVisible();
  await expect(facts.getByRole('link', { name: /KORUS nord/ })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Brødsmulesti' }).getByRole('link', { name: 'Ressurser' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Relaterte ressurser' })).toBeVisible();
});

test('guidance that has been replaced says so', async ({ page }) => {
  await page.goto('/ressurser/sammen-om-mestring');
  await expect(page.getByRole('note')).toContainText('erstattet av');
  await expect(page.getByRole('note').getByRole('link')).toHaveAttribute(
    'href',
    '/ressurser/nasjonal-veileder-lokalt-psykisk-helse-og-rusarbeid',
  );
});

test('an unknown page answers 404 with a way back', async ({ page }) => {
  const response = await page.goto('/finnes-ikke');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1, name: 'Siden finnes ikke' })).toBeVisible();
  await expect(page).toHaveTitle(/Siden finnes ikke/);
  const missing = await page.goto('/ressurser/finnes-ikke');
  expect(missing?.status()).toBe(404);
  await expect(page.getByRole('link', { name: 'Gå til forsiden' })).toBeVisible();
});

test('the layout fits a 320 px screen without sideways scrolling', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  for (const path of ['/', '/ressurser', '/ressurser/feedbackinformerte-tjenester-fit']) {
    await page.goto(path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${path} scrolls sideways`).toBeLessThanOrEqual(0);
  }
});

test('the skip link moves focus to the main content', async ({ page }) => {
  await page.goto('/ressurser');
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Hopp til hovedinnholdet' });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#hovedinnhold$/);
});
