// A published bundle's first page is drawn by the bundle module's glue
// (src/bundle.js) from the manifest while the module itself downloads and
// compiles; the module's view then takes its place. These tests hold the
// module's download back, to see the drawing alone, then let it through.
import { test, expect } from './fixtures.mjs';

const WASM = '**/xxgk/xxgk-bundle_bg.wasm';
// The page's third widget has a page size the module warns about (and
// the drawing, like the module, takes as the default).
const WARNED = /data-page-size="2e1" 无效/;
test.use({ expectedConsole: [[WARNED], { scope: 'test' }] });

/** Holds the bundle module's download until `release()`. */
async function holdModule(page) {
  let release;
  const gate = new Promise((done) => (release = done));
  await page.route(WASM, async (route) => {
    await gate;
    await route.continue();
  });
  return release;
}

/**
 * Each widget's visible root in `selector`'s host, as text: elements with
 * their attributes sorted, text nodes; the filter panel's closed menus
 * (which the drawing leaves out) skipped. Also where its entries' titles
 * and its pages' links are on the screen.
 */
function shown(page, selector) {
  return page.evaluate((selector) => {
    const host = document.querySelector(selector);
    const roots = [...(host.shadowRoot || host).querySelectorAll('.xxgk')].filter((e) => e.getClientRects().length);
    const text = (node) => node.nodeType === 3 ? JSON.stringify(node.data)
      : node.nodeType !== 1 || node.classList.contains('xxgk-filters__grid') ? ''
      : `<${node.localName}${[...node.attributes].map((a) => ` ${a.name}=${a.value}`).sort().join('')}>${[...node.childNodes].map(text).join('')}</>`;
    const at = (e) => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.width, r.height].map(Math.round).join(','); };
    return roots.map((root) => ({
      text: text(root),
      places: [...root.querySelectorAll('.xxgk-list__title, .xxgk-pages, .xxgk-search__input, .xxgk-tree')].map(at),
    }));
  }, selector);
}

for (const [selector, words] of [
  ['#one [data-xxgk]', { count: '共 2000 条', button: '我要留言 · 申请公开 · 查询办理结果' }],
  ['#two [data-xxgk]', { count: 'Entries: 2,000', button: null }],
  ['#three [data-xxgk]', { count: '共 2000 条', button: null }],
]) {
  test(`the drawn first page (${selector}) is the module's first page, in the same places`, async ({ page }) => {
    const release = await holdModule(page);
    await page.goto('/e2e/bundle-drawn.html');
    const host = page.locator(selector);
    await expect(host.locator('[data-xxgk-drawn] .xxgk-list__item').first()).toBeVisible();
    await expect(host.locator('[data-xxgk-drawn] .xxgk-list__count')).toHaveText(words.count);
    if (words.button) await expect(host.locator('.xxgk-feedback')).toHaveText(words.button);
    const drawn = await shown(page, selector);
    expect(drawn).toHaveLength(1);
    release();
    await expect(host.locator('[data-xxgk-drawn]')).toHaveCount(0);
    await expect(host.locator('.xxgk-list__item').first()).toBeVisible();
    const module = await shown(page, selector);
    expect(module).toHaveLength(1);
    expect(module[0].text).toBe(drawn[0].text);
    expect(module[0].places).toEqual(drawn[0].places);
  });
}

test('what is typed in the drawn search box is searched once the module arrives, and focus stays in the box', async ({ page }) => {
  const release = await holdModule(page);
  await page.goto('/e2e/bundle-drawn.html');
  const host = page.locator('#one [data-xxgk]');
  const box = host.locator('[data-xxgk-drawn] .xxgk-search__input');
  await box.click();
  await page.keyboard.type('公示');
  await page.keyboard.press('Enter'); // the drawn form does not leave the page
  // Reading on down the page meanwhile: the hand-over does not scroll.
  await page.evaluate(() => window.scrollTo(0, 400));
  release();
  await expect(host.locator('[data-xxgk-drawn]')).toHaveCount(0);
  await expect(host.locator('.xxgk-search__input')).toHaveValue('公示');
  await expect(host.locator('.xxgk-search__input')).toBeFocused();
  await expect(host.locator('.xxgk-list__item mark').first()).toHaveText('公示');
  expect(await page.evaluate(() => location.pathname)).toBe('/e2e/bundle-drawn.html');
  expect(await page.evaluate(() => window.scrollY)).toBe(400);
});

test('a word being chosen in an input method when the module arrives is kept, then searched', async ({ page }) => {
  const release = await holdModule(page);
  await page.goto('/e2e/bundle-drawn.html');
  const host = page.locator('#one [data-xxgk]');
  await host.locator('[data-xxgk-drawn] .xxgk-search__input').focus();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Input.imeSetComposition', { text: 'gongshi', selectionStart: 7, selectionEnd: 7 });
  release();
  await expect(host.locator('[data-xxgk-drawn] .xxgk-search__input')).toHaveValue('gongshi');
  await page.waitForTimeout(1500); // the module has come meanwhile
  await expect(host.locator('[data-xxgk-drawn]')).toHaveCount(1);
  await cdp.send('Input.insertText', { text: '公示' });
  await expect(host.locator('[data-xxgk-drawn]')).toHaveCount(0);
  await expect(host.locator('.xxgk-search__input')).toHaveValue('公示');
  await expect(host.locator('.xxgk-list__item mark').first()).toHaveText('公示');
});

test('focus on any drawn control moves to the same control of the module', async ({ page }) => {
  const release = await holdModule(page);
  await page.goto('/e2e/bundle-drawn.html');
  const host = page.locator('#one [data-xxgk]');
  await host.locator('[data-xxgk-drawn] .xxgk-tree__link').nth(3).focus();
  release();
  await expect(host.locator('[data-xxgk-drawn]')).toHaveCount(0);
  await expect(host.locator('.xxgk-tree__link').nth(3)).toBeFocused();
});

test('a drawn link says the view is loading, and takes the other widgets\' parameters as they are when followed', async ({ page }) => {
  const release = await holdModule(page);
  await page.goto('/e2e/bundle-drawn.html');
  const host = page.locator('#one [data-xxgk]');
  await expect(host.locator('[data-xxgk-drawn] .xxgk-list__item').first()).toBeVisible();
  // Another widget (or the portal) changes its part of the hash meanwhile.
  await page.evaluate(() => { location.hash = 'other.p=4'; });
  await host.locator('[data-xxgk-drawn] .xxgk-pages__link--next').click();
  expect(await page.evaluate(() => location.hash)).toBe('#other.p=4&a.p=2');
  await expect(host.locator('[data-xxgk-drawn] .xxgk-list__count')).toHaveText('正在加载公开目录……');
  await expect(host.locator('[data-xxgk-drawn] .xxgk-list__count')).toHaveAttribute('aria-busy', 'true');
  release();
  await expect(host.locator('[data-xxgk-drawn]')).toHaveCount(0);
  await expect(host.locator('.xxgk-pages__status')).toHaveText('第 2 页，共 200 页');
});

test('an entry tapped on the drawn page opens once the module arrives, and the large-text switch is kept', async ({ page }) => {
  const release = await holdModule(page);
  await page.goto('/e2e/bundle-drawn.html');
  const host = page.locator('#one [data-xxgk]');
  const title = await host.locator('[data-xxgk-drawn] .xxgk-list__title').nth(2).textContent();
  // Typed, then an entry tapped: the entry is what the reader wants.
  await host.locator('[data-xxgk-drawn] .xxgk-search__input').fill('公示');
  await host.locator('[data-xxgk-drawn] .xxgk__mode').click();
  await expect(host.locator('[data-xxgk-drawn] .xxgk__mode')).toHaveAttribute('aria-pressed', 'true');
  await host.locator('[data-xxgk-drawn] .xxgk-list__title').nth(2).click();
  release();
  await expect(host.locator('.xxgk-detail__title')).toHaveText(title);
  await expect(host.locator('.xxgk__mode')).toHaveAttribute('aria-pressed', 'true');
  await expect(host.locator('.xxgk--large')).toHaveCount(1);
});

test('a page whose hash names another view draws nothing; the module shows that view', async ({ page }) => {
  const release = await holdModule(page);
  await page.goto('/e2e/bundle-drawn.html#a.p=2');
  await expect(page.locator('#two [data-xxgk-drawn] .xxgk-list__item').first()).toBeVisible();
  await expect(page.locator('#one [data-xxgk-drawn]')).toHaveCount(0);
  release();
  await expect(page.locator('#one .xxgk-pages__status')).toHaveText('第 2 页，共 200 页');
});

test('the bundle mark written by the page\'s content changes nothing: each widget gets its module, other elements none', async ({ page }) => {
  await page.goto('/e2e/bundle-marked.html');
  await expect(page.locator('#bundle .xxgk-list__count')).toHaveText('共 2000 条');
  await expect(page.locator('#bundle [data-xxgk-drawn]')).toHaveCount(0);
  await expect(page.locator('#plain .xxgk-list__count')).toHaveText('共 119 条');
  await expect(page.locator('#plain [data-xxgk]')).not.toHaveAttribute('data-xxgk-bundle');
  for (const id of ['#comment', '#other']) {
    expect(await page.locator(id).evaluate((p) => p.shadowRoot)).toBeNull();
    await expect(page.locator(id)).not.toHaveAttribute('data-xxgk-mounted');
  }
  await expect(page.locator('#comment')).toHaveText('一条留言');
});

test('a drawn widget taken off the page before the module comes is the module\'s once put back', async ({ page }) => {
  const release = await holdModule(page);
  await page.goto('/e2e/bundle-drawn.html');
  await expect(page.locator('#three [data-xxgk-drawn] .xxgk-list__item').first()).toBeVisible();
  await page.evaluate(() => { window.kept = document.querySelector('#three [data-xxgk]'); window.kept.remove(); });
  await page.waitForTimeout(100);
  release();
  await expect(page.locator('#one [data-xxgk-drawn]')).toHaveCount(0);
  await page.evaluate(() => { document.querySelector('#three').append(window.kept); return window.xxgk.mount(); });
  await expect(page.locator('#three [data-xxgk-drawn]')).toHaveCount(0);
  await expect(page.locator('#three .xxgk-list__item').first()).toBeVisible();
});

test.describe('without the module', () => {
  test('a link followed on the drawn page, then the module failing, leaves the count as it was', async ({ page }) => {
    let fail;
    const failed = new Promise((done) => (fail = done));
    await page.route(WASM, async (route) => {
      await failed;
      await route.fulfill({ status: 404, body: 'gone' });
    });
    await page.goto('/e2e/bundle-drawn.html');
    const host = page.locator('#one [data-xxgk]');
    await host.locator('[data-xxgk-drawn] .xxgk-pages__link--next').click();
    await expect(host.locator('.xxgk-list__count')).toHaveText('正在加载公开目录……');
    fail();
    await expect(host.locator('.xxgk-failure')).toBeVisible();
    await expect(host.locator('.xxgk-list__count')).toHaveText('共 2000 条');
    await expect(host.locator('.xxgk-list__count')).not.toHaveAttribute('aria-busy', 'true');
  });

  test('when the module fails before the manifest comes, nothing is drawn over the loader\'s plain view', async ({ page }) => {
    await page.route(WASM, (route) => route.fulfill({ status: 404, body: 'gone' }));
    await page.route('**/published/bundles/gen/index.json', async (route) => {
      await new Promise((done) => setTimeout(done, 1500));
      await route.continue();
    });
    await page.goto('/e2e/bundle-drawn.html');
    const host = page.locator('#one [data-xxgk]');
    await expect(host.locator('.xxgk-plain li').first()).toBeVisible();
    await page.waitForTimeout(2000);
    await expect(page.locator('[data-xxgk-drawn]')).toHaveCount(0);
    await expect(host).toBeVisible();
    expect(await host.evaluate((h) => [...h.shadowRoot.children].map((e) => e.localName + '.' + e.className))).toEqual(['style.', 'div.xxgk-plain']);
  });

  test.use({ expectedConsole: [[WARNED, /Failed to load resource/, /xxgk: the widget could not start/], { scope: 'test' }] });
  test('the drawn first page stays, saying the rest could not be loaded', async ({ page }) => {
    await page.route(WASM, (route) => route.fulfill({ status: 404, body: 'gone' }));
    await page.goto('/e2e/bundle-drawn.html');
    const host = page.locator('#one [data-xxgk]');
    await expect(host.locator('.xxgk-failure')).toHaveText('目录的其余部分未能加载，请刷新页面重试。');
    await expect(host.locator('.xxgk-list__item')).toHaveCount(10);
    // Said at the top, under the heading, not below the entries.
    expect(await host.locator('.xxgk-failure').evaluate((p) => p.previousElementSibling.className)).toBe('xxgk__header');
    // A link followed then does not claim that its view is loading.
    await host.locator('.xxgk-pages__link--next').click();
    await page.waitForTimeout(200);
    await expect(host.locator('.xxgk-list__count')).toHaveText('共 2000 条');
    await expect(host.locator('.xxgk-list__count')).not.toHaveAttribute('aria-busy', 'true');
    await expect(page.locator('#two .xxgk-failure')).toHaveText('The rest of the catalogue could not be loaded. Please reload the page.');
  });
});

test('catalogue text in the drawing is text, never markup', async ({ page }) => {
  const release = await holdModule(page);
  await page.goto('/e2e/fixture.html?catalogue=/published/bundles/xss/index.json');
  const host = page.locator('[data-xxgk]');
  await expect(host.locator('[data-xxgk-drawn] .xxgk__site')).toContainText('<script>window.__xss=1</script>东亭乡');
  await expect(host.locator('[data-xxgk-drawn] .xxgk-list__title', { hasText: '标题' }))
    .toHaveText('<img src=x onerror="window.__xss=3">标题<script>window.__xss=33</script>');
  await expect(host.locator('[data-xxgk-drawn] .xxgk-tree__link').nth(1)).toContainText('<img src=x onerror="window.__xss=2">指南');
  // The entries left out when it was published are listed, as the module lists them.
  await expect(host.locator('[data-xxgk-drawn] .xxgk-skipped__summary')).toHaveText('有 4 条信息因数据有误未能显示（点击查看详情）');
  const drawn = await shown(page, '[data-xxgk]');
  release();
  await expect(host.locator('[data-xxgk-drawn]')).toHaveCount(0);
  await expect(host.locator('.xxgk-list__item').first()).toBeVisible();
  expect((await shown(page, '[data-xxgk]'))[0].text).toBe(drawn[0].text);
  expect(await page.evaluate(() => window.__xss)).toBeUndefined();
});

test('a widget whose catalogue address is no URL does not stop the others', async ({ page }) => {
  await page.goto('/e2e/bundle-drawn.html');
  await expect(page.locator('#one .xxgk-list__item').first()).toBeVisible();
  await page.evaluate(() => {
    const bad = document.createElement('div');
    bad.setAttribute('data-xxgk', '');
    bad.setAttribute('data-catalogue', 'http://gov.cn:99999/index.json');
    const good = document.createElement('div');
    good.setAttribute('data-xxgk', '');
    good.setAttribute('data-id', 'later');
    good.setAttribute('data-catalogue', '/published/bundles/gen/index.json');
    document.body.append(bad, good);
    return window.xxgk.mount();
  });
  await expect(page.locator('[data-id="later"] .xxgk-list__item').first()).toBeVisible();
  await expect(page.locator('[data-xxgk]').nth(3).locator('.xxgk-failure')).toBeVisible();
});
