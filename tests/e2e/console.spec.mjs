// The staff console in Chromium against a real receiver with its own
// SQLite file: staff log in, see numbers masked in the list and in full on
// the case page, assign, draft, approve and publish; a handler sees only
// their village's cases and cannot decide; a page on another site cannot
// act; and the audit log shows who did and saw what.
import { test, expect, widget, ready } from './fixtures.mjs';
import { CALENDAR } from './playwright.config.mjs';
import { spawn, execFileSync } from 'node:child_process';
import { rmSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const SERVER = fileURLToPath(new URL('../../target/native/xxgk-server', import.meta.url));
const DB = fileURLToPath(new URL('../../target/e2e/console.db', import.meta.url));
const PUBLIC = 8096;
const CONSOLE = 8097;
const STAFF = `http://127.0.0.1:${CONSOLE}`;
const PASSWORDS = {
  管理员: 'admin password 2026',
  受理员: 'intake password 2026',
  村干部: 'handler password 2026',
  审核员: 'review password 2026',
};

/** Runs a staff command on the test's database. */
function staff(args, input) {
  return execFileSync(SERVER, [...args, '--db', DB], { encoding: 'utf8', input });
}

/** Sends a submission to the receiver as the widget would; its code. */
async function submit(body) {
  const response = await fetch(`http://127.0.0.1:${PUBLIC}/api/feedback`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: 'http://127.0.0.1:8091' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(201);
  return (await response.json()).code;
}

const MESSAGE = {
  kind: 'complaint',
  subject: '村口路灯坏了三个月',
  body: '东亭村村口到小学的路灯坏了三个月，晚上孩子放学很危险。',
  name: '张三',
  phone: '13912345678',
  consent_to_publish: true,
  client_key: 'console-message-1',
};
const REQUEST = {
  kind: 'disclosure_request',
  subject: '申请公开低保户名单',
  body: '请提供本村低保户名单。',
  name: '李四',
  phone: '13905631234',
  request: {
    applicant: 'person',
    description: '东亭村农村低保对象名单',
    format: 'paper',
    delivery: 'collect',
    id_type: 'resident_card',
    id_number: '11010519491231002X',
  },
  client_key: 'console-request-1',
};

let server;
let message;
let request;

test.describe.configure({ mode: 'serial' });
// Refusals are pages with their HTTP status, which Chromium notes.
test.use({ expectedConsole: [/Failed to load resource: the server responded with a status of (401|403|422)/] });

test.beforeAll(async () => {
  for (const f of [DB, `${DB}-wal`, `${DB}-shm`]) rmSync(f, { force: true });
  mkdirSync(dirname(DB), { recursive: true });
  staff(['staff', 'add', '管理员', '--role', 'admin', '--password-stdin'], `${PASSWORDS.管理员}\n`);
  for (const [name, role, unit] of [['受理员', 'intake', ''], ['村干部', 'handler', '东亭村'], ['审核员', 'reviewer', '']]) {
    staff(['staff', 'add', name, '--role', role, '--unit', unit, '--password-stdin', '--as', '管理员'], `${PASSWORDS[name]}\n`);
  }
  const child = spawn(SERVER, ['serve', '--listen', `127.0.0.1:${PUBLIC}`, '--staff-listen', `127.0.0.1:${CONSOLE}`,
    '--db', DB, '--calendar', CALENDAR, '--allow-origin', 'http://127.0.0.1:8091'], { stdio: 'ignore' });
  server = { stop: () => new Promise((done) => { child.once('exit', done); child.kill('SIGKILL'); }) };
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${STAFF}/login`)).ok) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  message = await submit(MESSAGE);
  request = await submit(REQUEST);
});

test.afterAll(async () => {
  await server?.stop();
});

async function logIn(page, name, password = PASSWORDS[name]) {
  await page.goto(`${STAFF}/login`);
  await page.getByLabel('账号', { exact: true }).fill(name);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await page.getByRole('button', { name: '登录' }).click();
}

/** The text of the whole page. */
const text = (page) => page.locator('body').innerText();

test('staff log in; a wrong password or an unknown name is refused alike', async ({ page }) => {
  await logIn(page, '受理员', 'not the password');
  await expect(page.getByRole('alert')).toHaveText(/账号或密码不对/);
  const wrong = await page.getByRole('alert').textContent();
  await logIn(page, '没有这个人', 'not the password');
  await expect(page.getByRole('alert')).toHaveText(wrong);
  await expect(page.getByLabel('密码', { exact: true })).toHaveValue('');

  await logIn(page, '受理员');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('案件');
  await expect(page.getByText('受理员（受理）')).toBeVisible();
  // The session cookie is out of scripts' reach and never sent cross-site.
  const cookie = (await page.context().cookies()).find((c) => c.name === '__Host-xxgk-staff');
  expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/' });
  await page.getByRole('button', { name: '退出' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('登录');
  await page.goto(`${STAFF}/`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('登录');
});

test('the list masks phone and identity numbers; the case page shows them in full to intake', async ({ page }) => {
  await logIn(page, '受理员');
  const row = page.getByRole('row').filter({ hasText: request });
  await expect(row).toContainText('139*****234');
  await expect(row).toContainText('1101************2X');
  const list = await text(page);
  expect(list).not.toContain('13905631234');
  expect(list).not.toContain('11010519491231002X');
  expect(list).not.toContain('李四');

  await row.getByRole('link', { name: request }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`案件 ${request}`);
  const page_ = await text(page);
  expect(page_).toContain('11010519491231002X');
  expect(page_).toContain('13905631234');
  expect(page_).toContain('李四');

  // Intake assigns the message to the village in charge.
  await page.goto(`${STAFF}/cases/${message}`);
  await page.locator('summary', { hasText: '转办' }).click();
  await page.getByLabel('转办到（办公室或村）').selectOption('东亭村');
  await page.getByRole('button', { name: '转办' }).click();
  await expect(page.getByRole('status')).toHaveText('已办理：转办');
  // Intake may not decide: the step is not offered.
  await expect(page.locator('summary', { hasText: '批准答复' })).toHaveCount(0);
});

test('a handler sees only their village’s cases, drafts an answer, and cannot decide or see others', async ({ page }) => {
  await logIn(page, '村干部');
  await expect(page.getByRole('link', { name: message })).toBeVisible();
  await expect(page.getByRole('link', { name: request })).toHaveCount(0);
  await page.goto(`${STAFF}/cases/${request}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('没有这个权限');
  expect(await text(page)).not.toContain('11010519491231002X');

  await page.goto(`${STAFF}/cases/${message}`);
  await expect(page.locator('summary', { hasText: '批准答复' })).toHaveCount(0);
  await page.locator('summary', { hasText: '拟稿送审' }).click();
  await page.getByLabel('答复正文（只给提交人看）').fill('张三您好：路灯已于本周修复，联系电话13912345678的回访已完成。');
  await page.getByLabel(/^公开标题/).fill('村口路灯已修复');
  await page.getByLabel(/^公开内容/).fill('经核实，东亭村村口路灯已于本周修复。');
  await page.getByRole('button', { name: '拟稿送审' }).click();
  await expect(page.getByRole('status')).toHaveText('已办理：拟稿送审');
  await expect(page.getByText('草稿待审核').first()).toBeVisible();

  // The same form, turned into a decision by hand, is refused on the server.
  await page.locator('summary', { hasText: '拟稿送审' }).click();
  const form = page.locator('form', { has: page.getByRole('button', { name: '拟稿送审' }) });
  await form.locator('input[name=do]').evaluate((input) => { input.value = 'answer'; });
  await page.getByRole('button', { name: '拟稿送审' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('没有这个权限');
  const shown = JSON.parse(staff(['case', 'show', message, '--json', '--as', '审核员']));
  expect(shown.status).toBe('received');
});

test('a reviewer approves the answer and its public text; the widget lists the public text, never the private one', async ({ page }) => {
  await logIn(page, '审核员');
  await page.goto(`${STAFF}/?state=draft`);
  await page.getByRole('link', { name: message }).click();
  await page.locator('summary', { hasText: '批准答复' }).click();
  const form = page.locator('form', { has: page.getByRole('button', { name: '批准答复' }) });
  await expect(form.getByLabel('答复正文（只给提交人看）')).toHaveValue(/张三您好/);
  await form.getByRole('checkbox', { name: /同时批准公开/ }).check();
  await expect(form.getByLabel(/^公开内容/)).toHaveValue('经核实，东亭村村口路灯已于本周修复。');
  await form.getByRole('button', { name: '批准答复' }).click();
  await expect(page.getByRole('status')).toHaveText('已办理：批准答复');
  await expect(page.getByText('已公开').first()).toBeVisible();

  // The list is worked out at most once a second.
  await page.waitForTimeout(1100);
  await page.goto(`http://127.0.0.1:8091/e2e/feedback.html?feedback=http://127.0.0.1:${PUBLIC}/`);
  await ready(page);
  const w = widget(page);
  await w.locator('.xxgk-feedback').click();
  await w.getByRole('link', { name: '答复公开' }).click();
  const item = w.locator('.xxgk-form__reply', { hasText: '村口路灯已修复' });
  await expect(item).toContainText('经核实，东亭村村口路灯已于本周修复。');
  const panel = await w.locator('.xxgk-panel').textContent();
  expect(panel).not.toContain('张三您好');
  expect(panel).not.toContain('13912345678');
  expect(panel).not.toContain(MESSAGE.subject);
});

test('a form on another site cannot act in the console, even with a token', async ({ page }) => {
  await logIn(page, '受理员');
  await page.goto(`${STAFF}/cases/${request}`);
  const token = await page.locator('input[name=csrf]').first().inputValue();
  // A page elsewhere (another origin) posts to the console in the same browser.
  await page.goto('http://127.0.0.1:8091/e2e/feedback.html');
  await page.evaluate(({ action, token }) => {
    const form = document.createElement('form');
    form.method = 'post';
    form.action = action;
    for (const [name, value] of [['csrf', token], ['do', 'confirm'], ['on', '']]) {
      const input = document.createElement('input');
      input.name = name;
      input.value = value;
      form.append(input);
    }
    document.body.append(form);
    form.submit();
  }, { action: `${STAFF}/cases/${request}`, token });
  await page.waitForURL(`${STAFF}/cases/${request}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/请求被拒绝|请先登录/);
  const shown = JSON.parse(staff(['case', 'show', request, '--json', '--as', '受理员']));
  expect(shown.status).toBe('unconfirmed');
});

test('intake registers a paper request: a mistake is named at its field, nothing typed is lost, and the request is confirmed that day', async ({ page }) => {
  await logIn(page, '受理员');
  await page.getByRole('link', { name: '登记纸质申请' }).click();
  await page.getByLabel('申请人姓名（或经办人）').fill('王五');
  await page.getByLabel('联系电话').fill('13800001111');
  await page.getByLabel('证件号码').fill('110105194912310021');
  await page.getByLabel(/^标题/).fill('申请公开村道改造预算');
  await page.getByLabel('所需信息的内容描述').fill('2024年东亭村村道改造工程的预算和中标结果');
  await page.getByLabel(/^申请内容/).fill('本人申请公开东亭村村道改造工程的预算和中标结果。');
  await page.getByRole('button', { name: '登记并确认受理' }).click();
  // The identity number's check digit is wrong: said at the field, the rest kept.
  await expect(page.getByRole('alert')).toContainText('1 处要改');
  await expect(page.getByLabel('申请人姓名（或经办人）')).toHaveValue('王五');
  await expect(page.getByLabel('所需信息的内容描述')).toHaveValue('2024年东亭村村道改造工程的预算和中标结果');
  await expect(page.getByLabel('证件号码')).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('证件号码').fill('11010519491231002X');
  await page.getByRole('button', { name: '登记并确认受理' }).click();
  await expect(page.getByRole('status')).toContainText('登记纸质申请并确认受理');
  const code = (await page.getByRole('heading', { level: 1 }).textContent()).replace('案件 ', '');
  const shown = JSON.parse(staff(['case', 'show', code, '--json', '--as', '受理员']));
  expect(shown.status).toBe('in-progress');
  expect(shown.events.map((e) => [e.action, e.actor])).toEqual([['confirm', '受理员']]);
});

test('the audit page lists every login, showing of personal data, step and refusal, and the administrator sees no case', async ({ page }) => {
  await logIn(page, '管理员');
  await page.goto(`${STAFF}/cases/${request}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('没有这个权限');
  await page.goto(`${STAFF}/audit`);
  const rows = page.getByRole('row');
  await expect(rows.filter({ hasText: '受理员' }).filter({ hasText: '查看个人信息' }).filter({ hasText: request })).not.toHaveCount(0);
  await expect(rows.filter({ hasText: '受理员' }).filter({ hasText: '办理' }).filter({ hasText: '转办' })).toHaveCount(1);
  await expect(rows.filter({ hasText: '村干部' }).filter({ hasText: '越权被拒' })).not.toHaveCount(0);
  await expect(rows.filter({ hasText: '审核员' }).filter({ hasText: '批准答复' })).toHaveCount(1);
  await expect(rows.filter({ hasText: '登录失败' })).not.toHaveCount(0);
  await expect(rows.filter({ hasText: '管理员' }).filter({ hasText: '越权被拒' })).not.toHaveCount(0);
  // Who saw this request's identity number: filtered by its code.
  await page.getByLabel('查询码').fill(request);
  await page.getByLabel('事项').selectOption({ label: '查看个人信息' });
  await page.getByRole('button', { name: '筛选' }).click();
  const seen = page.getByRole('row').filter({ hasText: request });
  await expect(seen).not.toHaveCount(0);
  for (const line of await seen.allInnerTexts()) expect(line).toContain('受理员');
  // Nothing on the page changes or removes a row of the log.
  await expect(page.locator('main form[method=post]')).toHaveCount(0);
});
