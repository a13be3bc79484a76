import { createHmac } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, Page, test } from '@playwright/test';
import { authFile, Role } from '../servers';

/** The e2e accounts' password (scripts/test.sh sets them up with it). */
export const PASSWORD = process.env.E2E_EDITOR_PASSWORD ?? 'et langt testpassord 123';

/** Resolves once the WebAssembly bundle has hydrated the page. */
export async function waitForHydration(page: Page) {
  await page.waitForFunction(() => (window as any).__hydrated === true);
}

/** Resolves once the navigator has loaded the visitors' bundle and hydrated
 * the page's islands (`count` hydration rounds so far, for pages swapped in). */
export async function waitForIslands(page: Page, count = 1) {
  await page.waitForFunction((n) => ((window as any).__islands ?? 0) >= n, count);
}

/** Fails the test on any console error or uncaught exception in the page,
 * but those `expected` (a network failure the test causes on purpose). */
export function failOnPageErrors(page: Page, expected: RegExp[] = []) {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !expected.some((re) => re.test(m.text()))) errors.push(m.text());
  });
  return async () => expect(errors, 'errors in the browser console').toEqual([]);
}

/** Opens the main menu where a narrow screen folds it behind "Meny". */
export async function openMenu(page: Page) {
  const toggle = page.locator('summary', { hasText: 'Meny' });
  if (await toggle.isVisible()) {
    await toggle.click();
    await expect(page.getByRole('navigation', { name: 'Hovedmeny' })).toBeVisible();
  }
}

/** One URL per public page type; the sitemap must name each one's path. */
export const PAGE_TYPES = [
  '/',
  '/ressurser',
  '/ressurser?nivaa=individ&grad=involvere',
  '/ressurser/feedbackinformerte-tjenester-fit',
  '/kart',
  '/inngang/kompetansesenter',
  '/inngang/tjenestene',
  '/veiviser',
  '/veiviser?plan=kurs&berorte=parorende&nivaa=tjeneste&innflytelse=mye&tid=middels&honorar=delvis',
  '/hvorfor-brukerinvolvering',
  '/veiledere-og-foringer',
  '/brukerorganisasjoner',
  '/brukerorganisasjoner?orgtype=kompetansesenter',
  '/om-nettstedet',
  '/personvern',
  '/tilgjengelighet',
  '/nytt',
  '/tilbakemelding',
  '/innspill',
  '/statistikk',
  '/organisasjoner/a-larm',
];

/** The e2e administrator's second-factor secret (base32): scripts/test.sh
 * provisions it with `set-password --totp-secret`. */
export const ADMIN_TOTP_SECRET = process.env.E2E_ADMIN_TOTP_SECRET ?? 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

function base32Decode(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const c of text.replace(/[\s=-]/g, '').toUpperCase()) {
    const i = alphabet.indexOf(c);
    if (i < 0) throw new Error(`not base32: ${c}`);
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The TOTP code (RFC 6238: HMAC-SHA-1, 6 digits, 30 s) of time step `step`. */
export function totp(secretBase32: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const hash = createHmac('sha1', base32Decode(secretBase32)).update(counter).digest();
  const offset = hash[hash.length - 1] & 0x0f;
  const bin = (hash.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return bin.toString().padStart(6, '0');
}

const STEP_MS = 30_000;
/** The last step whose code the tests used, per secret and server, across
 * test files: a server takes each code once, and only a step after the
 * last one. */
const usedStepFile = (secret: string, server: string) =>
  join(tmpdir(), `bli-e2e-totp-${createHmac('sha1', 'e2e').update(`${secret} ${server}`).digest('hex').slice(0, 12)}`);

/** A code the server (`page`'s) has not seen yet: this step's or the next
 * one's (the server accepts one step either side), waiting for a new step
 * when both are used. */
export async function freshCode(page: Page, secret: string): Promise<string> {
  const file = usedStepFile(secret, new URL(page.url()).host);
  const last = existsSync(file) ? Number(readFileSync(file, 'utf8')) || 0 : 0;
  const now = Math.floor(Date.now() / STEP_MS);
  const step = Math.max(last + 1, now);
  if (step > now + 1) {
    const wait = (step - 1) * STEP_MS - Date.now() + 500;
    test.info().setTimeout(test.info().timeout + wait);
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
  writeFileSync(file, String(step));
  return totp(secret, step);
}

/** Signs in through the form as a person would: the password, then (for an
 * account with a second factor, `secret`) the code from the app. */
export async function signIn(page: Page, user: string, password: string, secret?: string, next = '/redaktor') {
  await page.goto(`/logg-inn?neste=${encodeURIComponent(next)}`);
  await page.getByLabel('Brukernavn').fill(user);
  await page.getByLabel('Passord', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Logg inn' }).click();
  if (secret) {
    await expect(page).toHaveURL(/\/logg-inn\/kode/);
    await page.getByLabel('Engangskode fra autentiseringsappen').fill(await freshCode(page, secret));
    await page.getByRole('button', { name: 'Logg inn' }).click();
  }
}

/** Makes `page` the e2e editor's or administrator's browser: the session
 * tests/auth.setup.ts signed in on this worker's server (the administrator
 * past the second factor). Then `page.goto` an editors' page. */
export async function useSession(page: Page, role: Role) {
  const state = JSON.parse(readFileSync(authFile(role), 'utf8'));
  await page.context().addCookies(state.cookies);
}
