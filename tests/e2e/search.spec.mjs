// Searching: results as you type, marks, the hash, Back, the empty state,
// and text from the catalogue shown as text.
import { test, expect, widget, ready, hashParams } from './fixtures.mjs';

const REPORT_TITLE = '廣德縣東亭鄉(xiāng)2016年政府信息公開工作年度報告';

test.beforeEach(async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
});

/** Waits until the widget's search engine answers (its note is gone). */
async function results(host) {
  await expect(host.locator('.xxgk-list__count')).toHaveText(/^找到 \d+ 条/);
}

/** Marks are shown, and each holds characters of what was searched, in
 * either script (a match may be split by a removed pinyin artefact). An
 * entry may match by its publisher or keywords only, without a mark. */
async function marksHold(host, chars) {
  const marks = await host.locator('mark.xxgk-mark').allTextContents();
  expect(marks.length).toBeGreaterThan(0);
  for (const text of marks) expect(text).toMatch(new RegExp(`^[${chars}]+$`));
}

test('in the demo, 政务公开 finds the traditional 2016 annual report', async ({ page }) => {
  await page.goto('/');
  const wide = widget(page, 1);
  await ready(page, 1);
  await wide.locator('.xxgk-search__input').fill('政务公开');
  await results(wide);
  const report = wide.locator('.xxgk-list__item', { hasText: REPORT_TITLE });
  await expect(report).toHaveCount(1);
  // The simplified query marks the traditional characters it matched.
  await expect(report.locator('.xxgk-list__snippet mark.xxgk-mark').first()).toHaveText('政務公開');
  await marksHold(wide, '政务務公开開');
  expect((await hashParams(page, 'xxgk'))['xxgk.q']).toBe('政务公开');
});

test('in the demo, 财政 lists the budget entries with what matched marked', async ({ page }) => {
  await page.goto('/');
  const wide = widget(page, 1);
  await ready(page, 1);
  await wide.locator('.xxgk-search__input').fill('财政');
  await results(wide);
  const count = Number((await wide.locator('.xxgk-list__count').textContent()).match(/\d+/)[0]);
  expect(count).toBeGreaterThan(10);
  // Title matches come first; the budget reports are among them.
  const titles = wide.locator('.xxgk-list__title');
  await expect(titles).toHaveCount(10);
  await expect(titles.first().locator('mark.xxgk-mark')).toHaveText('财政');
  await expect(titles.filter({ hasText: '财政预算公开' }).first()).toBeVisible();
  await marksHold(wide, '财財政');
});

test('each keystroke updates the results and the hash; Back returns to the previous search', async ({ page }) => {
  await page.goto('/e2e/two.html');
  const wide = widget(page, 1);
  await ready(page, 1);
  const input = wide.locator('.xxgk-search__input');
  await input.pressSequentially('预算', { delay: 50 });
  await results(wide);
  const both = await wide.locator('.xxgk-list__count').textContent();
  expect((await hashParams(page, 'xxgk'))['xxgk.q']).toBe('预算');
  // The category from the page's data-category still applies.
  await marksHold(wide, '预預算');
  for (const meta of await wide.locator('.xxgk-list__meta').allTextContents()) expect(meta).toMatch(/东亭乡财政所|东亭乡人民政府/);

  // A second search, started after the first one settled with Enter.
  await input.press('Enter');
  await input.fill('决算');
  await results(wide);
  await expect(wide.locator('.xxgk-list__title').first()).toContainText('决算');
  expect((await hashParams(page, 'xxgk'))['xxgk.q']).toBe('决算');

  await page.goBack();
  await expect(input).toHaveValue('预算');
  await expect(wide.locator('.xxgk-list__count')).toHaveText(both);
  expect((await hashParams(page, 'xxgk'))['xxgk.q']).toBe('预算');

  // Clearing the box shows the catalogue again.
  await input.fill('');
  await expect(wide.locator('.xxgk-list__count')).toHaveText(/^共 \d+ 条/);
  expect((await hashParams(page, 'xxgk'))['xxgk.q']).toBeUndefined();
});

test('a shared link with a query opens with the search done', async ({ page }) => {
  await page.goto('/e2e/two.html#xxgk.q=%E5%B9%B4%E5%BA%A6%E6%8A%A5%E5%91%8A');
  const wide = widget(page, 1);
  await ready(page, 1);
  await expect(wide.locator('.xxgk-search__input')).toHaveValue('年度报告');
  await results(wide);
  await expect(wide.locator('.xxgk-list__title mark').first()).toBeVisible();
});

test('no results: says so and offers to remove the filters or clear the search', async ({ page }) => {
  await page.goto('/e2e/two.html');
  const wide = widget(page, 1);
  await ready(page, 1);
  // Entries about 计划生育 exist, but not in the budget category the page opens.
  await wide.locator('.xxgk-search__input').fill('计划生育');
  await expect(wide.locator('.xxgk-empty')).toContainText('没有找到');
  await expect(wide.locator('.xxgk-list__count')).toHaveText('找到 0 条');
  await wide.locator('.xxgk-empty a', { hasText: '去掉' }).click();
  await results(wide);
  await marksHold(wide, '计計划劃生育');
  expect((await hashParams(page, 'xxgk'))['xxgk.q']).toBe('计划生育');

  await wide.locator('.xxgk-search__input').fill('没有这样的文件xyz');
  await expect(wide.locator('.xxgk-empty')).toContainText('没有找到');
  await wide.locator('.xxgk-empty a', { hasText: '清除搜索' }).click();
  await expect(wide.locator('.xxgk-list__count')).toHaveText(/^共 \d+ 条/);
  await expect(wide.locator('.xxgk-search__input')).toHaveValue('');
});

test('marked text stays text: markup in titles is shown, never run', async ({ page }) => {
  await page.goto('/e2e/fixture.html?catalogue=/fixtures/xss.json');
  const host = widget(page, 0);
  await ready(page, 0);
  await host.locator('.xxgk-search__input').fill('script');
  await results(host);
  const title = host.locator('.xxgk-list__title').first();
  await expect(title).toHaveText('<img src=x onerror="window.__xss=3">标题<script>window.__xss=33</script>');
  await expect(title.locator('mark.xxgk-mark')).toHaveText(['script', 'script']);
  // The title's only elements are the two marks.
  expect(await title.evaluate((a) => [...a.querySelectorAll('*')].map((e) => e.tagName))).toEqual(['MARK', 'MARK']);
  await host.locator('.xxgk-search__input').fill('粗体');
  await results(host);
  await expect(host.locator('.xxgk-list__snippet mark')).toHaveText('粗体');
  expect(await host.locator('.xxgk-list__snippet').evaluate((s) => s.querySelectorAll('b, a, script').length)).toBe(0);
  expect(await page.evaluate(() => window.__xss)).toBeUndefined();
});

test('while an input method composes, nothing is searched until the characters are chosen', async ({ page }) => {
  await page.goto('/e2e/two.html#xxgk.p=1');
  const wide = widget(page, 1);
  await ready(page, 1);
  const input = wide.locator('.xxgk-search__input');
  await input.focus();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Input.imeSetComposition', { text: 'caizh', selectionStart: 5, selectionEnd: 5 });
  await expect(input).toHaveValue('caizh');
  await page.waitForTimeout(300);
  expect((await hashParams(page, 'xxgk'))['xxgk.q']).toBeUndefined();
  await expect(wide.locator('.xxgk-list__count')).toHaveText(/^共 \d+ 条/);
  await cdp.send('Input.insertText', { text: '财政' });
  await expect(input).toHaveValue('财政');
  await results(wide);
  expect((await hashParams(page, 'xxgk'))['xxgk.q']).toBe('财政');
});

test.describe('on a portal whose security policy allows no workers', () => {
  test.use({ expectedConsole: [/Content Security Policy|worker-src/] });
  test('the catalogue works and a search says that search is unavailable', async ({ page }) => {
    await page.goto('/e2e/csp.html');
    const host = widget(page, 0);
    await ready(page, 0);
    await expect(host.locator('.xxgk-list__item')).toHaveCount(10);
    await host.locator('.xxgk-search__input').fill('财政');
    await expect(host.locator('.xxgk-list__count')).toHaveText('搜索暂时不可用，请稍后再试。');
    expect((await hashParams(page, 'xxgk'))['xxgk.q']).toBe('财政');
  });
});

test.describe("when the search engine's files cannot be fetched (offline, blocked)", () => {
  test.use({ expectedConsole: [/Failed to load resource/] });
  test('the catalogue works, a search says that search is unavailable, and nothing throws', async ({ page, catalogueMode }) => {
    // From a bundle, every view but the manifest's first page needs the
    // engine (docs/bundle.md); bundle.spec.mjs tests its failures.
    test.skip(catalogueMode === 'bundle', 'a bundle is browsed through the engine');
    await page.route('**/xxgk-search.js', (route) => route.abort('internetdisconnected'));
    await page.goto('/e2e/two.html');
    const host = widget(page, 1);
    await ready(page, 1);
    await expect(host.locator('.xxgk-list__item').first()).toBeVisible();
    await host.locator('.xxgk-search__input').fill('财政');
    await expect(host.locator('.xxgk-list__count')).toHaveText('搜索暂时不可用，请稍后再试。');
  });
});
