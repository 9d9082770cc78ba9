// Where the widget's module cannot run (no WebAssembly, its compilation
// refused by the page's Content-Security-Policy, its file blocked), the
// loader fetches the plain view (src/plain.js), which shows the latest
// entries in plain elements. The pages here are served by the tests themselves, on the
// demo server's origin, so that the catalogues they name are the server's.
import { readFileSync } from 'node:fs';
import { test, expect, allHrefs, axe } from './fixtures.mjs';
import { strays, shownText } from './script.mjs';

const DONGTING = JSON.parse(readFileSync(new URL('../../examples/dongting/catalogue.json', import.meta.url), 'utf8'));
// The Dongting catalogue's newest entries: the first has no original, the
// second links to one.
const NEWEST = '东亭乡2017年政府信息公开工作计划';
const WITH_ORIGINAL = ['东亭乡2017年美丽乡村建设工作实施方案', 'https://www.guangde.gov.cn/public/2651141/30186021.html'];
const CATALOGUE = '/examples/dongting/catalogue.json';
const BUNDLE = '/bundles/dongting/index.json';
const ORIGIN = 'http://127.0.0.1:8091';
const NO_MODULE = /xxgk: the widget could not start/;
// A module's file blocked (route.abort) is reported by the browser.
const BLOCKED = /Failed to load resource: net::ERR_FAILED/;
test.use({ expectedConsole: [[NO_MODULE], { scope: 'test' }] });

/** Serves `body` as the page at `path`, with `headers`. */
async function serve(page, path, body, headers = {}) {
  await page.route(`${ORIGIN}${path}`, (route) =>
    route.fulfill({ contentType: 'text/html; charset=utf-8', headers, body }));
}

/** A portal page with `hosts` (HTML) in its column, in `lang`. */
function portal(hosts, lang = 'zh-CN') {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>portal</title>
<link rel="icon" href="data:,"><link rel="stylesheet" href="/e2e/hostile.css"></head>
<body><div style="width: 900px">${hosts}</div></body></html>`;
}

const withoutWebAssembly = (page) => page.addInitScript(() => {
  delete window.WebAssembly;
});

/** The plain view in the n-th host. */
const plain = (page, n = 0) => page.locator('[data-xxgk]').nth(n).locator('.xxgk-plain');

/** Every catalogue text a view of the Dongting catalogue may show. */
const dongtingTexts = () => DONGTING.items
  .flatMap((i) => [i.title, i.publisher, i.doc_number, i.id, i.summary, i.body, ...(i.attachments || []).map((a) => a.name)])
  .concat(DONGTING.site.name);

test('without WebAssembly, a catalogue file shows its newest entries, the file and the feedback server', async ({ page }) => {
  await withoutWebAssembly(page);
  await serve(page, '/e2e/fallback.html',
    portal(`<script src="/xxgk/xxgk.js" data-catalogue="${CATALOGUE}" data-feedback="/"></script>`));
  await page.goto('/e2e/fallback.html');
  const view = plain(page);
  await expect(view.getByRole('heading', { name: '政府信息公开目录' })).toBeVisible();
  await expect(view).toContainText('请使用较新版本的浏览器查看完整的公开目录');
  // Twenty, newest first.
  const items = view.getByRole('listitem');
  await expect(items).toHaveCount(20);
  await expect(items.first()).toContainText(NEWEST);
  await expect(items.first()).toContainText('2017-03-28　东亭乡人民政府');
  // An entry with an original links to it.
  await expect(view.getByRole('link', { name: WITH_ORIGINAL[0] })).toHaveAttribute('href', WITH_ORIGINAL[1]);
  // One without opens its metadata in place.
  await items.first().locator('summary').click();
  const facts = await items.first().locator('dl').innerText();
  expect(facts).toContain('索引号');
  expect(facts).toContain('11341822003207567E/201703-00023');
  expect(facts).toContain('成文日期');
  expect(facts).toContain('2017-03-24');
  await expect(items.first()).toContainText('针对2016年度报告查找的问题');
  await expect(view.getByRole('link', { name: '完整目录（JSON）' })).toHaveAttribute('href', `${ORIGIN}${CATALOGUE}`);
  await expect(view.getByRole('link', { name: `${ORIGIN}/` })).toHaveAttribute('href', `${ORIGIN}/`);
  // Nothing but the loader and the plain view was fetched of the widget.
  const fetched = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname));
  expect(fetched.filter((p) => p.startsWith('/xxgk/'))).toEqual(['/xxgk/xxgk.js', '/xxgk/xxgk-plain.js']);
});

test('without WebAssembly, a published bundle shows its first page from the manifest', async ({ page }) => {
  await withoutWebAssembly(page);
  await serve(page, '/e2e/fallback-bundle.html', portal(
    `<script src="/xxgk/xxgk.js" data-catalogue="${BUNDLE}" data-page-size="5"></script>`));
  await page.goto('/e2e/fallback-bundle.html');
  const view = plain(page);
  const items = view.getByRole('listitem');
  await expect(items).toHaveCount(5);
  await expect(items.first()).toContainText(NEWEST);
  await expect(items.nth(1)).toContainText(WITH_ORIGINAL[0]);
  await items.first().locator('summary').click();
  await expect(items.first().locator('dl')).toContainText('11341822003207567E/201703-00023');
  await expect(view.getByRole('link', { name: '完整目录（JSON）' })).toHaveAttribute('href', `${ORIGIN}${BUNDLE}`);
  const fetched = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname));
  expect(fetched).not.toContain('/xxgk/xxgk-bundle.js');
});

test('entries the module would skip are left out, the rest listed as the module lists them; text stays text', async ({ page }) => {
  await withoutWebAssembly(page);
  // A small catalogue of its own, with dates in the forms spreadsheets
  // write, and entries the module skips (docs/catalogue.md).
  const good = (id, title, published, more = {}) => ({ id, title, published, category: 'zn', ...more });
  await page.route(`${ORIGIN}/e2e/data/links.json`, (route) => route.fulfill({
    contentType: 'application/json',
    body: JSON.stringify({
      schema: 'xxgk-catalogue/1',
      site: { name: '<b>东亭乡</b>' },
      categories: [{ id: 'zn', name: '指南', children: [{ id: 'zn-a', name: '子类' }] }, { id: 'gz', name: '规章' }],
      items: [
        good('L-1', '脚本链接', '2016/5/3', { link: 'javascript:window.__xss=1' }),
        good('L-2', '带空格和制表符的脚本链接', '2016-05-02', { link: ' Java\tScript:window.__xss=2' }),
        good('L-3', '数据链接', '2016年5月1日', { link: 'data:text/html,<script>window.__xss=3</script>' }),
        good('L-4', '相对链接', '2016-05-10', { link: 'files/original.html' }),
        good('L-5', '<img src=x onerror="window.__xss=5">标题', '2016-04-30',
          { body: '<script>window.__xss=6</script>\n第二段', attachments: [{ name: '表格.xls', url: '../table.xls', size: 52736 }] }),
        good('L-6', '不存在的日期', '2016-02-30'),
        good('L-7', '遥远的日期', '9999-12-31'),
        good('L-8', '带时间的日期', '2020-02-02T23:59:59+08:00'),
        { title: '没有索引号', published: '2016-05-20', category: 'zn' },
        good('L-9', '未知分类', '2016-05-20', { category: 'nowhere' }),
        good('L-10', '层级有误', '2016-05-20', { level: 'county' }),
        good('L-11', '附件是一段文字', '2016-05-20', { attachments: '附件.doc' }),
        good('L-12', '附件地址是脚本', '2016-05-20', { attachments: [{ name: 'a', url: 'vbscript:msgbox' }] }),
        good('L-17', '附件大小是文字', '2016-05-20', { attachments: [{ name: 'a', url: 'a.pdf', size: '52 KB' }] }),
        good('L-13', '   ', '2016-05-20'),
        good('L-14', '文号是对象', '2016-05-20', { doc_number: {} }),
        good('L-4', '重复的索引号', '2016-05-21'),
        good('L-15', 12345, '2016-04-01', { category: 'zn-a', validity: '废止' }),
        good('L-16', '另一分类', '2016-03-01', { category: 'gz', validity: 'expired' }),
      ],
    }),
  }));
  await serve(page, '/e2e/fallback-links.html', portal(
    '<div data-xxgk data-catalogue="/e2e/data/links.json"></div>' +
    '<div data-xxgk data-catalogue="/e2e/data/links.json" data-category="zn"></div>' +
    '<div data-xxgk data-catalogue="javascript:window.__xss=7//x.json"></div><script src="/xxgk/xxgk.js"></script>'));
  await page.goto('/e2e/fallback-links.html');
  const view = plain(page);
  // Newest first, whatever the form of the date; a number is a title too.
  const titles = (v) => v.locator('li > a, summary').evaluateAll((e) => e.map((x) => x.firstChild.data));
  await expect.poll(() => titles(view)).toEqual(['相对链接', '<img src=x onerror="window.__xss=5">标题', '12345', '另一分类']);
  await expect(view.getByRole('link', { name: '相对链接' })).toHaveAttribute('href', `${ORIGIN}/e2e/data/files/original.html`);
  // Repealed and expired entries say so.
  await expect(view.getByRole('listitem').nth(2)).toContainText('2016-04-01　<b>东亭乡</b>　废止');
  await expect(view.getByRole('listitem').nth(3)).toContainText('失效');
  const second = view.getByRole('listitem').nth(1);
  await second.locator('summary').click();
  await expect(second).toContainText('2016-04-30　<b>东亭乡</b>');
  await expect(second.locator('.xxgk-plain__text')).toHaveText('<script>window.__xss=6</script>\n第二段');
  await expect(second.getByRole('link', { name: '表格.xls' })).toHaveAttribute('href', `${ORIGIN}/e2e/table.xls`);
  // data-category: the category and those under it.
  await expect.poll(() => titles(plain(page, 1))).toEqual(['相对链接', '<img src=x onerror="window.__xss=5">标题', '12345']);
  // A catalogue address that is no http(s) one is never a link.
  await expect(plain(page, 2).getByRole('alert')).toHaveText('公开目录暂时无法显示。');
  await expect(plain(page, 2).getByRole('link')).toHaveCount(0);
  const hrefs = await allHrefs(page);
  expect(hrefs.filter((h) => !/^https?:/.test(h))).toEqual([]);
  expect(await page.evaluate(() => window.__xss)).toBeUndefined();
});

test('a file that is not UTF-8, or has no site, is said to be unshowable', async ({ page }) => {
  await withoutWebAssembly(page);
  // 东亭乡 in GBK.
  const gbk = Buffer.concat([Buffer.from('{"schema":"xxgk-catalogue/1","site":{"name":"'), Buffer.from([0xb6, 0xab, 0xcd, 0xa4, 0xcf, 0xe7]),
    Buffer.from('"},"categories":[{"id":"zn","name":"zn"}],"items":[{"id":"a","title":"'), Buffer.from([0xb6, 0xab, 0xcd, 0xa4]),
    Buffer.from('","published":"2016-01-01","category":"zn"}]}')]);
  await page.route(`${ORIGIN}/e2e/data/gbk.json`, (route) => route.fulfill({ contentType: 'application/json', body: gbk }));
  await page.route(`${ORIGIN}/e2e/data/nosite.json`, (route) => route.fulfill({
    contentType: 'application/json',
    body: JSON.stringify({ schema: 'xxgk-catalogue/1', categories: [{ id: 'zn', name: 'zn' }],
      items: [{ id: 'a', title: '一条', published: '2016-01-01', category: 'zn' }] }),
  }));
  await serve(page, '/e2e/fallback-bad.html', portal(
    '<div data-xxgk data-catalogue="/e2e/data/gbk.json"></div><div data-xxgk data-catalogue="/e2e/data/nosite.json"></div>' +
    '<script src="/xxgk/xxgk.js"></script>'));
  await page.goto('/e2e/fallback-bad.html');
  for (const n of [0, 1]) {
    await expect(plain(page, n).getByRole('alert')).toHaveText('公开目录暂时无法显示。');
    await expect(plain(page, n).getByRole('listitem')).toHaveCount(0);
  }
});

test('in the page\'s own DOM, under a portal\'s rules for every element, the plain view keeps its sizes, also in elderly mode', async ({ page }) => {
  await withoutWebAssembly(page);
  await serve(page, '/e2e/fallback-light.html', portal(
    `<div data-xxgk data-catalogue="${CATALOGUE}" data-isolation="none"></div>` +
    `<div data-xxgk data-catalogue="${CATALOGUE}" data-isolation="none" data-large-text></div><script src="/xxgk/xxgk.js"></script>`));
  await page.goto('/e2e/fallback-light.html');
  for (const [n, size] of [[0, 16], [1, 24]]) {
    const view = plain(page, n);
    await expect(view.getByRole('listitem')).toHaveCount(20);
    const sizes = await view.evaluate((v) => ({
      heading: parseFloat(getComputedStyle(v.querySelector('h2')).fontSize),
      title: parseFloat(getComputedStyle(v.querySelector('li > a, summary')).fontSize),
      meta: v.querySelector('.xxgk-plain__meta').getBoundingClientRect().width,
    }));
    expect(sizes.heading).toBeCloseTo(size * 1.4, 1);
    expect(sizes.title).toBe(size);
    // hostile.css makes every span 10 px wide.
    expect(sizes.meta).toBeGreaterThan(200);
  }
});

test('the loader twice on a page without WebAssembly: one plain view each, trusting what each tag names', async ({ page }) => {
  await withoutWebAssembly(page);
  await serve(page, '/e2e/fallback-twice.html', portal(
    `<script src="/xxgk/xxgk.js" data-catalogue="${CATALOGUE}" data-feedback="http://127.0.0.1:8093/"></script>` +
    `<script src="/xxgk/xxgk.js" data-catalogue="${BUNDLE}"></script>`));
  await page.goto('/e2e/fallback-twice.html');
  await expect(plain(page, 0).getByRole('listitem')).toHaveCount(20);
  await expect(plain(page, 1).getByRole('listitem')).toHaveCount(20);
  await expect(plain(page, 0).getByRole('link', { name: 'http://127.0.0.1:8093/' })).toBeVisible();
  const fetched = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname));
  expect(fetched.filter((p) => p === '/xxgk/xxgk-plain.js')).toHaveLength(1);
});

test('a Content-Security-Policy that refuses WebAssembly gets the plain view', async ({ page }) => {
  await serve(page, '/e2e/fallback-csp.html',
    portal(`<script src="/xxgk/xxgk.js" data-catalogue="${CATALOGUE}"></script>`),
    { 'Content-Security-Policy': "script-src 'self'" });
  await page.goto('/e2e/fallback-csp.html');
  const view = plain(page);
  await expect(view.getByRole('listitem')).toHaveCount(20);
  await expect(view.getByRole('listitem').first()).toContainText(NEWEST);
  await expect(view.getByRole('link', { name: '完整目录（JSON）' })).toHaveAttribute('href', `${ORIGIN}${CATALOGUE}`);
  await expect(page.locator('[data-xxgk] .xxgk__layout')).toHaveCount(0);
  // The browser has WebAssembly: the note does not ask for a newer one.
  await expect(view).toContainText('公开目录暂时只能以简易方式显示');
  await expect(view).not.toContainText('较新版本');
});

test.describe(() => {
test.use({ expectedConsole: [[NO_MODULE, BLOCKED], { scope: 'test' }] });

test('a module that cannot start leaves the hosts of the other module to it, and draws nothing twice', async ({ page }) => {
  await page.route('**/xxgk/xxgk_bg.wasm', (route) => route.abort());
  await serve(page, '/e2e/fallback-mixed.html', portal(
    `<div data-xxgk data-catalogue="${CATALOGUE}" data-id="p"></div>` +
    `<div data-xxgk data-catalogue="${BUNDLE}" data-id="b"></div><script src="/xxgk/xxgk.js"></script>`));
  await page.goto('/e2e/fallback-mixed.html');
  await expect(plain(page, 0).getByRole('listitem').first()).toContainText(NEWEST);
  // The bundle's module mounts its own host.
  const bundle = page.locator('[data-xxgk]').nth(1);
  await expect(bundle.locator('.xxgk__layout .xxgk-list__item').first()).toBeVisible();
  await expect(bundle.locator('.xxgk-plain')).toHaveCount(0);
  // A host added later gets the plain view once, however often mount() is called.
  await page.evaluate(async () => {
    const host = document.createElement('div');
    host.setAttribute('data-xxgk', '');
    host.setAttribute('data-catalogue', '/examples/dongting/catalogue.json');
    document.body.appendChild(host);
    await window.xxgk.mount();
    await window.xxgk.mount();
  });
  await expect(plain(page, 2).getByRole('listitem')).toHaveCount(20);
  await expect(page.locator('.xxgk-plain')).toHaveCount(2);
});

test('a bundle whose module cannot start, with no first page drawn, gets the plain view', async ({ page }) => {
  await page.route('**/xxgk/xxgk-bundle_bg.wasm', (route) => route.abort());
  // data-category: the first page is not drawn.
  await serve(page, '/e2e/fallback-bundle-failed.html', portal(
    `<script src="/xxgk/xxgk.js" data-catalogue="${BUNDLE}" data-category="zn"></script>`));
  await page.goto('/e2e/fallback-bundle-failed.html');
  await expect(plain(page).getByRole('listitem').first()).toContainText(NEWEST);
  await expect(page.locator('[data-xxgk] [data-xxgk-drawn]')).toHaveCount(0);
});

});

test('an engine without fetch, Promise, TextDecoder or shadow roots gets the plain view, from a loader in <head>', async ({ page }) => {
  await page.addInitScript(() => {
    for (const name of ['WebAssembly', 'fetch', 'Promise', 'TextDecoder']) delete window[name];
    delete Element.prototype.attachShadow;
  });
  await serve(page, '/e2e/fallback-old.html', portal(`<div data-xxgk data-catalogue="${CATALOGUE}"></div>`)
    .replace('</head>', '<script src="/xxgk/xxgk.js"></script></head>'));
  await page.goto('/e2e/fallback-old.html');
  const view = page.locator('[data-xxgk] > .xxgk-plain');
  await expect(view.getByRole('listitem')).toHaveCount(20);
  await expect(view.getByRole('listitem').first()).toContainText(NEWEST);
});

test('without WebAssembly, hosts added later get the plain view once', async ({ page }) => {
  await withoutWebAssembly(page);
  await serve(page, '/e2e/fallback-later.html', portal(''));
  await page.goto('/e2e/fallback-later.html');
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.src = '/xxgk/xxgk.js';
    return new Promise((done) => {
      script.onload = done;
      document.head.appendChild(script);
    });
  });
  await page.evaluate(() => {
    const host = document.createElement('div');
    host.setAttribute('data-xxgk', '');
    host.setAttribute('data-catalogue', '/examples/dongting/catalogue.json');
    document.body.appendChild(host);
    window.xxgk.mount();
    window.xxgk.mount();
  });
  await expect(plain(page).getByRole('listitem')).toHaveCount(20);
  await expect(page.locator('.xxgk-plain')).toHaveCount(1);
});

for (const [name, setup, lang, words] of [
  ['data-lang="en"', { attribute: 'en' }, 'en',
    { heading: 'Government Information Disclosure', file: 'The whole catalogue (JSON)', note: 'Please use a newer browser' }],
  ['data-lang="zh-Hant"', { attribute: 'zh-Hant' }, 'zh-Hant',
    { heading: '政府資訊公開目錄', file: '完整目錄（JSON）', note: '請使用較新版本的瀏覽器' }],
  ['the page\'s lang zh-TW', { page: 'zh-TW' }, 'zh-Hant',
    { heading: '政府資訊公開目錄', file: '完整目錄（JSON）', note: '請使用較新版本的瀏覽器' }],
  ['the choice kept on the device over data-lang', { attribute: 'zh-CN', stored: 'en' }, 'en',
    { heading: 'Government Information Disclosure', file: 'The whole catalogue (JSON)', note: 'Please use a newer browser' }],
  ['data-lang="zh-CN"', { attribute: 'zh-CN', page: 'en' }, 'zh-CN',
    { heading: '政府信息公开目录', file: '完整目录（JSON）', note: '请使用较新版本的浏览器' }],
]) {
  test(`the plain view speaks the widget's language: ${name}`, async ({ page }) => {
    await withoutWebAssembly(page);
    if (setup.stored) await page.addInitScript((l) => localStorage.setItem('xxgk-lang', l), setup.stored);
    const attribute = setup.attribute ? ` data-lang="${setup.attribute}"` : '';
    await serve(page, '/e2e/fallback-lang.html', portal(
      `<script src="/xxgk/xxgk.js" data-catalogue="${CATALOGUE}" data-feedback="/"${attribute}></script>`, setup.page));
    await page.goto('/e2e/fallback-lang.html');
    const view = plain(page);
    await expect(view).toHaveAttribute('lang', lang);
    await expect(view.getByRole('heading', { name: words.heading })).toBeVisible();
    await expect(view).toContainText(words.note);
    await expect(view.getByRole('link', { name: words.file })).toBeVisible();
    await expect(view.getByRole('listitem')).toHaveCount(20);
    // An entry opened shows the names of its metadata too.
    await view.getByRole('listitem').first().locator('summary').click();
    expect(strays(await shownText(view, dongtingTexts()), lang)).toEqual([]);
  });
}

for (const lang of ['zh-CN', 'zh-Hant', 'en']) {
  for (const large of [false, true]) {
    test(`${lang}${large ? ', elderly mode' : ''}: the plain view, an entry opened, passes axe-core`, async ({ page }) => {
      await withoutWebAssembly(page);
      const extra = `data-lang="${lang}"${large ? ' data-large-text' : ''}`;
      await serve(page, '/e2e/fallback-axe.html',
        portal(`<script src="/xxgk/xxgk.js" data-catalogue="${CATALOGUE}" data-feedback="/" ${extra}></script>`));
      await page.goto('/e2e/fallback-axe.html');
      await expect(plain(page).getByRole('listitem')).toHaveCount(20);
      await plain(page).getByRole('listitem').first().locator('summary').click();
      const found = await axe(page, 'plain view');
      expect(found, found.join('\n')).toEqual([]);
    });
  }
}
