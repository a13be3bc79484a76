// Issue 29, the editors' bundle on the uploads: a file dropped on the
// upload form fills its file input, the upload shows its progress, a
// refused file comes back with the problem by its field (without the page
// being loaded again), and «Sett inn i teksten» puts a file's Markdown in
// the body of the resource and page forms. Without JavaScript there is no
// such button, only the Markdown to copy.
import { expect, Page, test } from '@playwright/test';
import { docx, png } from './files';
import { useSession, waitForHydration } from './helpers';

/** Holds the upload's POST until `release` is called, so the test sees the
 * upload under way (the server's answer arrives only after). */
async function holdUploads(page: Page) {
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/redaktor/filer', async (route) => {
    if (route.request().method() === 'POST') await held;
    await route.continue();
  });
  return () => release();
}

/** Marks the document, so a test can tell it was not loaded again. */
async function markDocument(page: Page) {
  await page.evaluate(() => ((window as any).__sameDocument = true));
}
async function isSameDocument(page: Page) {
  return page.evaluate(() => (window as any).__sameDocument === true);
}

/** Uploads a DOCX through the form and returns its Markdown. */
async function uploadDocx(page: Page, name: string, text: string): Promise<string> {
  await page.goto('/redaktor/filer');
  await page.getByLabel('Fil', { exact: true }).setInputFiles({ name, mimeType: 'application/octet-stream', buffer: docx(text) });
  await page.getByRole('button', { name: 'Last opp' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Filen er lastet opp.' })).toBeVisible();
  const item = page.locator('.media-item').filter({ has: page.getByRole('link', { name }) });
  return item.getByLabel('Markdown å lime inn i teksten').inputValue();
}

test('a file dropped on the form is uploaded with a progress bar, then listed', async ({ page }, info) => {
  const project = info.project.name;
  await useSession(page, 'editor');
  await page.goto('/redaktor/filer');
  await waitForHydration(page);
  const zone = page.locator('.drop-zone');
  await expect(zone.getByText('Du kan også dra en fil hit og slippe den.')).toBeVisible();

  // A picture dragged over the file area, then dropped there.
  const name = `slipp-${project}.png`;
  const bytes = [...png(640, 400, [...project].length)];
  const dataTransfer = await page.evaluateHandle(({ bytes, name }) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(bytes)], name, { type: 'image/png' }));
    return dt;
  }, { bytes, name });
  await zone.dispatchEvent('dragenter', { dataTransfer });
  await expect(zone.getByText('Slipp filen for å velge den.')).toBeVisible();
  const upload = page.locator('.upload');
  await upload.screenshot({ path: info.outputPath(`media-dragging-${project}.png`) });
  await zone.dispatchEvent('drop', { dataTransfer });
  await expect(zone.getByText('Slipp filen for å velge den.')).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: `Valgt fil: ${name}.` })).toBeVisible();
  expect(await page.getByLabel('Fil', { exact: true }).evaluate((i: HTMLInputElement) => i.files?.[0]?.name)).toBe(name);
  await page.getByLabel('Bildetekst for skjermlesere (alt-tekst)').fill('Et fargeforløp');

  // The upload under way: a progress bar and its words.
  const release = await holdUploads(page);
  await page.getByRole('button', { name: 'Last opp' }).click();
  await expect(page.getByRole('progressbar', { name: 'Opplasting' })).toBeVisible();
  await expect(page.locator('.upload-status')).toHaveText(/^(Laster opp … \d+ %|Lastet opp\. Lagrer filen …)$/);
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await upload.screenshot({ path: info.outputPath(`media-uploading-${width}-${project}.png`) });
  }
  release();

  // Then the page the server answers with: the notice, the file listed.
  await expect(page.getByRole('status').filter({ hasText: 'Filen er lastet opp.' })).toBeVisible();
  await expect(page).toHaveURL(/\/redaktor\/filer\?melding=/);
  await expect(page.locator('.media-item').filter({ has: page.getByRole('link', { name }) })).toBeVisible();
});

test('a refused file comes back with its problem by the field, the alt text kept', async ({ page }, info) => {
  const project = info.project.name;
  await useSession(page, 'editor');
  await page.goto('/redaktor/filer');
  await waitForHydration(page);
  await markDocument(page);

  // A ".png" that is text.
  await page.getByLabel('Fil', { exact: true }).setInputFiles({ name: `ikke-bilde-${project}.png`, mimeType: 'image/png', buffer: Buffer.from('Dette er tekst, ikke et bilde.\n') });
  await page.getByLabel('Bildetekst for skjermlesere (alt-tekst)').fill('Et kart over kommunen');
  await page.getByRole('button', { name: 'Last opp' }).click();
  const field = page.locator('.drop-zone');
  await expect(field.locator('.field-error')).toHaveText(/^Vi kan ikke ta imot denne filtypen\./);
  await expect(page.getByLabel('Fil', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#skjema-feil')).toBeFocused();
  await expect(page.getByLabel('Bildetekst for skjermlesere (alt-tekst)')).toHaveValue('Et kart over kommunen');
  expect(await isSameDocument(page), 'answered in place, not by loading the page').toBe(true);
  await page.locator('.upload').screenshot({ path: info.outputPath(`media-refused-${project}.png`) });

  // The form that came back is enhanced too: a good file goes up the same way.
  const name = `Etter feil ${project}.docx`;
  await page.getByLabel('Fil', { exact: true }).setInputFiles({ name, mimeType: 'application/octet-stream', buffer: docx(`etter feil ${project}`) });
  const release = await holdUploads(page);
  await page.getByRole('button', { name: 'Last opp' }).click();
  await expect(page.getByRole('progressbar', { name: 'Opplasting' })).toBeVisible();
  release();
  await expect(page.getByRole('status').filter({ hasText: 'Filen er lastet opp.' })).toBeVisible();
  await expect(page.locator('.media-item').filter({ has: page.getByRole('link', { name }) })).toBeVisible();
});

test('«Sett inn i teksten» puts the Markdown in the body at the cursor, or at the end', async ({ page }, info) => {
  const project = info.project.name;
  await useSession(page, 'editor');
  const name = `Sett inn ${project}.docx`;
  const markdown = await uploadDocx(page, name, `sett inn ${project}`);

  // The resource form: at the cursor, between two sentences.
  await page.goto('/redaktor/ressurser/ny');
  await waitForHydration(page);
  const body = page.getByLabel('Tekst (Markdown)');
  await body.fill('Første setning. Andre setning.');
  await body.evaluate((t: HTMLTextAreaElement) => t.setSelectionRange(16, 16));
  await page.getByText(/^Vis filene og Markdown-teksten deres/).click();
  const button = page.getByRole('button', { name: `Sett inn i teksten «${name}»` });
  await button.click();
  await expect(body).toHaveValue(`Første setning. ${markdown}Andre setning.`);
  await expect(body).toBeFocused();
  expect(await body.evaluate((t: HTMLTextAreaElement) => [t.selectionStart, t.selectionEnd])).toEqual([16 + markdown.length, 16 + markdown.length]);
  await expect(page.getByRole('status').filter({ hasText: 'Satt inn' })).toHaveCount(1);
  // The live preview hears it: the document's link is there.
  await expect(page.getByRole('region', { name: 'Forhåndsvisning' }).getByRole('link', { name: new RegExp(project) })).toBeVisible();

  // A content page, the body not visited yet: at the end, as a paragraph.
  await page.goto('/redaktor/sider');
  await page.locator('.admin-list a').first().click();
  await waitForHydration(page);
  const pageBody = page.getByLabel('Tekst (Markdown)');
  const before = await pageBody.inputValue();
  await page.getByText(/^Vis filene og Markdown-teksten deres/).click();
  await page.getByRole('button', { name: `Sett inn i teksten «${name}»` }).click();
  await expect(pageBody).toHaveValue(`${before.replace(/\n*$/, '')}\n\n${markdown}`);
  await expect(pageBody).toBeFocused();
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('no insert button and no drop zone words: the Markdown to copy is there', async ({ page }, info) => {
    const project = info.project.name;
    await useSession(page, 'editor');
    const name = `Uten skript ${project}.docx`;
    const markdown = await uploadDocx(page, name, `uten skript ${project}`);
    await expect(page.getByText('Du kan også dra en fil hit og slippe den.')).toBeHidden();
    await expect(page.getByRole('progressbar')).toHaveCount(0);

    await page.goto('/redaktor/ressurser/ny');
    await page.getByText(/^Vis filene og Markdown-teksten deres/).click();
    await expect(page.getByLabel(`${name} (dokument)`)).toHaveValue(markdown);
    await expect(page.getByRole('button', { name: /Sett inn i teksten/ })).toHaveCount(0);
  });
});
