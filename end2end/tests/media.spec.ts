// Issue 29: an editor uploads a picture with alt text and a DOCX template
// at /redaktor/filer, uses both in a resource, and a visitor sees the
// responsive picture and downloads the template. Runs with and without
// JavaScript and at phone width; screenshots of the media page.
import { expect, Page, test } from '@playwright/test';
import { docx, png } from './files';
import { useSession } from './helpers';

async function markdownOf(page: Page, name: string): Promise<string> {
  const item = page.locator('.media-item').filter({ has: page.getByRole('link', { name }) });
  return item.getByLabel('Markdown å lime inn i teksten').inputValue();
}

test('upload a picture and a template, use them in a resource, and a visitor gets both', async ({ page }, info) => {
  const project = info.project.name;
  const seed = [...project].reduce((a, c) => a + c.charCodeAt(0), 0);
  await useSession(page, 'editor');
  await page.goto('/redaktor');
  await page.getByRole('link', { name: 'Bilder og dokumenter' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Bilder og dokumenter' })).toBeVisible();

  // A picture without alt text is refused by the field, nothing stored.
  const picture = { name: `mote-${project}.png`, mimeType: 'image/png', buffer: png(1200, 800, seed) };
  await page.getByLabel('Fil', { exact: true }).setInputFiles(picture);
  await page.getByRole('button', { name: 'Last opp' }).click();
  await expect(page.locator('.field-error', { hasText: 'Skriv en alt-tekst' })).toBeVisible();
  await expect(page.locator('#skjema-feil')).toBeFocused();

  // With alt text it is stored, and the page gives its Markdown.
  await page.getByLabel('Fil', { exact: true }).setInputFiles(picture);
  await page.getByLabel('Bildetekst for skjermlesere (alt-tekst)').fill('Fem personer rundt et bord i et brukerråd');
  await page.getByRole('button', { name: 'Last opp' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Filen er lastet opp.' })).toBeVisible();
  const image = await markdownOf(page, picture.name);
  expect(image).toMatch(/^!\[Fem personer rundt et bord i et brukerråd\]\(\/filer\/[0-9a-f]{16}-1200x800\.png\)$/);

  // A DOCX template.
  const template = { name: `Mal for brukerråd ${project}.docx`, mimeType: 'application/octet-stream', buffer: docx(project) };
  await page.getByLabel('Fil', { exact: true }).setInputFiles(template);
  await page.getByRole('button', { name: 'Last opp' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Filen er lastet opp.' })).toBeVisible();
  const download = await markdownOf(page, template.name);
  expect(download).toContain('(DOCX, ');
  await page.screenshot({ path: info.outputPath(`media-${project}.png`), fullPage: true });

  // Both in a new resource's body.
  const title = `Brukerråd med bilde ${project}`;
  await page.goto('/redaktor/ressurser/ny');
  await page.getByLabel('Tittel').fill(title);
  await page.getByLabel('Sammendrag').fill('Et brukerråd med bilde og en mal å laste ned.');
  await page.getByLabel('Tekst (Markdown)').fill(`${image}\n\n${download}`);
  await page.getByRole('radio', { name: 'Eksempel fra praksis' }).check();
  await page.getByRole('checkbox', { name: 'Tjenestenivå' }).check();
  await page.getByRole('checkbox', { name: 'Pårørende', exact: true }).check();
  await page.getByRole('radio', { name: 'Publisert' }).check();
  await page.getByRole('button', { name: 'Lagre' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Lagret.' })).toBeVisible();
  const slug = new URL(page.url()).pathname.split('/').pop();

  // The media page now says where both are used.
  await page.goto('/redaktor/filer');
  await expect(page.locator('.media-item').filter({ hasText: picture.name }).getByRole('link', { name: title })).toBeVisible();

  // A visitor sees the responsive picture and downloads the template.
  await page.context().clearCookies();
  await page.goto(`/ressurser/${slug}`);
  const img = page.getByRole('img', { name: 'Fem personer rundt et bord i et brukerråd' });
  await expect(img).toHaveAttribute('srcset', /-480\.png 480w, .*-960\.png 960w, .*-1200\.png 1200w/);
  await expect(img).toHaveAttribute('width', '1200');
  await expect(img).toHaveAttribute('height', '800');
  await page.screenshot({ path: info.outputPath(`resource-with-image-${project}.png`), fullPage: true });
  const link = page.getByRole('link', { name: /Last ned «Mal for brukerråd/ });
  const response = await page.request.get((await link.getAttribute('href'))!);
  expect(response.status()).toBe(200);
  expect(response.headers()['content-disposition']).toContain('attachment;');
  expect(response.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
});

test('an editor attaches a DOCX to a resource and a visitor downloads it from «Nedlastinger»', async ({ page }, info) => {
  const project = info.project.name;
  await useSession(page, 'editor');
  await page.goto('/redaktor/filer');
  const template = { name: `Vedlegg ${project}.docx`, mimeType: 'application/octet-stream', buffer: docx(`vedlegg ${project}`) };
  await page.getByLabel('Fil', { exact: true }).setInputFiles(template);
  await page.getByRole('button', { name: 'Last opp' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Filen er lastet opp.' })).toBeVisible();

  // The resource's form: the files panel, and the downloads to tick.
  const slug = 'brukerutvalg-slik-organiserer-dere-det';
  await page.goto(`/redaktor/ressurser/${slug}`);
  await expect(page.getByRole('link', { name: 'Last opp fil' }).first()).toHaveAttribute('href', '/redaktor/filer');
  const downloads = page.getByRole('region', { name: 'Nedlastinger' });
  await downloads.getByRole('checkbox', { name: new RegExp(`^Vedlegg ${project}\\.docx \\(DOCX, `) }).check();
  await downloads.getByRole('button', { name: 'Oppdater nedlastingene' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Nedlastingene er lagret.' })).toBeVisible();
  await expect(page.getByRole('checkbox', { name: new RegExp(`^Vedlegg ${project}\\.docx`) })).toBeChecked();
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: info.outputPath(`editor-downloads-${width}-${project}.png`), fullPage: true });
  }

  // The file is in use now: the media page names the resource, no delete button.
  await page.goto('/redaktor/filer');
  const item = page.locator('.media-item').filter({ hasText: template.name });
  await expect(item.getByText('Brukt i:')).toBeVisible();
  await expect(item.getByRole('button', { name: /Slett/ })).toHaveCount(0);

  // A visitor sees it with type and size, and gets it as a download.
  await page.context().clearCookies();
  await page.goto(`/ressurser/${slug}`);
  const section = page.getByRole('region', { name: 'Nedlastinger' });
  const link = section.getByRole('link', { name: new RegExp(`^Last ned «Vedlegg ${project}» \\(DOCX, \\d+ (B|kB)\\)$`) });
  await expect(link).toBeVisible();
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: info.outputPath(`resource-downloads-${width}-${project}.png`), fullPage: true });
  }
  const response = await page.request.get((await link.getAttribute('href'))!);
  expect(response.status()).toBe(200);
  expect(response.headers()['content-disposition']).toMatch(/^attachment; filename="Vedlegg /);
  expect(response.headers()['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');

  // The seed's templates are downloads beside their pages.
  await page.goto('/ressurser/mal-mandat-for-brukerrad');
  await expect(page.getByRole('link', { name: /^Last ned «Mandat for brukerråd \(mal\)» \(DOCX, \d+ kB\)$/ })).toBeVisible();
});
