// Feedback receiver under load, killed mid-load, and fed bad input. Each
// run starts xxgk-server on a fresh SQLite file on loopback:
//
// - load: FEEDBACK_LOAD submissions (5,000) from FEEDBACK_CONCURRENCY (50)
//   concurrent connections; throughput, p50/p99 latency, then every
//   acknowledged code is looked for in the database (`xxgk-server export`):
//   each must be there exactly once, and nothing else.
// - crash: the same load, with the server killed by SIGKILL after
//   FEEDBACK_KILL_AFTER (1,000) acknowledgements; after a restart on the
//   same file, every submission that got a 201 must be there.
// - bad input: hand-made malformed bodies (not JSON, wrong types, a huge
//   body, invalid UTF-8, missing fields) and FEEDBACK_MUTATIONS (10,000)
//   random mutations of a valid body: no 5xx, and the server still answers.
// - slow clients: FEEDBACK_HALF_OPEN (500) connections from another
//   loopback address (127.0.0.2) that send half a request header and are
//   reopened whenever the server drops them, held while the load above
//   runs: every acknowledged code stored exactly once, and the latency.
// - readers: a database holding FEEDBACK_ANSWERED (300,000) answered,
//   published submissions; the load above alone, then again with
//   FEEDBACK_READERS (16) clients reading /api/replies without pause: the
//   submissions' p99 with readers against without.
// - stopping: the time from SIGTERM to the process's exit with 500 idle
//   kept-alive connections open, and with 500 half-sent headers open.
//
//   node bench/feedback/run.mjs [--no-write]
//
// Prints the tables and writes them between the bench:feedback markers in
// docs/benchmarks.md.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { quantile, median, writeSection } from '../lib.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const server = join(root, 'target/native/xxgk-server');
const LOAD = Number(process.env.FEEDBACK_LOAD ?? 5000);
const CONCURRENCY = Number(process.env.FEEDBACK_CONCURRENCY ?? 50);
const KILL_AFTER = Number(process.env.FEEDBACK_KILL_AFTER ?? 1000);
const MUTATIONS = Number(process.env.FEEDBACK_MUTATIONS ?? 10000);
const HALF_OPEN = Number(process.env.FEEDBACK_HALF_OPEN ?? 500);
const ANSWERED = Number(process.env.FEEDBACK_ANSWERED ?? 300000);
const READERS = Number(process.env.FEEDBACK_READERS ?? 16);
const WRITE = !process.argv.includes('--no-write');

/** A valid submission; `n` makes its client key and text its own. */
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
    client_key: `bench-${run}-${n}`,
    leave_blank: '',
  };
}

/**
 * Starts the server on a free port over `db`, with the rate limits out of
 * the way (the runs are one or two addresses sending thousands);
 * resolves with `{ proc, base }`.
 */
async function start(db, extra = []) {
  const proc = spawn(server, ['serve', '--static', root, '--db', db, '--listen', '127.0.0.1:0',
    '--rate-burst', '1000000', '--rate-seconds', '0.001', '--global-rate', '1000000',
    '--read-burst', '1000000', '--read-seconds', '0.001',
    '--max-connections-per-address', '100000', '--log-level', 'warn', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stderr.resume();
  let out = '';
  const base = await new Promise((resolve, reject) => {
    proc.stdout.on('data', (d) => {
      out += d;
      // Printed once the database is open.
      const m = /receiving feedback at (http:\/\/[^/\s]+)\//.exec(out);
      if (m) resolve(m[1]);
    });
    proc.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { proc, base };
}

async function stop(proc) {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  proc.kill('SIGTERM');
  await exited;
}

async function post(base, body) {
  const started = performance.now();
  try {
    const response = await fetch(`${base}/api/feedback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const text = await response.text();
    let code = null;
    try { code = JSON.parse(text).code ?? null; } catch { /* not JSON */ }
    return { status: response.status, code, ms: performance.now() - started };
  } catch (e) {
    return { status: 0, error: String(e.cause?.code ?? e.message), ms: performance.now() - started };
  }
}

/** Sends `count` submissions from `concurrency` loops; `onAck` hears each 201. */
async function load(base, count, concurrency, run, onAck = () => {}) {
  const results = new Array(count);
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) {
      const n = next++;
      const r = await post(base, JSON.stringify(submission(n, run)));
      results[n] = r;
      if (r.status === 201) onAck(n, r);
    }
  }));
  return { results, seconds: (performance.now() - started) / 1000 };
}

/** Every lookup code in the database, from `xxgk-server export`. */
function storedCodes(db) {
  const out = `${db}.csv`;
  execFileSync(server, ['export', '--format', 'csv', '--out', out, '--db', db]);
  const csv = readFileSync(out, 'utf8');
  return csv.split('\r\n').slice(1).filter(Boolean).map((line) => line.split(',')[0].replace(/^\uFEFF/, ''));
}

function count(items, key) {
  const out = {};
  for (const x of items) out[key(x)] = (out[key(x)] ?? 0) + 1;
  return out;
}

async function loadRun(dir) {
  const db = join(dir, 'load.db');
  const { proc, base } = await start(db);
  const { results, seconds } = await load(base, LOAD, CONCURRENCY, 'load');
  await stop(proc);
  const acked = results.filter((r) => r.status === 201).map((r) => r.code);
  const stored = storedCodes(db);
  const storedCount = count(stored, (c) => c);
  const missing = acked.filter((c) => !storedCount[c]);
  const twice = Object.values(storedCount).filter((n) => n > 1).length;
  const ackedSet = new Set(acked);
  const extra = stored.filter((c) => !ackedSet.has(c)).length;
  const ms = results.map((r) => r.ms);
  return {
    statuses: count(results, (r) => r.status),
    throughput: LOAD / seconds,
    p50: median(ms),
    p99: quantile(ms, 0.99),
    acked: acked.length,
    stored: stored.length,
    missing: missing.length,
    twice,
    extra,
  };
}

/** A socket from `localAddress` to `base`'s port; resolves once connected. */
function connectFrom(base, localAddress) {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: hostname, port: Number(port), localAddress }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/**
 * Holds `n` connections from 127.0.0.2 that have sent half a request
 * header, opening a new one whenever the server drops one, until
 * `release()`; `dropped()` says how many the server dropped.
 */
async function holdHalfOpen(base, n) {
  let dropped = 0;
  let released = false;
  const sockets = new Set();
  const open = async () => {
    if (released) return;
    try {
      const socket = await connectFrom(base, '127.0.0.2');
      socket.on('error', () => {});
      socket.on('data', () => {});
      socket.on('close', () => {
        sockets.delete(socket);
        if (!released) {
          dropped++;
          open();
        }
      });
      socket.write('POST /api/feedback HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Slow: ');
      sockets.add(socket);
    } catch {
      setTimeout(open, 100);
    }
  };
  await Promise.all(Array.from({ length: n }, open));
  return {
    held: () => sockets.size,
    dropped: () => dropped,
    release: () => {
      released = true;
      for (const s of sockets) s.destroy();
    },
  };
}

async function slowClientsRun(dir) {
  const db = join(dir, 'slow.db');
  const { proc, base } = await start(db);
  const attack = await holdHalfOpen(base, HALF_OPEN);
  const heldAtStart = attack.held();
  const { results, seconds } = await load(base, LOAD, CONCURRENCY, 'slow');
  const heldAtEnd = attack.held();
  attack.release();
  await stop(proc);
  const acked = results.filter((r) => r.status === 201).map((r) => r.code);
  const stored = count(storedCodes(db), (c) => c);
  const ms = results.map((r) => r.ms);
  return {
    heldAtStart,
    heldAtEnd,
    dropped: attack.dropped(),
    seconds,
    acked: acked.length,
    once: acked.filter((c) => stored[c] === 1).length,
    rows: Object.keys(stored).length,
    p50: median(ms),
    p99: quantile(ms, 0.99),
  };
}

/** Fills `db` (made by the server) with `n` answered, published submissions. */
function fillAnswered(db, n) {
  const script = join(db + '.fill.py');
  writeFileSync(script, `
import json, random, sqlite3, sys
db, n = sys.argv[1], int(sys.argv[2])
letters = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
rng = random.Random(2016)
conn = sqlite3.connect(db)
rows = []
for i in range(n):
    code = "".join(rng.choice(letters) for _ in range(12))
    data = json.dumps({"kind": "suggestion", "subject": f"关于村道路灯的第{i}条建议", "body": "东亭村村口到小学的路灯坏了三个月，晚上孩子放学很危险，请尽快修复。",
        "name": "张三", "phone": "13912345678", "email": "", "address": "", "related_item": "", "client_key": f"fill-{i}",
        "consent_to_publish": True, "leave_blank": ""}, ensure_ascii=False)
    received = 1_480_000_000 + i * 60
    answered = received + rng.randint(3600, 30 * 86400)
    rows.append((code, f"fill-{i}", "suggestion", data, f"关于村道路灯的第{i}条建议", 1, "replied", "已安排维修。", received, answered,
        f"村道路灯第{i}条建议", "经核实，已安排维修。", answered))
conn.executemany("INSERT OR IGNORE INTO submission (code, client_key, kind, data, subject, consent, status, answer, received_at, answered_at, public_subject, public_answer, published_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
conn.commit()
print(conn.execute("SELECT COUNT(*) FROM submission").fetchone()[0])
`);
  return Number(execFileSync('python3', [script, db, String(n)], { stdio: ['ignore', 'pipe', 'inherit'] }).toString().trim());
}

async function readersRun(dir) {
  const db = join(dir, 'readers.db');
  // The server makes the schema; the rows go in while it is stopped.
  await stop((await start(db)).proc);
  const rows = fillAnswered(db, ANSWERED);
  const { proc, base } = await start(db);
  const timeRead = async () => {
    const started = performance.now();
    const response = await fetch(`${base}/api/replies`);
    await response.arrayBuffer();
    return { status: response.status, ms: performance.now() - started };
  };
  const cold = await timeRead();
  const alone = await load(base, LOAD, CONCURRENCY, 'alone');
  let reading = true;
  const reads = [];
  const readers = Promise.all(Array.from({ length: READERS }, async () => {
    while (reading) reads.push(await timeRead());
  }));
  const withReaders = await load(base, LOAD, CONCURRENCY, 'readers');
  reading = false;
  await readers;
  await stop(proc);
  const ms = (r) => r.results.map((x) => x.ms);
  return {
    rows,
    cold: cold.ms,
    alone: { p50: median(ms(alone)), p99: quantile(ms(alone), 0.99), rate: LOAD / alone.seconds, ok: alone.results.every((r) => r.status === 201) },
    readers: { p50: median(ms(withReaders)), p99: quantile(ms(withReaders), 0.99), rate: LOAD / withReaders.seconds, ok: withReaders.results.every((r) => r.status === 201) },
    reads: reads.length,
    readStatuses: count(reads, (r) => r.status),
    readP50: median(reads.map((r) => r.ms)),
    readP99: quantile(reads.map((r) => r.ms), 0.99),
    readRate: reads.length / withReaders.seconds,
  };
}

/** Seconds from SIGTERM to exit with `n` connections of `kind` open. */
async function stopRun(dir, kind, n) {
  const db = join(dir, `stop-${kind}.db`);
  const { proc, base } = await start(db);
  const sockets = [];
  for (let i = 0; i < n; i++) {
    const socket = await connectFrom(base, '127.0.0.2');
    socket.on('error', () => {});
    if (kind === 'idle') {
      await new Promise((resolve) => {
        socket.once('data', resolve);
        socket.write('GET /api/replies HTTP/1.1\r\nHost: x\r\n\r\n');
      });
    } else {
      socket.write('GET /api/replies HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    }
    sockets.push(socket);
  }
  const exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  const started = performance.now();
  proc.kill('SIGTERM');
  const how = await exited;
  const seconds = (performance.now() - started) / 1000;
  for (const s of sockets) s.destroy();
  return { seconds, ...how };
}

async function crashRun(dir) {
  const db = join(dir, 'crash.db');
  const first = await start(db);
  let killed = false;
  let acksAtKill = 0;
  const acked = [];
  const { results } = await load(first.base, LOAD, CONCURRENCY, 'crash', (n, r) => {
    acked.push(r.code);
    if (!killed && acked.length >= KILL_AFTER) {
      killed = true;
      acksAtKill = acked.length;
      first.proc.kill('SIGKILL');
    }
  });
  await new Promise((resolve) => (first.proc.exitCode !== null || first.proc.signalCode !== null ? resolve() : first.proc.once('exit', resolve)));
  // After the restart every acknowledged code must answer.
  const second = await start(db);
  let found = 0;
  for (const code of acked) {
    const response = await fetch(`${second.base}/api/feedback/${code}`);
    if (response.status === 200) found++;
    await response.arrayBuffer();
  }
  await stop(second.proc);
  return {
    signal: first.proc.signalCode,
    acksAtKill,
    acked: acked.length,
    failed: results.filter((r) => r.status === 0).length,
    found,
    stored: storedCodes(db).length,
  };
}

/** A random generator with a seed, so the mutations are the same each run. */
function random(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function badInputRun(dir) {
  const db = join(dir, 'bad.db');
  const { proc, base } = await start(db);
  const valid = Buffer.from(JSON.stringify(submission(1, 'bad')));
  const handMade = [
    ['not JSON', Buffer.from('this is not json')],
    ['empty body', Buffer.alloc(0)],
    ['a JSON array', Buffer.from('[1,2,3]')],
    ['wrong types', Buffer.from(JSON.stringify({ ...submission(2, 'bad'), subject: 12, phone: ['1'], consent_to_publish: 'yes' }))],
    ['missing fields', Buffer.from('{"kind":"complaint"}')],
    ['unknown kind', Buffer.from(JSON.stringify({ ...submission(3, 'bad'), kind: 'petition' }))],
    ['invalid UTF-8', Buffer.concat([Buffer.from('{"kind":"complaint","subject":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')])],
    ['huge body (1 MB)', Buffer.from(JSON.stringify({ ...submission(4, 'bad'), body: '字'.repeat(350_000) }))],
    ['deep nesting (30,000 levels)', Buffer.from('['.repeat(30_000) + ']'.repeat(30_000))],
    ['control characters', Buffer.from(JSON.stringify({ ...submission(5, 'bad'), subject: '路灯\u202e坏了很久' }))],
  ];
  const hand = [];
  for (const [name, body] of handMade) hand.push({ name, ...(await post(base, body)) });
  const rnd = random(20161231);
  const statuses = {};
  let fiveHundreds = 0;
  for (let i = 0; i < MUTATIONS; i++) {
    const body = Buffer.from(valid);
    const edits = 1 + Math.floor(rnd() * 4);
    let bytes = body;
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(rnd() * bytes.length);
      const what = rnd();
      if (what < 0.4) bytes[at] = Math.floor(rnd() * 256);
      else if (what < 0.7) bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(Math.min(bytes.length, at + 1 + Math.floor(rnd() * 20)))]);
      else bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from([Math.floor(rnd() * 256)]), bytes.subarray(at)]);
    }
    const r = await post(base, bytes);
    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    if (r.status >= 500 || r.status === 0) fiveHundreds++;
  }
  const alive = (await fetch(`${base}/api/replies`)).status;
  await stop(proc);
  return { hand, statuses, fiveHundreds, alive };
}

const fmt = (x, d = 1) => x.toFixed(d);

/** The type of the file system holding `dir` (fsync costs differ). */
function filesystem(dir) {
  try {
    return execFileSync('df', ['-T', dir]).toString().trim().split('\n').pop().split(/\s+/)[1];
  } catch {
    return 'file system unknown';
  }
}

async function main() {
  const dir = mkdtempSync(join(os.tmpdir(), 'xxgk-feedback-bench-'));
  try {
    console.log(`load: ${LOAD} submissions, ${CONCURRENCY} at a time`);
    const l = await loadRun(dir);
    console.log(`crash: SIGKILL after ${KILL_AFTER} acknowledgements`);
    const c = await crashRun(dir);
    console.log(`bad input: ${MUTATIONS} mutations`);
    const b = await badInputRun(dir);
    console.log(`slow clients: ${HALF_OPEN} half-open connections during the load`);
    const s = await slowClientsRun(dir);
    console.log(`readers: ${READERS} readers of /api/replies over ${ANSWERED} answered rows during the load`);
    const r = await readersRun(dir);
    console.log('stopping: SIGTERM with 500 idle, then 500 half-open connections');
    const idle = await stopRun(dir, 'idle', 500);
    const half = await stopRun(dir, 'half-open', 500);
    const L = [];
    L.push(`Measured ${new Date().toISOString().slice(0, 10)} on this machine: ${os.cpus()[0].model.trim()}, ${os.cpus().length} cores; xxgk-server on 127.0.0.1 with a fresh SQLite file (WAL, synchronous=FULL) in ${os.tmpdir()} (${filesystem(dir)}), Node ${process.version} \`fetch\` as the client.`);
    L.push('');
    L.push('| run | figures | verdict |');
    L.push('|---|---|---|');
    L.push(`| load: ${LOAD.toLocaleString('en')} submissions, ${CONCURRENCY} concurrent | ${fmt(l.throughput, 0)} submissions/s; latency p50 ${fmt(l.p50)} ms, p99 ${fmt(l.p99)} ms; statuses ${JSON.stringify(l.statuses)} | ${l.acked === LOAD ? 'all acknowledged' : `**${LOAD - l.acked} not acknowledged**`} |`);
    L.push(`| load: stored exactly once | ${l.acked.toLocaleString('en')} acknowledged, ${l.stored.toLocaleString('en')} rows; ${l.missing} acknowledged but missing, ${l.twice} stored twice, ${l.extra} stored without acknowledgement | ${l.missing === 0 && l.twice === 0 && l.extra === 0 ? 'nothing lost, nothing doubled' : '**not met**'} |`);
    L.push(`| crash: SIGKILL after ${c.acksAtKill.toLocaleString('en')} acknowledgements, restart | ${c.acked.toLocaleString('en')} acknowledged before the kill took effect, ${c.failed.toLocaleString('en')} requests refused or cut off, ${c.stored.toLocaleString('en')} rows after restart; ${c.found.toLocaleString('en')} of ${c.acked.toLocaleString('en')} acknowledged codes found | ${c.found === c.acked && c.signal === 'SIGKILL' ? 'every acknowledged submission kept' : '**not met**'} |`);
    L.push(`| bad input: ${MUTATIONS.toLocaleString('en')} random mutations of a valid body | statuses ${JSON.stringify(b.statuses)}; server answering afterwards: ${b.alive === 200 ? 'yes' : 'no'} | ${b.fiveHundreds === 0 && b.alive === 200 ? 'no 5xx, no crash' : '**not met**'} |`);
    L.push(`| bad input: hand-made | ${b.hand.map((h) => `${h.name} → ${h.status}`).join('; ')} | ${b.hand.every((h) => h.status >= 400 && h.status < 500) ? 'each a 4xx' : '**not met**'} |`);
    L.push(`| slow clients: ${HALF_OPEN} half-sent headers from 127.0.0.2 held during ${LOAD.toLocaleString('en')} submissions, ${CONCURRENCY} concurrent | ${s.heldAtStart} held at the start, ${s.heldAtEnd} at the end (${s.dropped} dropped by the server's header timeout and reopened); ${fmt(LOAD / s.seconds, 0)} submissions/s, p50 ${fmt(s.p50)} ms, p99 ${fmt(s.p99)} ms (without them: p99 ${fmt(l.p99)} ms); ${s.acked.toLocaleString('en')} acknowledged, ${s.once.toLocaleString('en')} of them stored exactly once, ${s.rows.toLocaleString('en')} rows | ${s.acked === LOAD && s.once === LOAD && s.rows === LOAD ? 'all stored exactly once' : '**not met**'} |`);
    L.push(`| readers: ${r.rows.toLocaleString('en')} answered rows; the load alone, then with ${READERS} clients reading \`/api/replies\` without pause | alone: ${fmt(r.alone.rate, 0)} submissions/s, p50 ${fmt(r.alone.p50)} ms, p99 ${fmt(r.alone.p99)} ms; with readers: ${fmt(r.readers.rate, 0)}/s, p50 ${fmt(r.readers.p50)} ms, p99 ${fmt(r.readers.p99)} ms (${fmt(r.readers.p99 / r.alone.p99, 2)}×); ${r.reads.toLocaleString('en')} reads meanwhile (${fmt(r.readRate, 0)}/s, statuses ${JSON.stringify(r.readStatuses)}, p50 ${fmt(r.readP50)} ms, p99 ${fmt(r.readP99)} ms); the first read, working the list out: ${fmt(r.cold)} ms | ${r.alone.ok && r.readers.ok && r.readers.p99 <= 2 * r.alone.p99 ? 'p99 within 2× of the run without readers' : '**not met**'} |`);
    L.push(`| stopping: SIGTERM with 500 idle kept-alive connections | exited after ${fmt(idle.seconds, 2)} s (code ${idle.code}) | ${idle.code === 0 ? 'clean stop' : '**not met**'} |`);
    L.push(`| stopping: SIGTERM with 500 half-sent headers | exited after ${fmt(half.seconds, 2)} s (code ${half.code}): those connections wait out the 10 s grace period (\`--shutdown-timeout\`) and are cut | ${half.code === 0 && half.seconds < 12 ? 'bounded stop' : '**not met**'} |`);
    const table = L.join('\n');
    console.log(table);
    if (WRITE) {
      writeSection(join(root, 'docs/benchmarks.md'), 'feedback', table, `## Feedback receiver: load, crash, bad input, slow clients, readers, stopping

Measured by \`bench/feedback/run.mjs\` (part of \`make bench\`): see the
comment at its top for what each run does.

<!-- bench:feedback:begin -->
<!-- bench:feedback:end -->
`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
