// Browsing the Dongting catalogue: categories, filters, pages, an entry,
// deep links and the Back button.
import { test, expect, widget, ready, hashParams } from './fixtures.mjs';

const REPORT_ID = '11341822003207567E/201703-00009';

test.beforeEach(async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
});

test('the demo portal page shows the widget in a side column and a wide column', async ({ page }) => {
  await page.goto('/');
  await ready(page, 0);
  await ready(page, 1);
  await expect(widget(page, 0).locator('.xxgk-list__item')).toHaveCount(5);
  await expect(widget(page, 1).locator('.xxgk-list__item')).toHaveCount(10);
  // Narrow: category menu instead of the tree. Wide: the tree.
  await expect(widget(page, 0).locator('.xxgk-tree')).toBeHidden();
  await expect(widget(page, 1).locator('.xxgk-tree')).toBeVisible();
});

test('a category shows its entries and its sub-categories\' entries, with matching counts', async ({ page }) => {
  await page.goto('/e2e/two.html');
  const wide = widget(page, 1);
  await ready(page, 1);
  const fiscal = wide.locator('.xxgk-tree__link', { hasText: '财政预决算' });
  const count = await fiscal.locator('.xxgk-tree__count').textContent();
  await expect(wide.locator('.xxgk-list__count')).toHaveText(`共 ${count} 条`);
  await wide.locator('.xxgk-tree__link', { hasText: '三公经费' }).click();
  await expect(wide.locator('.xxgk-list__count')).toHaveText('共 5 条');
  for (const title of await wide.locator('.xxgk-list__title').allTextContents()) {
    expect(title).toMatch(/三公/);
  }
});

test('pages turn forward and back and the hash records the page', async ({ page }) => {
  await page.goto('/e2e/two.html');
  const side = widget(page, 0);
  await ready(page, 0);
  const first = await side.locator('.xxgk-list__title').first().textContent();
  await side.locator('.xxgk-pages__link--next').click();
  await expect(side.locator('.xxgk-pages__status')).toHaveText('第 2 页，共 24 页');
  await expect(side.locator('.xxgk-list__title').first()).not.toHaveText(first);
  expect((await hashParams(page, 'side'))['side.p']).toBe('2');
  // Keyboard focus moves to the top of the new page.
  await expect(side.locator('.xxgk-list__count')).toBeFocused();
  await side.locator('.xxgk-pages__link--previous').click();
  await expect(side.locator('.xxgk-list__title').first()).toHaveText(first);
});

test('filters by year, level, validity and genre narrow the list and can be cleared', async ({ page }) => {
  await page.goto('/e2e/two.html#xxgk.p=1');
  const wide = widget(page, 1);
  await ready(page, 1);
  await wide.locator('.xxgk-filters__summary').click();
  await wide.locator('select[data-filter="year"]').selectOption('2016');
  await expect(wide.locator('.xxgk-list__count')).toHaveText('共 45 条');
  for (const meta of await wide.locator('.xxgk-list__meta').allTextContents()) expect(meta).toMatch(/^2016-/);
  expect((await hashParams(page, 'xxgk'))['xxgk.y']).toBe('2016');
  await expect(wide.locator('.xxgk-filters__summary')).toContainText('已选 1 项');

  await wide.locator('select[data-filter="scope"]').selectOption('village');
  // (From a bundle, the list comes a moment later.)
  await expect(wide.locator('.xxgk-list__count')).not.toHaveAttribute('aria-busy', 'true');
  await expect(wide.locator('.xxgk-list__item .xxgk-tag').first()).toBeVisible();
  const villageRows = await wide.locator('.xxgk-list__item').count();
  await expect(wide.locator('.xxgk-list__item .xxgk-tag')).toHaveCount(villageRows);

  await wide.locator('.xxgk-filters__clear').click();
  await expect(wide.locator('.xxgk-list__count')).toHaveText('共 119 条');
  await expect(wide.locator('select[data-filter="year"]')).toHaveValue('');

  // The panel stays open for the next choice.
  await wide.locator('select[data-filter="validity"]').selectOption('expired');
  await expect(wide.locator('.xxgk-list__count')).toHaveText('共 15 条');
  await expect(wide.locator('.xxgk-list__item .xxgk-badge')).toHaveCount(10);
  await expect(wide.locator('.xxgk-list__item .xxgk-badge').first()).toHaveText('失效');
});

test('a filter menu keeps keyboard focus after a choice and follows Back', async ({ page }) => {
  await page.goto('/e2e/two.html#xxgk.p=1');
  const wide = widget(page, 1);
  await ready(page, 1);
  await wide.locator('.xxgk-filters__summary').click();
  const year = wide.locator('select[data-filter="year"]');
  await year.focus();
  await year.selectOption('2015');
  await expect(wide.locator('.xxgk-list__count')).toHaveText('共 32 条');
  await expect(year).toBeFocused();
  await page.goBack();
  await expect(wide.locator('.xxgk-list__count')).toHaveText('共 119 条');
  await expect(year).toHaveValue('');
});

test('oldest first reverses the order', async ({ page }) => {
  await page.goto('/e2e/two.html#xxgk.p=1');
  const wide = widget(page, 1);
  await ready(page, 1);
  await wide.locator('.xxgk-filters__summary').click();
  await wide.locator('select[data-filter="order"]').selectOption('old');
  await expect(wide.locator('.xxgk-list__meta').first()).toContainText('2014-01-20');
});

test('an entry opens with its full standard metadata, text, attachments and original', async ({ page }) => {
  await page.goto('/e2e/two.html#xxgk.p=1');
  const wide = widget(page, 1);
  await ready(page, 1);
  await wide.locator('.xxgk-tree__link', { hasText: '三公经费' }).click();
  await wide.locator('.xxgk-list__title').first().click();
  const detail = wide.locator('.xxgk-detail');
  await expect(detail.locator('.xxgk-detail__title')).toBeFocused();
  for (const label of ['索引号', '发布机构', '文号', '成文日期', '发布日期', '主题分类', '有效性', '公开方式']) {
    await expect(detail.locator('.xxgk-meta dt', { hasText: label })).toHaveCount(1);
  }
  const id = (await hashParams(page, 'xxgk'))['xxgk.i'];
  await expect(detail.locator('.xxgk-meta__row', { hasText: '索引号' }).locator('dd')).toHaveText(id);
  await expect(detail.locator('.xxgk-detail__body')).not.toBeEmpty();
  await expect(detail.locator('.xxgk-meta .xxgk-badge')).toHaveText(/有效|失效|废止/);
});

test('attachments resolve beside the catalogue and the original opens safely in a new window', async ({ page, catalogueMode }) => {
  await page.goto('/e2e/two.html#xxgk.p=1');
  const wide = widget(page, 1);
  await ready(page, 1);
  const id = await page.evaluate(async () => {
    const c = await (await fetch('/examples/dongting/catalogue.json')).json();
    return c.items.find((i) => i.attachments && i.link).id;
  });
  await page.goto(`/e2e/two.html#xxgk.i=${encodeURIComponent(id)}&xxgk.p=1`);
  const detail = widget(page, 1).locator('.xxgk-detail');
  const file = detail.locator('.xxgk-detail__file').first();
  // Beside the catalogue file, or beside a bundle's manifest (docs/bundle.md).
  const folder = catalogueMode === 'bundle' ? '/bundles/dongting/' : '/examples/dongting/';
  await expect(file).toHaveAttribute('href', new RegExp(`^http://127\\.0\\.0\\.1:8091${folder}`));
  const original = detail.locator('a[target="_blank"]');
  await expect(original).toHaveAttribute('rel', 'noopener noreferrer');
  await expect(original).toHaveAttribute('href', /^https?:\/\//);
});

test('a deep link opens the 2016 annual report and survives a reload', async ({ page }) => {
  await page.goto(`/e2e/two.html#xxgk.i=${encodeURIComponent(REPORT_ID)}&xxgk.p=1`);
  const wide = widget(page, 1);
  const title = wide.locator('.xxgk-detail__title');
  await expect(title).toContainText('2016年政府信息公開工作年度報告');
  await expect(wide.locator('.xxgk-detail__body')).toContainText('處理回復率達100%');
  await expect(title).toBeFocused();
  await page.reload();
  await expect(title).toContainText('2016年政府信息公開工作年度報告');
  await expect(wide.locator('.xxgk-meta__row', { hasText: '索引号' }).locator('dd')).toHaveText(REPORT_ID);
});

test('Back returns from an entry to the list it was opened from', async ({ page }) => {
  await page.goto('/e2e/two.html#xxgk.p=1');
  const wide = widget(page, 1);
  await ready(page, 1);
  await wide.locator('.xxgk-tree__link', { hasText: '财政预决算' }).click();
  await wide.locator('.xxgk-pages__link--next').click();
  await expect(wide.locator('.xxgk-pages__status')).toHaveText('第 2 页，共 2 页');
  // (From a bundle, the page's entries come a moment after its number.)
  await expect(wide.locator('.xxgk-list__count')).not.toHaveAttribute('aria-busy', 'true');
  const title = await wide.locator('.xxgk-list__title').first().textContent();
  await wide.locator('.xxgk-list__title').first().click();
  await expect(wide.locator('.xxgk-detail__title')).toHaveText(title);
  await page.goBack();
  await expect(wide.locator('.xxgk-pages__status')).toHaveText('第 2 页，共 2 页');
  await expect(wide.locator('.xxgk-tree__link[aria-current="page"]')).toContainText('财政预决算');
  await expect(wide.locator('.xxgk-list__count')).toBeFocused();
  // And the in-page back link does the same.
  await wide.locator('.xxgk-list__title').first().click();
  await wide.locator('.xxgk-detail__back').click();
  await expect(wide.locator('.xxgk-pages__status')).toHaveText('第 2 页，共 2 页');
});

test('a link to an entry that is gone says so and offers the list', async ({ page }) => {
  await page.goto('/e2e/two.html#xxgk.i=NO-SUCH-ENTRY&xxgk.p=1');
  const wide = widget(page, 1);
  await expect(wide.locator('.xxgk-detail--missing')).toContainText('未找到这条信息');
  await wide.locator('.xxgk-detail__back').click();
  await expect(wide.locator('.xxgk-list__item').first()).toBeVisible();
});

test('large-text mode enlarges text and targets and can be turned off', async ({ page }) => {
  await page.goto('/e2e/two.html');
  const side = widget(page, 0);
  await ready(page, 0);
  const size = () => side.locator('.xxgk-list__title').first().evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
  const before = await size();
  await side.locator('.xxgk__mode').click();
  await expect(side.locator('.xxgk__mode')).toHaveAttribute('aria-pressed', 'true');
  expect(await size()).toBeGreaterThan(before * 1.2);
  const target = await side.locator('.xxgk-pages__link--next').evaluate((e) => e.getBoundingClientRect().height);
  expect(target).toBeGreaterThanOrEqual(60);
  await side.locator('.xxgk__mode').click();
  expect(await size()).toBe(before);
});

for (const width of [280, 1200]) {
  test(`a ${width} px column shows everything without sideways scrolling`, async ({ page }) => {
    await page.setViewportSize({ width: Math.max(width + 40, 360), height: 800 });
    await page.goto('/e2e/fixture.html?catalogue=/examples/dongting/catalogue.json');
    await page.evaluate((w) => { document.querySelector('[data-xxgk]').parentElement.style.width = `${w}px`; }, width);
    const host = widget(page);
    await ready(page);
    await host.locator('.xxgk-list__title').first().click();
    await expect(host.locator('.xxgk-meta')).toBeVisible();
    const overflow = await page.evaluate(() => {
      const host = document.querySelector('[data-xxgk]');
      const root = host.shadowRoot.querySelector('.xxgk');
      const limit = host.getBoundingClientRect().right + 0.5;
      return [...root.querySelectorAll('*')].filter((e) => e.getBoundingClientRect().right > limit).length;
    });
    expect(overflow).toBe(0);
  });
}
