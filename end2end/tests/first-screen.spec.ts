// A phone's first screen shows the page, not the menu: at 360×740 the menu
// folds behind "Meny" (a <details>, so it works without JavaScript), and
// every public page type's <h1> is inside the first screen. Runs in all
// three projects, each at phone size here.
import { expect, test } from '@playwright/test';
import { PAGE_TYPES } from './helpers';

test.describe('at 360×740', () => {
  test.use({ viewport: { width: 360, height: 740 } });

  test("every public page type shows its h1 in the first screen", async ({ page }) => {
    for (const url of PAGE_TYPES) {
      await page.goto(url);
      const h1 = page.locator('h1');
      await expect(h1, url).toBeVisible();
      const box = (await h1.boundingBox())!;
      expect(box.y + Math.min(box.height, 40), `${url}: the h1 starts ${Math.round(box.y)} px down`).toBeLessThanOrEqual(740);
      expect(box.y, `${url}: the header takes no more than a third of the screen`).toBeLessThan(250);
    }
  });

  test('the menu opens and closes behind "Meny", by mouse and by keyboard', async ({ page }) => {
    await page.goto('/ressurser');
    const toggle = page.locator('summary', { hasText: 'Meny' });
    const menu = page.getByRole('navigation', { name: 'Hovedmeny' });
    await expect(toggle).toBeVisible();
    await expect(menu).toBeHidden();
    await toggle.click();
    await expect(menu.getByRole('link', { name: 'Veiviser' })).toBeVisible();
    await expect(menu.getByRole('link', { name: 'Ressurser' })).toHaveAttribute('aria-current', 'page');
    await toggle.click();
    await expect(menu).toBeHidden();
    // By keyboard: the toggle is in the tab order, Enter opens, links follow.
    await toggle.focus();
    await page.keyboard.press('Enter');
    await expect(menu).toBeVisible();
    await page.keyboard.press('Tab');
    await expect(menu.getByRole('link', { name: 'Forside' })).toBeFocused();
    await menu.getByRole('link', { name: 'Veiviser' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Veiviser');
    await expect(menu).toBeHidden();
  });
});

test.describe('at desktop width', () => {
  test.use({ viewport: { width: 1280, height: 800 } });

  test('the menu is always shown, with no "Meny" button', async ({ page }) => {
    await page.goto('/');
    await expect(page.locator('summary', { hasText: 'Meny' })).toBeHidden();
    await expect(page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Veiviser' })).toBeVisible();
  });
});

test('the facet values of a resource are separate links, not one bulleted block', async ({ page }) => {
  await page.goto('/ressurser/feedbackinformerte-tjenester-fit');
  const facts = page.getByRole('complementary', { name: 'Om ressursen' });
  const tags = facts.locator('ul.tags');
  await expect(tags.first()).toBeVisible();
  const style = await tags.first().evaluate((ul) => {
    const s = getComputedStyle(ul);
    return { listStyle: s.listStyleType, background: s.backgroundColor };
  });
  expect(style.listStyle).toBe('none');
  expect(style.background).toBe('rgba(0, 0, 0, 0)');
  const links = facts.locator('a.tag');
  expect(await links.count()).toBeGreaterThan(3);
});
