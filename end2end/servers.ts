// Where the site under test runs. scripts/test.sh starts one release server
// per Playwright worker, each on a database of its own (BASE_URLS, comma-
// separated): the tests change the site (resources, accounts, feedback,
// statistics), and two tests at once on one site would see each other's
// changes. BASE_URL alone (one server) runs the tests in one worker.
//
// Playwright evaluates this in every worker process, where
// TEST_PARALLEL_INDEX says which of the workers it is: worker N talks to
// server N.
import { join } from 'node:path';

export const BASE_URLS = (process.env.BASE_URLS ?? process.env.BASE_URL ?? 'http://127.0.0.1:3310')
  .split(',')
  .map((url) => url.trim())
  .filter((url) => url !== '');

/** This worker's server: its index in BASE_URLS. */
export const SERVER = Number(process.env.TEST_PARALLEL_INDEX ?? 0) % BASE_URLS.length;

export type Role = 'editor' | 'admin';

/** The signed-in state (cookies) of `role` on server `server`, written by
 * tests/auth.setup.ts. */
export function authFile(role: Role, server = SERVER): string {
  return join(__dirname, '.auth', `${role}-${server}.json`);
}
