// Receivers scaled out: several xxgk-server instances on one PostgreSQL
// behind nginx, one of them killed mid-load, against one instance on a
// SQLite file; and moving a store from SQLite to PostgreSQL.
//
// - PostgreSQL: a cluster of its own in a temporary folder, made with
//   Debian's initdb and started with pg_ctl on a Unix socket there (as
//   crates/pgtest does), with fsync on: every acknowledgement is durable.
// - kill: SCALE_INSTANCES (3) receivers on one database behind nginx
//   (round robin, `proxy_next_upstream error timeout`); SCALE_LOAD
//   (20,000) submissions from SCALE_CONCURRENCY (200) concurrent clients,
//   each with its own client key; after half of them are acknowledged one
//   receiver is killed with SIGKILL. A client whose request fails (no
//   answer, 502, 503, 504) sends the same body again, up to
//   SCALE_RETRIES (5) times with a doubling back-off from 100 ms, as a
//   citizen resends the form: the receivers deduplicate on the client
//   key, so a resend answers with the code already given. Afterwards
//   every acknowledged code (201, or 200 for a resend) must be stored
//   exactly once (`xxgk-server export`), and each submission at most once.
// - steady: the same receivers and load, nobody killed.
// - SQLite: the same load on one receiver with a fresh SQLite file
//   (WAL, synchronous=FULL), behind the same nginx.
// - copy: a SQLite store of SCALE_COPY (100,000) cases, made from cases
//   the server itself recorded (received, answered, published; their
//   history and alerts), copied onto an empty PostgreSQL database by
//   `xxgk-server db copy`; its wall time, the counts it printed, and the
//   copy read back (`export`, and lookups through a receiver on it).
//
//   node bench/scale/run.mjs [--no-write]
//
// Prints the table and writes it between the bench:scale markers in
// docs/benchmarks.md.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { quantile, median, writeSection } from '../lib.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const server = join(root, 'target/native/xxgk-server');
const NGINX = '/usr/sbin/nginx';
const LOAD = Number(process.env.SCALE_LOAD ?? 20000);
const CONCURRENCY = Number(process.env.SCALE_CONCURRENCY ?? 200);
const INSTANCES = Number(process.env.SCALE_INSTANCES ?? 3);
const RETRIES = Number(process.env.SCALE_RETRIES ?? 5);
const COPY = Number(process.env.SCALE_COPY ?? 100000);
const WRITE = !process.argv.includes('--no-write');
const BACKOFF_MS = 100;
/** Answers after which a client sends the same body again. */
const RETRIED = new Set([0, 502, 503, 504]);

const isRoot = process.getuid?.() === 0;
/** What to stop and remove on the way out, whatever happens. */
const cleanups = [];

/** A valid submission; `n` makes its client key, subject and text its own. */
function submission(n, run) {
  return {
    kind: ['consultation', 'suggestion', 'complaint', 'help'][n % 4],
    subject: `关于村道路灯的第${n}条反映`,
    body: `东亭村村口到小学的路灯坏了三个月，晚上孩子放学很危险，请尽快修复。编号${n}。`,
    name: '张三',
    phone: '13912345678',
    email: '',
    address: '',
    consent_to_publish: n % 2 === 0,
    related_item: '',
    client_key: `scale-${run}-${n}`,
    leave_blank: '',
  };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The newest installed PostgreSQL's binaries (Debian's layout). */
function postgresBin() {
  let versions = [];
  try {
    versions = readdirSync('/usr/lib/postgresql').filter((v) => /^\d+$/.test(v)).sort((a, b) => a - b);
  } catch { /* none */ }
  if (!versions.length) throw new Error('PostgreSQL is not installed: run `make tools-postgres` (Debian\'s postgresql package)');
  return `/usr/lib/postgresql/${versions.at(-1)}/bin`;
}

/**
 * A PostgreSQL cluster in `dir`, on a Unix socket there and no TCP port,
 * fsync on; as root its commands run as `postgres`, which owns the folder
 * (initdb refuses root). Stopped and removed on the way out.
 */
function startPostgres(dir) {
  const bin = postgresBin();
  chmodSync(dir, 0o700);
  if (isRoot) {
    const id = (flag) => Number(execFileSync('id', [flag, 'postgres']).toString().trim());
    chownSync(dir, id('-u'), id('-g'));
  }
  const run = (program, args) => {
    const [cmd, argv] = isRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, program), ...args]] : [join(bin, program), args];
    return execFileSync(cmd, argv, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  };
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  const stop = () => {
    try { run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']); } catch { /* not running */ }
  };
  cleanups.push(stop);
  run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-o',
    `-c listen_addresses='' -c unix_socket_directories='${dir}' -c max_connections=300`, 'start']);
  const psql = (db, sql) => execFileSync(join(bin, 'psql'), ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1',
    '-h', dir, '-U', 'postgres', '-d', db, '-c', sql]).toString().trim();
  return {
    version: psql('postgres', 'SHOW server_version').split(' ')[0],
    settings: psql('postgres', "SELECT string_agg(name || '=' || setting, ', ' ORDER BY name) FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'wal_sync_method')"),
    /** A new empty database's URL. */
    database(name) {
      psql('postgres', `CREATE DATABASE ${name}`);
      return `postgresql:///${name}?host=${dir}&user=postgres`;
    },
  };
}

/** A free TCP port on loopback. */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * Starts a receiver on a free port over `db`, with the rate limits out of
 * the way (the load is one address, nginx's, sending thousands) and nginx
 * as its trusted proxy; resolves with `{ proc, addr }`.
 */
async function startReceiver(db) {
  const proc = spawn(server, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--trusted-proxy', '127.0.0.1',
    '--rate-burst', '1000000', '--rate-seconds', '0.001', '--global-rate', '1000000',
    '--read-burst', '1000000', '--read-seconds', '0.001',
    '--max-connections-per-address', '100000', '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'pipe'] });
  cleanups.push(() => proc.kill('SIGKILL'));
  let log = '';
  proc.stderr.on('data', (d) => { log += d; });
  let out = '';
  const addr = await new Promise((resolve, reject) => {
    proc.stdout.on('data', (d) => {
      out += d;
      // Printed once the database is open.
      const m = /receiving feedback at http:\/\/([^/\s]+)\//.exec(out);
      if (m) resolve(m[1]);
    });
    proc.on('exit', (code) => reject(new Error(`server exited with ${code}: ${log}`)));
  });
  return { proc, addr, log: () => log };
}

async function stopReceiver(proc) {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  proc.kill('SIGTERM');
  await exited;
}

/**
 * nginx on a free loopback port in front of `addrs`, round robin, with a
 * pool of kept-alive connections to them; a receiver that refuses the
 * connection or does not take it within a second is passed over for the
 * next (nginx never sends a POST it has already sent to another).
 */
async function startNginx(dir, addrs) {
  if (!existsSync(NGINX)) throw new Error('nginx is not installed: run `make tools-nginx` (Debian\'s nginx package)');
  const port = await freePort();
  writeFileSync(join(dir, 'nginx.conf'), `
${isRoot ? 'user root;' : ''}
worker_processes auto;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy;
    fastcgi_temp_path ${dir}/fastcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
    upstream receivers {
${addrs.map((a) => `        server ${a};`).join('\n')}
        keepalive 64;
        keepalive_timeout 5s;
    }
    server {
        listen 127.0.0.1:${port};
        keepalive_requests 1000000;
        location / {
            proxy_pass http://receivers;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_next_upstream error timeout;
            proxy_connect_timeout 1s;
        }
    }
}
`);
  const proc = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log'), '-g', 'daemon off;'],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  cleanups.push(() => proc.kill('SIGKILL'));
  let said = '';
  proc.stderr.on('data', (d) => { said += d; });
  const started = performance.now();
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`nginx exited: ${said}`);
    const up = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => { s.destroy(); resolve(true); });
      s.once('error', () => resolve(false));
    });
    if (up) break;
    if (performance.now() - started > 10000) throw new Error(`nginx did not start: ${said}`);
    await sleep(50);
  }
  return {
    proc,
    base: `http://127.0.0.1:${port}`,
    /** Connections to a receiver that were refused (the request went to
     * the next), and requests a receiver dropped (answered 502). */
    errors() {
      const log = readFileSync(join(dir, 'error.log'), 'utf8');
      return {
        refused: (log.match(/connect\(\) failed/g) ?? []).length,
        cut: (log.match(/prematurely closed|reset by peer/g) ?? []).length,
      };
    },
    async stop() {
      const exited = new Promise((resolve) => proc.once('exit', resolve));
      proc.kill('SIGQUIT');
      await exited;
    },
  };
}

/** One attempt: the status (0 for no answer) and the code it gave. */
async function post(base, body) {
  try {
    const response = await fetch(`${base}/api/feedback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const text = await response.text();
    let code = null;
    try { code = JSON.parse(text).code ?? null; } catch { /* not JSON */ }
    return { status: response.status, code };
  } catch (e) {
    return { status: 0, error: String(e.cause?.code ?? e.message) };
  }
}

/**
 * A submission sent until it is answered, or RETRIES resends failed: the
 * final answer, the time from the first attempt to it, and every failed
 * attempt with when it ended.
 */
async function send(base, body) {
  const started = performance.now();
  const failed = [];
  for (let retry = 0; ; retry++) {
    const r = await post(base, body);
    if (!RETRIED.has(r.status) || retry === RETRIES) {
      return { ...r, ms: performance.now() - started, retries: retry, failed };
    }
    failed.push({ status: r.status, at: performance.now(), error: r.error });
    await sleep(BACKOFF_MS * 2 ** retry);
  }
}

/** Sends `count` submissions from `concurrency` loops; `onAck` hears each 201 or 200. */
async function load(base, count, concurrency, run, onAck = () => {}) {
  const results = new Array(count);
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) {
      const n = next++;
      const r = await send(base, JSON.stringify(submission(n, run)));
      results[n] = r;
      if (r.status === 201 || r.status === 200) onAck(n, r);
    }
  }));
  return { results, started, seconds: (performance.now() - started) / 1000 };
}

/** Every stored row's lookup code and submission number, from `xxgk-server export`. */
function storedRows(db, dir, name) {
  const out = join(dir, `${name}.csv`);
  execFileSync(server, ['export', '--format', 'csv', '--out', out, '--db', db]);
  const csv = readFileSync(out, 'utf8');
  rmSync(out);
  return csv.split('\r\n').slice(1).filter(Boolean).map((line) => {
    const cells = line.split(',');
    return { code: cells[0], n: Number(/第(\d+)条/.exec(cells[5])?.[1] ?? -1) };
  });
}

function count(items, key) {
  const out = {};
  for (const x of items) out[key(x)] = (out[key(x)] ?? 0) + 1;
  return out;
}

/**
 * The load through nginx onto `receivers` over `db`; with `kill`, the
 * first receiver gets SIGKILL after half the submissions are
 * acknowledged. What was answered, against what was stored.
 */
async function loadRun({ dir, name, db, receivers, kill }) {
  const nginx = await startNginx(join(dir, name), receivers.map((r) => r.addr));
  let acks = 0;
  let killedAt = null;
  let acksAtKill = 0;
  const { results, started, seconds } = await load(nginx.base, LOAD, CONCURRENCY, name, () => {
    acks++;
    if (kill && killedAt === null && acks >= LOAD / 2) {
      killedAt = performance.now();
      acksAtKill = acks;
      receivers[0].proc.kill('SIGKILL');
    }
  });
  await nginx.stop();
  const nginxErrors = nginx.errors();
  for (const r of receivers) await stopReceiver(r.proc);
  const stored = storedRows(db, dir, name);
  const rowsOf = count(stored, (s) => s.n);
  const codeOf = new Map(stored.map((s) => [s.n, s.code]));
  const acked = [];
  results.forEach((r, n) => { if (r.status === 201 || r.status === 200) acked.push(n); });
  const failed = results.flatMap((r) => r.failed);
  const ms = results.map((r) => r.ms);
  // A failed attempt more than a second after the kill (or any, without
  // one) is the receivers' fault, not the kill's.
  const strayFailures = failed.filter((f) => killedAt === null || f.at < killedAt || f.at > killedAt + 1000);
  return {
    name,
    instances: receivers.length,
    statuses: count(results, (r) => r.status),
    failedStatuses: count(failed, (f) => (f.status === 0 ? f.error : f.status)),
    strayFailures: strayFailures.length,
    retries: failed.length,
    retried: results.filter((r) => r.retries > 0).length,
    replays: results.filter((r) => r.status === 200).length,
    throughput: LOAD / seconds,
    seconds,
    p50: median(ms),
    p99: quantile(ms, 0.99),
    max: Math.max(...ms),
    acksAtKill,
    killedAfter: killedAt === null ? null : (killedAt - started) / 1000,
    signal: kill ? receivers[0].proc.signalCode : null,
    nginxErrors,
    acked: acked.length,
    stored: stored.length,
    missing: acked.filter((n) => !rowsOf[n]).length,
    wrongCode: acked.filter((n) => rowsOf[n] && codeOf.get(n) !== results[n].code).length,
    twice: Object.values(rowsOf).filter((c) => c > 1).length,
    extra: stored.filter((s) => !(results[s.n]?.status === 201 || results[s.n]?.status === 200)).length,
    causes: failureCauses(receivers.map((r) => r.log()).join('')),
    errors: receivers.map((r) => r.log()).join('').split('\n').filter((l) => / ERROR /.test(l)),
  };
}

/** The causes of the 5xx answers the receivers logged ("database_busy"). */
function failureCauses(log) {
  return [...new Set([...log.matchAll(/status=5\d\d cause="?(\w+)/g)].map((m) => m[1]))];
}

/**
 * A SQLite store of `n` cases in `db`: a few recorded by the server
 * itself (received, answered, answered and published, with their
 * history and alerts), then cloned, every column, under new codes, keys,
 * subjects and times.
 */
async function fillCases(dir, db, n) {
  const { proc, addr } = await startReceiver(db);
  const codes = [];
  for (let i = 0; i < 4; i++) {
    const r = await post(`http://${addr}`, JSON.stringify(submission(i, 'copy')));
    if (r.status !== 201) throw new Error(`a case to copy was refused: ${r.status}`);
    codes.push(r.code);
  }
  await stopReceiver(proc);
  const text = join(dir, 'reply.txt');
  writeFileSync(text, '经核实，已安排维修。');
  for (const code of codes.slice(0, 2)) {
    execFileSync(server, ['reply', code, '--text-file', text, '--db', db], { stdio: 'ignore' });
  }
  execFileSync(server, ['publish', codes[0], '--subject', '村道路灯维修', '--text-file', text, '--db', db], { stdio: 'ignore' });
  const script = join(dir, 'fill.py');
  writeFileSync(script, `
import json, random, sqlite3, sys
db, n = sys.argv[1], int(sys.argv[2])
letters = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
rng = random.Random(2024)
conn = sqlite3.connect(db)
conn.row_factory = sqlite3.Row
templates = conn.execute("SELECT * FROM submission ORDER BY rowid").fetchall()
histories = {t["code"]: conn.execute("SELECT * FROM event WHERE code = ? ORDER BY id", (t["code"],)).fetchall() for t in templates}
alerts = {t["code"]: conn.execute("SELECT * FROM alert WHERE code = ? ORDER BY id", (t["code"],)).fetchall() for t in templates}
taken = {t["code"] for t in templates}
def insert(table, row):
    cols = [c for c in row if c != "id"]
    conn.execute(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", [row[c] for c in cols])
start = 1_600_000_000
for i in range(len(templates), n):
    t = templates[i % len(templates)]
    code = "".join(rng.choice(letters) for _ in range(12))
    while code in taken:
        code = "".join(rng.choice(letters) for _ in range(12))
    taken.add(code)
    shift = start + i * 60 - t["received_at"]
    data = json.loads(t["data"])
    subject = f"关于村道路灯的第{i}条反映"
    data.update(client_key=f"copy-{i}", subject=subject)
    row = dict(t)
    row.update(code=code, client_key=f"copy-{i}", subject=subject, received_at=t["received_at"] + shift,
        data=json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    for c in ("answered_at", "published_at"):
        if row[c] is not None:
            row[c] += shift
    insert("submission", row)
    for e in histories[t["code"]]:
        e = dict(e)
        e.update(code=code, recorded_at=e["recorded_at"] + shift)
        insert("event", e)
    for a in alerts[t["code"]]:
        a = dict(a)
        a.update(code=code, dedupe=a["dedupe"].replace(t["code"], code), queued_at=a["queued_at"] + shift, next_at=a["next_at"] + shift)
        insert("alert", a)
conn.commit()
print(json.dumps({t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("submission", "event", "alert")}))
`);
  const counts = JSON.parse(execFileSync('python3', [script, db, String(n)], { stdio: ['ignore', 'pipe', 'inherit'] }).toString());
  return counts;
}

/** `db copy` of a SQLite store of COPY cases onto an empty PostgreSQL database. */
async function copyRun(dir, pg) {
  const from = join(dir, 'copy.db');
  const filled = await fillCases(dir, from, COPY);
  const to = pg.database('scale_copy');
  const started = performance.now();
  const printed = execFileSync(server, ['db', 'copy', '--from', from, '--to', to], { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  const seconds = (performance.now() - started) / 1000;
  const tables = {};
  for (const line of printed.split('\n')) {
    const m = /^(\w+)\s+(\d+)\s+(\d+)$/.exec(line.trim());
    if (m && m[1] !== 'table') tables[m[1]] = { from: Number(m[2]), to: Number(m[3]) };
  }
  const exported = storedRows(to, dir, 'copy');
  // A few codes looked up through a receiver on the copy.
  const sample = Array.from({ length: 20 }, (_, i) => exported[Math.floor((i * exported.length) / 20)].code);
  const { proc, addr } = await startReceiver(to);
  let found = 0;
  for (const code of sample) {
    const response = await fetch(`http://${addr}/api/feedback/${code}`);
    if (response.status === 200) found++;
    await response.arrayBuffer();
  }
  await stopReceiver(proc);
  return { filled, seconds, tables, exported: exported.length, looked: sample.length, found, bytes: execFileSync('du', ['-b', from]).toString().split('\t')[0] };
}

const fmt = (x, d = 1) => x.toFixed(d);
const num = (x) => x.toLocaleString('en');

/** The type of the file system holding `dir` (fsync costs differ). */
function filesystem(dir) {
  try {
    return execFileSync('df', ['-T', dir]).toString().trim().split('\n').pop().split(/\s+/)[1];
  } catch {
    return 'file system unknown';
  }
}

function row(r, label) {
  const ok = r.missing === 0 && r.twice === 0 && r.extra === 0 && r.wrongCode === 0 && r.acked === LOAD;
  const stray = r.strayFailures ? `; **${r.strayFailures} failed attempts${r.signal ? ' besides the kill' : ''}**` : '';
  const kill = r.signal
    ? `; receiver 1 of ${r.instances} got ${r.signal} ${fmt(r.killedAfter)} s in, after ${num(r.acksAtKill)} acknowledgements; nginx then had ${num(r.nginxErrors.cut)} requests cut by it and ${num(r.nginxErrors.refused)} connections to it refused (passed to the next)`
    : '';
  const failed = r.retries
    ? `; ${num(r.retries)} failed attempts (${Object.entries(r.failedStatuses).map(([k, v]) => `${k}: ${v}`).join(', ')}) from ${num(r.retried)} submissions, resent, ${num(r.replays)} of them answered as already received (200)${r.signal ? `, ${r.strayFailures} of them before the kill or more than 1 s after it` : ''}${r.causes.length ? `; the receivers' 5xx were ${r.causes.join(', ')}` : ''}`
    : '; no attempt failed';
  return `| ${label} | ${fmt(r.throughput, 0)} submissions/s (${fmt(r.seconds)} s); latency from the first attempt p50 ${fmt(r.p50)} ms, p99 ${fmt(r.p99)} ms, max ${fmt(r.max)} ms${kill}${failed} | ${num(r.acked)} acknowledged, ${num(r.stored)} rows; ${r.missing} acknowledged but missing, ${r.wrongCode} stored under another code than acknowledged, ${r.twice} stored twice, ${r.extra} stored without acknowledgement; final statuses ${JSON.stringify(r.statuses)} | ${ok ? 'every submission acknowledged, stored exactly once' : '**not met**'}${stray} |`;
}

async function main() {
  const dir = mkdtempSync(join(os.tmpdir(), 'xxgk-scale-bench-'));
  // Apart, as PostgreSQL's user must reach it.
  const pgDir = mkdtempSync(join(os.tmpdir(), 'xxgk-scale-pg-'));
  const finish = () => {
    while (cleanups.length) {
      try { cleanups.pop()(); } catch { /* already gone */ }
    }
    rmSync(dir, { recursive: true, force: true });
    rmSync(pgDir, { recursive: true, force: true });
  };
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => { finish(); process.exit(130); });
  }
  const loadBefore = os.loadavg()[0];
  try {
    for (const run of ['kill', 'steady', 'sqlite']) mkdirSync(join(dir, run));
    const pg = startPostgres(pgDir);
    const receivers = async (db, n) => {
      const out = [];
      for (let i = 0; i < n; i++) out.push(await startReceiver(db));
      return out;
    };
    console.log(`kill: ${LOAD} submissions, ${CONCURRENCY} at a time, through nginx onto ${INSTANCES} receivers on PostgreSQL ${pg.version}; SIGKILL to one after ${LOAD / 2} acknowledgements`);
    const killDb = pg.database('scale_kill');
    const k = await loadRun({ dir, name: 'kill', db: killDb, receivers: await receivers(killDb, INSTANCES), kill: true });
    console.log('steady: the same, nobody killed');
    const steadyDb = pg.database('scale_steady');
    const s = await loadRun({ dir, name: 'steady', db: steadyDb, receivers: await receivers(steadyDb, INSTANCES), kill: false });
    console.log('sqlite: the same onto one receiver with a SQLite file');
    const liteDb = join(dir, 'sqlite', 'load.db');
    const l = await loadRun({ dir, name: 'sqlite', db: liteDb, receivers: await receivers(liteDb, 1), kill: false });
    console.log(`copy: db copy of ${COPY} cases from SQLite onto PostgreSQL`);
    const c = await copyRun(dir, pg);
    for (const r of [k, s, l]) {
      if (r.errors.length) console.log(`${r.name}: the receivers' errors\n  ${r.errors.slice(0, 20).join('\n  ')}${r.errors.length > 20 ? `\n  … ${r.errors.length - 20} lines more` : ''}`);
    }
    // nginx prints its version on standard error.
    const nginxVersion = spawnSync(NGINX, ['-v'], { encoding: 'utf8' }).stderr.trim().replace(/^nginx version: /, '');
    const L = [];
    L.push(`Measured ${new Date().toISOString().slice(0, 10)} on this machine: ${os.cpus()[0].model.trim()}, ${os.cpus().length} cores, shared by every process of the run (load average ${fmt(loadBefore, 2)} before it, ${fmt(os.loadavg()[0], 2)} after); PostgreSQL ${pg.version} (${pg.settings}) on a Unix socket, its data in ${os.tmpdir()} (${filesystem(dir)}); ${nginxVersion}; the SQLite file (WAL, synchronous=FULL) on the same disk; Node ${process.version} \`fetch\` as the client.`);
    L.push('');
    L.push('| run | figures | stored | verdict |');
    L.push('|---|---|---|---|');
    const load = `${num(LOAD)} submissions, ${CONCURRENCY} concurrent`;
    L.push(row(k, `kill: ${load}, nginx in front of ${INSTANCES} receivers on one PostgreSQL, one killed (SIGKILL) half-way`));
    L.push(row(s, `steady: the same, nobody killed`));
    L.push(row(l, `SQLite: ${load}, nginx in front of one receiver on a SQLite file`));
    const counts = Object.entries(c.tables).map(([t, x]) => `${t} ${num(x.from)}→${num(x.to)}`).join(', ');
    const copied = Object.values(c.tables).every((x) => x.from === x.to) && c.tables.submission?.to === COPY;
    L.push(`| copy: \`db copy\` of ${num(COPY)} cases (${num(c.filled.event)} history events, ${num(c.filled.alert)} alerts; a ${fmt(c.bytes / 1e6)} MB SQLite file) onto an empty PostgreSQL database | ${fmt(c.seconds)} s wall time, ${fmt(COPY / c.seconds, 0)} cases/s | rows per table, from→to: ${counts}; \`export\` of the copy: ${num(c.exported)} rows; ${c.found} of ${c.looked} codes found by a receiver on the copy | ${copied && c.exported === COPY && c.found === c.looked ? 'counts match, the copy reads back' : '**not met**'} |`);
    const table = L.join('\n');
    console.log(table);
    if (WRITE) {
      writeSection(join(root, 'docs/benchmarks.md'), 'scale', table, `## Receivers scaled out: several on one PostgreSQL, one killed

Measured by \`bench/scale/run.mjs\` (part of \`make bench\`): see the
comment at its top for what each run does.

<!-- bench:scale:begin -->
<!-- bench:scale:end -->
`);
    }
  } finally {
    finish();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
