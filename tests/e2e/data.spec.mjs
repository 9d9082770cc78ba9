// What the widget does with bad, missing and hostile catalogue data.
import { test, expect, widget, ready, allHrefs } from './fixtures.mjs';

test('entries with errors are skipped and listed with their positions; the rest is shown', async ({ page }) => {
  await page.goto('/e2e/fixture.html?catalogue=/fixtures/bad.json');
  const host = widget(page);
  await ready(page);
  // 11 entries: 6 bad (2, 4, 5, 7, 8, 9), 5 shown.
  await expect(host.locator('.xxgk-list__count')).toHaveText('共 5 条');
  const notice = host.locator('.xxgk-skipped');
  await expect(notice.locator('.xxgk-skipped__summary')).toContainText('有 6 条信息因数据有误未能显示');
  await notice.locator('.xxgk-skipped__summary').click();
  // Said by the search engine's module once the note opens.
  await expect(notice.locator('li')).toHaveText([
    '第 2 条（索引号 T-002）：缺少名称（title）',
    '第 4 条（索引号 T-004）：发布日期（published）“2016-02-30”不是有效日期，应写成 2016-03-05',
    '第 5 条（索引号 T-005）：目录分类“nope”不存在',
    '第 7 条（索引号 T-001）：编号与第 1 条重复',
    '第 8 条（索引号 T-008）：原文链接（link）“javascript:alert(1)”不是 http(s) 或相对地址',
    '第 9 条（索引号 T-009）：名称（title）应为文字',
  ]);
});

test.describe('when the catalogue cannot be fetched', () => {
  // The browser itself logs the failed request.
  test.use({ expectedConsole: [/Failed to load resource/] });

  test('a missing catalogue shows a clear message and a retry button, and retry works', async ({ page }) => {
    let fail = true;
    await page.route((url) => url.pathname === '/fixtures/flaky.json', (route) =>
      fail ? route.fulfill({ status: 404, body: 'not found' }) : route.continue({ url: route.request().url().replace('flaky.json', 'bad.json') }));
    await page.goto('/e2e/fixture.html?catalogue=/fixtures/flaky.json');
    const host = widget(page);
    const failure = host.locator('.xxgk-failure');
    await expect(failure).toContainText('公开目录暂时无法显示');
    await expect(failure).toContainText('找不到目录文件 http://127.0.0.1:8091/fixtures/flaky.json（404）');
    fail = false;
    await failure.locator('button').click();
    await expect(host.locator('.xxgk-list__count')).toHaveText('共 5 条');
  });

  test('an unreachable catalogue says so instead of leaving a blank box', async ({ page }) => {
    await page.route((url) => url.pathname === '/fixtures/offline.json', (route) => route.abort('internetdisconnected'));
    await page.goto('/e2e/fixture.html?catalogue=/fixtures/offline.json');
    await expect(widget(page).locator('.xxgk-failure')).toContainText('无法连接到目录文件');
  });
});

test('a catalogue file named index.json (read as a bundle) says so and what to do', async ({ page }) => {
  await page.route((url) => url.pathname === '/fixtures/misnamed/index.json', (route) =>
    route.continue({ url: route.request().url().replace('misnamed/index.json', 'bad.json') }));
  await page.goto('/e2e/fixture.html?catalogue=/fixtures/misnamed/index.json');
  await expect(widget(page).locator('.xxgk-failure')).toContainText(
    'http://127.0.0.1:8091/fixtures/misnamed/index.json 是目录文件（xxgk-catalogue/1），不是发布包');
});

test('a file that is not JSON is named with the line and column of the problem', async ({ page }) => {
  await page.route((url) => url.pathname === '/fixtures/broken.json', (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body: '{\n  "schema": "xxgk-catalogue/1",\n  "site": {\n}' }));
  await page.goto('/e2e/fixture.html?catalogue=/fixtures/broken.json');
  await expect(widget(page).locator('.xxgk-failure')).toContainText('不是有效的 JSON：第 4 行第 2 列有误');
});

test('markup in catalogue text is shown as text and nothing in it runs', async ({ page }) => {
  await page.goto('/e2e/fixture.html?catalogue=/fixtures/xss.json');
  const host = widget(page);
  await ready(page);
  await expect(host.locator('.xxgk__site')).toContainText('<script>window.__xss=1</script>东亭乡');
  const title = host.locator('.xxgk-list__title').first();
  await expect(title).toHaveText('<img src=x onerror="window.__xss=3">标题<script>window.__xss=33</script>');
  await title.click();
  const detail = host.locator('.xxgk-detail');
  await expect(detail.locator('.xxgk-detail__body')).toContainText('<script>window.__xss=4</script>');
  await expect(detail.locator('.xxgk-detail__file')).toHaveText('<svg onload="window.__xss=6">附件.pdf');
  await expect(detail.locator('.xxgk-meta__row', { hasText: '文号' }).locator('dd')).toHaveText('"><script>window.__xss=9</script>');
  await detail.locator('.xxgk-detail__file').hover();
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => window.__xss)).toBeUndefined();
  // No element was made from catalogue text: the widget holds no script,
  // img, svg or iframe at all.
  const made = await page.evaluate(() =>
    document.querySelector('[data-xxgk]').shadowRoot.querySelectorAll('script, img, svg, iframe, object, embed').length);
  expect(made).toBe(0);
});

test('javascript:, data: and other schemes never reach an href', async ({ page }) => {
  await page.goto('/e2e/fixture.html?catalogue=/fixtures/xss.json');
  const host = widget(page);
  await ready(page);
  await host.locator('.xxgk-list__title').first().click();
  await expect(host.locator('.xxgk-detail')).toBeVisible();
  for (const href of await allHrefs(page)) {
    expect(href).toMatch(/^https?:\/\//);
  }
  // The entries with such links were skipped and reported.
  await host.locator('.xxgk-skipped__summary').click();
  await expect(host.locator('.xxgk-skipped li')).toHaveCount(4);
  await expect(host.locator('.xxgk-skipped li').nth(1)).toContainText('JaVaScRiPt:window.__xss=8');
});
