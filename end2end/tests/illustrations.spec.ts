// Issue 29: editors choose the illustration of the home page (and the
// entry paths) among the uploaded pictures, on a form built on the form kit
// (issue 28). Runs at desktop and phone width and without JavaScript; each
// run puts the home page back as it was, so the other specs see it plain.
import { expect, Page, test } from '@playwright/test';
import { deflateSync } from 'node:zlib';
import { useSession } from './helpers';

/** A 1200×800 PNG of one colour depending on `seed` (one file per project). */
function png(seed: number): Buffer {
  const crc32 = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const b of bytes) {
      c ^= b;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    }
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (kind: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(kind, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const [width, height] = [1200, 800];
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x++) row.set([(x + seed) & 0xff, 120, (seed * 7) & 0xff], 1 + x * 3);
  const rows = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

async function chooseForHomePage(page: Page, label: string | RegExp) {
  await page.goto('/redaktor/illustrasjoner');
  await page.getByRole('group', { name: /^Forsiden/ }).getByRole('radio', { name: label }).check();
  await page.getByRole('button', { name: 'Lagre illustrasjonene' }).click();
}

test('an editor gives the home page a picture, and a visitor sees it', async ({ page }, info) => {
  const project = info.project.name;
  const seed = [...project].reduce((a, c) => a + c.charCodeAt(0), 0);
  const alt = `Et brukerråd i møte (${project})`;
  await useSession(page, 'editor');

  await page.goto('/redaktor/filer');
  await page.getByLabel('Fil', { exact: true }).setInputFiles({ name: `forside-${project}.png`, mimeType: 'image/png', buffer: png(seed) });
  await page.getByLabel('Bildetekst for skjermlesere (alt-tekst)').fill(alt);
  await page.getByRole('button', { name: 'Last opp' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Filen er lastet opp.' })).toBeVisible();

  await page.goto('/redaktor');
  await page.getByRole('link', { name: 'Illustrasjoner på forsiden og inngangene' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Illustrasjoner' })).toBeVisible();
  try {
    await chooseForHomePage(page, new RegExp(`forside-${project}\\.png`));
    await expect(page.getByRole('status').filter({ hasText: 'Lagret.' })).toBeVisible();
    await page.screenshot({ path: info.outputPath(`illustrations-form-${project}.png`), fullPage: true });

    // A visitor sees the picture, with its alt text, at the right width.
    await page.context().clearCookies();
    await page.goto('/');
    const img = page.getByRole('img', { name: alt });
    await expect(img).toBeVisible();
    await expect(img).toHaveAttribute('srcset', /-480\.png 480w, .*-960\.png 960w, .*-1200\.png 1200w/);
    await expect(img).toHaveAttribute('width', '1200');
    await expect(img).toHaveAttribute('height', '800');
    // The browser picked a width and loaded it; the picture fits the page.
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBeGreaterThan(0);
    const box = await img.boundingBox();
    const viewport = page.viewportSize()!;
    expect(box!.x + box!.width).toBeLessThanOrEqual(viewport.width);
    await page.screenshot({ path: info.outputPath(`illustrations-home-${project}.png`) });
  } finally {
    await useSession(page, 'editor');
    await chooseForHomePage(page, 'Ingen illustrasjon');
  }
  await page.context().clearCookies();
  await page.goto('/');
  await expect(page.locator('img.illustration')).toHaveCount(0);
});
