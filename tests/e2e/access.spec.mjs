// The widget for everyone: each view in each language it speaks, the
// language chosen and switched, elderly mode (长者模式) measured, printing,
// attachments that say what they are, axe-core's WCAG 2.1 AA checks, and
// the catalogue used with the keyboard alone. The page is
// site/e2e/access.html (its lang, data-lang and data-large-text from the
// query string), on the Dongting catalogue.
import { test, expect, widget, ready, axe, tabTo as tabToIn } from './fixtures.mjs';
import { shownText, strays } from './script.mjs';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const CATALOGUE = JSON.parse(readFileSync(fileURLToPath(new URL('../../examples/dongting/catalogue.json', import.meta.url)), 'utf8'));

/** Every string value of the catalogue: text shown as published. */
const PUBLISHED = (function strings(value) {
  if (typeof value === 'string') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
})(CATALOGUE);

const LANGS = ['zh-CN', 'zh-Hant', 'en'];
/** An entry with a spreadsheet (44,544 bytes) and one with a PDF (1,258,291 bytes). */
const XLS = '11341822003207567E/201702-00007';
const PDF = '11341822003207567E/201607-00047';
const FOUND = '低保';
const NOTHING = 'zqxjkw';

const WORDS = {
  'zh-CN': { heading: '政府信息公开目录', found: /^找到 \d+ 条$/, total: '共 119 条', mode: '长者模式', print: '打印', category: '分类', back: '返回列表' },
  'zh-Hant': { heading: '政府資訊公開目錄', found: /^找到 \d+ 筆$/, total: '共 119 筆', mode: '長者模式', print: '列印', category: '分類', back: '返回列表' },
  en: { heading: 'Government Information Disclosure', found: /^\d+ found$/, total: 'Entries: 119', mode: 'Larger text', print: 'Print', category: 'Category', back: 'Back to the list' },
};

const ABOUT = {
  'zh-CN': { xls: '（XLS，44 KB，手机上可能需要另装软件才能打开）', pdf: '（PDF，1.2 MB）' },
  en: { xls: ' (XLS, 44 KB, a phone may need an app to open it)', pdf: ' (PDF, 1.2 MB)' },
};

/** access.html with the given query (html, lang, large), its widget shown. */
async function open(page, query = {}, hash = '') {
  await page.goto(`/e2e/access.html?${new URLSearchParams(query)}${hash}`);
  await ready(page);
  return widget(page);
}

async function goTo(page, hash) {
  await page.evaluate((hash) => { location.hash = hash; }, hash);
}

async function openEntry(page, w, id) {
  await goTo(page, `xxgk.i=${encodeURIComponent(id)}`);
  await expect(w.locator('.xxgk-detail__title')).toHaveText(CATALOGUE.items.find((i) => i.id === id).title);
}

/** Types `text` into the search box and waits for its results or their absence. */
async function searchFor(w, text, some) {
  await w.locator('.xxgk-search__input').fill(text);
  if (some) {
    await expect(w.locator('.xxgk-list__item').first()).toBeVisible();
    await expect(w.locator('.xxgk-list__count')).not.toHaveAttribute('aria-busy', 'true');
  } else {
    await expect(w.locator('.xxgk-empty')).toBeVisible();
  }
}

/** Text with runs of white space as one space. */
const squeeze = (text) => text.replace(/\s+/g, ' ').trim();
/** The catalogue's text as one string, for finding pieces of it. */
const HAYSTACK = squeeze(PUBLISHED.join('\n'));
/** Catalogue text as an entry shows it: the full text line by line. */
const LINES = PUBLISHED.flatMap((s) => s.split('\n')).map((l) => l.trim()).filter(Boolean);

/**
 * Fails with the characters of the widget's text that are not `lang`'s,
 * catalogue text left out. In search results, titles and snippets are
 * cut around the marked words (and snippets are cut short): their pieces
 * that are part of the catalogue's text are catalogue text too, left out
 * before the rest.
 */
async function inScript(w, lang) {
  const pieces = await w.locator('.xxgk-list__title, .xxgk-list__snippet').evaluateAll((els) => {
    const out = [];
    for (const el of els) {
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      while (walker.nextNode()) out.push(walker.currentNode.data);
    }
    return out;
  });
  const cut = pieces.filter((p) => {
    const core = squeeze(p.replace(/^[\s…]+|[\s…]+$/g, ''));
    return core && HAYSTACK.includes(core);
  });
  let text = await shownText(w.locator('.xxgk'));
  for (const omit of [cut, [...PUBLISHED, ...LINES]]) {
    for (const o of [...omit].sort((a, b) => b.length - a.length)) text = text.split(o).join(' ');
  }
  expect(strays(text, lang), text).toEqual([]);
}

test.beforeEach(async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 900 });
});

// ---- 1. Every view in the interface's language and script ----

for (const lang of LANGS) {
  test(`${lang}: the list, an entry, a search with and without results and the filters say everything in ${lang}`, async ({ page }) => {
    const w = await open(page, { html: 'zh-CN', lang });
    await expect(w.locator('.xxgk')).toHaveAttribute('lang', lang);
    await expect(w.locator('.xxgk__heading')).toHaveText(WORDS[lang].heading);
    await expect(w.locator('.xxgk-list__count')).toHaveText(WORDS[lang].total);
    await inScript(w, lang);

    await openEntry(page, w, XLS);
    await expect(w.locator('.xxgk-detail__file')).toBeVisible();
    await inScript(w, lang);

    await goTo(page, '');
    await searchFor(w, FOUND, true);
    await expect(w.locator('.xxgk-list__count')).toHaveText(WORDS[lang].found);
    await inScript(w, lang);

    await searchFor(w, NOTHING, false);
    await inScript(w, lang);

    await w.locator('.xxgk-search__input').fill('');
    await expect(w.locator('.xxgk-list__count')).toHaveText(WORDS[lang].total);
    await w.locator('.xxgk-filters__summary').click();
    await expect(w.locator('select[data-filter="year"]')).toBeVisible();
    await inScript(w, lang);
  });
}

test('English dates read "5 Mar 2016" and Chinese ones 2016-03-05', async ({ page }) => {
  let w = await open(page, { html: 'zh-CN', lang: 'en' }, `#xxgk.i=${encodeURIComponent(XLS)}`);
  const item = CATALOGUE.items.find((i) => i.id === XLS);
  const [y, m, d] = item.published.split('-').map(Number);
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][m - 1];
  await expect(w.locator('.xxgk-meta__row', { hasText: 'Date published' }).locator('dd')).toHaveText(`${d} ${month} ${y}`);
  w = await open(page, { html: 'zh-CN', lang: 'zh-CN' }, `#xxgk.i=${encodeURIComponent(XLS)}`);
  await expect(w.locator('.xxgk-meta__row', { hasText: '发布日期' }).locator('dd')).toHaveText(item.published);
});

test('English counts read "Entries: N", which holds for one entry too', async ({ page }) => {
  const w = await open(page, { html: 'zh-CN', lang: 'en' });
  await expect(w.locator('.xxgk-list__count')).toHaveText(WORDS.en.total);
  await w.locator('.xxgk-filters__summary').click();
  // The one entry of the township's health centre.
  await w.locator('select[data-filter="publisher"]').selectOption({ label: '东亭乡卫生院' });
  await expect(w.locator('.xxgk-list__item')).toHaveCount(1);
  await expect(w.locator('.xxgk-list__count')).toHaveText('Entries: 1');
});

// ---- 2. The language chosen, and switched ----

test('a page in English without data-lang shows the widget in English', async ({ page }) => {
  const w = await open(page, { html: 'en' });
  await expect(page.locator('[data-xxgk]')).toHaveAttribute('data-xxgk-lang', 'en');
  await expect(w.locator('.xxgk')).toHaveAttribute('lang', 'en');
  await expect(w.locator('.xxgk__heading')).toHaveText(WORDS.en.heading);
});

test.describe(() => {
  test.use({ locale: 'zh-HK' });
  test('a browser in Hong Kong Chinese, on a page that names no language, gets 繁體', async ({ page }) => {
    const w = await open(page);
    expect(await page.evaluate(() => document.documentElement.hasAttribute('lang'))).toBe(false);
    await expect(page.locator('[data-xxgk]')).toHaveAttribute('data-xxgk-lang', 'zh-Hant');
    await expect(w.locator('.xxgk')).toHaveAttribute('lang', 'zh-Hant');
    await expect(w.locator('.xxgk__heading')).toHaveText(WORDS['zh-Hant'].heading);
    await inScript(w, 'zh-Hant');
  });
});

test('switching to English changes the words in place, keeps the search typed, and is remembered', async ({ page }) => {
  const w = await open(page, { html: 'zh-CN' });
  await expect(w.locator('.xxgk')).toHaveAttribute('lang', 'zh-CN');
  await searchFor(w, FOUND, true);
  const count = (await w.locator('.xxgk-list__count').textContent()).match(/\d+/)[0];
  const input = await w.locator('.xxgk-search__input').elementHandle();

  await w.getByRole('button', { name: 'English' }).click();
  await expect(w.locator('.xxgk')).toHaveAttribute('lang', 'en');
  await expect(page.locator('[data-xxgk]')).toHaveAttribute('data-xxgk-lang', 'en');
  await expect(w.getByRole('button', { name: 'English' })).toHaveAttribute('aria-pressed', 'true');
  await expect(w.getByRole('button', { name: '简体' })).toHaveAttribute('aria-pressed', 'false');
  await expect(w.locator('.xxgk__heading')).toHaveText(WORDS.en.heading);
  await expect(w.locator('.xxgk-list__count')).toHaveText(`${count} found`);
  await expect(w.locator('.xxgk__mode')).toHaveText(WORDS.en.mode);
  await expect(w.locator('.xxgk__print')).toHaveText(WORDS.en.print);
  await expect(w.locator('.xxgk-search__input')).toHaveValue(FOUND);
  // In place: the page was not reloaded.
  expect(await input.evaluate((e) => e.isConnected)).toBe(true);
  expect(await page.evaluate(() => localStorage.getItem('xxgk-lang'))).toBe('en');
  await inScript(w, 'en');

  await page.reload();
  await ready(page);
  await expect(w.locator('.xxgk')).toHaveAttribute('lang', 'en');
  await expect(w.locator('.xxgk__heading')).toHaveText(WORDS.en.heading);
  await expect(w.locator('.xxgk-search__input')).toHaveValue(FOUND);
  await expect(w.locator('.xxgk-list__count')).toHaveText(`${count} found`);
});

test('the visitor\'s choice wins over data-lang, and the host hears of a switch', async ({ page }) => {
  const w = await open(page, { html: 'zh-CN', lang: 'en' });
  await expect(w.locator('.xxgk')).toHaveAttribute('lang', 'en');
  await page.evaluate(() => {
    window.heard = 0;
    document.querySelector('[data-xxgk]').addEventListener('xxgk:lang', () => { window.heard += 1; });
  });
  await w.getByRole('button', { name: '繁體' }).click();
  await expect(w.locator('.xxgk__heading')).toHaveText(WORDS['zh-Hant'].heading);
  expect(await page.evaluate(() => window.heard)).toBe(1);
  await page.reload();
  await ready(page);
  await expect(w.locator('.xxgk')).toHaveAttribute('lang', 'zh-Hant');
});

test('switching the language keeps the open entry', async ({ page }) => {
  const w = await open(page, { html: 'zh-CN' }, `#xxgk.i=${encodeURIComponent(PDF)}`);
  const title = CATALOGUE.items.find((i) => i.id === PDF).title;
  await expect(w.locator('.xxgk-detail__title')).toHaveText(title);
  const hash = await page.evaluate(() => location.hash);
  await w.getByRole('button', { name: 'English' }).click();
  await expect(w.locator('.xxgk-detail__back')).toHaveText(WORDS.en.back);
  await expect(w.locator('.xxgk-detail__title')).toHaveText(title);
  await expect(w.locator('.xxgk-meta dt', { hasText: 'Index number' })).toHaveCount(1);
  expect(await page.evaluate(() => location.hash)).toBe(hash);
});

// ---- 3. Elderly mode, measured ----

/** The widget's visible a, button, select, input and summary smaller than 60×60 CSS px. */
function smallTargets(w) {
  return w.locator('.xxgk').evaluate((root) => {
    const small = [];
    for (const el of root.querySelectorAll('a, button, select, input, summary')) {
      if (el.getClientRects().length === 0 || getComputedStyle(el).visibility === 'hidden') continue;
      const box = el.getBoundingClientRect();
      if (box.width < 60 || box.height < 60) {
        small.push(`${el.localName}.${el.className} "${(el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 30)}" ${box.width.toFixed(1)}×${box.height.toFixed(1)}`);
      }
    }
    return small;
  });
}

/**
 * The widget's visible text whose contrast with what is behind it (its
 * nearest opaque background, with any translucent ones blended over it)
 * is below `min`:1, from computed colours.
 */
function lowContrast(w, min) {
  return w.locator('.xxgk').evaluate((root, min) => {
    const rgba = (c) => {
      const m = c.match(/rgba?\(([^)]*)\)/);
      if (!m) return null;
      const p = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
      return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
    };
    const over = (top, under) => [0, 1, 2].map((i) => top[i] * top[3] + under[i] * (1 - top[3])).concat(1);
    const luminance = (c) => {
      const [r, g, b] = c.slice(0, 3).map((v) => {
        v /= 255;
        return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const behind = (el) => {
      const layers = [];
      for (let e = el; e; e = e.parentElement || (e.getRootNode() instanceof ShadowRoot ? e.getRootNode().host : null)) {
        const bg = rgba(getComputedStyle(e).backgroundColor);
        if (bg && bg[3] > 0) {
          layers.push(bg);
          if (bg[3] >= 1) break;
        }
      }
      let colour = [255, 255, 255, 1];
      for (const layer of layers.reverse()) colour = over(layer, colour);
      return colour;
    };
    const low = [];
    for (const el of [root, ...root.querySelectorAll('*')]) {
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.data.trim());
      if (!own || el.getClientRects().length === 0 || el.closest('.xxgk-visually-hidden')) continue;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden') continue;
      const back = behind(el);
      const fore = over(rgba(style.color), back);
      const [a, b] = [luminance(fore), luminance(back)].sort((x, y) => y - x);
      const ratio = (a + 0.05) / (b + 0.05);
      if (ratio < min) low.push(`${el.localName}.${el.className} "${el.textContent.trim().slice(0, 20)}" ${style.color} on rgb(${back.slice(0, 3).map(Math.round)}) ${ratio.toFixed(2)}:1`);
    }
    return low;
  }, min);
}

test('elderly mode makes text 1.5× larger and is kept across a reload', async ({ page }) => {
  const w = await open(page, { html: 'zh-CN' });
  const mode = w.getByRole('button', { name: WORDS['zh-CN'].mode });
  const size = () => w.locator('.xxgk-list__title').first().evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
  await expect(mode).toHaveAttribute('aria-pressed', 'false');
  const off = await size();
  await mode.click();
  await expect(mode).toHaveAttribute('aria-pressed', 'true');
  await expect(w.locator('.xxgk')).toHaveClass(/(^| )xxgk--large( |$)/);
  const on = await size();
  expect(on / off, `title ${off}px → ${on}px`).toBeGreaterThanOrEqual(1.5);
  expect(await w.locator('.xxgk').evaluate((e) => getComputedStyle(e).fontSize)).toBe('24px');

  await page.reload();
  await ready(page);
  await expect(w.locator('.xxgk')).toHaveClass(/(^| )xxgk--large( |$)/);
  await expect(mode).toHaveAttribute('aria-pressed', 'true');
  expect(await size()).toBe(on);

  await mode.click();
  await expect(w.locator('.xxgk')).not.toHaveClass(/xxgk--large/);
  expect(await size()).toBe(off);
});

test('data-large-text starts the widget in elderly mode', async ({ page }) => {
  const w = await open(page, { html: 'zh-CN', large: 'true' });
  await expect(w.locator('.xxgk')).toHaveClass(/(^| )xxgk--large( |$)/);
  await expect(w.locator('.xxgk__mode')).toHaveAttribute('aria-pressed', 'true');
});

test('elderly mode shows one column: no category tree, a category menu among the filters', async ({ page }) => {
  const w = await open(page, { html: 'zh-CN' });
  const category = w.getByRole('combobox', { name: WORDS['zh-CN'].category, exact: true });
  await w.locator('.xxgk-filters__summary').click();
  // Wide, in the normal mode: the tree, and no menu.
  await expect(w.locator('.xxgk-tree')).toBeVisible();
  await expect(category).toBeHidden();
  await w.locator('.xxgk__mode').click();
  await expect(w.locator('.xxgk-tree')).toBeHidden();
  await expect(category).toBeVisible();
  const columns = await w.locator('.xxgk__layout').evaluate((e) => getComputedStyle(e).display);
  expect(columns).toBe('block');
  await category.selectOption({ index: 1 });
  await expect(w.locator('.xxgk-list__count')).not.toHaveText(WORDS['zh-CN'].total);
  await expect(w.locator('.xxgk-list__item').first()).toBeVisible();
});

test('in elderly mode every target in the list, the filters, a search and an entry is at least 60×60 px', async ({ page }) => {
  const w = await open(page, { html: 'zh-CN', large: 'true' });
  const small = [];
  await expect(w.locator('.xxgk-list__item').first()).toBeVisible();
  small.push(...await smallTargets(w));
  await w.locator('.xxgk-filters__summary').click();
  await expect(w.locator('select[data-filter="year"]')).toBeVisible();
  small.push(...await smallTargets(w));
  await searchFor(w, FOUND, true);
  small.push(...await smallTargets(w));
  await openEntry(page, w, XLS);
  small.push(...await smallTargets(w));
  expect([...new Set(small)]).toEqual([]);
});

test('in elderly mode all text has a contrast of at least 7:1', async ({ page }) => {
  const w = await open(page, { html: 'zh-CN', large: 'true' });
  const low = [];
  await w.locator('.xxgk-filters__summary').click();
  await expect(w.locator('select[data-filter="year"]')).toBeVisible();
  low.push(...await lowContrast(w, 7));
  await searchFor(w, FOUND, true);
  low.push(...await lowContrast(w, 7));
  await openEntry(page, w, PDF);
  low.push(...await lowContrast(w, 7));
  expect([...new Set(low)]).toEqual([]);
});

// A 320 px phone; and a 1280 px window zoomed to 200%, which lays the page
// out in 640 CSS px at two device pixels each.
for (const [name, width, scale] of [['a 320 px wide phone', 320, 1], ['a 1280 px window at 200% zoom', 640, 2]]) {
test.describe(() => {
test.use({ deviceScaleFactor: scale });
test(`in elderly mode ${name} needs no sideways scrolling`, async ({ page }) => {
  await page.setViewportSize({ width, height: 640 });
  expect(await page.evaluate(() => devicePixelRatio)).toBe(scale);
  const w = await open(page, { html: 'zh-CN', large: 'true' });
  const overflow = () => page.evaluate(() => {
    const e = document.scrollingElement;
    return { scroll: e.scrollWidth, client: e.clientWidth };
  });
  const fits = async (what) => {
    const { scroll, client } = await overflow();
    expect(scroll, `${what}: ${scroll} px wide in ${client} px`).toBeLessThanOrEqual(client);
  };
  await fits('list');
  await w.locator('.xxgk-filters__summary').click();
  await expect(w.locator('select[data-filter="year"]')).toBeVisible();
  await fits('filters');
  await searchFor(w, FOUND, true);
  await fits('search results');
  await openEntry(page, w, PDF);
  await fits('entry');
  await w.getByRole('button', { name: 'English' }).click();
  await expect(w.locator('.xxgk-detail__back')).toHaveText(WORDS.en.back);
  await fits('entry in English');
});
});
}

// ---- 4. Print ----

test('printed, an entry leaves out the controls, shows its metadata and writes out attachment addresses', async ({ page }) => {
  const w = await open(page, { html: 'zh-CN' }, `#xxgk.i=${encodeURIComponent(PDF)}`);
  const chrome = ['.xxgk__settings', '.xxgk-search', '.xxgk-tree', '.xxgk-detail__back', '.xxgk-feedback'];
  await expect(w.locator('.xxgk-detail__title')).toBeVisible();
  for (const part of chrome) await expect(w.locator(part).first(), `${part} on screen`).toBeVisible();
  await page.emulateMedia({ media: 'print' });
  for (const part of chrome) await expect(w.locator(part).first(), `${part} in print`).toBeHidden();
  await expect(w.locator('.xxgk-meta')).toBeVisible();
  await expect(w.locator('.xxgk-detail__title')).toBeVisible();
  const file = w.locator('.xxgk-detail__file');
  const href = await file.evaluate((a) => a.href);
  const after = await file.evaluate((a) => getComputedStyle(a, '::after').content);
  expect(after).toContain(href);
  await page.emulateMedia({ media: 'screen' });
  expect(await file.evaluate((a) => getComputedStyle(a, '::after').content)).not.toContain(href);
});

test('printed, the list is a table, without the tree, the filters and the page links', async ({ page }) => {
  const w = await open(page, { html: 'zh-CN' });
  const chrome = ['.xxgk__settings', '.xxgk-search', '.xxgk-tree', '.xxgk-filters', '.xxgk-pages'];
  for (const part of chrome) await expect(w.locator(part).first(), `${part} on screen`).toBeVisible();
  const display = () => w.locator('.xxgk-list').evaluate((e) => getComputedStyle(e).display);
  expect(await display()).not.toBe('table');
  await page.emulateMedia({ media: 'print' });
  for (const part of chrome) await expect(w.locator(part).first(), `${part} in print`).toBeHidden();
  expect(await display()).toBe('table');
  expect(await w.locator('.xxgk-list__item').first().evaluate((e) => getComputedStyle(e).display)).toBe('table-row');
});

test('the print button marks the widget for printing, adds the page\'s address and prints', async ({ page }) => {
  await page.addInitScript(() => {
    window.printed = 0;
    window.print = () => { window.printed += 1; };
  });
  const w = await open(page, { html: 'zh-CN' }, `#xxgk.i=${encodeURIComponent(PDF)}`);
  await expect(w.locator('.xxgk-detail__title')).toBeVisible();
  await w.getByRole('button', { name: WORDS['zh-CN'].print }).click();
  expect(await page.evaluate(() => window.printed)).toBe(1);
  await expect(page.locator('[data-xxgk]')).toHaveAttribute('data-xxgk-printing', '');
  const href = await page.evaluate(() => location.href);
  await expect(w.locator('.xxgk__address')).toHaveText(`本页地址：${href}`);
  await page.emulateMedia({ media: 'print' });
  await expect(w.locator('.xxgk__address')).toBeVisible();
  await page.emulateMedia({ media: 'screen' });
  await page.evaluate(() => dispatchEvent(new Event('afterprint')));
  await expect(page.locator('[data-xxgk]')).not.toHaveAttribute('data-xxgk-printing');
  await expect(w.locator('.xxgk__address')).toHaveCount(0);
});

test('printing leaves the rest of the page out, then gives the page back as it was', async ({ page }) => {
  await page.addInitScript(() => {
    window.print = () => {};
  });
  const w = await open(page, { html: 'zh-CN' }, `#xxgk.i=${encodeURIComponent(PDF)}`);
  await page.evaluate(() => {
    const before = document.createElement('p');
    before.id = 'portal-news';
    before.style.height = '1500px';
    before.textContent = '本站新闻';
    document.querySelector('main').prepend(before);
  });
  await expect(w.locator('.xxgk-detail__title')).toBeVisible();
  const print = w.getByRole('button', { name: WORDS['zh-CN'].print });
  // Twice, as where the browser never says that printing ended.
  await print.click();
  await print.click();
  await expect(w.locator('.xxgk__address')).toHaveCount(1);
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('#portal-news')).toBeHidden();
  // Nothing left out of the printout takes its place on the sheet.
  expect((await page.locator('[data-xxgk]').boundingBox()).y).toBeLessThan(50);
  await page.evaluate(() => dispatchEvent(new Event('afterprint')));
  // The portal's own printing afterwards prints the portal.
  await expect(page.locator('#portal-news')).toBeVisible();
  expect(await page.locator('[data-xxgk-hidden]').count()).toBe(0);
  expect(await page.evaluate(() => [...document.querySelectorAll('head style')].some((s) => s.textContent.includes('@page')))).toBe(false);
});

test('switching the language with the keyboard keeps focus on the language chosen', async ({ page }) => {
  const w = await open(page, { html: 'zh-CN' }, `#xxgk.i=${encodeURIComponent(PDF)}`);
  await expect(w.locator('.xxgk-detail__title')).toBeVisible();
  const english = w.getByRole('button', { name: 'English' });
  await english.focus();
  await page.keyboard.press('Enter');
  await expect(w.locator('.xxgk-detail__back')).toHaveText(WORDS.en.back);
  await expect(english).toBeFocused();
  await expect(w.locator('.xxgk__mode')).toHaveText(WORDS.en.mode);
});

test('a language the page content wrote on the host is chosen again, and odd values change nothing', async ({ page }) => {
  for (const preset of ['__proto__', 'constructor', 'en']) {
    const w = await open(page, { html: 'zh-CN', preset });
    await expect(w.locator('.xxgk__heading')).toHaveText(WORDS['zh-CN'].heading);
    await expect(w.getByRole('button', { name: WORDS['zh-CN'].mode })).toBeVisible();
  }
});

// ---- 5. Attachments ----

for (const lang of ['zh-CN', 'en']) {
  test(`${lang}: an attachment says its type and size, and that a phone may need an app for a spreadsheet`, async ({ page }) => {
    const w = await open(page, { html: 'zh-CN', lang });
    for (const [id, kind] of [[XLS, 'xls'], [PDF, 'pdf']]) {
      await openEntry(page, w, id);
      const file = CATALOGUE.items.find((i) => i.id === id).attachments[0];
      const item = w.locator('.xxgk-detail__file').locator('xpath=..');
      await expect(item).toHaveText(file.name + ABOUT[lang][kind]);
    }
  });
}

// ---- 6. axe-core: WCAG 2.1 A and AA ----

for (const lang of LANGS) {
  for (const large of [false, true]) {
    test(`${lang}${large ? ', elderly mode' : ''}: axe finds no WCAG 2.1 AA violation in the list, the filters, an entry, a search and an empty search`, async ({ page }) => {
      const w = await open(page, { html: 'zh-CN', lang, ...(large ? { large: 'true' } : {}) });
      const found = [];
      found.push(...await axe(page, 'list'));
      await w.locator('.xxgk-filters__summary').click();
      await expect(w.locator('select[data-filter="year"]')).toBeVisible();
      found.push(...await axe(page, 'filters'));
      await openEntry(page, w, XLS);
      found.push(...await axe(page, 'entry'));
      await goTo(page, '');
      await searchFor(w, FOUND, true);
      found.push(...await axe(page, 'search'));
      await searchFor(w, NOTHING, false);
      found.push(...await axe(page, 'no result'));
      expect(found, found.join('\n')).toEqual([]);
    });
  }
}

// ---- 7. The keyboard alone ----

test('with the keyboard alone: search, open a result, and go back to the list', async ({ page }) => {
  await open(page, { html: 'zh-CN' });
  const tabTo = (want, key) => tabToIn(page, want, key);
  await tabTo('xxgk-search__input');
  await page.keyboard.type(FOUND);
  const w = widget(page);
  await expect(w.locator('.xxgk-list__item').first()).toBeVisible();
  await expect(w.locator('.xxgk-list__count')).toHaveText(WORDS['zh-CN'].found);
  await tabTo('xxgk-list__title');
  const title = await page.evaluate(() => document.querySelector('[data-xxgk]').shadowRoot.activeElement.textContent);
  await page.keyboard.press('Enter');
  await expect(w.locator('.xxgk-detail__title')).toHaveText(title);
  await expect(w.locator('.xxgk-detail__title')).toBeFocused();
  await tabTo('xxgk-detail__back', 'Shift+Tab');
  await page.keyboard.press('Enter');
  await expect(w.locator('.xxgk-list__count')).toHaveText(WORDS['zh-CN'].found);
  await expect(w.locator('.xxgk-search__input')).toHaveValue(FOUND);
  await expect(w.locator('.xxgk-list__title', { hasText: title })).toBeVisible();
});
