// Two receivers on one PostgreSQL database behind a real nginx that hands
// requests to them in turn (round robin), as a platform runs them: a
// citizen's codes are unique and found through either receiver, a retried
// submission gets its first code whichever receiver it reaches, a staff
// session made on one holds on the other, and with one receiver killed
// nginx passes everything to the other. nginx's access log names the
// receiver that answered each request, so the test knows which one did.
// nginx comes from Debian (`make tools-nginx`), PostgreSQL too
// (`make tools-postgres`, tests/e2e/postgres.mjs).
import { test, expect, widget, ready } from './fixtures.mjs';
import { CALENDAR } from './playwright.config.mjs';
import { startCluster } from './postgres.mjs';
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SERVER = fileURLToPath(new URL('../../target/native/xxgk-server', import.meta.url));
const DIST = fileURLToPath(new URL('../../dist', import.meta.url));
const SITE = fileURLToPath(new URL('site', import.meta.url));
const NGINX = '/usr/sbin/nginx';
const CODE = /^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{12}$/;
const PASSWORDS = { 管理员: 'admin password 2026', 受理员: 'intake password 2026' };

const MESSAGE = {
  kind: 'complaint',
  subject: '村口路灯坏了三个月',
  body: '东亭村村口到小学的路灯坏了三个月，晚上孩子放学很危险。',
  name: '张三',
  phone: '13912345678',
  consent_to_publish: false,
};

// nginx's folder, the database, the processes, and nginx's two sites:
// the public one (the widget's pages and the API) and the staff desk.
let dir;
let cluster;
let db;
let nginx;
const receivers = [];
let site;
let desk;

/** A port no one listens on now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A child process, stopped at once (SIGKILL) by `kill()`. */
function stoppable(child) {
  return {
    child,
    kill: () => new Promise((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', done);
      child.kill('SIGKILL');
    }),
  };
}

/**
 * Starts a receiver on `database` with its staff console, both on free
 * ports, behind nginx; resolves once both listen, with their addresses.
 */
async function startReceiver(database, origin) {
  const child = spawn(SERVER, ['serve', '--db', database, '--listen', '127.0.0.1:0', '--staff-listen', '127.0.0.1:0',
    '--trusted-proxy', '127.0.0.1', '--allow-origin', origin, '--calendar', CALENDAR,
    '--rate-burst', '1000', '--global-rate', '1000', '--read-burst', '1000'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const receiver = stoppable(child);
  receivers.push(receiver);
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const api = /receiving feedback at http:\/\/([^/\s]+)\//.exec(out);
      const staff = /staff console on http:\/\/([^/\s]+)\//.exec(out);
      if (api && staff) resolve(Object.assign(receiver, { api: api[1], staff: staff[1] }));
    });
    child.once('exit', (code) => reject(new Error(`the receiver exited with ${code}: ${out}${err}`)));
  });
}

/**
 * nginx's configuration: the public site serves the widget and the test
 * pages and passes /api/ to the receivers in turn, the staff site passes
 * everything to their consoles in turn, with the proxy headers the
 * README's files set. Each answer names nginx's id of its request, which
 * the access log pairs with the receiver that answered.
 */
function nginxConf({ publicPort, staffPort }) {
  const root = process.getuid() === 0 ? 'user root;' : '';
  return `master_process off; pid ${dir}/nginx.pid; ${root}
events { worker_connections 256; }
http {
    client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy;
    fastcgi_temp_path ${dir}/fastcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
    types {
        text/html html; text/css css; application/javascript js; application/json json;
        application/wasm wasm; text/plain txt;
    }
    default_type application/octet-stream;
    log_format instances '$request_id|$upstream_addr|$upstream_status|$status|$request_method $uri';
    access_log ${dir}/access.log instances;

    upstream receivers { server ${receivers[0].api}; server ${receivers[1].api}; }
    upstream consoles { server ${receivers[0].staff}; server ${receivers[1].staff}; }

    server {
        listen 127.0.0.1:${publicPort};
        root ${DIST};
        location / { try_files $uri @site; }
        location @site { root ${SITE}; }
        location /api/ {
            proxy_pass http://receivers;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header Forwarded "";
            proxy_set_header X-Forwarded-Proto $scheme;
            add_header X-Request-Id $request_id always;
        }
    }
    server {
        listen 127.0.0.1:${staffPort};
        location / {
            proxy_pass http://consoles;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $remote_addr;
            add_header X-Request-Id $request_id always;
        }
    }
}
`;
}

/** Resolves once nginx answers on `port`; fails with nginx's error log if it does not. */
async function listening(port) {
  try {
    await expect.poll(() => fetch(`http://127.0.0.1:${port}/`).then(() => true, () => false)).toBe(true);
  } catch (e) {
    const log = join(dir, 'error.log');
    throw new Error(`nginx did not start: ${existsSync(log) ? readFileSync(log, 'utf8') : ''}`, { cause: e });
  }
}

/** Runs a staff command on the shared database. */
function staff(args, input) {
  return execFileSync(SERVER, [...args, '--db', db], { encoding: 'utf8', input });
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  if (!existsSync(NGINX)) throw new Error('nginx is not installed: run `make tools-nginx` (Debian\'s nginx package)');
  dir = mkdtempSync(join(tmpdir(), 'xxgk-instances-'));
  cluster = startCluster();
  db = cluster.createDatabase('xxgk');
  const [publicPort, staffPort] = [await freePort(), await freePort()];
  site = `http://127.0.0.1:${publicPort}`;
  desk = `http://127.0.0.1:${staffPort}`;
  // Started together on an empty database: one of them makes the tables.
  await Promise.all([startReceiver(db, site), startReceiver(db, site)]);
  staff(['staff', 'add', '管理员', '--role', 'admin', '--password-stdin'], `${PASSWORDS.管理员}\n`);
  staff(['staff', 'add', '受理员', '--role', 'intake', '--password-stdin', '--as', '管理员'], `${PASSWORDS.受理员}\n`);
  for (const folder of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, folder));
  writeFileSync(join(dir, 'nginx.conf'), nginxConf({ publicPort, staffPort }));
  nginx = stoppable(spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log'), '-g', 'daemon off;'],
    { stdio: 'ignore' }));
  await listening(publicPort);
  await listening(staffPort);
});

test.afterAll(async () => {
  try {
    await nginx?.kill();
    for (const receiver of receivers) await receiver.kill();
  } finally {
    try {
      cluster?.stop();
    } finally {
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
  }
});

/**
 * The receiver that answered a request nginx passed on (its address), as
 * nginx's access log says: the last one tried, and all it tried.
 */
async function answeredBy(response) {
  const id = response.headers()['x-request-id'];
  expect(id, `nginx's id of ${response.url()}`).toBeTruthy();
  let line;
  // nginx writes a request's line after it has sent the answer.
  await expect.poll(() => {
    line = readFileSync(join(dir, 'access.log'), 'utf8').split('\n').find((l) => l.startsWith(`${id}|`));
    return line;
  }).toBeTruthy();
  const tried = line.split('|')[1].split(/,\s*/);
  return { by: tried.at(-1), tried };
}

/** The receiver other than the one at `address` (its public or staff address). */
function other(address) {
  const i = receivers.findIndex((r) => r.api === address || r.staff === address);
  expect(i, `${address} is one of the receivers`).toBeGreaterThanOrEqual(0);
  return receivers[1 - i];
}

/** A subject no other submission uses. */
function unique(words) {
  return `${words}${Math.random().toString(36).slice(2, 8)}`;
}

const field = (w, key) => w.locator(`[data-field=${key}]`).locator('input, textarea, select').first();

async function openForm(page) {
  await page.goto(`${site}/e2e/feedback.html`);
  await ready(page);
  const w = widget(page);
  await w.locator('.xxgk-feedback').click();
  await expect(w.locator('.xxgk-form__heading')).toHaveText('我要留言');
  return w;
}

async function fillComplaint(w, subject) {
  await w.getByRole('radio', { name: '投诉' }).check();
  await field(w, 'subject').fill(subject);
  await field(w, 'body').fill('东亭村村口到小学的路灯坏了三个月，晚上孩子放学很危险。');
  await field(w, 'name').fill('张三');
  await field(w, 'phone').fill('139 1234 5678');
}

async function fillRequest(w, subject) {
  await w.getByRole('radio', { name: '申请公开政府信息' }).check();
  await field(w, 'subject').fill(subject);
  await field(w, 'body').fill('用于了解本乡财政支出情况，请提供电子版。');
  await field(w, 'id_number').fill('11010519491231002X');
  await field(w, 'description').fill('东亭乡2016年三公经费决算明细表');
  await w.getByRole('radio', { name: '电子', exact: true }).check();
  await w.getByRole('radio', { name: '当面领取' }).check();
  await field(w, 'name').fill('李四');
  await field(w, 'phone').fill('13912345678');
}

/** Sends the form that is filled in: its code and the receiver that stored it. */
async function send(page, w) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/feedback'),
    w.locator('.xxgk-form__submit').click(),
  ]);
  await expect(w.locator('.xxgk-form__code')).toHaveText(CODE);
  const code = (await w.locator('.xxgk-form__code').textContent()).trim();
  const { by, tried } = await answeredBy(response);
  return { code, storedBy: by, tried };
}

/**
 * Looks `code` up in the open panel 查询办理结果 until a receiver other
 * than `storedBy` has answered (round robin: the first or the second
 * time), each time finding it with `status`.
 */
async function lookUpElsewhere(page, w, code, storedBy, status) {
  const answered = [];
  for (let i = 0; i < 4 && !answered.some((a) => a !== storedBy); i++) {
    await w.locator('#xxgk-check-code').fill(code);
    const [response] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === `/api/feedback/${code}`),
      w.getByRole('button', { name: '查询', exact: true }).click(),
    ]);
    expect(response.status(), `the lookup of ${code}`).toBe(200);
    await expect(w.locator('.xxgk-form__status-label')).toHaveText(status);
    answered.push((await answeredBy(response)).by);
  }
  expect(answered, `${code} stored by ${storedBy} is found through the other receiver`).toContain(other(storedBy).api);
}

/** Sends `body` straight to a receiver as the widget would: status and code. */
async function post(address, body) {
  const response = await fetch(`http://${address}/api/feedback`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: site },
    body: JSON.stringify(body),
  });
  return { status: response.status, code: (await response.json()).code };
}

test('submissions through nginx land on both receivers with distinct codes, each found through the other', async ({ page }) => {
  const w = await openForm(page);
  const sent = [];
  for (const fill of [fillComplaint, fillRequest, fillComplaint, fillComplaint]) {
    await fill(w, unique('路灯与公开申请'));
    sent.push({ ...(await send(page, w)), status: fill === fillRequest ? '待确认' : '待审核' });
    await w.getByRole('button', { name: '再写一条' }).click();
  }
  expect(new Set(sent.map((s) => s.storedBy)), 'both receivers stored submissions')
    .toEqual(new Set(receivers.map((r) => r.api)));
  expect(new Set(sent.map((s) => s.code)).size, 'the codes are distinct').toBe(sent.length);

  await w.getByRole('link', { name: '查询办理结果' }).first().click();
  for (const { code, storedBy, status } of sent) await lookUpElsewhere(page, w, code, storedBy, status);
  const listed = staff(['list', '--as', '受理员']);
  for (const { code } of sent) expect(listed).toContain(code);
});

test.describe('a submission sent again', () => {
  // The lost answer is a failed request, which the browser reports.
  test.use({ expectedConsole: [[/Failed to load resource/], { scope: 'test' }] });

  test('after its answer was lost, the retry reaches the other receiver and gets the first code', async ({ page }) => {
    const w = await openForm(page);
    const subject = unique('答复丢失');
    await fillComplaint(w, subject);
    let first;
    await page.route('**/api/feedback', async (route) => {
      const response = await route.fetch();
      first = { code: (await response.json()).code, ...(await answeredBy(response)) };
      await route.abort('connectionreset');
    });
    await w.locator('.xxgk-form__submit').click();
    await expect(w.locator('.xxgk-form__alert')).toContainText('暂时连不上受理系统');
    await page.unroute('**/api/feedback');
    expect(first.code).toMatch(CODE);

    const again = await send(page, w);
    expect(again.storedBy, 'the retry went to the other receiver').toBe(other(first.by).api);
    expect(again.code).toBe(first.code);
    await expect(w.locator('.xxgk-form__done-heading')).toHaveText('这份投诉此前已经收到');
    expect(staff(['list', '--as', '受理员']).split('\n').filter((l) => l.includes(subject))).toHaveLength(1);
  });
});

test('one body sent to each receiver directly, one after the other or both at once, is stored once under one code', async () => {
  const [a, b] = receivers.map((r) => r.api);
  const body = { ...MESSAGE, subject: unique('重复提交'), client_key: unique('instances-replay-') };
  const first = await post(a, body);
  expect(first.status).toBe(201);
  expect(first.code).toMatch(CODE);
  expect(await post(b, body)).toEqual({ status: 200, code: first.code });
  expect(await post(a, body)).toEqual({ status: 200, code: first.code });

  const racing = { ...MESSAGE, subject: unique('同时提交'), client_key: unique('instances-race-') };
  const both = await Promise.all([post(a, racing), post(b, racing)]);
  expect(both.map((r) => r.status).sort()).toEqual([200, 201]);
  expect(both[0].code).toMatch(CODE);
  expect(both[1].code).toBe(both[0].code);
  const listed = staff(['list', '--as', '受理员']).split('\n');
  for (const { subject } of [body, racing]) expect(listed.filter((l) => l.includes(subject))).toHaveLength(1);
});

test('a staff session made on one receiver holds on the other, and staff see what a citizen sent through nginx', async ({ page }) => {
  const subject = unique('村道积水');
  const submitted = await fetch(`${site}/api/feedback`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: site },
    body: JSON.stringify({ ...MESSAGE, subject, client_key: unique('instances-staff-') }),
  });
  expect(submitted.status).toBe(201);
  const { code } = await submitted.json();

  await page.goto(`${desk}/login`);
  await page.getByLabel('账号', { exact: true }).fill('受理员');
  await page.getByLabel('密码', { exact: true }).fill(PASSWORDS.受理员);
  const [login] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/login'),
    page.getByRole('button', { name: '登录' }).click(),
  ]);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('案件');
  const madeOn = (await answeredBy(login)).by;

  // Every page while logged in is the account's, whichever receiver
  // answers it; both do. A page load is the page and its stylesheet (the
  // browser's own request for an icon is answered here, at a time of its
  // choosing), and one request of the session follows each: three
  // requests, so that round robin gives the pages to each in turn.
  await page.route(`${desk}/favicon.ico`, (route) => route.fulfill({ status: 204 }));
  const served = new Set();
  for (let i = 0; i < 4 && served.size < 2; i++) {
    const response = await page.goto(i % 2 ? `${desk}/cases/${code}` : `${desk}/`);
    expect(response.status()).toBe(200);
    await expect(page.getByText('受理员（受理）')).toBeVisible();
    served.add((await answeredBy(response)).by);
    const single = await page.request.get(`${desk}/`, { maxRedirects: 0 });
    expect(single.status()).toBe(200);
    expect(await single.text()).toContain('受理员（受理）');
    served.add((await answeredBy(single)).by);
  }
  expect(served, 'both consoles served pages of the session').toEqual(new Set(receivers.map((r) => r.staff)));
  expect(served).toContain(other(madeOn).staff);

  await page.goto(`${desk}/`);
  await expect(page.getByRole('row').filter({ hasText: code })).toContainText(subject);
  await page.getByRole('link', { name: code }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`案件 ${code}`);
  await expect(page.locator('main')).toContainText(MESSAGE.body);
});

test('with one receiver killed, nginx passes submissions and lookups to the other', async ({ page }) => {
  const [dead, live] = receivers;
  await dead.kill();
  const w = await openForm(page);
  const sent = [];
  for (let i = 0; i < 2; i++) {
    await fillComplaint(w, unique('一台停机'));
    sent.push(await send(page, w));
    await w.getByRole('button', { name: '再写一条' }).click();
  }
  for (const { storedBy } of sent) expect(storedBy).toBe(live.api);
  // Round robin sent one of them to the dead receiver first.
  expect(sent.map((s) => s.tried).flat(), 'nginx tried the dead receiver').toContain(dead.api);
  await w.getByRole('link', { name: '查询办理结果' }).first().click();
  for (const { code } of sent) {
    await w.locator('#xxgk-check-code').fill(code);
    const [response] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === `/api/feedback/${code}`),
      w.getByRole('button', { name: '查询', exact: true }).click(),
    ]);
    await expect(w.locator('.xxgk-form__status-label')).toHaveText('待审核');
    expect((await answeredBy(response)).by).toBe(live.api);
  }
});
