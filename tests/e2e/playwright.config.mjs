// End-to-end tests of the built widget (dist/) in Debian's Chromium, served
// by the project's own server next to the test pages in site/.
import { defineConfig } from '@playwright/test';
import { fileURLToPath } from 'node:url';

export const PORT = 8091;
const here = fileURLToPath(new URL('.', import.meta.url));

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
  webServer: {
    command: `../../target/native/xxgk-server serve --static ../../dist --static site --listen 127.0.0.1:${PORT}`,
    cwd: here,
    url: `http://127.0.0.1:${PORT}/xxgk/xxgk.js`,
    reuseExistingServer: false,
    timeout: 20_000,
  },
});
