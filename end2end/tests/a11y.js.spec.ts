// axe-core finds no WCAG 2.1 A/AA violations on any public page type, at
// desktop width and at phone width (the two JavaScript projects).
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { PAGE_TYPES, waitForHydration } from './helpers';

const EXTRA = ['/finnes-ikke', '/logg-inn', '/logg-inn/kode', '/logg-inn/kode?gjenoppretting=1'];

for (const url of [...PAGE_TYPES, ...EXTRA]) {
  test(`no accessibility violations: ${url}`, async ({ page }) => {
    await page.goto(url);
    await waitForHydration(page);
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const summary = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
    expect(summary).toEqual([]);
  });
}
