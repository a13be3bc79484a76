// Signs in the e2e editor and the e2e administrator (password, then the
// second factor) once per server, through the sign-in form, and keeps their
// cookies for the tests that need a signed-in editor or administrator
// (`useSession` in helpers.ts) instead of each signing in again. The
// sign-in itself is tested in editor.spec.ts, factor.spec.ts and
// manage.spec.ts.
import { expect, test as setup } from '@playwright/test';
import { ADMIN_TOTP_SECRET, PASSWORD, signIn } from './helpers';
import { authFile, BASE_URLS, Role } from '../servers';

const ACCOUNTS: [Role, string, string | undefined][] = [
  ['editor', 'e2e-redaktor', undefined],
  ['admin', 'e2e-admin', ADMIN_TOTP_SECRET],
];

BASE_URLS.forEach((baseURL, server) => {
  setup(`sign in the editor and the administrator on ${baseURL}`, async ({ browser }) => {
    for (const [role, user, secret] of ACCOUNTS) {
      const context = await browser.newContext({ baseURL });
      const page = await context.newPage();
      await signIn(page, user, PASSWORD, secret);
      await expect(page).toHaveURL(/\/redaktor$/);
      await context.storageState({ path: authFile(role, server) });
      await context.close();
    }
  });
});
