// The guided pages: both entry paths with live resources, the involvement
// guide (its URL reproduces its answer), the organisation directory, and an
// editor changing a content page. Runs with and without JavaScript, and at
// phone width.
import { expect, Page, test } from '@playwright/test';
import { useSession } from './helpers';

test('the first entry path follows the ladder, each step with resources from the catalogue', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Når du skal involvere brukere i ditt kompetansesenter' }).click();
  await expect(page).toHaveURL(/\/inngang\/kompetansesenter$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Når du skal involvere brukere i ditt kompetansesenter');
  const steps = ['Trinn 1: Informere', 'Trinn 2: Konsultere', 'Trinn 3: Involvere', 'Trinn 4: Samarbeide', 'Trinn 5: Bemyndiggjøre', 'Strukturere arbeidet'];
  for (const step of steps) {
    const section = page.getByRole('region', { name: step });
    await expect(section).toBeVisible();
    await expect(section.locator('.card').first()).toBeVisible();
  }
  // The section's list link leads to the same resources in the catalogue.
  const more = page.getByRole('link', { name: /^Se alle \d+ ressurser for «Samarbeide»$/ });
  const count = Number((await more.textContent())!.match(/\d+/)![0]);
  await more.click();
  await expect(page).toHaveURL(/inngang=kompetansesenter/);
  await expect(page).toHaveURL(/grad=samarbeide/);
  await expect(page.locator('.result-count')).toHaveText(`${count} ressurser`);
});

test('the second entry path is organised by level', async ({ page }) => {
  await page.goto('/inngang/tjenestene');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Når kompetansesenteret skal hjelpe tjenestene med brukerinvolvering');
  for (const level of ['Individnivå', 'Tjenestenivå', 'Systemnivå']) {
    const section = page.getByRole('region', { name: level });
    await expect(section.locator('.card').first()).toBeVisible();
    await expect(section.getByRole('link', { name: new RegExp(`^Se alle \\d+ ressurser for «${level}»$`) })).toBeVisible();
  }
});

async function answer(page: Page, answers: Record<string, string>) {
  for (const [question, choice] of Object.entries(answers)) {
    await page.getByRole('group', { name: question }).getByLabel(choice).check();
  }
  await page.getByRole('button', { name: 'Vis anbefalingen' }).click();
}

test('the guide recommends by the answers, and its URL gives the same answer again', async ({ page, context }) => {
  await page.goto('/veiviser');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Veiviser');

  // Too few answers: the missing questions say so, the given answer is kept.
  await page.getByRole('group', { name: 'Hva planlegger dere?' }).getByLabel('Et forskningsprosjekt').check();
  await page.getByRole('button', { name: 'Vis anbefalingen' }).click();
  await expect(page.getByText('Svar på 4 spørsmål til for å få en anbefaling.')).toBeVisible();
  await expect(page.getByRole('group', { name: 'Hvor mye kan brukerne påvirke?' }).getByText('Velg ett svar her for å få en anbefaling.')).toBeVisible();
  await expect(page.getByLabel('Et forskningsprosjekt')).toBeChecked();

  await answer(page, {
    'På hvilket nivå skjer involveringen?': 'Systemnivå: planlegging, utvikling og politikk',
    'Hvor mye kan brukerne påvirke?': 'Vi kan dele beslutningene med brukerne',
    'Hvor lang tid er det til arbeidet starter?': 'Mer enn tre måneder',
    'Har dere penger til å betale brukerrepresentantene?': 'Ja, det er satt av penger',
  });
  await expect(page.getByRole('heading', { name: 'Anbefaling: Samarbeide' })).toBeVisible();
  await expect(page).toHaveURL(/plan=forskning/);
  const result = page.getByRole('region', { name: 'Anbefaling: Samarbeide' });
  await expect(result.getByText('Ta med brukermedvirkningen i prosjektbeskrivelsen og i budsjettet.')).toBeVisible();
  await expect(result.getByRole('link', { name: /^Les: / }).first()).toBeVisible();
  await expect(result.locator('.shortlist li').first()).toBeVisible();
  const shared = page.url();

  // Other answers, another recommendation.
  await answer(page, { 'Har dere penger til å betale brukerrepresentantene?': 'Nei, ikke ennå' });
  await expect(page.getByRole('heading', { name: 'Anbefaling: Involvere' })).toBeVisible();
  await expect(page.getByText('Med mer tid eller penger kan dere sikte mot «Samarbeide».')).toBeVisible();

  // The first URL, opened fresh, reproduces the first result.
  const other = await context.newPage();
  await other.goto(shared);
  await expect(other.getByRole('heading', { name: 'Anbefaling: Samarbeide' })).toBeVisible();
  await expect(other.getByLabel('Et forskningsprosjekt')).toBeChecked();
});

test('the organisation directory filters by type and region', async ({ page }) => {
  await page.goto('/brukerorganisasjoner');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Brukerorganisasjoner og brukerstyrte sentre');
  const count = page.locator('#katalog-antall');
  const all = Number((await count.textContent())!.match(/\d+/)![0]);

  await page.getByRole('group', { name: 'Type organisasjon' }).getByLabel(/^Kompetansesenter/).check();
  await page.getByRole('button', { name: 'Vis organisasjonene' }).click();
  await expect(page).toHaveURL(/orgtype=kompetansesenter/);
  // With JavaScript on, the URL changes before the new list arrives: wait
  // for the count to change rather than read it at once.
  const number = async () => Number((await count.textContent())!.match(/\d+/)![0]);
  await expect.poll(number).toBeLessThan(all);
  const centres = await number();
  expect(centres).toBeGreaterThan(0);
  await expect(page.locator('.directory-list .meta')).toHaveCount(centres);
  const metas = await page.locator('.directory-list .meta').allTextContents();
  for (const meta of metas) expect(meta).toContain('Kompetansesenter');

  // The count beside "Vest" is what ticking it shows.
  const west = page.getByRole('group', { name: 'Region' }).getByLabel(/^Vest/);
  const promised = Number((await page.locator('label[for="o-region-vest"] .option-count').textContent())!.match(/\d+/)![0]);
  await west.check();
  await page.getByRole('button', { name: 'Vis organisasjonene' }).click();
  await expect(page).toHaveURL(/region=vest/);
  await expect(count).toHaveText(promised === 1 ? '1 organisasjon' : `${promised} organisasjoner`);
  await page.getByRole('link', { name: 'Nullstill' }).click();
  await expect(count).toHaveText(`${all} organisasjoner`);
});

test('an editor changes a content page and the change shows', async ({ page }, info) => {
  const stamp = `${info.project.name} ${Date.now()}`;
  const title = `Om nettstedet (${stamp})`;
  await useSession(page, 'editor');
  await page.goto('/redaktor');
  await expect(page).toHaveURL(/\/redaktor$/);
  await page.getByRole('link', { name: 'Sider', exact: true }).click();
  // Wait for the list: until it is there, the first "Om …" link is the
  // footer's link to the public page.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sider');
  await page.getByRole('main').getByRole('link', { name: /^Om / }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Rediger');

  // An empty title is refused by the field; the text is kept.
  await page.getByLabel('Tittel').fill('');
  await page.getByRole('button', { name: 'Lagre' }).click();
  await expect(page.locator('.field-error', { hasText: 'Skriv en tittel.' })).toBeVisible();

  await page.getByLabel('Tittel').fill(title);
  const body = page.getByLabel('Tekst (Markdown)');
  await body.fill(`${await body.inputValue()}\n\n## Nytt avsnitt ${stamp}\n\nEndret i testen.`);
  await page.getByRole('button', { name: 'Lagre' }).click();
  await expect(page.getByText('Lagret.')).toBeVisible();

  await page.goto('/om-nettstedet');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(page.getByRole('heading', { level: 2, name: `Nytt avsnitt ${stamp}` })).toBeVisible();
  await expect(page).toHaveTitle(`${title} – Bli involvert`);
});
