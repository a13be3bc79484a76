// The catalogue as a visitor uses it, in every project: desktop and phone
// with JavaScript (changes apply at once) and desktop without (a GET form).
import { expect, Page, test, TestInfo } from '@playwright/test';

const noJs = (info: TestInfo) => info.project.name === 'no-js';
const phone = (info: TestInfo) => info.project.name === 'phone';

async function openFilters(page: Page, info: TestInfo) {
  if (phone(info) && !(await page.locator('#filtre').isVisible())) {
    await page.getByRole('link', { name: 'Filtrer' }).click();
    await expect(page.getByRole('heading', { name: 'Filtrer', level: 2 })).toBeVisible();
  }
}

/** Ticks an option the way a visitor would in this project, and waits
 *  until the results show it (its chip appears). */
async function tick(page: Page, info: TestInfo, label: RegExp, param: string, chip: string) {
  await openFilters(page, info);
  await page.getByRole('checkbox', { name: label }).check();
  if (noJs(info)) {
    await page.getByRole('button', { name: /^Vis / }).click();
  }
  await expect(page).toHaveURL(new RegExp(param));
  await expect(page.getByRole('link', { name: `Fjern filter ${chip}` })).toBeVisible();
}

async function search(page: Page, info: TestInfo, text: string) {
  const box = page.getByLabel('Søk i ressursene'); // a searchbox, or a combobox with JavaScript (suggest.js)
  await box.fill(text);
  if (noJs(info)) {
    await box.press('Enter');
  }
  await expect(page).toHaveURL(/[?&]q=/);
}

async function resultCount(page: Page) {
  const text = await page.locator('.result-count').innerText();
  const match = text.match(/^(\d+) ressurs/);
  return match ? Number(match[1]) : 0;
}

test('filters combine: OR within a facet, AND between facets', async ({ page }, info) => {
  await page.goto('/ressurser');
  const all = await resultCount(page);
  await tick(page, info, /^Individnivå/, 'nivaa=individ', 'Nivå: Individnivå');
  const individ = await resultCount(page);
  await tick(page, info, /^Systemnivå/, 'nivaa=system', 'Nivå: Systemnivå');
  const either = await resultCount(page);
  expect(individ).toBeLessThan(all);
  expect(either).toBeGreaterThanOrEqual(individ);
  await tick(page, info, /^Pårørende \(/, 'malgruppe=parorende', 'Målgruppe: Pårørende');
  const narrowed = await resultCount(page);
  expect(narrowed).toBeLessThan(either);
  await expect(page.locator('ol.card-list > li')).toHaveCount(Math.min(narrowed, 20));
  // The count shown beside an option is what ticking it gives.
  await openFilters(page, info);
  const label = await page.locator('label[for="f-malgruppe-ledere"]').innerText();
  const promised = Number(label.match(/\((\d+)\)/)![1]);
  if (promised > 0) {
    await tick(page, info, /^Ledere/, 'malgruppe=ledere', 'Målgruppe: Ledere');
    // OR within the audience facet: the result grows by at most the promise.
    expect(await resultCount(page)).toBeLessThanOrEqual(narrowed + promised);
  }
});

test('search finds word forms and highlights matches', async ({ page }, info) => {
  await page.goto('/ressurser');
  await search(page, info, 'pårørendeorganisasjonene');
  await expect(page.locator('ol.card-list mark').first()).toBeVisible();
  expect(await resultCount(page)).toBeGreaterThan(0);
  await expect(page.getByRole('link', { name: /Fjern filter Søk: «pårørendeorganisasjonene»/ })).toBeVisible();
});

test('a chip removes its filter and Nullstill removes all', async ({ page }) => {
  await page.goto('/ressurser?nivaa=individ&fagfelt=rus&q=bruker');
  await expect(page.getByRole('link', { name: 'Fjern filter Nivå: Individnivå' })).toBeVisible();
  await page.getByRole('link', { name: 'Fjern filter Nivå: Individnivå' }).click();
  await expect(page).toHaveURL(/\/ressurser\?fagfelt=rus&q=bruker$/);
  await expect(page.getByRole('link', { name: 'Fjern filter Nivå: Individnivå' })).toHaveCount(0);
  await page.getByRole('link', { name: 'Nullstill', exact: true }).click();
  await expect(page).toHaveURL(/\/ressurser$/);
  await expect(page.locator('.chips')).toHaveCount(0);
});

test('a shared URL shows the same results', async ({ page, context }) => {
  const url = '/ressurser?nivaa=tjeneste&grad=samarbeide&sort=tittel';
  await page.goto(url);
  const count = await resultCount(page);
  const first = await page.locator('ol.card-list h3').first().innerText();
  const other = await context.newPage();
  await other.goto(url);
  expect(await resultCount(other)).toBe(count);
  await expect(other.locator('ol.card-list h3').first()).toHaveText(first);
  await expect(other.getByRole('combobox', { name: 'Sorter' })).toHaveValue('tittel');
});

test('the back button restores the previous view', async ({ page }, info) => {
  await page.goto('/ressurser');
  await tick(page, info, /^Individnivå/, 'nivaa=individ', 'Nivå: Individnivå');
  const before = await resultCount(page);
  await tick(page, info, /^Metode og verktøy/, 'type=metode-verktoy', 'Type ressurs: Metode og verktøy');
  await page.goBack();
  await expect(page).toHaveURL(/nivaa=individ/);
  await expect(page).not.toHaveURL(/type=/);
  await expect(page.getByRole('link', { name: 'Fjern filter Type ressurs: Metode og verktøy' })).toHaveCount(0);
  expect(await resultCount(page)).toBe(before);
  await openFilters(page, info);
  await expect(page.getByRole('checkbox', { name: /^Metode og verktøy/ })).not.toBeChecked();
  await expect(page.getByRole('checkbox', { name: /^Individnivå/ })).toBeChecked();
});

test('an empty result keeps the filters and suggests a way out', async ({ page }, info) => {
  await page.goto('/ressurser?nivaa=individ&q=sjiraff');
  await expect(page.getByRole('heading', { name: 'Ingen ressurser passer' })).toBeVisible();
  await expect(page.locator('.result-count')).toHaveText('Ingen ressurser');
  await expect(page.getByRole('link', { name: /Fjern søket «sjiraff»/ })).toBeVisible();
  await openFilters(page, info);
  await expect(page.getByRole('checkbox', { name: /^Individnivå/ })).toBeChecked();
  await page.getByRole('link', { name: /Fjern søket «sjiraff»/ }).click();
  await expect(page).toHaveURL(/\/ressurser\?nivaa=individ$/);
  await expect(page.getByRole('heading', { name: 'Ingen ressurser passer' })).toHaveCount(0);
  expect(await resultCount(page)).toBeGreaterThan(0);
});

test('sorting by title follows the Norwegian alphabet', async ({ page }) => {
  await page.goto('/ressurser?sort=tittel');
  const titles = await page.locator('ol.card-list h3').allInnerTexts();
  const key = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}\s]/gu, '')
    .replace(/æ/g, '{').replace(/ø/g, '|').replace(/å/g, '}');
  const sorted = [...titles].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  expect(titles).toEqual(sorted);
});

test('pages and detail links carry the view', async ({ page }) => {
  await page.goto('/ressurser');
  await page.getByRole('link', { name: 'Neste side' }).click();
  await expect(page).toHaveURL(/side=2/);
  await expect(page.getByText(/Side 2 av \d+/)).toBeVisible();
  await page.goto('/ressurser/feedbackinformerte-tjenester-fit');
  await page.getByRole('link', { name: 'Individnivå' }).click();
  await expect(page).toHaveURL(/\/ressurser\?nivaa=individ$/);
});

test('the involvement map links to the filtered list', async ({ page }) => {
  await page.goto('/kart');
  await expect(page.getByRole('table', { name: /Antall ressurser etter nivå og grad/ })).toBeVisible();
  // An empty cell says its sentence as text, not as `aria-label` on a
  // `<span>` (which the W3C checker refuses: issue 27).
  await expect(page.locator('span[aria-label]')).toHaveCount(0);
  for (const empty of await page.locator('td.empty').all()) {
    await expect(empty.locator('.visually-hidden')).toHaveText(/^0 ressurser på /);
  }
  const cell = page.getByRole('link', { name: /ressurser på systemnivå som handler om å samarbeide/ });
  const expected = Number(await cell.innerText());
  await cell.click();
  await expect(page).toHaveURL(/nivaa=system&grad=samarbeide/);
  expect(await resultCount(page)).toBe(expected);
});

test('the feed and CSV export follow the view', async ({ request }) => {
  const atom = await request.get('/ressurser.atom?nivaa=individ');
  expect(atom.headers()['content-type']).toContain('application/atom+xml');
  const feed = await atom.text();
  expect(feed).toContain('<feed xmlns="http://www.w3.org/2005/Atom"');
  const csv = await request.get('/ressurser.csv?nivaa=individ');
  const lines = (await csv.text()).trim().split('\r\n');
  expect(lines[0]).toContain('Tittel,Lenke,Sammendrag');
  expect(lines.length - 1).toBe((feed.match(/<entry>/g) ?? []).length);
});

// Issue 27: examples from a region are findable, cards say where they are
// from and when, and a blank fagfelt is said to count for every fagfelt.
test('practice examples from Vest, with their region and period on the cards', async ({ page }, info) => {
  await page.goto('/ressurser?type=praksiseksempel');
  await tick(page, info, /^Vest \(/, 'region=vest', 'Region: Vest');
  const count = await resultCount(page);
  expect(count).toBeGreaterThanOrEqual(5);
  const cards = page.locator('.card');
  await expect(cards).toHaveCount(Math.min(count, 20));
  // Every card says Vest (its own region, or its owners').
  for (const card of await cards.all()) {
    const region = card.locator('.card-meta div').filter({ has: page.locator('dt', { hasText: /^Region$/ }) });
    await expect(region.locator('dd')).toContainText('Vest');
  }
  await openFilters(page, info);
  await expect(page.locator('#gruppe-fagfelt')).toContainText('Inkludert ressurser for alle fagfelt');
  await page.goto('/ressurser?q=END+etterlatte');
  const period = page.locator('.card').first().locator('.card-meta div').filter({ has: page.locator('dt', { hasText: /^Periode$/ }) });
  await expect(period.locator('dd')).toHaveText(/^2017–2023/);
});
