// Every public page type: a title, one h1, headings in order, a description
// and a canonical link, and a place in the sitemap. Runs with and without
// JavaScript, and at phone width.
import { expect, test } from '@playwright/test';
import { openMenu, PAGE_TYPES } from './helpers';


test('every page type has a title, one h1, headings in order and a description, and is in the sitemap', async ({ page, request }) => {
  const sitemap = await (await request.get('/sitemap.xml')).text();
  const paths = [...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]).pathname);
  for (const url of PAGE_TYPES) {
    const response = await page.goto(url);
    expect(response?.status(), url).toBe(200);
    expect(paths, `${url} in the sitemap`).toContain(new URL(url, 'http://x').pathname);
    expect((await page.title()).length, `${url}: title`).toBeGreaterThan(10);
    await expect(page.locator('h1'), `${url}: one h1`).toHaveCount(1);
    const description = await page.locator('meta[name="description"]').getAttribute('content');
    expect(description?.length ?? 0, `${url}: description`).toBeGreaterThan(40);
    await expect(page.locator('link[rel="canonical"]'), `${url}: canonical`).toHaveCount(1);
    const levels = await page.locator('h1, h2, h3, h4, h5, h6').evaluateAll((hs) => hs.map((h) => Number(h.tagName[1])));
    expect(levels[0], `${url}: the first heading is the h1`).toBe(1);
    levels.forEach((level, i) => {
      if (i > 0) expect(level - levels[i - 1], `${url}: heading ${i} (h${level}) skips a level`).toBeLessThanOrEqual(1);
    });
  }
});

test('navigation: the menu shows where you are, breadcrumbs, skip link, "Til toppen" and the legal pages in the footer', async ({ page }) => {
  await page.goto('/veiviser');
  await openMenu(page);
  const menu = page.getByRole('navigation', { name: 'Hovedmeny' });
  await expect(menu.getByRole('link', { name: 'Veiviser' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('navigation', { name: 'Brødsmulesti' }).getByRole('link', { name: 'Forside' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Hopp til hovedinnholdet' })).toHaveAttribute('href', '#hovedinnhold');
  await expect(page.getByRole('link', { name: 'Til toppen' })).toHaveAttribute('href', '#toppen');
  const footer = page.getByRole('navigation', { name: 'Om nettstedet' });
  for (const name of ['Personvern', 'Tilgjengelighetserklæring', 'Om nettstedet']) {
    await expect(footer.getByRole('link', { name, exact: true })).toBeVisible();
  }
  await footer.getByRole('link', { name: 'Tilgjengelighetserklæring' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tilgjengelighetserklæring');
  await expect(page.getByRole('link', { name: /tilbakemelding|meld fra/i }).first()).toBeVisible();
});

test('recently changed: a page and an Atom feed of new and updated resources', async ({ page, request }) => {
  await page.goto('/nytt');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Nytt og endret');
  const first = page.locator('.recent-list > li').first();
  await expect(first.getByText(/^(Ny|Oppdatert)$/)).toBeVisible();
  const title = (await first.getByRole('heading').textContent())!.trim();
  const feed = await request.get('/nytt.atom');
  expect(feed.headers()['content-type']).toContain('application/atom+xml');
  expect(await feed.text()).toContain(`<title>${title.replace(/&/g, '&amp;')}</title>`);
});
