// Shared test helpers. Every test fails if the browser console shows an
// error or a warning, or a page script throws, unless the test names the
// messages it expects.
import { test as base, expect } from '@playwright/test';
import { fileURLToPath } from 'node:url';

/**
 * The catalogues the test pages name, and the same published as bundles
 * (by the test server's start, playwright.config.mjs): the "bundle"
 * project runs the browsing and search tests with every page reading the
 * bundle instead.
 */
const BUNDLES = {
  '/examples/dongting/catalogue.json': '/bundles/dongting/index.json',
  '/fixtures/xss.json': '/published/bundles/xss/index.json',
};

export const test = base.extend({
  /** "file": the pages as they are; "bundle": their catalogues as bundles. */
  catalogueMode: ['file', { option: true }],
  /** Console messages that this test expects (regular expressions). */
  expectedConsole: [[], { option: true }],
  bundles: [async ({ page, catalogueMode }, use) => {
    if (catalogueMode === 'bundle') {
      await page.route((url) => url.pathname === '/' || url.pathname.endsWith('.html'), async (route) => {
        if (route.request().resourceType() !== 'document') return route.continue();
        const response = await route.fetch();
        let html = await response.text();
        for (const [file, bundle] of Object.entries(BUNDLES)) {
          html = html.replaceAll(`"${file}"`, `"${bundle}"`).replaceAll(`:8091${file}"`, `:8091${bundle}"`)
            .replaceAll(`"${file.slice(1)}"`, `"${bundle.slice(1)}"`);
        }
        // fixture.html takes its catalogue from the query string.
        html = html.replace("new URLSearchParams(location.search).get('catalogue')",
          `((c) => (${JSON.stringify(BUNDLES)})[c] || c)(new URLSearchParams(location.search).get('catalogue'))`);
        await route.fulfill({ response, body: html });
      });
    }
    await use(catalogueMode);
  }, { auto: true }],
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

/**
 * Resolves when the n-th widget shows its first view, drawn by its module
 * (a bundle's first page drawn before the module arrives has gone).
 */
export async function ready(page, n = 0) {
  await page.waitForFunction((n) => {
    const host = document.querySelectorAll('[data-xxgk]')[n];
    const root = host && (host.shadowRoot || host);
    return !!root && !root.querySelector('[data-xxgk-drawn]') &&
      [...root.querySelectorAll('.xxgk__site')].some((e) => e.getClientRects().length > 0);
  }, n);
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

/** The element with focus, shadow roots entered, as `tag.class` (and `[filter]` for a filter's menu). */
export function focused(page) {
  return page.evaluate(() => {
    let e = document.activeElement;
    while (e && e.shadowRoot && e.shadowRoot.activeElement) e = e.shadowRoot.activeElement;
    return e ? `${e.localName}.${e.className}${e.dataset.filter ? `[${e.dataset.filter}]` : ''}` : '';
  });
}

/** Presses `key` (Tab, Shift+Tab) until the focused element's `tag.class` includes `want`. */
export async function tabTo(page, want, key = 'Tab') {
  for (let i = 0; i < 60; i++) {
    if ((await focused(page)).includes(want)) return;
    await page.keyboard.press(key);
  }
  throw new Error(`${want} never got focus (last: ${await focused(page)})`);
}

/**
 * axe-core's WCAG 2.1 A and AA violations on the whole page (the widget's
 * shadow root included), each as "view: rule" and the elements it found.
 */
export async function axe(page, view) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.addScriptTag({ path: fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url)) });
  }
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] });
    return result.violations.map((v) => ({
      id: v.id,
      nodes: v.nodes.map((n) => `${JSON.stringify(n.target)}: ${n.failureSummary}`),
    }));
  });
  return violations.map((v) => `${view}: ${v.id}\n  ${v.nodes.join('\n  ')}`);
}
