// Search benchmark: this project's search engine against MiniSearch and
// FlexSearch, in the same headless Chromium page, over the same generated
// catalogues and the same fixed queries (bench/search/queries.json): index
// build time, memory, query latency (median, p95) and recall/precision
// against a brute-force scan. Prints the tables and writes them between the
// bench:search markers in docs/benchmarks.md.
//
//   node --experimental-websocket --no-warnings bench/search/run.mjs \
//        [--engines ours,minisearch,flexsearch,scan] [--no-write]
//
// Environment:
//   SEARCH_SIZES=1000,10000,100000   catalogue sizes (items)
//   SEARCH_RUNS=15                   timed rounds over all queries (after 2 warm-up rounds)
//   SEARCH_TRIALS=n                  fresh pages per engine and size (default 3 up to 10k, 1 above)
//   SEARCH_TRUTH=ours|standin        ground truth: our engine's scan() (default when
//                                    ours is among the engines) or the JS stand-in
//   SEARCH_NODE_MODULES=/abs/dir     where minisearch/ and flexsearch/ are installed
//                                    (default: the repo's node_modules)
//   SEARCH_PORT=8093                 first port to try for xxgk-server
//   SEARCH_OURS_DIR=/abs/dir         folder holding xxgk/xxgk-search.js and its .wasm,
//                                    served before everything else (default: dist)
//
// Chromium is driven as in bench/run.mjs: the DevTools protocol over a raw
// WebSocket, Target/Page commands and Runtime.evaluate only (no Network
// domain). Every engine × size × trial runs in a fresh Chromium and browser
// context, so nothing (heap, caches, compiled code) is shared.
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { generatedCatalogue, quantile, median, launchChromium, writeSection } from '../lib.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));
const site = join(root, 'target/bench/site');
const nodeModules = process.env.SEARCH_NODE_MODULES ?? join(root, 'node_modules');
const oursDir = process.env.SEARCH_OURS_DIR ?? join(root, 'dist');
const args = process.argv.slice(2);
const argValue = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const ENGINES = (argValue('--engines') ?? 'ours,minisearch,flexsearch,scan').split(',').map((s) => s.trim()).filter(Boolean);
const WRITE = !args.includes('--no-write');
const SIZES = (process.env.SEARCH_SIZES ?? '1000,10000,100000').split(',').map(Number);
const RUNS = Number(process.env.SEARCH_RUNS ?? 15);
const WARMUP = 2;
const trialsFor = (n) => Number(process.env.SEARCH_TRIALS ?? (n <= 10000 ? 3 : 1));
const TRUTH = process.env.SEARCH_TRUTH ?? (ENGINES.includes('ours') ? 'ours' : 'standin');
const FIRST_PORT = Number(process.env.SEARCH_PORT ?? 8093);
const queries = JSON.parse(readFileSync(join(here, 'queries.json'), 'utf8'));
const CLASSES = [...new Set(queries.map((q) => q.class))];
const LABEL = { ours: 'ours (xxgk)', minisearch: 'MiniSearch', flexsearch: 'FlexSearch', scan: 'JS substring scan' };
/** Per-step budget: a page must finish loading + building, and then its queries, within this. */
const stepBudget = (n) => Math.max(180_000, (n / 100_000) * 30 * 60_000);
const TARGETS = { p95: { 10000: 2, 100000: 10 }, build10k: 150, bytesPer10k: 3_000_000 };

for (const e of ENGINES) if (!LABEL[e]) throw new Error(`unknown engine ${e} (ours, minisearch, flexsearch, scan)`);
if ((ENGINES.includes('ours') || TRUTH === 'ours') && !existsSync(join(oursDir, 'xxgk/xxgk-search.js'))) {
  throw new Error(`${join(oursDir, 'xxgk/xxgk-search.js')} is missing: build the search module, or run with --engines minisearch,flexsearch`);
}
const version = (pkg) => {
  try { return JSON.parse(readFileSync(join(nodeModules, pkg, 'package.json'), 'utf8')).version; } catch { return null; }
};
for (const e of ENGINES.filter((x) => x !== 'ours' && x !== 'scan')) {
  if (!version(e)) throw new Error(`${e} is not installed in ${nodeModules} (set SEARCH_NODE_MODULES)`);
}

function generateCatalogues() {
  for (const n of SIZES) generatedCatalogue(root, site, n);
}

/** xxgk-server over our module's folder, dist, the catalogues, this folder and the npm folder (first match wins). */
async function startServer() {
  for (let port = FIRST_PORT; port < FIRST_PORT + 20; port++) {
    const server = spawn(join(root, 'target/native/xxgk-server'),
      ['serve', ...(oursDir === join(root, 'dist') ? [] : ['--static', oursDir]), '--static', join(root, 'dist'), '--static', site, '--static', here, '--static', nodeModules,
        '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'ignore'] });
    const up = await new Promise((resolve) => {
      server.stdout.on('data', (d) => { if (String(d).includes('serving')) resolve(true); });
      server.on('exit', () => resolve(false));
    });
    if (up) return { server, port };
  }
  throw new Error(`no free port from ${FIRST_PORT}`);
}

/** Opens page.html with `params` in a fresh Chromium and context; resolves
 * with its `window.__result`, or `{ failed, phase }`. */
async function runPage(port, params, n) {
  const chrome = await launchChromium(['--enable-precise-memory-info', '--js-flags=--expose-gc --max-old-space-size=8192']);
  const { send } = chrome;
  let phase = 'start';
  try {
    const { browserContextId } = await send('Target.createBrowserContext');
    const { targetId } = await send('Target.createTarget', { url: 'about:blank', browserContextId });
    const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
    await send('Page.navigate', { url: `http://127.0.0.1:${port}/page.html?${new URLSearchParams(params)}` }, sessionId);
    const probe = 'JSON.stringify(window.__result ? { status: __result.status, phase: __result.phase, message: __result.message } : null)';
    // The budget restarts when the page reaches its query phase.
    let deadline = Date.now() + stepBudget(n);
    let queryPhase = false;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) return { failed: `timed out (${(stepBudget(n) / 60_000).toFixed(0)} min per step)`, phase };
      const { result } = await send('Runtime.evaluate', { expression: probe, returnByValue: true }, sessionId, left);
      const s = result.value ? JSON.parse(result.value) : null;
      if (s) phase = s.phase;
      if (s && s.status === 'error') return { failed: s.message.split('\n')[0], phase };
      if (s && s.status === 'done') {
        phase = 'collecting results';
        const full = await send('Runtime.evaluate', { expression: 'JSON.stringify(window.__result)', returnByValue: true }, sessionId, 300_000);
        return JSON.parse(full.result.value);
      }
      if (s && s.phase === 'queries' && !queryPhase) { queryPhase = true; deadline = Date.now() + stepBudget(n); }
      await new Promise((r) => setTimeout(r, 250));
    }
  } catch (e) {
    return { failed: e.message, phase };
  } finally {
    await chrome.close();
  }
}

const BITS = Uint8Array.from({ length: 256 }, (_, i) => { let c = 0; for (let x = i; x; x >>= 1) c += x & 1; return c; });
/** Number of positions in a base64 bitset from page.js. */
const popcount = (b64) => Buffer.from(b64, 'base64').reduce((a, x) => a + BITS[x], 0);

/** Recall and precision of `hits` against `truth` (base64 bitsets of positions). */
function score(hitsB64, truthB64) {
  const h = Buffer.from(hitsB64, 'base64');
  const t = Buffer.from(truthB64, 'base64');
  let both = 0;
  let hs = 0;
  let ts = 0;
  for (let i = 0; i < Math.max(h.length, t.length); i++) {
    const x = h[i] ?? 0;
    const y = t[i] ?? 0;
    both += BITS[x & y];
    hs += BITS[x];
    ts += BITS[y];
  }
  return {
    recall: ts === 0 ? 1 : both / ts, // nothing to find: nothing missed
    precision: hs === 0 ? 1 : both / hs, // nothing returned: nothing wrong
    falseHits: hs - both,
    hits: hs,
    truth: ts,
  };
}

function summarise(trials, truth) {
  const first = trials[0];
  const perQuery = first.queries.map((q, i) => ({
    q: q.q,
    class: q.class,
    ms: trials.flatMap((t) => t.queries[i].ms),
    ...score(q.hits, truth[i]),
  }));
  const stats = (qs) => {
    const ms = qs.flatMap((x) => x.ms);
    return {
      p50: median(ms),
      p95: quantile(ms, 0.95),
      recall: qs.reduce((a, x) => a + x.recall, 0) / qs.length,
      precision: qs.reduce((a, x) => a + x.precision, 0) / qs.length,
      falseHits: qs.reduce((a, x) => a + x.falseHits, 0),
      missed: qs.filter((x) => x.recall < 1),
    };
  };
  const m = (k) => median(trials.map((t) => t[k]).filter((x) => typeof x === 'number'));
  return {
    trials: trials.length,
    buildMs: m('buildMs'),
    parseMs: m('parseMs'),
    indexMs: m('indexMs'),
    heapDelta: m('heapDelta'),
    wasmGrowth: m('wasmGrowth'),
    indexBytes: m('indexBytes'),
    memoryBytes: m('memoryBytes'),
    builds: trials.map((t) => t.buildMs),
    all: stats(perQuery),
    byClass: Object.fromEntries(CLASSES.map((c) => [c, stats(perQuery.filter((x) => x.class === c))])),
    perQuery: perQuery.map(({ ms, ...rest }) => ({ ...rest, p50: median(ms), p95: quantile(ms, 0.95) })),
  };
}

async function main() {
  generateCatalogues();
  const { server, port } = await startServer();
  const results = {};
  let truthLabel = null;
  let heapLimit = null;
  try {
    for (const n of SIZES) {
      const catalogue = `/bench/catalogue-${n}.json`;
      results[n] = {};
      console.error(`[${n}] truth (${TRUTH})`);
      const truth = await runPage(port, { engine: 'truth', truth: TRUTH, catalogue }, n);
      if (truth.failed) throw new Error(`the ground truth failed at ${n} items (${truth.phase}): ${truth.failed}`);
      truthLabel = truth.truth.label;
      heapLimit = truth.heapLimit;
      results[n].truthHits = truth.results.map(popcount);
      for (const engine of ENGINES) {
        const trials = [];
        for (let i = 0; i < trialsFor(n); i++) {
          const started = Date.now();
          console.error(`[${n}] ${engine} trial ${i + 1}/${trialsFor(n)}`);
          const r = await runPage(port, { engine, catalogue, runs: RUNS, warmup: WARMUP }, n);
          if (r.failed) {
            console.error(`[${n}] ${engine}: FAILED in ${r.phase}: ${r.failed}`);
            results[n][engine] = { failed: r.failed, phase: r.phase };
            break;
          }
          console.error(`[${n}] ${engine}: build ${r.buildMs.toFixed(0)} ms, ${((Date.now() - started) / 1000).toFixed(0)} s in all`);
          trials.push(r);
        }
        if (!results[n][engine]) results[n][engine] = summarise(trials, truth.results);
      }
    }
  } finally {
    server.kill();
  }

  mkdirSync(join(root, 'target/bench'), { recursive: true });
  const raw = join(root, 'target/bench/search-results.json');
  writeFileSync(raw, JSON.stringify({ engines: ENGINES, sizes: SIZES, truth: TRUTH, truthLabel, results }, null, 1));

  const table = report(results, truthLabel, heapLimit);
  console.log(table);
  console.log(`\nper-query figures: ${raw}`);
  if (WRITE) writeDoc(table);
}

const pct = (x) => `${(100 * x).toFixed(x < 1 && x > 0.995 ? 1 : 0)}%`;
// The page's clock ticks in 0.1 ms steps (not cross-origin isolated).
const msf = (x) => (typeof x !== 'number' || Number.isNaN(x) ? '—' : x < 0.05 ? '< 0.1 ms' : x < 10 ? `${x.toFixed(1)} ms` : `${x.toFixed(0)} ms`);
const mib = (b) => (typeof b === 'number' && !Number.isNaN(b) ? `${(b / 1048576).toFixed(1)} MiB` : '—');
const ok = (good) => (good ? 'met' : '**not met**');

function report(results, truthLabel, heapLimit) {
  const chromium = execFileSync('/usr/bin/chromium', ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  const L = [];
  L.push(`Measured ${new Date().toISOString().slice(0, 10)} on this machine: ${os.cpus()[0].model.trim()}, ${os.cpus().length} cores, ` +
    `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; ${chromium} headless (JS heap limit ${heapLimit ? (heapLimit / 2 ** 30).toFixed(1) : '?'} GiB). Engines: ${ENGINES.map((e) => (e === 'ours' || e === 'scan' ? LABEL[e] : `${LABEL[e]} ${version(e)}`)).join(', ')}. ` +
    `${queries.length} queries (\`bench/search/queries.json\`), ${WARMUP} warm-up rounds then ${RUNS} timed rounds over the list per page; ` +
    `${SIZES.map((n) => `${trialsFor(n)} page${trialsFor(n) > 1 ? 's' : ''} per engine at ${n.toLocaleString('en')}`).join(', ')}.`);
  L.push('');
  L.push(`Ground truth: ${truthLabel}.`);
  if (TRUTH !== 'ours') {
    L.push('');
    L.push('**These figures use the stand-in truth, not our engine\'s `scan()`**: it does no folding and knows no pinyin, so `trad_on_simp`, `simp_on_trad` and `pinyin` recall here says little; re-run with our module built for the real figures.');
  }
  for (const n of SIZES) {
    const r = results[n];
    L.push('');
    L.push(`### ${n.toLocaleString('en')} items`);
    L.push('');
    L.push('| engine | build (file bytes → searchable) | memory | p50 | p95 | recall | precision | false hits | queries with recall < 100% |');
    L.push('|---|---:|---|---:|---:|---:|---:|---:|---|');
    for (const e of ENGINES) {
      const s = r[e];
      if (s.failed) {
        const while_ = { fetch: 'fetching', load: 'loading', build: 'building', queries: 'querying' }[s.phase] ?? s.phase;
        L.push(`| ${LABEL[e]} | failed while ${while_}: ${s.failed.replace(/\|/g, '\\|')} | | | | | | | |`);
        continue;
      }
      const build = `${msf(s.buildMs)} (${e === 'ours' ? 'read' : 'JSON'} ${msf(s.parseMs)} + index ${msf(s.indexMs)})`;
      const memory = e === 'ours'
        ? `index ${mib(s.indexBytes)}; wasm memory ${mib(s.memoryBytes)} (grew ${mib(s.wasmGrowth)}); JS heap +${mib(s.heapDelta)}`
        : `JS heap +${mib(s.heapDelta)}`;
      const missed = s.all.missed.length
        ? s.all.missed.slice(0, 6).map((x) => `\`${x.q}\` ${pct(x.recall)}`).join(', ') + (s.all.missed.length > 6 ? `, … (${s.all.missed.length})` : '')
        : 'none';
      L.push(`| ${LABEL[e]} | ${build} | ${memory} | ${msf(s.all.p50)} | ${msf(s.all.p95)} | ${pct(s.all.recall)} | ${pct(s.all.precision)} | ${s.all.falseHits.toLocaleString('en')} | ${missed} |`);
    }
    L.push('');
    L.push('Per query class: recall · precision · p95.');
    L.push('');
    const ran = ENGINES.filter((e) => !r[e].failed);
    L.push(`| class | queries | truth hits | ${ran.map((e) => LABEL[e]).join(' | ')} |`);
    L.push(`|---|---:|---:|${ran.map(() => '---|').join('')}`);
    for (const c of CLASSES) {
      const idx = queries.map((q, i) => (q.class === c ? i : -1)).filter((i) => i >= 0);
      const truthHits = idx.reduce((a, i) => a + r.truthHits[i], 0);
      const cells = ran.map((e) => { const s = r[e].byClass[c]; return `${pct(s.recall)} · ${pct(s.precision)} · ${msf(s.p95)}`; });
      L.push(`| ${c} | ${idx.length} | ${truthHits.toLocaleString('en')} | ${cells.join(' | ')} |`);
    }
  }
  L.push('');
  L.push('### Targets (ours)');
  L.push('');
  L.push(...targets(results));
  return L.join('\n');
}

function targets(results) {
  const L = ['| target | figures | verdict |', '|---|---|---|'];
  const ours = (n) => results[n] && results[n].ours;
  if (!ENGINES.includes('ours')) {
    L.push('| all | our engine was not run | not measured |');
    return L;
  }
  const good = (n) => ours(n) && !ours(n).failed;
  const sizes = SIZES.filter((n) => results[n]);
  const missing = (n) => `ours failed at ${n.toLocaleString('en')}`;
  // Recall 100% on every class.
  {
    const bad = sizes.flatMap((n) => (good(n) ? CLASSES.filter((c) => ours(n).byClass[c].recall < 1).map((c) => `${c} ${pct(ours(n).byClass[c].recall)} at ${n.toLocaleString('en')}`) : [missing(n)]));
    L.push(`| recall 100% on every class${TRUTH === 'ours' ? '' : ' (stand-in truth!)'} | ${bad.length ? bad.join('; ') : 'every class at every size'} | ${ok(bad.length === 0)} |`);
  }
  // p95 ≤ 2 ms at 10k and ≤ 10 ms at 100k.
  for (const n of [10000, 100000]) {
    if (!sizes.includes(n)) { L.push(`| p95 ≤ ${TARGETS.p95[n]} ms at ${n.toLocaleString('en')} | size not run | not measured |`); continue; }
    L.push(good(n) ? `| p95 ≤ ${TARGETS.p95[n]} ms at ${n.toLocaleString('en')} | ${msf(ours(n).all.p95)} | ${ok(ours(n).all.p95 <= TARGETS.p95[n])} |` : `| p95 ≤ ${TARGETS.p95[n]} ms at ${n.toLocaleString('en')} | ${missing(n)} | **not met** |`);
  }
  // At or below both libraries at every size (judged on p95 and on p50).
  {
    const rows = [];
    let all = true;
    for (const n of sizes) {
      if (!good(n)) { rows.push(missing(n)); all = false; continue; }
      for (const e of ENGINES.filter((x) => x !== 'ours' && x !== 'scan')) {
        const s = results[n][e];
        if (s.failed) { rows.push(`${LABEL[e]} failed at ${n.toLocaleString('en')}`); continue; }
        const fine = ours(n).all.p95 <= s.all.p95 && ours(n).all.p50 <= s.all.p50;
        all &&= fine;
        rows.push(`${n.toLocaleString('en')}: ${msf(ours(n).all.p50)}/${msf(ours(n).all.p95)} vs ${LABEL[e]} ${msf(s.all.p50)}/${msf(s.all.p95)}`);
      }
    }
    L.push(`| latency (p50 and p95) at or below both libraries at every size | ${rows.join('; ')} | ${ok(all)} |`);
  }
  // Faster than no index at all (not among the issue's targets, but an
  // index is only worth its bytes if it beats the plain scan).
  if (ENGINES.includes('scan')) {
    const rows = [];
    let all = true;
    for (const n of sizes) {
      const s = results[n].scan;
      if (!good(n) || s.failed) { rows.push(`not run at ${n.toLocaleString('en')}`); all = false; continue; }
      all &&= ours(n).all.p95 < s.all.p95;
      rows.push(`${n.toLocaleString('en')}: ${msf(ours(n).all.p95)} vs ${msf(s.all.p95)}`);
    }
    L.push(`| p95 below the plain JS substring scan's at every size | ${rows.join('; ')} | ${ok(all)} |`);
  }
  // Build ≤ 150 ms at 10k.
  // The index alone: reading the file is the widget's load, measured above.
  if (!sizes.includes(10000)) L.push('| index build ≤ 150 ms at 10,000 | size not run | not measured |');
  else if (!good(10000)) L.push(`| index build ≤ 150 ms at 10,000 | ${missing(10000)} | **not met** |`);
  else L.push(`| index build ≤ 150 ms at 10,000 (median of ${ours(10000).trials}) | index ${msf(ours(10000).indexMs)}; with reading the file ${msf(ours(10000).buildMs)} | ${ok(ours(10000).indexMs <= TARGETS.build10k)} |`);
  // Memory ≤ 3 MB per 10k items.
  {
    const rows = [];
    let idxOk = true;
    let growOk = true;
    for (const n of sizes) {
      if (!good(n)) { rows.push(missing(n)); idxOk = growOk = false; continue; }
      const budget = TARGETS.bytesPer10k * (n / 10000);
      const { indexBytes, wasmGrowth } = ours(n);
      idxOk &&= indexBytes <= budget;
      if (typeof wasmGrowth === 'number' && !Number.isNaN(wasmGrowth)) growOk &&= wasmGrowth <= budget; else growOk = null;
      rows.push(`${n.toLocaleString('en')}: index ${(indexBytes / 1e6).toFixed(2)} MB, wasm growth ${growOk === null ? '—' : `${(wasmGrowth / 1e6).toFixed(2)} MB`} (budget ${(budget / 1e6).toFixed(1)} MB)`);
    }
    L.push(`| memory ≤ 3 MB (10⁶ bytes) per 10k items | ${rows.join('; ')} | index_bytes: ${ok(idxOk)}; wasm growth: ${growOk === null ? 'not measured' : ok(growOk)} |`);
  }
  return L;
}

function writeDoc(table) {
  const intro = `## Search

Measured by \`bench/search/run.mjs\` (\`node --experimental-websocket bench/search/run.mjs\`).
Each engine builds its index over the same generated catalogue
(\`xxgk-catgen --seed 1\`, 1k, 10k and 100k items) in a page of its own, in a
fresh headless Chromium and browser context, and answers the same fixed
queries (\`bench/search/queries.json\`: single characters, 2–4 character
substrings, 文号 fragments, traditional queries on simplified text and the
reverse, pinyin, several terms, queries with no hit).
**Build** is the time from the catalogue file's bytes to a searchable index
(for the libraries: \`TextDecoder\`, \`JSON.parse\`, then the index).
**Memory** is \`performance.memory.usedJSHeapSize\` after \`gc()\` minus the
same before the build; for ours, the engine's own \`index_bytes()\` and the
growth of its wasm linear memory as well. **Latency** is
\`performance.now()\` around each search call, results collected as an array
of positions; p50 and p95 pool every query and every timed round (the page is
not cross-origin isolated, so the clock's resolution is 0.1 ms).
**Recall** is |results ∩ truth| / |truth| (1 when the truth is empty),
**precision** |results ∩ truth| / |results| (1 when nothing is returned),
each averaged over the queries; a hit for a query whose truth is empty is a
false hit. The truth is our engine's brute-force \`scan()\`.
MiniSearch is configured with a Chinese word tokenizer (\`Intl.Segmenter('zh')\`)
and \`{ prefix: true, combineWith: 'AND' }\`; FlexSearch with its CJK encoder
preset (\`Charset.CJK\`, one term per character) on a \`Document\` index.
Both get the whole query string. The **JS substring scan** is the baseline an
index has to beat: each item's fields joined into one string and every
space-separated term looked for with \`String.prototype.includes\` (no
folding, no pinyin, so it misses what differs in script, width or case).

<!-- bench:search:begin -->
<!-- bench:search:end -->
`;
  writeSection(join(root, 'docs/benchmarks.md'), 'search', table, intro);
}

main().catch((e) => { console.error(e); process.exit(1); });
