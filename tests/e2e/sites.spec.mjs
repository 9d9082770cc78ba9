// A receiver serving several sites (a county and its townships): the
// widget names its site with data-site, the receiver files what the
// citizen sends under that site and refuses a site it does not have or
// one that does not list the page, and the public list and figures the
// widget shows are the site's.
//
// The portal's pages are the test server's under another name
// (localhost), embedding the widget from the receiver (127.0.0.1), so
// that the browser sends their submissions as another origin's, as a
// township's portal would. Each test adds sites of its own, with codes
// no other test uses; a site lists the portal's origin, which no other
// test's page sends from.
import { test, expect, widget, ready } from './fixtures.mjs';
import { DB, PORT } from './playwright.config.mjs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SERVER = fileURLToPath(new URL('../../target/native/xxgk-server', import.meta.url));
const RECEIVER = `http://127.0.0.1:${PORT}`;
const PORTAL = `http://localhost:${PORT}`;
const CODE = /^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{12}$/;

/** Runs a staff command on the test server's database. */
function staff(...args) {
  return execFileSync(SERVER, [...args, '--db', DB], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A site code no other test uses. */
const uniqueCode = (prefix) => `${prefix}-${Math.random().toString(36).slice(2, 8)}`;

/**
 * Adds a site whose pages come from `origin`, and resolves once the
 * receiver serves it (it reads the sites again at most once a second).
 * The test server's database has no staff accounts (the feedback tests
 * run their staff commands without --as), so the operator adds it.
 */
async function addSite(code, name, origin) {
  staff('site', 'add', code, '--name', name, '--allow-origin', origin);
  await expect.poll(async () => (await fetch(`${RECEIVER}/api/replies?site=${code}`)).status).toBe(200);
}

/** The site's figures for this year, as the receiver publishes them. */
async function received(code) {
  const body = await (await fetch(`${RECEIVER}/api/replies?site=${code}`)).json();
  return body.stats.years[0]?.messages.received ?? 0;
}

/**
 * The requests the page sends to the receiver's `path`, each as its
 * method, address and the sites its query names, and the answers to the
 * POSTs among them.
 */
function watch(page, path) {
  const seen = { requests: [], responses: [] };
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.pathname !== path) return;
    seen.requests.push({ method: r.method(), at: `${url.origin}${url.pathname}`, site: url.searchParams.getAll('site') });
  });
  page.on('response', async (r) => {
    if (new URL(r.url()).pathname === path && r.request().method() === 'POST') {
      seen.responses.push({ status: r.status(), body: await r.json().catch(() => null) });
    }
  });
  return seen;
}

/** Opens the portal's page naming `site` and its form. */
async function openForm(page, site) {
  await page.goto(`${PORTAL}/e2e/sites.html?site=${encodeURIComponent(site)}`);
  await ready(page);
  const w = widget(page);
  await w.getByRole('link', { name: /我要留言/ }).click();
  await expect(w.locator('.xxgk-form__heading')).toHaveText('我要留言');
  return w;
}

const field = (w, key) => w.locator(`[data-field=${key}]`).locator('input, textarea, select').first();

const BODY = '桃河村村口到小学的路灯坏了三个月，晚上孩子放学很危险。';

async function fillComplaint(w, subject) {
  await w.getByRole('radio', { name: '投诉' }).check();
  await field(w, 'subject').fill(subject);
  await field(w, 'body').fill(BODY);
  await field(w, 'name').fill('张三');
  await field(w, 'phone').fill('139 1234 5678');
}

test.beforeEach(async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 900 });
});

test('a form on a page naming its site sends to that site, and the case is counted as the site\'s', async ({ page }) => {
  const site = uniqueCode('taohe');
  await addSite(site, '桃河乡人民政府', PORTAL);
  const feedback = watch(page, '/api/feedback');
  const w = await openForm(page, site);
  await fillComplaint(w, `路灯损坏${site}`);
  await w.locator('.xxgk-form__submit').click();
  await expect(w.locator('.xxgk-form__code')).toHaveText(CODE);
  await expect(w.locator('.xxgk-form__done-heading')).toHaveText('已收到您的投诉');
  expect(feedback.requests).toEqual([{ method: 'POST', at: `${RECEIVER}/api/feedback`, site: [site] }]);
  expect(feedback.responses.map((r) => r.status)).toEqual([201]);

  // The site's own figures count it: the only message of a site just added.
  await expect.poll(() => received(site)).toBe(1);
  const replies = watch(page, '/api/replies');
  await w.getByRole('link', { name: '答复公开' }).click();
  await expect(w.locator('.xxgk-form__stats')).toHaveText(/^今年收到留言 1 件，已答复 0 件/);
  expect(replies.requests).toEqual([{ method: 'GET', at: `${RECEIVER}/api/replies`, site: [site] }]);
});

test.describe('a form naming a site the receiver refuses', () => {
  // The refusal is a failed request, which the browser reports.
  test.use({ expectedConsole: [[/Failed to load resource: the server responded with a status of 403/], { scope: 'test' }] });

  test('one it does not have, or one that does not list the page: the citizen is told, nothing is stored, and what was typed stays', async ({ page }) => {
    // The portal is registered, under another code than its page names.
    const home = uniqueCode('dongting');
    await addSite(home, '东亭乡人民政府', PORTAL);
    // A township whose pages come from elsewhere only.
    const elsewhere = uniqueCode('qiuchun');
    await addSite(elsewhere, '邱村镇人民政府', 'https://qiuchun.example.gov.cn');
    const cases = [
      [`${home}-typo`, '这个网站的站点代码（data-site）没有在接收服务上登记，提交没有保存；请告知网站管理员。'],
      [elsewhere, '这个网页不在该站点允许提交的网站名单上，提交没有保存；请告知网站管理员。'],
    ];
    for (const [site, said] of cases) {
      const feedback = watch(page, '/api/feedback');
      const w = await openForm(page, site);
      const subject = `路灯损坏${site}`;
      await fillComplaint(w, subject);
      await w.locator('.xxgk-form__submit').click();
      const alert = w.getByRole('alert');
      await expect(alert).toContainText('受理系统不接受从本网站提交（错误代码 403）', { useInnerText: true });
      await expect(alert).toContainText('填写的内容都还在');
      await expect(alert).toBeFocused();
      await expect(w.locator('.xxgk-form__code')).toHaveCount(0);
      await expect(field(w, 'subject')).toHaveValue(subject);
      await expect(field(w, 'body')).toHaveValue(BODY);
      await expect(field(w, 'phone')).toHaveValue('139 1234 5678');
      await expect(w.getByRole('radio', { name: '投诉' })).toBeChecked();
      expect(feedback.requests).toEqual([{ method: 'POST', at: `${RECEIVER}/api/feedback`, site: [site] }]);
      // The receiver says why, for the web team reading the network log.
      await expect.poll(() => feedback.responses).toEqual([{ status: 403, body: { error: said } }]);
      expect(staff('list')).not.toContain(subject);
    }
    expect(await received(home)).toBe(0);
    expect(await received(elsewhere)).toBe(0);
  });
});

test('the public replies of a page naming its site are that site\'s', async ({ page }) => {
  const site = uniqueCode('xinhang');
  await addSite(site, '新杭镇人民政府', PORTAL);
  const replies = watch(page, '/api/replies');
  const w = await openForm(page, site);
  await w.getByRole('link', { name: '答复公开' }).click();
  await expect(w.locator('.xxgk-form__heading')).toHaveText('答复公开');
  // A site just added has received nothing, whatever the others have.
  await expect(w.locator('.xxgk-form__stats')).toHaveText('今年还没有收到留言和政府信息公开申请。');
  expect(replies.requests).toEqual([{ method: 'GET', at: `${RECEIVER}/api/replies`, site: [site] }]);
});
