// The widget reading a published bundle (docs/bundle.md) shows what it
// shows reading the same catalogue as a file: bundle.html has both, the
// generated catalogue of 2,000 entries published as a bundle ("b") and as
// the file itself ("p"), side by side.
import { test, expect, ready } from './fixtures.mjs';

const bundle = (page) => page.locator('#bundle [data-xxgk]');
const plain = (page) => page.locator('#plain [data-xxgk]');

/** What a widget's list shows, once it has settled. */
async function listed(w) {
  await expect(w.locator('.xxgk-list__count')).not.toHaveAttribute('aria-busy', 'true');
  return {
    count: await w.locator('.xxgk-list__count').textContent(),
    pages: await w.locator('.xxgk-pages__status').textContent(),
    titles: await w.locator('.xxgk-list__title').allTextContents(),
    meta: await w.locator('.xxgk-list__meta').allTextContents(),
    marks: await w.locator('.xxgk-list__item mark').allTextContents(),
    snippets: await w.locator('.xxgk-list__snippet').allTextContents(),
  };
}

/** Both widgets show the same list. */
async function same(page) {
  const [b, p] = [await listed(bundle(page)), await listed(plain(page))];
  expect(b.titles.length).toBeGreaterThan(0);
  expect(b).toEqual(p);
  return b;
}

/** Does the same to both widgets. */
async function both(page, act) {
  await act(bundle(page));
  await act(plain(page));
}

test.beforeEach(async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto('/e2e/bundle.html');
  // The bundle's module has taken over from its drawn first page.
  await ready(page, 0);
  await ready(page, 1);
});

test('each widget is started by the module for its catalogue', async ({ page }) => {
  await expect(bundle(page)).toHaveAttribute('data-xxgk-bundle', '');
  await expect(plain(page)).not.toHaveAttribute('data-xxgk-bundle');
  const scripts = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname));
  expect(scripts).toContain('/xxgk/xxgk-bundle_bg.wasm');
  expect(scripts).toContain('/xxgk/xxgk_bg.wasm');
  // The bundle's widget never downloads the whole catalogue.
  expect(scripts).not.toContain('/published/bundles/gen/catalogue.json');
});

test('browsing pages, categories, filters and the order shows the same entries', async ({ page }) => {
  const first = await same(page);
  expect(first.count).toBe('共 2000 条');
  await both(page, (w) => w.locator('.xxgk-pages__link--next').click());
  await same(page);
  // A category with sub-categories, then one of them.
  await both(page, (w) => w.locator('.xxgk-tree__link').nth(1).click());
  await same(page);
  await both(page, (w) => w.locator('.xxgk-tree__link').nth(2).click());
  await same(page);
  await both(page, (w) => w.locator('.xxgk-tree__link').first().click());
  // Each filter, with the counts in its menu.
  await both(page, (w) => w.locator('.xxgk-filters__summary').click());
  for (const filter of ['year', 'scope', 'validity']) {
    const options = await bundle(page).locator(`select[data-filter="${filter}"] option`).allTextContents();
    expect(options).toEqual(await plain(page).locator(`select[data-filter="${filter}"] option`).allTextContents());
    const value = await bundle(page).locator(`select[data-filter="${filter}"] option`).nth(1).getAttribute('value');
    await both(page, (w) => w.locator(`select[data-filter="${filter}"]`).selectOption(value));
    await same(page);
  }
  await both(page, (w) => w.locator('select[data-filter="order"]').selectOption('old'));
  await same(page);
  await both(page, (w) => w.locator('.xxgk-pages__link--next').click());
  await same(page);
});

test('searching finds the same entries with the same marks and excerpts', async ({ page }) => {
  for (const query of ['通知', '财政 预算', 'tongzhi', 'cz', '關於']) {
    await both(page, (w) => w.locator('.xxgk-search__input').fill(query));
    const found = await same(page);
    expect(found.count, query).toMatch(/^找到 \d+ 条$/);
    // Chinese text is marked where it matched (pinyin matches are not).
    if (/\p{Script=Han}/u.test(query)) expect(found.marks.length, query).toBeGreaterThan(0);
  }
  await both(page, (w) => w.locator('.xxgk-pages__link--next').click());
  await same(page);
});

test('an entry opens with the same card and text, and a deep link to it works', async ({ page }) => {
  await both(page, (w) => w.locator('.xxgk-list__title').nth(3).click());
  const detail = async (w) => {
    await expect(w.locator('.xxgk-meta')).toBeVisible();
    return {
      title: await w.locator('.xxgk-detail__title').textContent(),
      card: await w.locator('.xxgk-meta').textContent(),
      text: await w.locator('.xxgk-detail').textContent(),
    };
  };
  const opened = await detail(bundle(page));
  expect(opened).toEqual(await detail(plain(page)));
  // The same URL in a new page opens the entry at once.
  const url = page.url();
  await page.goto('about:blank');
  await page.goto(url);
  expect(await detail(bundle(page))).toEqual(opened);
  await bundle(page).locator('.xxgk-detail__back').click();
  await expect(bundle(page).locator('.xxgk-list__item')).toHaveCount(10);
});

test('a file that cannot be fetched gives a retry in place, and the retry shows the page', async ({ page }) => {
  // Pages 1 and 2 are in the manifest; page 3 needs listing files.
  await page.route('**/published/bundles/gen/l/**', (route) => route.abort());
  await page.evaluate(() => { location.hash = 'b.p=3&p.p=3'; });
  const count = bundle(page).locator('.xxgk-list__count');
  await expect(count).toContainText('这部分内容未能加载');
  await expect(bundle(page).locator('.xxgk-list__item')).toHaveCount(0);
  await page.unroute('**/published/bundles/gen/l/**');
  await count.getByRole('button', { name: '重新加载' }).click();
  await same(page);
  // An entry whose file cannot be fetched: the same, in the entry's place.
  await page.route('**/published/bundles/gen/e/**', (route) => route.abort());
  await bundle(page).locator('.xxgk-list__title').first().click();
  const note = bundle(page).locator('.xxgk-detail__title');
  await expect(note).toContainText('这部分内容未能加载');
  await page.unroute('**/published/bundles/gen/e/**');
  await note.getByRole('button', { name: '重新加载' }).click();
  await expect(bundle(page).locator('.xxgk-meta')).toBeVisible();
});

test('a view changed while its files load shows only the latest view', async ({ page }) => {
  // Listing files answer slowly; the reader turns to page 2, then 3.
  await page.route('**/published/bundles/gen/l/**', async (route) => {
    await new Promise((done) => setTimeout(done, 800));
    await route.continue();
  });
  await page.evaluate(() => { location.hash = 'b.p=2'; });
  await page.waitForTimeout(100);
  await page.evaluate(() => { location.hash = 'b.p=3&p.p=3'; });
  await expect(bundle(page).locator('.xxgk-pages__status')).toHaveText('第 3 页，共 200 页');
  await page.waitForTimeout(1500);
  await same(page);
  expect(await bundle(page).locator('.xxgk-pages__status').textContent()).toBe('第 3 页，共 200 页');
});

test('a page opened on a view beyond the manifest fetches each file once', async ({ page }) => {
  await page.goto('about:blank');
  // The directory, which the engine fetches as it starts, comes after the
  // first question has been asked.
  await page.route('**/published/bundles/gen/x/**', async (route) => {
    await new Promise((done) => setTimeout(done, 500));
    await route.continue();
  });
  const fetched = [];
  page.on('request', (r) => { if (r.url().includes('/published/bundles/gen/')) fetched.push(new URL(r.url()).pathname); });
  await page.goto('/e2e/bundle.html#b.p=3&p.p=3');
  await same(page);
  expect(fetched.length).toBeGreaterThan(2); // the manifest, the directory, a listing file
  expect(fetched).toEqual([...new Set(fetched)]);
});

test('quick taps on the next page each count while a page loads', async ({ page }) => {
  // Page 4's listing file is fetched; page 5 needs the next one (newest
  // first, 32 entries a file), which answers slowly, and the reader taps
  // on before it has come.
  await page.evaluate(() => { location.hash = 'b.p=4'; });
  await expect(bundle(page).locator('.xxgk-pages__status')).toHaveText('第 4 页，共 200 页');
  await expect(bundle(page).locator('.xxgk-list__count')).not.toHaveAttribute('aria-busy', 'true');
  await page.route('**/published/bundles/gen/l/**', async (route) => {
    await new Promise((done) => setTimeout(done, 1000));
    await route.continue();
  });
  const next = bundle(page).locator('.xxgk-pages__link--next');
  await next.click();
  await expect(bundle(page).locator('.xxgk-list__count')).toHaveAttribute('aria-busy', 'true');
  await next.click();
  await expect(bundle(page).locator('.xxgk-pages__status')).toHaveText('第 6 页，共 200 页');
  await expect(bundle(page).locator('.xxgk-list__count')).not.toHaveAttribute('aria-busy', 'true');
  await page.evaluate(() => { location.hash = 'b.p=6&p.p=6'; });
  await same(page);
});

test('an entry opened from the keyboard keeps focus while its file comes', async ({ page }) => {
  // Beyond the manifest's first entries, an entry's file is fetched.
  await page.evaluate(() => { location.hash = 'b.p=3'; });
  await expect(bundle(page).locator('.xxgk-pages__status')).toHaveText('第 3 页，共 200 页');
  await page.route('**/published/bundles/gen/e/**', async (route) => {
    await new Promise((done) => setTimeout(done, 1000));
    await route.continue();
  });
  await bundle(page).locator('.xxgk-list__title').nth(4).focus();
  await page.keyboard.press('Enter');
  await expect(bundle(page).locator('p.xxgk-detail__title')).toBeFocused();
  await expect(bundle(page).locator('.xxgk-meta')).toBeVisible();
  await expect(bundle(page).locator('h3.xxgk-detail__title')).toBeFocused();
});

test('a question about an open entry names the entry, as with a file', async ({ page }) => {
  await both(page, (w) => w.locator('.xxgk-list__title').nth(5).click());
  const title = await plain(page).locator('.xxgk-detail__title').textContent();
  await expect(bundle(page).locator('.xxgk-detail__title')).toHaveText(title);
  for (const w of [bundle(page), plain(page)]) {
    await expect(w.locator('.xxgk-feedback')).toHaveText('就此信息留言咨询');
  }
  await bundle(page).locator('.xxgk-feedback').click();
  await expect(bundle(page).locator('.xxgk-form__related')).toContainText(`《${title}》`);
});

test('a widget set to start in a category, with pages of 25, starts there from a link without a hash', async ({ page }) => {
  // Neither view is in the manifest: the first question goes to the engine.
  await page.goto('/e2e/bundle-start.html');
  const first = await same(page);
  expect(first.titles).toHaveLength(25);
  expect(first.count).toBe(await plain(page).locator('.xxgk-list__count').textContent());
  expect(first.count).not.toBe('共 2000 条');
  await both(page, (w) => w.locator('.xxgk-pages__link--next').click());
  await same(page);
});

test('a file damaged once (an error page served as it) is fetched again by the retry', async ({ page }) => {
  let served = 0;
  await page.route('**/published/bundles/gen/l/**', async (route) => {
    served += 1;
    if (served === 1) await route.fulfill({ status: 200, contentType: 'text/html', body: '<html>502 Bad Gateway</html>' });
    else await route.continue();
  });
  await page.evaluate(() => { location.hash = 'b.p=3&p.p=3'; });
  const count = bundle(page).locator('.xxgk-list__count');
  await expect(count).toContainText('这部分内容未能加载');
  await count.getByRole('button', { name: '重新加载' }).click();
  await same(page);
  expect(served).toBeGreaterThan(1);
});

test('a query overtaken by the next character fetches no shards of its own', async ({ page }) => {
  // Search buckets answer slowly: 通 is still waiting for its bucket when
  // 知 is typed. Only 通知's listing and detail shards are then fetched.
  const shards = async (typing) => {
    await page.goto('about:blank');
    await page.route('**/published/bundles/gen/g/**', async (route) => {
      await new Promise((done) => setTimeout(done, 700));
      await route.continue();
    });
    await page.goto('/e2e/bundle.html');
    await ready(page, 0);
    const fetched = new Set();
    page.on('request', (r) => {
      const path = new URL(r.url()).pathname;
      if (/\/gen\/[le]\//.test(path)) fetched.add(path);
    });
    await typing(bundle(page).locator('.xxgk-search__input'));
    await expect(bundle(page).locator('.xxgk-list__count')).toHaveText(/^找到 \d+ 条$/);
    await expect(bundle(page).locator('.xxgk-list__count')).not.toHaveAttribute('aria-busy', 'true');
    await expect(bundle(page).locator('.xxgk-list__item mark').first()).toHaveText('通知');
    // Anything still to come for the overtaken query.
    await page.waitForTimeout(1200);
    await page.unrouteAll({ behavior: 'wait' });
    return [...fetched].sort();
  };
  const typed = await shards((input) => input.pressSequentially('通知', { delay: 150 }));
  const pasted = await shards((input) => input.fill('通知'));
  expect(typed.length).toBeGreaterThan(0);
  expect(typed).toEqual(pasted);
});
