// Shared test helpers. Every test fails if the browser console shows an
// error or a warning, or a page script throws, unless the test names the
// messages it expects.
import { test as base, expect } from '@playwright/test';

export const test = base.extend({
  /** Console messages that this test expects (regular expressions). */
  expectedConsole: [[], { option: true }],
  console: [async ({ page, expectedConsole }, use) => {
    const messages = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') messages.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => messages.push(`pageerror: ${e.message}`));
    page.on('dialog', (d) => {
      messages.push(`dialog: ${d.message()}`);
      d.dismiss();
    });
    await use(messages);
    const unexpected = messages.filter((m) => !expectedConsole.some((re) => re.test(m)));
    expect(unexpected, 'the browser console stays clean').toEqual([]);
  }, { auto: true }],
});
export { expect };

/** The n-th widget host on the page (Playwright locators pierce open shadow roots). */
export function widget(page, n = 0) {
  return page.locator('[data-xxgk]').nth(n);
}

/** Resolves when the n-th widget has announced its first view. */
export async function ready(page, n = 0) {
  await expect(widget(page, n).locator('.xxgk__site')).toBeVisible();
}

/** The widget's part of the hash, decoded, e.g. {"xxgk.c": "czyjs"}. */
export async function hashParams(page, key) {
  const hash = await page.evaluate(() => location.hash.slice(1));
  const params = new URLSearchParams(hash);
  return Object.fromEntries([...params].filter(([k]) => k.startsWith(`${key}.`)));
}

/** Every href inside every widget (shadow roots included). */
export async function allHrefs(page) {
  return page.evaluate(() => {
    const hrefs = [];
    for (const host of document.querySelectorAll('[data-xxgk]')) {
      const root = host.shadowRoot || host;
      for (const el of root.querySelectorAll('[href], [src], [action], [formaction]')) {
        for (const a of ['href', 'src', 'action', 'formaction']) {
          if (el.hasAttribute(a)) hrefs.push(el.getAttribute(a));
        }
      }
    }
    return hrefs;
  });
}
