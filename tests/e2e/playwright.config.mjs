// End-to-end tests of the built widget (dist/) in Debian's Chromium, served
// by the project's own server next to the test pages in site/.
import { defineConfig } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export const PORT = 8091;
const here = fileURLToPath(new URL('.', import.meta.url));
/** The receiving server's database during the tests. */
export const DB = join(here, '../../target/e2e/feedback.db');
/** The holiday calendar the server and the staff commands add to the
 * shipped one: later years without holidays (a test fixture). */
export const CALENDAR = join(here, 'site/fixtures/calendar-later-years.txt');
/** Catalogues the tests publish, served under /published/. */
const PUBLISHED = join(here, '../../target/e2e/site/published');

export default defineConfig({
  testDir: here,
  testMatch: '*.spec.mjs',
  outputDir: `${here}/results`,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    browserName: 'chromium',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    },
  },
  projects: [
    { name: 'file', use: { catalogueMode: 'file' } },
    // The browsing, search and embedding tests again, each page's
    // catalogue published as a bundle (tests/e2e/fixtures.mjs).
    {
      name: 'bundle',
      use: { catalogueMode: 'bundle' },
      testMatch: ['browse.spec.mjs', 'search.spec.mjs', 'embed.spec.mjs'],
    },
  ],
  webServer: {
    // A fresh database for each run, which the feedback tests read with the
    // staff commands; a burst allowance for the tests' many submissions
    // from one address.
    // The generated catalogue of bundle.html, as a file and published as
    // a bundle (site/published/ is made here, not kept).
    command:
      `rm -f ${DB} ${DB}-wal ${DB}-shm && mkdir -p ${dirname(DB)} ${PUBLISHED}/gen && ` +
      `../../target/native/xxgk-catgen --items 2000 --seed 7 --out ${PUBLISHED}/gen/catalogue.json && ` +
      `../../target/native/xxgk-server catalogue publish ${PUBLISHED}/gen/catalogue.json --out ${PUBLISHED}/bundles/gen > /dev/null && ` +
      // The hostile catalogue as a bundle: its four entries with script
      // links are refused (exit status 1), the rest published.
      `(../../target/native/xxgk-server catalogue publish site/fixtures/xss.json --out ${PUBLISHED}/bundles/xss > /dev/null 2>&1 ` +
      `|| test -f ${PUBLISHED}/bundles/xss/index.json) && ` +
      // The demo page's side column reads the Dongting catalogue as a bundle.
      `../../target/native/xxgk-server catalogue publish ../../examples/dongting/catalogue.json --out ${dirname(PUBLISHED)}/bundles/dongting > /dev/null && ` +
      `../../target/native/xxgk-server serve --static ../../dist --static site --static ${dirname(PUBLISHED)} --listen 127.0.0.1:${PORT} ` +
      `--db ${DB} --calendar ${CALENDAR} --rate-burst 1000 --global-rate 1000 --read-burst 1000`,
    cwd: here,
    url: `http://127.0.0.1:${PORT}/xxgk/xxgk.js`,
    reuseExistingServer: false,
    timeout: 20_000,
  },
});
