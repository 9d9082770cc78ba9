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
//
//   node bench/feedback/run.mjs [--no-write]
//
// Prints the tables and writes them between the bench:feedback markers in
// docs/benchmarks.md.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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
    website: '',
  };
}

/** Starts the server on a free port over `db`; resolves with `{ proc, base }`. */
async function start(db) {
  const proc = spawn(server, ['serve', '--static', root, '--db', db, '--listen', '127.0.0.1:0',
    '--rate-burst', '1000000', '--rate-seconds', '0.001'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const base = await new Promise((resolve, reject) => {
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /serving .* on (http:\/\/[^/\s]+)\//.exec(out);
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
  const csv = execFileSync(server, ['export', '--format', 'csv', '--db', db], { maxBuffer: 1 << 28 }).toString();
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
    const table = L.join('\n');
    console.log(table);
    if (WRITE) {
      writeSection(join(root, 'docs/benchmarks.md'), 'feedback', table, `## Feedback receiver: load, crash, bad input

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
