// The feedback form, the lookup by code and the published replies, against
// the real receiving server and its SQLite file: what the citizen sends is
// what staff find with the command line, and what staff answer is what the
// citizen reads.
import { test, expect, widget, ready, hashParams } from './fixtures.mjs';
import config, { DB, CALENDAR } from './playwright.config.mjs';
import { spawn, execFileSync } from 'node:child_process';
import { rmSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const SERVER = fileURLToPath(new URL('../../target/native/xxgk-server', import.meta.url));
const CODE = /^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{12}$/;
const REPORT_ID = '11341822003207567E/201703-00009';

/** Runs a staff command on a database and returns what it prints. */
function staff(db, ...args) {
  return execFileSync(SERVER, [...args, '--db', db], { encoding: 'utf8' });
}

/** Starts a receiving server of its own (no static files) on `port`. */
async function startServer(port, db, args = []) {
  mkdirSync(dirname(db), { recursive: true });
  const child = spawn(SERVER, ['serve', '--listen', `127.0.0.1:${port}`, '--db', db, ...args], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/replies`)).ok) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  return { stop: () => new Promise((done) => { child.once('exit', done); child.kill('SIGKILL'); }) };
}

function freshDb(name) {
  const db = fileURLToPath(new URL(`../../target/e2e/${name}.db`, import.meta.url));
  for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
  return db;
}

/** A subject no other test uses (tests share the server's database). */
function unique(words) {
  return `${words}${Math.random().toString(36).slice(2, 8)}`;
}

async function openForm(page, url = '/e2e/feedback.html', n = 0) {
  await page.goto(url);
  await ready(page, n);
  const w = widget(page, n);
  await w.locator('.xxgk-feedback').click();
  await expect(w.locator('.xxgk-form__heading')).toHaveText('我要留言');
  return w;
}

const field = (w, key) => w.locator(`[data-field=${key}]`).locator('input, textarea, select').first();

async function fillComplaint(w, subject) {
  await w.getByRole('radio', { name: '投诉' }).check();
  await field(w, 'subject').fill(subject);
  await field(w, 'body').fill('东亭村村口到小学的路灯坏了三个月，晚上孩子放学很危险。');
  await field(w, 'name').fill('张三');
  await field(w, 'phone').fill('139 1234 5678');
}

async function send(w) {
  await w.locator('.xxgk-form__submit').click();
  await expect(w.locator('.xxgk-form__code')).toHaveText(CODE);
  return (await w.locator('.xxgk-form__code').textContent()).trim();
}

/**
 * Sends the form while the answer is lost on the way back: the server
 * receives and stores it, the page never hears. Resolves with what the
 * server answered.
 */
async function sendAnswerLost(page, w) {
  let first = null;
  await page.route('**/api/feedback', async (route) => {
    first = await (await route.fetch()).json();
    await route.abort('connectionreset');
  });
  await w.locator('.xxgk-form__submit').click();
  await expect(w.locator('.xxgk-form__alert')).toContainText('暂时连不上受理系统');
  await page.unroute('**/api/feedback');
  return first;
}

/** Looks `code` up in the panel 查询办理结果, which is open. */
async function lookUp(w, code) {
  await w.locator('#xxgk-check-code').fill(code);
  await w.getByRole('button', { name: '查询', exact: true }).click();
}

/** A date (2026-03-01) as the panels write it in simplified Chinese. */
const zhDate = (iso) => iso.replace(/^(\d{4})-(\d{2})-(\d{2})$/, (_, y, m, d) => `${y}年${+m}月${+d}日`);

/** The value of the term `name` on the status card. */
const term = (w, name) => w.locator('.xxgk-form__status dt', { hasText: name }).locator('xpath=following-sibling::dd[1]');

test.beforeEach(async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 900 });
});

test('without data-feedback there is no way to the form, not even by a shared link', async ({ page }) => {
  await page.goto('/e2e/fixture.html?catalogue=/examples/dongting/catalogue.json#xxgk.f=write&xxgk.p=1');
  await ready(page);
  const w = widget(page);
  await expect(w.locator('.xxgk-list__item').first()).toBeVisible();
  await expect(w.locator('.xxgk-feedback')).toHaveCount(0);
  await expect(w.locator('.xxgk-panel')).toHaveCount(0);
  const loaded = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
  expect(loaded.filter((n) => n.includes('xxgk-form'))).toEqual([]);
});

test('a complaint sent from the widget is in the database, and its code is shown with a copy button', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const w = await openForm(page);
  expect(await hashParams(page, 'xxgk')).toMatchObject({ 'xxgk.f': 'write' });
  // Before anything is typed: what is required, the limits, consent off.
  await expect(w.locator('label[for="xxgk-subject"]')).toContainText('（必填）');
  await expect(w.locator('label[for="xxgk-email"]')).toContainText('（选填）');
  await expect(w.locator('#xxgk-subject-hint')).toContainText('4–40 字');
  await expect(w.locator('#xxgk-body-hint')).toContainText('10–2000 字');
  await expect(w.getByRole('checkbox', { name: /同意公开/ })).not.toBeChecked();
  await expect(w.locator('.xxgk-form__consent')).toContainText('不勾选，则什么都不会公开');
  // The catalogue is covered while the form is open.
  await expect(w.locator('.xxgk-search')).toBeHidden();

  const subject = unique('村道路灯损坏');
  await fillComplaint(w, subject);
  const code = await send(w);
  await expect(w.locator('.xxgk-form__done-heading')).toHaveText('已收到您的投诉');
  await expect(w.locator('.xxgk-form__done-heading')).toBeFocused();

  const listed = staff(DB, 'list').split('\n').find((line) => line.startsWith(code));
  expect(listed).toContain('待审核');
  expect(listed).toContain('投诉');
  expect(listed).toContain(subject);
  const row = staff(DB, 'export', '--format', 'csv').split('\n').find((line) => line.startsWith(code));
  expect(row).toContain('张三');
  expect(row).toContain('139 1234 5678');
  expect(row).toContain(',否,');

  await w.getByRole('button', { name: '复制查询码' }).click();
  await expect(w.getByText('已复制。')).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(code);
  // Nothing typed is kept once it is received.
  expect(await page.evaluate(() => sessionStorage.getItem('xxgk-draft.xxgk'))).toBeNull();
});

test('errors show when a field is left and on sending, with focus on the first; nothing is sent', async ({ page }) => {
  const sent = [];
  page.on('request', (r) => { if (r.url().includes('/api/feedback')) sent.push(r.url()); });
  const w = await openForm(page);
  await field(w, 'subject').fill('路灯');
  await expect(w.locator('#xxgk-subject-error')).toHaveText('');
  await field(w, 'subject').press('Tab');
  await expect(w.locator('#xxgk-subject-error')).toHaveText('标题至少 4 个字，现在 2 个字。');
  await expect(field(w, 'subject')).toHaveAttribute('aria-invalid', 'true');
  await field(w, 'phone').fill('12345');
  await field(w, 'phone').press('Tab');
  await expect(w.locator('#xxgk-phone-error')).toContainText('11 位手机号');
  // Fixing a field clears its error as it is typed.
  await field(w, 'subject').fill('村口路灯不亮');
  await expect(w.locator('#xxgk-subject-error')).toHaveText('');

  await w.locator('.xxgk-form__submit').click();
  await expect(w.locator('#xxgk-body-error')).toHaveText('请填写内容。');
  await expect(w.locator('#xxgk-name-error')).toHaveText('请填写姓名。');
  await expect(field(w, 'body')).toBeFocused();
  expect(sent).toEqual([]);
});

test('a form left by the browser\'s Back with focus in a field goes quietly, and what was typed is there on return', async ({ page }) => {
  await page.goto('/e2e/feedback.html#xxgk.f=check&xxgk.p=1');
  const w = widget(page);
  await expect(w.locator('.xxgk-form__heading')).toHaveText('查询办理结果');
  await page.evaluate(() => { location.hash = 'xxgk.f=write&xxgk.p=1'; });
  await field(w, 'subject').fill('村口路灯不亮');
  await w.locator('.xxgk-form__submit').click();
  await expect(field(w, 'body')).toBeFocused();
  // The field is blurred as the form is taken off the page for the lookup.
  await page.goBack();
  await expect(w.locator('.xxgk-form__heading')).toHaveText('查询办理结果');
  await page.goForward();
  await expect(field(w, 'subject')).toHaveValue('村口路灯不亮');
});

test('a disclosure request asks for its own fields and checks the ID number', async ({ page }) => {
  const w = await openForm(page);
  await expect(w.locator('[data-field=id_number]')).toHaveCount(0);
  await w.getByRole('radio', { name: '申请公开政府信息' }).check();
  await expect(w.locator('label[for="xxgk-id_number"]')).toContainText('（必填）');
  const subject = unique('申请公开三公经费');
  // Sent empty, focus goes to the first error on screen: the request's
  // own fields come before the contact details.
  await w.locator('.xxgk-form__submit').click();
  await expect(field(w, 'subject')).toBeFocused();
  await field(w, 'subject').fill(subject);
  await field(w, 'body').fill('用于了解本乡财政支出情况，请提供电子版。');
  await w.locator('.xxgk-form__submit').click();
  await expect(field(w, 'id_number')).toBeFocused();
  await expect(w.locator('[data-field=format]')).toHaveAttribute('aria-invalid', 'true');
  await expect(w.locator('#xxgk-format-error')).toHaveText('请选择纸质或电子形式。');
  await field(w, 'body').fill('用于了解本乡财政支出情况，请提供电子版。');
  await field(w, 'name').fill('李四');
  await field(w, 'phone').fill('0563-6012345');
  await field(w, 'id_number').fill('110105194912310021');
  await field(w, 'id_number').press('Tab');
  await expect(w.locator('#xxgk-id_number-error')).toContainText('校验');
  await field(w, 'id_number').fill('11010519491231002x');
  await field(w, 'description').fill('东亭乡2016年三公经费决算明细表');
  await w.getByRole('radio', { name: '电子', exact: true }).check();
  await w.getByRole('radio', { name: '电子邮件' }).check();
  await w.locator('.xxgk-form__submit').click();
  await expect(w.locator('#xxgk-email-error')).toHaveText('选择电子邮件获取时请填写电子邮箱。');
  await expect(field(w, 'email')).toBeFocused();
  await field(w, 'email').fill('li.si@example.com');
  const code = await send(w);
  await expect(w.locator('.xxgk-form__done-heading')).toHaveText('已收到您的政府信息公开申请');
  const row = staff(DB, 'export', '--format', 'csv').split('\n').find((line) => line.startsWith(code));
  expect(row).toContain('居民身份证');
  expect(row).toContain('东亭乡2016年三公经费决算明细表');
  expect(row).toContain('li.si@example.com');
});

test("in the page's own DOM, the form's element ids are its own, so content on the page cannot relabel or describe its fields", async ({ page }) => {
  // The page's comments hold elements with the ids the form would have
  // had, had they been predictable (feedback-light.html).
  const w = await openForm(page, '/e2e/feedback-light.html');
  await w.getByRole('radio', { name: '申请公开政府信息' }).check();
  await expect(field(w, 'phone')).toHaveAccessibleName('联系电话（必填）');
  await expect(field(w, 'id_number')).toHaveAccessibleDescription(/^居民身份证为 18 位/);
  await expect(field(w, 'id_number')).not.toHaveAccessibleDescription(/QQ/);
  expect(await field(w, 'phone').getAttribute('id')).not.toBe('xxgk-phone');
  // Each opening of the form has ids of its own.
  const before = await field(w, 'phone').getAttribute('id');
  await w.getByRole('link', { name: '查询办理结果' }).click();
  await w.getByRole('link', { name: '我要留言' }).click();
  await expect(field(w, 'phone')).not.toHaveAttribute('id', before);
  await expect(w.locator('#xxgk-check-code')).toHaveCount(0);
});

test('a half-filled form survives a reload, in sessionStorage only, and is gone once sent', async ({ page }) => {
  const w = await openForm(page);
  const subject = unique('垃圾清运不及时');
  await w.getByRole('radio', { name: '建议' }).check();
  await field(w, 'subject').fill(subject);
  await field(w, 'body').fill('建议在东亭村增加一个垃圾收集点，方便村民。');
  await w.getByRole('checkbox', { name: /同意公开/ }).check();
  const key = JSON.parse(await page.evaluate(() => sessionStorage.getItem('xxgk-draft.xxgk'))).client_key;
  expect(key).toMatch(/^[0-9a-f]{32}$/);

  await page.reload();
  await expect(w.locator('.xxgk-form__heading')).toHaveText('我要留言');
  await expect(field(w, 'subject')).toHaveValue(subject);
  await expect(field(w, 'body')).toHaveValue('建议在东亭村增加一个垃圾收集点，方便村民。');
  await expect(w.getByRole('radio', { name: '建议' })).toBeChecked();
  await expect(w.getByRole('checkbox', { name: /同意公开/ })).toBeChecked();
  expect(await page.evaluate(() => localStorage.length)).toBe(0);
  // The same submission, so the same key, after the reload.
  expect(JSON.parse(await page.evaluate(() => sessionStorage.getItem('xxgk-draft.xxgk'))).client_key).toBe(key);

  await field(w, 'name').fill('王五');
  await field(w, 'phone').fill('13800138000');
  await send(w);
  expect(await page.evaluate(() => sessionStorage.getItem('xxgk-draft.xxgk'))).toBeNull();
  await w.getByRole('button', { name: '再写一条' }).click();
  await expect(field(w, 'subject')).toHaveValue('');
});

const ID_NUMBER = '11010519491231002X';

async function fillRequest(w, subject) {
  await w.getByRole('radio', { name: '申请公开政府信息' }).check();
  await field(w, 'subject').fill(subject);
  await field(w, 'body').fill('用于了解本乡财政支出情况，请提供电子版。');
  await field(w, 'id_number').fill(ID_NUMBER);
  await field(w, 'description').fill('东亭乡2016年三公经费决算明细表');
  await w.getByRole('radio', { name: '电子', exact: true }).check();
  await w.getByRole('radio', { name: '当面领取' }).check();
  await field(w, 'name').fill('李四');
  await field(w, 'phone').fill('13912345678');
}

/** Everything the page keeps in sessionStorage and localStorage. */
const storage = (page) => page.evaluate(() => ({
  session: Object.fromEntries(Object.entries(sessionStorage)),
  local: Object.fromEntries(Object.entries(localStorage)),
}));

test.describe('on a shared computer', () => {
  // Each lost or refused request is reported in the console by the browser.
  test.use({ expectedConsole: [[/Failed to load resource/], { scope: 'test' }] });

  test('the ID number is never written to storage, and a form restored after a reload asks for it again', async ({ page }) => {
    const w = await openForm(page);
    const subject = unique('证件号不落盘');
    await fillRequest(w, subject);
    let kept = await storage(page);
    expect(JSON.parse(kept.session['xxgk-draft.xxgk']).subject).toBe(subject);
    expect(JSON.stringify(kept)).not.toContain(ID_NUMBER);
    expect(kept.local).toEqual({});
    // Within the page it stays, as everything typed does.
    await w.getByRole('link', { name: '查询办理结果' }).click();
    await w.getByRole('link', { name: '我要留言' }).click();
    await expect(field(w, 'id_number')).toHaveValue(ID_NUMBER);
    await expect(w.locator('#xxgk-id_number-hint')).not.toContainText('重新填写');
    // Sent, the answer lost: the attempt kept for a retry has no ID number either.
    await page.route('**/api/feedback', (route) => route.abort('connectionreset'));
    await w.locator('.xxgk-form__submit').click();
    await expect(w.locator('.xxgk-form__alert')).toContainText('暂时连不上受理系统');
    kept = await storage(page);
    expect(JSON.parse(kept.session['xxgk-sent.xxgk']).subject).toBe(subject);
    expect(JSON.stringify(kept)).not.toContain(ID_NUMBER);

    await page.reload();
    await expect(field(w, 'subject')).toHaveValue(subject);
    await expect(field(w, 'id_number')).toHaveValue('');
    await expect(w.locator('#xxgk-id_number-hint')).toContainText('证件号码不保存在浏览器中，刷新或离开页面后请重新填写');
    await field(w, 'id_number').fill(ID_NUMBER);
    await expect(w.locator('#xxgk-id_number-hint')).not.toContainText('重新填写');
  });

  test('within the page, a changed ID number after a lost answer is a new submission', async ({ page }) => {
    const keys = [];
    page.on('request', (r) => { if (r.url().endsWith('/api/feedback')) keys.push(JSON.parse(r.postData()).client_key); });
    const w = await openForm(page);
    await fillRequest(w, unique('改了证件号'));
    await page.route('**/api/feedback', (route) => route.abort('connectionreset'));
    await w.locator('.xxgk-form__submit').click();
    await expect(w.locator('.xxgk-form__alert')).toContainText('暂时连不上受理系统');
    // Unchanged, the retry is the same submission.
    await w.locator('.xxgk-form__submit').click();
    await expect(w.locator('.xxgk-form__submit')).toHaveText('重新提交');
    await expect.poll(() => keys.length).toBe(2);
    expect(keys[1]).toBe(keys[0]);
    // Another ID number, nothing else changed: a submission of its own.
    await field(w, 'id_number').fill('342522198002291238');
    await w.locator('.xxgk-form__submit').click();
    await expect.poll(() => keys.length).toBe(3);
    expect(keys[2]).not.toBe(keys[0]);
  });

  test('清除已填写内容 empties the form, what is kept and the server\'s word, with a fresh key', async ({ page }) => {
    const keys = [];
    page.on('request', (r) => { if (r.url().endsWith('/api/feedback')) keys.push(JSON.parse(r.postData()).client_key); });
    const w = await openForm(page);
    await fillRequest(w, unique('公共电脑'));
    await page.route('**/api/feedback', (route) => route.fulfill({
      status: 422, contentType: 'application/json',
      body: JSON.stringify({ errors: { subject: '标题含有不允许的词语。', client_key: '提交编号已用过。' } }),
    }));
    await w.locator('.xxgk-form__submit').click();
    await expect(w.locator('#xxgk-subject-error')).toHaveText('标题含有不允许的词语。');
    expect(Object.keys((await storage(page)).session).sort()).toEqual(['xxgk-draft.xxgk', 'xxgk-sent.xxgk']);

    await w.getByRole('button', { name: '清除已填写内容' }).click();
    for (const key of ['subject', 'body', 'name', 'phone']) await expect(field(w, key)).toHaveValue('');
    await expect(w.getByRole('radio', { name: '咨询' })).toBeChecked();
    await expect(w.locator('[data-field=id_number]')).toHaveCount(0);
    await expect(w.locator('.xxgk-form__alert')).toHaveCount(0);
    await expect(w.locator('#xxgk-subject-error')).toHaveText('');
    await expect(w.getByRole('status').filter({ hasText: '已清除' })).toHaveText('已清除填写的内容，可以重新填写。');
    await expect(w.locator('.xxgk-form__heading')).toBeFocused();
    expect(await storage(page)).toEqual({ session: {}, local: {} });

    await page.unroute('**/api/feedback');
    await fillComplaint(w, unique('清除后重写'));
    await expect(w.getByRole('status').filter({ hasText: '已清除' })).toHaveCount(0);
    await send(w);
    expect(keys).toHaveLength(2);
    expect(keys[1]).not.toBe(keys[0]);
  });

  test('on a widget for a shared device nothing is kept in storage, and sending still works', async ({ page }) => {
    const w = await openForm(page, '/e2e/feedback.html?shared');
    await fillRequest(w, unique('服务大厅电脑'));
    expect(await storage(page)).toEqual({ session: {}, local: {} });
    await page.route('**/api/feedback', (route) => route.abort('connectionreset'), { times: 1 });
    await w.locator('.xxgk-form__submit').click();
    await expect(w.locator('.xxgk-form__alert')).toContainText('暂时连不上受理系统');
    expect(await storage(page)).toEqual({ session: {}, local: {} });
    await send(w);
    expect(await storage(page)).toEqual({ session: {}, local: {} });
  });

  test('after a lost answer and a reload, an ID number typed differently is not taken for the retry: the form says so and sending again makes a new submission', async ({ page }) => {
    const w = await openForm(page);
    const subject = unique('证件号重填');
    await fillRequest(w, subject);
    const first = await sendAnswerLost(page, w);
    await page.reload();
    await expect(field(w, 'subject')).toHaveValue(subject);
    await expect(field(w, 'id_number')).toHaveValue('');
    const corrected = '110105194912310038';
    await field(w, 'id_number').fill(corrected);
    await w.locator('.xxgk-form__submit').click();
    const alert = w.locator('.xxgk-form__alert');
    await expect(alert).toContainText('没有保存');
    await expect(alert).not.toContainText(first.code);
    await expect(field(w, 'id_number')).toHaveValue(corrected);
    const code = await send(w);
    expect(code).not.toBe(first.code);
    const rows = staff(DB, 'export', '--format', 'csv').split('\n');
    expect(rows.find((line) => line.startsWith(first.code))).toContain(ID_NUMBER);
    expect(rows.find((line) => line.startsWith(code))).toContain(corrected);
  });

  test('on a widget for a shared device the browser is asked to remember nothing typed; elsewhere it may help with contact details', async ({ page }) => {
    const tokens = async (w) => {
      await w.getByRole('radio', { name: '申请公开政府信息' }).check();
      return w.locator('[data-field] input:not([type=radio]), [data-field] textarea').evaluateAll((els) =>
        Object.fromEntries(els.map((e) => [e.closest('[data-field]').dataset.field, e.getAttribute('autocomplete')])));
    };
    const shared = await tokens(await openForm(page, '/e2e/feedback.html?shared'));
    expect(Object.keys(shared)).toEqual(expect.arrayContaining(['name', 'phone', 'email', 'address', 'id_number', 'description']));
    for (const [key, token] of Object.entries(shared)) expect(token, key).toBe('off');
    expect(await tokens(await openForm(page))).toMatchObject({ name: 'name', phone: 'tel', email: 'email', id_number: 'off' });
  });

  test('on a widget for a shared device, leaving the form forgets what was typed: the next person starts afresh', async ({ page }) => {
    const w = await openForm(page, '/e2e/feedback.html?shared');
    await fillRequest(w, unique('换人'));
    await w.getByRole('link', { name: '返回公开目录' }).click();
    await expect(w.locator('.xxgk-panel')).toHaveCount(0);
    await w.locator('.xxgk-feedback').click();
    await expect(w.locator('.xxgk-form__heading')).toHaveText('我要留言');
    await expect(w.getByRole('radio', { name: '咨询' })).toBeChecked();
    await w.getByRole('radio', { name: '申请公开政府信息' }).check();
    for (const key of ['subject', 'body', 'id_number', 'description', 'name', 'phone']) await expect(field(w, key), key).toHaveValue('');
    await expect(w.locator('#xxgk-id_number-hint')).not.toContainText('重新填写');
  });

  test('on a widget for a shared device, a panel closed before the module came still starts a form that keeps nothing', async ({ page }) => {
    let release;
    const gate = new Promise((r) => (release = r));
    await page.route('**/xxgk-form.js', async (route) => { await gate; await route.continue(); });
    await page.goto('/e2e/feedback.html?shared');
    await ready(page);
    const w = widget(page);
    await w.locator('.xxgk-feedback').click();
    await expect(w.locator('.xxgk-panel')).toContainText('正在加载');
    // Back to the catalogue while the module is on its way.
    await page.goBack();
    await expect(w.locator('.xxgk-panel')).toHaveCount(0);
    release();
    await page.waitForFunction(() => window.xxgk && window.xxgk.form);
    await page.evaluate(() => window.xxgk.form);
    await w.locator('.xxgk-feedback').click();
    await expect(w.locator('.xxgk-form__heading')).toHaveText('我要留言');
    await expect(field(w, 'name')).toHaveAttribute('autocomplete', 'off');
    await w.getByRole('radio', { name: '申请公开政府信息' }).check();
    await field(w, 'name').fill('张三');
    await field(w, 'phone').fill('13912345678');
    await field(w, 'id_number').fill(ID_NUMBER);
    expect(await page.evaluate(() => JSON.stringify(sessionStorage))).not.toContain('13912345678');
    await w.getByRole('link', { name: '返回公开目录' }).click();
    await w.locator('.xxgk-feedback').click();
    await expect(w.locator('.xxgk-form__heading')).toHaveText('我要留言');
    await w.getByRole('radio', { name: '申请公开政府信息' }).check();
    for (const key of ['name', 'phone', 'id_number']) await expect(field(w, key), key).toHaveValue('');
  });

  test('on a widget for a shared device, a submission answered after its form was left shows its code to no one', async ({ page }) => {
    const w = await openForm(page, '/e2e/feedback.html?shared');
    const subject = unique('中途离开');
    await fillComplaint(w, subject);
    await page.route('**/api/feedback', async (route) => {
      await new Promise((r) => setTimeout(r, 1000));
      await route.continue();
    });
    await w.locator('.xxgk-form__submit').click();
    await expect(w.locator('.xxgk-form__submit')).toHaveText('正在提交……');
    await w.getByRole('link', { name: '返回公开目录' }).click();
    await expect.poll(() => staff(DB, 'list').includes(subject), { timeout: 10_000 }).toBe(true);
    await page.waitForTimeout(300);
    await w.locator('.xxgk-feedback').click();
    await expect(w.locator('.xxgk-form__heading')).toHaveText('我要留言');
    await expect(w.locator('.xxgk-form__code')).toHaveCount(0);
    await expect(field(w, 'subject')).toHaveValue('');
    await expect(w.locator('.xxgk-form__submit')).toHaveText('提交');
  });

  test('the lookup code is shown once, on the receipt, and kept nowhere', async ({ page }) => {
    const w = await openForm(page);
    await fillComplaint(w, unique('查询码不留'));
    const code = await send(w);
    expect(JSON.stringify(await storage(page))).not.toContain(code);
    await w.getByRole('link', { name: '查询办理结果' }).first().click();
    await expect(w.locator('#xxgk-check-code')).toHaveValue('');
    await w.getByRole('link', { name: '我要留言' }).click();
    await expect(w.locator('.xxgk-form__heading')).toHaveText('我要留言');
    await expect(w.locator('.xxgk-form__code')).toHaveCount(0);
    // A code an earlier version kept goes when a panel opens.
    await page.evaluate(() => sessionStorage.setItem('xxgk-code.xxgk', 'ABCDEFGHJKMN'));
    await page.reload();
    await expect(w.locator('.xxgk-form__heading')).toHaveText('我要留言');
    expect(await page.evaluate(() => sessionStorage.getItem('xxgk-code.xxgk'))).toBeNull();
  });
});

test.describe('when sending fails', () => {
  // The browser reports each failed request in the console itself.
  test.use({ expectedConsole: [[/Failed to load resource/, /blocked by CORS policy/, /^error: xxgk:/], { scope: 'test' }] });

test('with the server down, then refusing this site, what was typed stays; a retry sends it once', async ({ page }) => {
  const port = 8093;
  const db = freshDb('down');
  const w = await openForm(page, `/e2e/feedback.html?feedback=http://127.0.0.1:${port}/`);
  const subject = unique('桥面破损');
  await fillComplaint(w, subject);
  await w.locator('.xxgk-form__submit').click();
  const alert = w.locator('.xxgk-form__alert');
  await expect(alert).toContainText('暂时连不上受理系统');
  await expect(alert).toBeFocused();
  await expect(field(w, 'subject')).toHaveValue(subject);
  await expect(w.locator('.xxgk-form__submit')).toHaveText('重新提交');

  // Up, but this page's origin is not on its list: the browser refuses.
  let server = await startServer(port, db);
  try {
    await w.locator('.xxgk-form__submit').click();
    await expect(alert).toContainText('暂时连不上受理系统');
    await expect(field(w, 'body')).toHaveValue(/路灯坏了三个月/);
  } finally {
    await server.stop();
  }
  expect(staff(db, 'list')).toBe('');

  server = await startServer(port, db, ['--allow-origin', 'http://127.0.0.1:8091']);
  try {
    const code = await send(w);
    const lines = staff(db, 'list').trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(code);
    expect(lines[0]).toContain(subject);
  } finally {
    await server.stop();
  }
});

test('too many submissions are told how long to wait; offline and server faults are named', async ({ page, context }) => {
  const port = 8094;
  const db = freshDb('busy');
  const server = await startServer(port, db, ['--allow-origin', 'http://127.0.0.1:8091', '--rate-burst', '1', '--rate-seconds', '600']);
  try {
    const w = await openForm(page, `/e2e/feedback.html?feedback=http://127.0.0.1:${port}/`);
    await fillComplaint(w, unique('噪音扰民'));
    await send(w);
    await w.getByRole('button', { name: '再写一条' }).click();
    await fillComplaint(w, unique('占道经营'));
    await w.locator('.xxgk-form__submit').click();
    await expect(w.locator('.xxgk-form__alert')).toContainText('请等 10 分钟后再点“重新提交”');

    await context.setOffline(true);
    await w.locator('.xxgk-form__submit').click();
    await expect(w.locator('.xxgk-form__alert')).toContainText('您的设备现在没有连上网络');
    await context.setOffline(false);

    await page.route('**/api/feedback', (route) => route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":"暂时无法保存"}' }));
    await w.locator('.xxgk-form__submit').click();
    await expect(w.locator('.xxgk-form__alert')).toContainText('错误代码 503');
    await expect(field(w, 'name')).toHaveValue('张三');
    expect(staff(db, 'list').trim().split('\n')).toHaveLength(1);
  } finally {
    await server.stop();
  }
});


test('a redirect on the way is not followed: nothing goes elsewhere, and the form says the system cannot be reached', async ({ page }) => {
  // data-feedback through an open redirect on the portal's own origin
  // (/go?to=…, common in CMSs), as a comment's widget could name it.
  const elsewhere = [];
  page.on('request', (r) => { if (r.url().includes('/elsewhere/')) elsewhere.push(`${r.method()} ${r.url()}`); });
  await page.route('**/go/api/**', (route) => route.fulfill({
    status: 307, headers: { location: new URL(route.request().url()).pathname.replace('/go/', '/elsewhere/') },
  }));
  const w = await openForm(page, '/e2e/feedback.html?feedback=/go/');
  await fillRequest(w, unique('跳转'));
  await w.locator('.xxgk-form__submit').click();
  const alert = w.locator('.xxgk-form__alert');
  await expect(alert).toBeVisible();
  expect(elsewhere).toEqual([]);
  await expect(alert).toContainText('暂时连不上受理系统');
  await w.getByRole('link', { name: '查询办理结果' }).click();
  await w.locator('#xxgk-check-code').fill('ABCDEFGHJKMN');
  await w.getByRole('button', { name: '查询', exact: true }).click();
  await expect(alert).toHaveText('暂时连不上受理系统，请稍后再试。');
  expect(elsewhere).toEqual([]);
});

test('a server that does not answer is given up on after 20 seconds, and the retry works', async ({ page }) => {
  await page.clock.install();
  const w = await openForm(page);
  await fillComplaint(w, unique('超时'));
  let hold = null;
  await page.route('**/api/feedback', (route) => { hold = route; });
  await w.locator('.xxgk-form__submit').click();
  await expect(w.locator('.xxgk-form__submit')).toHaveText('正在提交……');
  await page.clock.fastForward('00:19');
  await expect(w.locator('.xxgk-form__alert')).toHaveCount(0);
  await page.clock.fastForward('00:02');
  await expect(w.locator('.xxgk-form__alert')).toContainText('20 秒内没有回应');
  await expect(field(w, 'name')).toHaveValue('张三');
  await page.unroute('**/api/feedback');
  await hold.abort().catch(() => {});
  await send(w);
});

test('when the answer is lost on the way back, the retry gets the first code and makes no second record', async ({ page }) => {
  const w = await openForm(page);
  const subject = unique('答复丢失');
  await fillComplaint(w, subject);
  const first = await sendAnswerLost(page, w);
  expect(first.code).toMatch(CODE);
  const code = await send(w);
  expect(code).toBe(first.code);
  await expect(w.locator('.xxgk-form__done-heading')).toHaveText('这份投诉此前已经收到');
  expect(staff(DB, 'list').split('\n').filter((l) => l.includes(subject))).toHaveLength(1);
});

test('changed after a lost answer, the retry is a new submission and nothing typed is lost', async ({ page }) => {
  const w = await openForm(page);
  const subject = unique('答复丢失后修改');
  await fillComplaint(w, subject);
  const first = await sendAnswerLost(page, w);
  // Even after a reload in between.
  await page.reload();
  await expect(field(w, 'subject')).toHaveValue(subject);
  const edited = `${subject}补充`;
  await field(w, 'subject').fill(edited);
  const code = await send(w);
  expect(code).not.toBe(first.code);
  await expect(w.locator('.xxgk-form__done-heading')).toHaveText('已收到您的投诉');
  const list = staff(DB, 'list');
  expect(list.split('\n').filter((l) => l.includes(first.code))[0]).toContain(subject);
  expect(list.split('\n').filter((l) => l.includes(code))[0]).toContain(edited);
});

test('field errors from the server are shown beside their fields', async ({ page }) => {
  const w = await openForm(page);
  await fillComplaint(w, unique('规则不一'));
  await page.route('**/api/feedback', (route) => route.fulfill({
    status: 422, contentType: 'application/json',
    body: JSON.stringify({ errors: { subject: '标题含有不允许的词语。' } }),
  }));
  await w.locator('.xxgk-form__submit').click();
  await expect(w.locator('.xxgk-form__alert')).toContainText('请按表单中的提示修改');
  await expect(w.locator('#xxgk-subject-error')).toHaveText('标题含有不允许的词语。');
  await field(w, 'subject').fill('村口路灯坏了');
  await expect(w.locator('#xxgk-subject-error')).toHaveText('');
});

test('a refusal of a field the form does not show is named at the top of the form', async ({ page }) => {
  await page.goto(`/e2e/feedback.html#xxgk.f=write&xxgk.i=${encodeURIComponent(REPORT_ID)}&xxgk.p=1`);
  const w = widget(page);
  await expect(w.locator('.xxgk-form__related')).toContainText(REPORT_ID);
  await fillComplaint(w, unique('看不见的字段'));
  await page.route('**/api/feedback', (route) => route.fulfill({
    status: 422, contentType: 'application/json',
    body: JSON.stringify({ errors: { related_item: '所针对的信息已撤下。', client_key: '提交编号已用过。', attachment: '不接受附件。' } }),
  }));
  await w.locator('.xxgk-form__submit').click();
  const top = w.locator('.xxgk-form__unplaced');
  await expect(top).toHaveAttribute('role', 'alert');
  await expect(top).toContainText('相关信息：所针对的信息已撤下。');
  await expect(top).toContainText('提交编号：提交编号已用过。');
  await expect(top).toContainText('“attachment”：不接受附件。');
  await expect(top).toBeFocused();
  // It sits above every field.
  const [alertBox, kindBox] = [await top.boundingBox(), await w.locator('[data-field=kind]').boundingBox()];
  expect(alertBox.y).toBeLessThan(kindBox.y);
  // Not asking about the entry any more takes its refusal away.
  await w.getByRole('button', { name: '不针对这条信息' }).click();
  await expect(top).not.toContainText('相关信息');
  await expect(top).toContainText('提交编号');
});

test('moving to another panel while a submission is on its way loses neither it nor its code', async ({ page }) => {
  const w = await openForm(page);
  const subject = unique('切换栏目');
  await fillComplaint(w, subject);
  await page.route('**/api/feedback', async (route) => {
    await new Promise((r) => setTimeout(r, 1000));
    await route.continue();
  });
  await w.locator('.xxgk-form__submit').click();
  await expect(w.locator('.xxgk-form__submit')).toHaveText('正在提交……');
  await w.getByRole('link', { name: '查询办理结果' }).click();
  await expect(w.locator('.xxgk-form__heading')).toHaveText('查询办理结果');
  // Back before the answer: the form is still sending, and cannot be changed.
  await w.getByRole('link', { name: '我要留言' }).click();
  await expect(w.locator('.xxgk-form__submit')).toHaveText('正在提交……');
  await expect(field(w, 'subject')).toBeDisabled();
  const code = (await w.locator('.xxgk-form__code').textContent({ timeout: 10_000 })).trim();
  expect(code).toMatch(CODE);
  expect(staff(DB, 'list').split('\n').filter((l) => l.includes(subject))[0]).toContain(code);
  expect(await page.evaluate(() => sessionStorage.getItem('xxgk-draft.xxgk'))).toBeNull();

  // The answer comes while another panel is open: the receipt waits.
  await w.getByRole('button', { name: '再写一条' }).click();
  await expect(w.locator('.xxgk-form__heading')).toBeFocused();
  const second = unique('切换栏目二');
  await fillComplaint(w, second);
  await w.locator('.xxgk-form__submit').click();
  await w.getByRole('link', { name: '答复公开' }).click();
  await expect.poll(() => staff(DB, 'list').includes(second), { timeout: 10_000 }).toBe(true);
  await page.waitForTimeout(300);
  await w.getByRole('link', { name: '我要留言' }).click();
  await expect(w.locator('.xxgk-form__done-heading')).toBeFocused();
  const code2 = (await w.locator('.xxgk-form__code').textContent()).trim();
  expect(staff(DB, 'list').split('\n').filter((l) => l.includes(second))[0]).toContain(code2);
});

test('on a shared link to a question about an entry, the title comes when the catalogue does, without redrawing the form', async ({ page }) => {
  await page.route('**/catalogue.json', async (route) => {
    await new Promise((r) => setTimeout(r, 1500));
    await route.continue();
  });
  await page.goto(`/e2e/feedback.html#xxgk.f=write&xxgk.i=${encodeURIComponent(REPORT_ID)}&xxgk.p=1`);
  const w = widget(page);
  await expect(w.locator('.xxgk-form__related')).toContainText(REPORT_ID);
  await field(w, 'subject').fill('正在输入');
  await expect(w.locator('.xxgk-form__related')).toContainText('《廣德縣東亭鄉', { timeout: 10_000 });
  await expect(field(w, 'subject')).toHaveValue('正在输入');
  await expect(field(w, 'subject')).toBeFocused();
});

test('when the feedback module cannot be fetched, the panel says so and leads back; a later opening works', async ({ page }) => {
  await page.route('**/xxgk-form.js', (route) => route.abort('internetdisconnected'));
  await page.goto('/e2e/feedback.html');
  await ready(page);
  const w = widget(page);
  await w.locator('.xxgk-feedback').click();
  await expect(w.locator('.xxgk-panel')).toHaveAttribute('role', 'alert');
  await expect(w.locator('.xxgk-panel')).toContainText('此栏目未能加载');
  await expect(w.locator('.xxgk-panel').getByRole('link', { name: '返回公开目录' })).toBeVisible();
  // Another panel while the failed one is still there: the module loads
  // now, slowly, and meanwhile the panel says so, no longer an alert.
  await page.unroute('**/xxgk-form.js');
  let release;
  const gate = new Promise((r) => (release = r));
  await page.route('**/xxgk-form.js', async (route) => { await gate; await route.continue(); });
  await page.evaluate(() => { location.hash = 'xxgk.f=check&xxgk.p=1'; });
  await expect(w.locator('.xxgk-panel')).toHaveText('正在加载……');
  await expect(w.locator('.xxgk-panel')).not.toHaveAttribute('role', 'alert');
  release();
  await expect(w.locator('.xxgk-form__heading')).toHaveText('查询办理结果');
  await expect(w.locator('.xxgk-panel')).not.toHaveAttribute('role', 'alert');
  await w.getByRole('link', { name: '返回公开目录' }).click();
  await expect(w.locator('.xxgk-list__item').first()).toBeVisible();
});
});

test('the button is disabled while sending, so clicking twice sends once', async ({ page }) => {
  const w = await openForm(page);
  const subject = unique('饮用水浑浊');
  await fillComplaint(w, subject);
  let posts = 0;
  await page.route('**/api/feedback', async (route) => {
    posts += 1;
    await new Promise((r) => setTimeout(r, 800));
    await route.continue();
  });
  const button = w.locator('.xxgk-form__submit');
  // Two clicks in one task, before the page can redraw, then Enter.
  await button.evaluate((b) => { b.click(); b.click(); });
  await expect(button).toBeDisabled();
  await expect(button).toHaveText('正在提交……');
  // Nothing can be changed while it is sent.
  await expect(field(w, 'subject')).toBeDisabled();
  const code = (await w.locator('.xxgk-form__code').textContent({ timeout: 10_000 })).trim();
  expect(code).toMatch(CODE);
  expect(posts).toBe(1);
  expect(staff(DB, 'list').split('\n').filter((l) => l.includes(subject))).toHaveLength(1);
});

test('while a submission is on its way, focus is on a line that says so, then on the receipt', async ({ page }) => {
  const w = await openForm(page);
  await fillComplaint(w, unique('提交中的焦点'));
  await page.route('**/api/feedback', async (route) => {
    await new Promise((r) => setTimeout(r, 1500));
    await route.continue();
  });
  await w.locator('.xxgk-form__submit').focus();
  await page.keyboard.press('Enter');
  await expect(w.getByRole('status').filter({ hasText: '正在提交……' })).toBeFocused();
  await expect(w.locator('.xxgk-form__done-heading')).toBeFocused({ timeout: 10_000 });
});

test('the trap field is one that neither autofill nor password managers fill, and a filled one goes out with the submission', async ({ page }) => {
  const bodies = [];
  page.on('request', (r) => { if (r.url().endsWith('/api/feedback')) bodies.push(JSON.parse(r.postData())); });
  const w = await openForm(page);
  const trap = w.locator('input[name=leave_blank]');
  // Off screen, out of the tab order, and not read out.
  const box = await trap.boundingBox();
  expect(box.x + box.width).toBeLessThanOrEqual(0);
  expect(await trap.getAttribute('tabindex')).toBe('-1');
  expect(await w.locator('.xxgk-form__trap').getAttribute('aria-hidden')).toBe('true');
  // Nothing in its name or label that autofill matches (网址, website, url…),
  // and the markers password managers read.
  await expect(w.locator('.xxgk-form__trap label')).toHaveText('请勿填写此项');
  for (const [name, value] of [['autocomplete', 'off'], ['data-lpignore', 'true'], ['data-1p-ignore', ''], ['data-bwignore', ''], ['data-form-type', 'other']]) {
    expect(await trap.getAttribute(name), name).toBe(value);
  }
  await fillComplaint(w, unique('机器人填写'));
  await trap.evaluate((input) => {
    input.value = 'http://spam.example/';
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
  // Acknowledged like any other; the server sets it aside for staff, who
  // see it marked and can restore it.
  const code = await send(w);
  expect(bodies.at(-1).leave_blank).toBe('http://spam.example/');
  const suspected = staff(DB, 'list', '--suspected').split('\n').find((line) => line.startsWith(code));
  expect(suspected).toContain('[疑似垃圾]');
});

test('a filled trap marks only the submission it went with: 再写一条 and 清除已填写内容 empty it', async ({ page }) => {
  const bodies = [];
  page.on('request', (r) => { if (r.url().endsWith('/api/feedback')) bodies.push(JSON.parse(r.postData())); });
  const w = await openForm(page);
  const trap = w.locator('input[name=leave_blank]');
  const fillTrap = () => trap.evaluate((input) => {
    input.value = 'http://spam.example/';
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await fillComplaint(w, unique('陷阱之后一'));
  await fillTrap();
  await send(w);
  expect(bodies.at(-1).leave_blank).toBe('http://spam.example/');
  await w.getByRole('button', { name: '再写一条' }).click();
  await expect(trap).toHaveValue('');
  await fillComplaint(w, unique('陷阱之后二'));
  const code = await send(w);
  expect(bodies.at(-1).leave_blank).toBe('');
  expect(staff(DB, 'list').split('\n').find((line) => line.startsWith(code))).not.toContain('[疑似垃圾]');
  await w.getByRole('button', { name: '再写一条' }).click();
  await fillTrap();
  await w.getByRole('button', { name: '清除已填写内容' }).click();
  await expect(trap).toHaveValue('');
  await fillComplaint(w, unique('陷阱之后三'));
  await send(w);
  expect(bodies.at(-1).leave_blank).toBe('');
});

test('asking about an entry fills in the entry, and staff see which', async ({ page }) => {
  await page.goto(`/e2e/feedback.html#xxgk.i=${encodeURIComponent(REPORT_ID)}&xxgk.p=1`);
  await ready(page);
  const w = widget(page);
  await expect(w.locator('.xxgk-detail__title')).toBeVisible();
  const title = (await w.locator('.xxgk-detail__title').textContent()).trim();
  await w.getByRole('link', { name: '就此信息留言咨询' }).click();
  await expect(w.locator('.xxgk-form__related')).toContainText(`《${title}》`);
  await expect(w.locator('.xxgk-form__related')).toContainText(REPORT_ID);
  await expect(w.getByRole('radio', { name: '咨询' })).toBeChecked();
  await field(w, 'subject').fill(unique('年度报告数字'));
  await field(w, 'body').fill('报告中依申请公开的件数与上年不一致，想了解原因。');
  await field(w, 'name').fill('赵六');
  await field(w, 'phone').fill('13912345678');
  const code = await send(w);
  const row = staff(DB, 'export', '--format', 'csv').split('\n').find((line) => line.startsWith(code));
  expect(row).toContain(REPORT_ID);
  // The next one is still about the entry.
  await w.getByRole('button', { name: '再写一条' }).click();
  await expect(w.locator('.xxgk-form__related')).toContainText(REPORT_ID);
  // Back to the catalogue returns to the entry.
  await w.getByRole('link', { name: '返回公开目录' }).click();
  await expect(w.locator('.xxgk-detail__title')).toHaveText(title);
  await expect(w.locator('.xxgk-detail__title')).toBeFocused();
  await expect(w.locator('.xxgk-panel')).toHaveCount(0);
});

test.describe('looking up', () => {
  // An unknown code is a 404, which the browser reports in the console.
  test.use({ expectedConsole: [/status of 404/] });

test('a Hong Kong applicant applies with a +852 number, and another with only an email address', async ({ page }) => {
  const w = await openForm(page);
  await fillRequest(w, unique('香港申请人'));
  await w.getByRole('radio', { name: '港澳居民来往内地通行证' }).check();
  await field(w, 'id_number').fill('H12345678');
  await field(w, 'phone').fill('+852 9123 4567');
  const code = await send(w);
  const row = staff(DB, 'export', '--format', 'csv').split('\n').find((line) => line.startsWith(code));
  expect(row).toContain('+852 9123 4567');
  expect(row).toContain('港澳居民来往内地通行证');

  // No telephone at all: an email address is a way to reach the author.
  await w.getByRole('button', { name: '再写一条' }).click();
  await fillComplaint(w, unique('只留邮箱'));
  await field(w, 'phone').fill('');
  await w.locator('.xxgk-form__submit').click();
  await expect(w.locator('#xxgk-phone-error')).toHaveText('请至少填写一种联系方式：联系电话、电子邮箱或通讯地址。');
  await field(w, 'email').fill('applicant@example.hk');
  await expect(field(w, 'phone')).toHaveAttribute('aria-required', 'false');
  const second = await send(w);
  expect(second).toMatch(CODE);
});

test('a disclosure request shows 待确认, then its received and due dates once staff confirm it, then the decision', async ({ page }) => {
  const w = await openForm(page);
  await fillRequest(w, unique('申请公开时限'));
  const code = await send(w);
  await w.getByRole('link', { name: '查询办理结果' }).first().click();
  await lookUp(w, code);
  const card = w.locator('.xxgk-form__status');
  await expect(w.locator('.xxgk-form__status-label')).toHaveText('待确认');
  await expect(card).toContainText('工作人员确认受理后，从次日起计算，20 个工作日内答复。');
  await expect(card).not.toContainText('受理日期');

  staff(DB, 'case', 'confirm', code, '--calendar', CALENDAR);
  const shown = JSON.parse(staff(DB, 'case', 'show', code, '--json', '--calendar', CALENDAR));
  expect(shown.status).toBe('in-progress');
  // Typed with a Chinese input method in full-width mode, in lower case,
  // with a full-width space: the same code.
  const fullWidth = [...code.toLowerCase()]
    .map((c, i) => (i === 4 ? '\u3000' : '') + String.fromCharCode(c.charCodeAt(0) + 0xfee0))
    .join('');
  await lookUp(w, fullWidth);
  await expect(w.locator('.xxgk-form__status-label')).toHaveText('办理中');
  await expect(term(w, '受理日期')).toHaveText(zhDate(shown.received));
  await expect(term(w, '答复期限')).toHaveText(zhDate(shown.due));
  await expect(card).not.toContainText('工作人员确认受理后');

  // Asked to clarify: the clock stops, and the applicant is told what
  // to do and by when.
  execFileSync(SERVER, ['case', 'clarify', code, '--text-file', '-', '--calendar', CALENDAR, '--db', DB],
    { input: '请写明所需信息的年份。', encoding: 'utf8' });
  await lookUp(w, code);
  await expect(w.locator('.xxgk-form__status-label')).toHaveText('待补正');
  await expect(term(w, '补正期限')).toContainText('逾期未补正的，视为放弃申请');
  await expect(w.locator('.xxgk-form__status dt', { hasText: '答复期限' })).toHaveCount(0);
  staff(DB, 'case', 'clarified', code, '--calendar', CALENDAR);

  execFileSync(SERVER, ['case', 'decide', code, '--outcome', 'unavailable', '--reason', '1', '--text-file', '-', '--calendar', CALENDAR, '--db', DB],
    { input: '经查，本机关不掌握该信息，建议向县财政局申请。', encoding: 'utf8' });
  await lookUp(w, code);
  await expect(w.locator('.xxgk-form__status-label')).toHaveText('已答复');
  await expect(term(w, '答复结果')).toHaveText('无法提供（本机关不掌握相关政府信息）');
  await expect(card).not.toContainText('答复期限');
  await expect(w.locator('.xxgk-form__answer')).toContainText('建议向县财政局申请');
  // Nothing personal comes back.
  await expect(card).not.toContainText('李四');
  await expect(card).not.toContainText(ID_NUMBER);
});

test('on the demo page, staff reply from the command line, and the citizen reads it by the code', async ({ page }) => {
  // The demo portal's wide column has data-feedback; its side column not.
  await page.goto('/');
  await ready(page, 0);
  await expect(widget(page, 0).locator('.xxgk-feedback')).toHaveCount(0);
  const w = await openForm(page, '/', 1);
  await fillComplaint(w, unique('路灯维修'));
  const code = await send(w);
  await w.getByRole('link', { name: '查询办理结果' }).first().click();
  await expect(w.locator('.xxgk-form__heading')).toHaveText('查询办理结果');
  // The code just received is not filled in for whoever comes next.
  await expect(w.locator('#xxgk-check-code')).toHaveValue('');
  await w.locator('#xxgk-check-code').fill(code);
  // Before the reply it is waiting.
  await w.getByRole('button', { name: '查询', exact: true }).click();
  await expect(w.locator('.xxgk-form__status-label')).toHaveText('待审核');

  staff(DB, 'reply', code, '--text', '已安排电工于本周五前修复，感谢您的反映。');
  // Typed as a citizen might: lower case, with spaces.
  const spaced = code.toLowerCase().replace(/(....)/g, '$1 ');
  await w.locator('#xxgk-check-code').fill(spaced);
  await w.getByRole('button', { name: '查询', exact: true }).click();
  await expect(w.locator('.xxgk-form__status-label')).toHaveText('已答复');
  await expect(w.locator('.xxgk-form__answer')).toHaveText('已安排电工于本周五前修复，感谢您的反映。');
  // No personal data comes back with the status.
  await expect(w.locator('.xxgk-form__status')).not.toContainText('张三');

  await w.locator('#xxgk-check-code').fill('ABCDEFGHJKMN');
  await w.getByRole('button', { name: '查询', exact: true }).click();
  await expect(w.locator('.xxgk-form__alert')).toContainText('没有这个查询码');
});

});

test("the panel's links keep what another widget on the page did meanwhile", async ({ page }) => {
  const w = await openForm(page, '/', 1);
  const side = widget(page, 0);
  await side.getByRole('link', { name: '下一页' }).click();
  expect(await hashParams(page, 'side')).toMatchObject({ 'side.p': '2' });
  await w.getByRole('link', { name: '答复公开' }).click();
  await expect(w.locator('.xxgk-form__heading')).toHaveText('答复公开');
  expect(await hashParams(page, 'side')).toMatchObject({ 'side.p': '2' });
  await w.getByRole('link', { name: '返回公开目录' }).click();
  await expect(w.locator('.xxgk-panel')).toHaveCount(0);
  expect(await hashParams(page, 'side')).toMatchObject({ 'side.p': '2' });
});

test('the public list shows only the public text a reviewer approved, where its author consented, and no personal data', async ({ page }) => {
  const w = await openForm(page);
  const open = unique('公开的留言');
  await fillComplaint(w, open);
  await w.getByRole('checkbox', { name: /同意公开/ }).check();
  const shown = await send(w);
  await w.getByRole('button', { name: '再写一条' }).click();
  const closed = unique('不公开的留言');
  await fillComplaint(w, closed);
  const hidden = await send(w);
  staff(DB, 'reply', shown, '--text', '答复甲：张三您好，已处理。');
  staff(DB, 'reply', hidden, '--text', '答复乙：已处理。');
  // A reply is published only as the public text a reviewer approves.
  execFileSync(SERVER, ['publish', shown, '--subject', open, '--text-file', '-', '--db', DB],
    { encoding: 'utf8', input: '答复甲：经核实，已处理。' });
  // The list may be up to a second older than the database while other
  // tests keep writing to it (Settings::replies_fresh, crates/server/src/api.rs).
  await page.waitForTimeout(1100);

  await w.getByRole('link', { name: '答复公开' }).click();
  await expect(w.locator('.xxgk-form__heading')).toHaveText('答复公开');
  const item = w.locator('.xxgk-form__reply', { hasText: open });
  await expect(item).toContainText('答复甲：经核实，已处理。');
  await expect(item).toContainText('已答复');
  // This year's figures, messages and disclosure requests apart, in
  // working days (other tests send requests to the same server, or not yet).
  await expect(w.locator('.xxgk-form__stats')).toHaveText(new RegExp(
    '^今年收到留言 \\d+ 件，已答复 \\d+ 件（\\d{1,3}%），其中 \\d+ 件在 15 个工作日内答复，答复用时的中位数(为 \\d+ 个|不足 1 个)工作日；' +
    '(还没有收到政府信息公开申请|收到政府信息公开申请 \\d+ 件，已答复 \\d+ 件（\\d{1,3}%）(，其中 \\d+ 件在法定期限内答复，答复用时的中位数(为 \\d+ 个|不足 1 个)工作日)?)。$'));
  const text = await w.locator('.xxgk-panel').textContent();
  expect(text).not.toContain(closed);
  expect(text).not.toContain('答复乙');
  expect(text).not.toContain('张三您好');
  expect(text).not.toContain('张三');
  expect(text).not.toContain('139 1234 5678');
  expect(text).not.toContain(shown);
});

test("a message's lookup names its last day to be answered, and the public figures count this year's messages and requests apart by the county's reply period", async ({ page }) => {
  const port = 8095;
  const db = freshDb('reply-days');
  const server = await startServer(port, db, ['--allow-origin', 'http://127.0.0.1:8091', '--calendar', CALENDAR, '--reply-days', '5']);
  try {
    const w = await openForm(page, `/e2e/feedback.html?feedback=http://127.0.0.1:${port}/`);
    // Nothing received yet: the figures say so, and name no rate.
    await w.getByRole('link', { name: '答复公开' }).click();
    const stats = w.locator('.xxgk-form__stats');
    await expect(stats).toHaveText('今年还没有收到留言和政府信息公开申请。');
    await w.getByRole('link', { name: '我要留言' }).click();
    await fillComplaint(w, unique('答复期限'));
    const message = await send(w);
    await w.getByRole('button', { name: '再写一条' }).click();
    await fillRequest(w, unique('申请不计入留言'));
    await send(w);

    await w.getByRole('link', { name: '查询办理结果' }).first().click();
    await lookUp(w, message);
    const card = w.locator('.xxgk-form__status');
    await expect(w.locator('.xxgk-form__status-label')).toHaveText('待审核');
    const today = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
    const replyBy = (await term(w, '答复期限').textContent()).trim();
    const [, y, m, d] = /^(\d{4})年(\d{1,2})月(\d{1,2})日$/.exec(replyBy) || [];
    expect(y).toBeDefined();
    expect(`${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}` > today).toBe(true);

    staff(db, 'reply', message, '--text', '已安排维修。');
    await lookUp(w, message);
    await expect(w.locator('.xxgk-form__status-label')).toHaveText('已答复');
    await expect(card).not.toContainText('答复期限');
    // The list is worked out at most once a second.
    await page.waitForTimeout(1100);
    await w.getByRole('link', { name: '答复公开' }).click();
    await expect(stats).toHaveText(
      '今年收到留言 1 件，已答复 1 件（100%），其中 1 件在 5 个工作日内答复，答复用时的中位数不足 1 个工作日；' +
      '收到政府信息公开申请 1 件，已答复 0 件（0%）。');
  } finally {
    await server.stop();
  }
});

test('on a phone in large-text mode the form fits the screen and its targets are large', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  const w = await openForm(page);
  await w.getByRole('button', { name: '长者模式' }).click();
  await w.getByRole('radio', { name: '申请公开政府信息' }).check();
  const fits = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  expect(fits).toBe(true);
  for (const key of ['subject', 'phone', 'id_number']) {
    const box = await field(w, key).boundingBox();
    expect(box.height).toBeGreaterThanOrEqual(44);
    expect(box.x + box.width).toBeLessThanOrEqual(360);
  }
  const targets = [
    w.locator('.xxgk-form__option').first(),
    w.locator('.xxgk-form__consent .xxgk-form__option'),
    w.locator('.xxgk-form__tab').first(),
    w.locator('.xxgk-form__submit'),
  ];
  for (const target of targets) {
    const box = await target.boundingBox();
    expect(box.height).toBeGreaterThanOrEqual(44);
    expect(box.x + box.width).toBeLessThanOrEqual(360);
  }
  const size = await field(w, 'subject').evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
  expect(size).toBeGreaterThanOrEqual(20);
});

test.describe("with the browser's back-forward cache", () => {
  /**
   * Runs `run` with a page of a Chromium that keeps pages in its
   * back-forward cache, as the browser of a shared computer does and
   * Playwright's does not (it adds --disable-back-forward-cache); the
   * console is held to what every test's is.
   */
  async function withCache(playwright, run) {
    const { launchOptions, baseURL } = config.use;
    const browser = await playwright.chromium.launch({ ...launchOptions, ignoreDefaultArgs: ['--disable-back-forward-cache'] });
    try {
      const page = await browser.newPage({ baseURL, viewport: { width: 1024, height: 900 } });
      const messages = [];
      page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') messages.push(`${m.type()}: ${m.text()}`); });
      page.on('pageerror', (e) => messages.push(`pageerror: ${e.message}`));
      await run(page);
      expect(messages, 'the browser console stays clean').toEqual([]);
    } finally {
      await browser.close();
    }
  }

  /** Leaves the page for another, then goes Back to it as the cache kept it. */
  async function leaveAndComeBack(page) {
    await page.evaluate(() => addEventListener('pageshow', (e) => { window.restoredFromCache = e.persisted; }));
    await page.goto('/e2e/light.html');
    await page.goBack({ waitUntil: 'commit' });
    await expect.poll(() => page.evaluate(() => window.restoredFromCache).catch(() => null)).toBe(true);
  }

  test('Back after leaving the page brings back neither the ID number nor a lookup code', ({ playwright }) => withCache(playwright, async (page) => {
    const w = await openForm(page);
    const subject = unique('离开后返回');
    await fillRequest(w, subject);
    await leaveAndComeBack(page);
    // What outlives the visit is what a reload brings back: all but the ID number.
    await expect(field(w, 'subject')).toHaveValue(subject);
    await expect(field(w, 'id_number')).toHaveValue('');
    await expect(w.locator('#xxgk-id_number-hint')).toContainText('离开页面后请重新填写');
    await field(w, 'id_number').fill(ID_NUMBER);
    const code = await send(w);
    await leaveAndComeBack(page);
    await expect(w.locator('.xxgk-form__heading')).toHaveText('我要留言');
    await expect(w.locator('.xxgk-form__code')).toHaveCount(0);
    await w.getByRole('link', { name: '查询办理结果' }).click();
    await w.locator('#xxgk-check-code').fill(code);
    await w.getByRole('button', { name: '查询', exact: true }).click();
    // A disclosure request waits for staff to confirm it.
    await expect(w.locator('.xxgk-form__status-label')).toHaveText('待确认');
    await leaveAndComeBack(page);
    await expect(w.locator('#xxgk-check-code')).toHaveValue('');
    await expect(w.locator('.xxgk-form__status')).toHaveCount(0);
    await expect(w.locator('.xxgk-panel')).not.toContainText(code);
  }));

  test('on a widget for a shared device, Back after leaving the page shows nothing the last person typed', ({ playwright }) => withCache(playwright, async (page) => {
    const w = await openForm(page, '/e2e/feedback.html?shared');
    await fillRequest(w, unique('服务大厅离开'));
    await leaveAndComeBack(page);
    await expect(w.locator('.xxgk-form__heading')).toHaveText('我要留言');
    await expect(w.getByRole('radio', { name: '咨询' })).toBeChecked();
    await w.getByRole('radio', { name: '申请公开政府信息' }).check();
    for (const key of ['subject', 'body', 'id_number', 'description', 'name', 'phone']) await expect(field(w, key), key).toHaveValue('');
  }));
});

test.describe('an organisation applies', () => {
  // The server's refusal is a failed request, which the browser reports.
  test.use({ expectedConsole: [[/status of 422/], { scope: 'test' }] });

  test('by its name, unified social credit code and representative; a wrong check character is refused by the form and by the server', async ({ page }) => {
    const w = await openForm(page);
    await fillRequest(w, unique('律所申请'));
    await w.getByRole('radio', { name: '法律服务机构' }).check();
    // An organisation shows no identity document; it gives its own details.
    await expect(w.locator('[data-field=id_number]')).toHaveCount(0);
    await expect(w.locator('label[for="xxgk-credit_code"]')).toContainText('（必填）');
    await field(w, 'organisation').fill('安徽广德某某律师事务所');
    await field(w, 'representative').fill('王五');
    // One character copied wrong: the form says so beside the field, and sends nothing.
    let sent = 0;
    page.on('request', (r) => { if (r.url().includes('/api/feedback')) sent += 1; });
    await field(w, 'credit_code').fill('31341800MD00123459');
    await w.locator('.xxgk-form__submit').click();
    await expect(w.locator('#xxgk-credit_code-error')).toContainText('校验码');
    await expect(field(w, 'credit_code')).toBeFocused();
    expect(sent).toBe(0);

    // A form that let it through (an old or altered page): the server
    // refuses it too, and its message stands beside the field.
    await field(w, 'credit_code').fill('31341800md00123458');
    await expect(w.locator('#xxgk-credit_code-error')).toHaveText('');
    await page.route('**/api/feedback', async (route) => {
      const body = JSON.parse(route.request().postData());
      body.request.credit_code = '31341800MD00123459';
      await route.continue({ postData: JSON.stringify(body) });
    });
    await w.locator('.xxgk-form__submit').click();
    await expect(w.locator('#xxgk-credit_code-error')).toContainText('校验码');
    await expect(field(w, 'credit_code')).toHaveValue('31341800md00123458');
    await page.unroute('**/api/feedback');

    // The valid code, typed in lower case, goes through as printed on the licence.
    await field(w, 'credit_code').fill('31341800md00123458');
    const code = await send(w);
    const row = staff(DB, 'export', '--format', 'csv').split('\n').find((line) => line.startsWith(code));
    expect(row).toContain('法律服务机构');
    expect(row).toContain('31341800MD00123458');
    expect(row).toContain('安徽广德某某律师事务所');
    // The identity number typed before the applicant was changed is not sent.
    expect(row).not.toContain(ID_NUMBER);
    const shown = JSON.parse(staff(DB, 'case', 'show', code, '--json', '--calendar', CALENDAR));
    expect(shown.applicant).toBe('legal-service');
  });
});
