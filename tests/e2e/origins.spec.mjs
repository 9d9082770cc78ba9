// Where a feedback form may send: the page's origin, the widget's, or one
// the loader's script tag trusts. A data-feedback anywhere else (written
// into user content that keeps data- attributes) gets no form, and the web
// team one console warning saying what to do.
import { test, expect, ready } from './fixtures.mjs';

const host = (page, id) => page.locator(`[data-xxgk][data-id="${id}"]`);
// The one warning each test expects; the fixture fails on any other.
const WARNING = /^warning: xxgk: data-feedback="[^"]+" .*data-feedback-origins/;
test.use({ expectedConsole: [[WARNING], { scope: 'test' }] });
const warnings = (messages) => messages.filter((m) => /data-feedback/.test(m));

test.describe('a form that would send elsewhere', () => {
  test('is not offered, with one warning; listed origins and the tag\'s own server are', async ({ page, console: messages }) => {
    await page.goto('/e2e/origins.html');
    for (const id of ['far', 'listed', 'same', 'tag']) {
      await expect(host(page, id).locator('.xxgk__site')).toBeVisible();
    }
    for (const id of ['listed', 'same', 'tag']) {
      await expect(host(page, id).getByRole('link', { name: /我要留言/ })).toBeVisible();
    }
    await expect(host(page, 'far').locator('.xxgk-feedback')).toHaveCount(0);
    // Browsing the far widget does not bring the form back, nor a second warning.
    await host(page, 'far').getByRole('link', { name: '下一页' }).click();
    await expect(host(page, 'far').locator('.xxgk-list__item').first()).toBeVisible();
    await expect(host(page, 'far').locator('.xxgk-feedback')).toHaveCount(0);
    expect(warnings(messages)).toEqual([expect.stringContaining('data-feedback="https://elsewhere.example/"')]);
    const loaded = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
    expect(loaded.filter((n) => n.includes('xxgk-form'))).toEqual([]);
  });

  test('a shared link to its form shows the catalogue', async ({ page, console: messages }) => {
    await page.goto('/e2e/origins.html#far.f=write&far.p=1');
    const far = host(page, 'far');
    await expect(far.locator('.xxgk-list__item').first()).toBeVisible();
    await expect(far.locator('.xxgk-panel')).toHaveCount(0);
    await expect(far.locator('.xxgk-search')).toBeVisible();
    expect(warnings(messages)).toHaveLength(1);
  });

  test('a host added later and mounted with xxgk.mount() is checked too', async ({ page, console: messages }) => {
    await page.goto('/e2e/origins.html');
    await ready(page);
    await page.evaluate(() => {
      for (const [id, feedback] of [['later', 'https://elsewhere.example/'], ['later-ok', '/']]) {
        const div = document.createElement('div');
        div.setAttribute('data-xxgk', '');
        div.setAttribute('data-id', id);
        div.setAttribute('data-catalogue', '/examples/dongting/catalogue.json');
        div.setAttribute('data-feedback', feedback);
        document.body.appendChild(div);
      }
      return window.xxgk.mount();
    });
    await expect(host(page, 'later').locator('.xxgk__site')).toBeVisible();
    await expect(host(page, 'later-ok').getByRole('link', { name: /我要留言/ })).toBeVisible();
    await expect(host(page, 'later').locator('.xxgk-feedback')).toHaveCount(0);
    expect(warnings(messages)).toHaveLength(1);
  });
});

test('a form may send to the widget\'s origin as well as the page\'s, and nowhere else unlisted', async ({ page, console: messages }) => {
  // The page is on 127.0.0.1, the widget on localhost.
  await page.goto('/e2e/origins-cross.html');
  for (const id of ['widget', 'page']) {
    await expect(host(page, id).getByRole('link', { name: /我要留言/ })).toBeVisible();
  }
  await expect(host(page, 'other').locator('.xxgk__site')).toBeVisible();
  await expect(host(page, 'other').locator('.xxgk-feedback')).toHaveCount(0);
  expect(warnings(messages)).toEqual([expect.stringContaining('data-feedback="http://localhost:8093/"')]);
});

test('a comment cannot make the loader trust another origin: not by naming an image after its script tag, nor by a base address', async ({ page, console: messages }) => {
  for (const file of ['origins-clobber.html', 'origins-base.html']) {
    await page.goto(`/e2e/${file}`);
    const far = host(page, 'far');
    await expect(far.locator('.xxgk__site')).toBeVisible();
    await expect(far.locator('.xxgk-list__item').first()).toBeVisible();
    await expect(far.locator('.xxgk-feedback')).toHaveCount(0);
    // The widget's code came from where the real script tag says (the
    // image itself is fetched, as any image is).
    const loaded = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
    expect(loaded.filter((n) => n.startsWith('http://localhost') && /\.wasm$|xxgk-/.test(n)), file).toEqual([]);
    expect(loaded.filter((n) => n.endsWith('.wasm')).length, file).toBeGreaterThan(0);
  }
  expect(warnings(messages)).toHaveLength(2);
});
