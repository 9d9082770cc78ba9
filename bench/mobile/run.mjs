// `make bench`: the catalogue as a citizen on a mid-range phone meets it,
// beside Pagefind, under Lighthouse's mobile conditions emulated through
// the DevTools protocol in Debian's headless Chromium. Writes the table
// between the bench:mobile markers in docs/benchmarks.md and prints it.
//
//   node --experimental-websocket --no-warnings bench/mobile/run.mjs
//
// Settings (environment):
//   BENCH_TRIALS=5                 trials per subject and size (median reported)
//   BENCH_MOBILE_SIZES=1000,10000  only these sizes (default: each subject's own)
//   BENCH_MOBILE_SUBJECTS=widget-plain,pagefind   only these subjects
//   BENCH_MOBILE_SEED=1            the catalogue generator's seed
//   BENCH_MOBILE_NETWORK=lighthouse | lighthouse-devtools   (see NETWORKS)
//   BENCH_MOBILE_OVERHEAD=0        skip the check of what the Network domain costs
//   BENCH_MOBILE_WRITE=0           print the table, leave docs/benchmarks.md alone
//   BENCH_MOBILE_DIST=DIR          the widget's files from DIR/xxgk instead of dist/xxgk,
//   BENCH_MOBILE_WIDGET='…'        and what to call them in the text
//
// Each trial, in a new browser context (empty cache, nothing compiled):
//  1. throttle: Network.enable with no body buffers, then
//     Network.emulateNetworkConditionsByRule on the page and on every worker it
//     starts (reached by Target.setAutoAttach, flattened, each worker held
//     at its first line until it is set up); Emulation.setCPUThrottlingRate
//     on the page (Chromium refuses it for workers); a 412 × 823 mobile
//     viewport at DPR 1.75;
//  2. navigate, and wait for the subject's first page;
//  3. wait until 5 s after it, for the total blocking time;
//  4. tap the search box and type three two-character queries, 150 ms
//     between characters, each over the last (selected);
//  5. (widget) clear the search, open the filters and choose a year;
//  6. (widget) tap the first entry's title;
//  7. all along, every 250 ms, add up the memory (see `sampleMemory`).
//
// A third subject, the widget reading a published bundle, is in SUBJECTS:
// it runs when `xxgk-server catalogue publish` exists (a size whose first
// trial fails is reported as failed, with what the page showed).
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { median, writeSection } from '../lib.mjs';
import { launchChromium } from './cdp.mjs';
import { startStaticServer } from './server.mjs';
import { catalogue, indexings, pagefindSite } from './sites.mjs';
import { brotliCompressSync, gzipSync, constants as zlib } from 'node:zlib';

const root = fileURLToPath(new URL('../..', import.meta.url));
const OUT = join(root, 'target/bench/mobile');
const PAGES = join(OUT, 'pages');
const SERVER = join(root, 'target/native/xxgk-server');
const TRIALS = Number(process.env.BENCH_TRIALS ?? 5);
const SEED = Number(process.env.BENCH_MOBILE_SEED ?? 1);
const ONLY_SIZES = process.env.BENCH_MOBILE_SIZES ? process.env.BENCH_MOBILE_SIZES.split(',').map(Number) : null;
const ONLY_SUBJECTS = process.env.BENCH_MOBILE_SUBJECTS ? process.env.BENCH_MOBILE_SUBJECTS.split(',') : null;

/**
 * Lighthouse's mobile preset (`mobileSlow4G` in its constants.js): 150 ms
 * round trip, 1.6 Mbps down (1,638.4 kbps), 750 kbps up, CPU 4x slower.
 * DevTools throttling adds the latency once per request, where a real
 * network pays round trips for the connection and TCP slow start as well;
 * so when Lighthouse itself throttles through DevTools
 * (`--throttling-method=devtools`) it multiplies the latency by 3.75 and
 * the throughputs by 0.9: that is `lighthouse-devtools`, the harsher one.
 * kbps are Lighthouse's (1,024 bits), turned into bytes per second as it
 * does.
 */
const NETWORKS = {
  lighthouse: { label: '150 ms latency per request, 1,638.4 kbps down, 750 kbps up', latency: 150, down: 1638.4, up: 750 },
  'lighthouse-devtools': { label: '562.5 ms latency per request, 1,474.6 kbps down, 675 kbps up (Lighthouse\'s own DevTools-throttling values)', latency: 562.5, down: 1474.56, up: 675 },
};
const NETWORK_NAME = process.env.BENCH_MOBILE_NETWORK ?? 'lighthouse';
const NETWORK = NETWORKS[NETWORK_NAME];
if (!NETWORK) throw new Error(`BENCH_MOBILE_NETWORK: one of ${Object.keys(NETWORKS).join(', ')}`);
const CONDITIONS = {
  latency: NETWORK.latency,
  downloadThroughput: Math.floor((NETWORK.down * 1024) / 8),
  uploadThroughput: Math.floor((NETWORK.up * 1024) / 8),
};
const CPU_SLOWDOWN = 4;
// Lighthouse's mobile screen is 412 × 823 at DPR 1.75.
const VIEWPORT = { width: 412, height: 823, deviceScaleFactor: 1.75, mobile: true };
const USER_AGENT = 'Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36';
/**
 * Network.enable is needed for network emulation (without it nothing is
 * throttled: checked). By default DevTools then keeps response bodies in
 * the renderer (bench/run.mjs avoids the domain for that reason); with
 * buffers of 0 it keeps none. `networkOverhead` measures what the domain
 * costs either way.
 */
const NETWORK_ENABLE = { maxTotalBufferSize: 0, maxResourceBufferSize: 0 };
const TYPING_GAP = 150; // ms between characters
const AFTER_FIRST_PAGE = 5000; // the window for total blocking time
const SAMPLE_EVERY = 250; // ms between memory samples
const QUERIES = ['财政', '绩效', '低保'];
const TARGETS = {
  visible: 1500, visibleGrowth: 0.2, bytesBefore: 150_000, query: 1000, queryBytes: 100_000,
  filter: 500, open: 500, openBytes: 30_000, memory: 30_000_000, memoryAt: 100_000,
};

const PROBE = readFileSync(new URL('./probe.js', import.meta.url), 'utf8');
/** The probe, set to wait for `ready` ({ event, selector }). */
const probeFor = (ready) => PROBE.replace(/\}\)\(READY\);\s*$/, `})(${JSON.stringify(ready)});\n`);
const publishAvailable = () => {
  if (!existsSync(SERVER)) return `${SERVER} is not built`;
  const r = spawnSync(SERVER, ['catalogue', 'publish', '--help'], { encoding: 'utf8' });
  return r.status === 0 ? null : '`xxgk-server catalogue publish` does not exist yet';
};

/** A page embedding the widget as a portal does: one script tag in a
 * column of the page, reading `catalogueUrl`. */
function widgetPage(name, catalogueUrl) {
  mkdirSync(join(PAGES, 'w'), { recursive: true });
  writeFileSync(join(PAGES, 'w', `${name}.html`), `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,"><title>信息公开目录 - 白石乡人民政府</title>
<style>body { margin: 0; font: 14px sans-serif; } .top { background: #b3261e; color: #fff; padding: 12px; } .main { padding: 8px; }</style>
</head><body>
<div class="top">白石乡人民政府 · 信息公开</div>
<div class="main">
<script src="/xxgk/xxgk.js" data-catalogue="${catalogueUrl}"></script>
</div>
</body></html>
`);
  return `/w/${name}.html`;
}

/** The widget's page-side checks, shared by its subjects. */
const WIDGET = {
  // The widget fires xxgk:ready on its host in the frame that first shows
  // entries; they are in its (open) shadow root.
  ready: { event: 'xxgk:ready', selector: '.xxgk-list__item' },
  searchBox: '.xxgk-search__input',
  // The answer to the whole query is on screen: the box holds it, the
  // count is not marked busy (it is while an older answer is shown or the
  // engine is starting), and an entry has a <mark>.
  shows: (q) => `(() => { const i = __probe.deep('.xxgk-search__input'), c = __probe.deep('.xxgk-list__count');
    return i && i.value === ${JSON.stringify(q)} && c && !c.hasAttribute('aria-busy') && !!__probe.deep('.xxgk-list__item mark'); })()`,
  // The list without a query again: no marks, not busy.
  cleared: `(() => { const c = __probe.deep('.xxgk-list__count');
    return c && !c.hasAttribute('aria-busy') && !!__probe.deep('.xxgk-list__item') && !__probe.deep('.xxgk-list__item mark'); })()`,
  filter: {
    open: '.xxgk-filters__summary', // the panel starts collapsed on a phone
    select: 'select[data-filter="year"]',
    option: 1, // the first year after 不限
    watch: '.xxgk-list__count', // its text changes with the list
  },
  // The widget says it could not load the catalogue.
  failed: `!!__probe.deep('.xxgk-failure')`,
  // What the widget shows, for a failure's message.
  describe: `(() => { const c = __probe.deep('.xxgk-list__count'), i = __probe.deep('.xxgk-search__input'), f = __probe.deep('.xxgk-failure');
    if (f) return f.textContent.replace(/\\s+/g, ' ').trim().slice(0, 160);
    return JSON.stringify({ box: i && i.value, count: c && c.textContent, busy: c && c.getAttribute('aria-busy'), marks: !!__probe.deep('.xxgk-list__item mark') }); })()`,
  open: {
    tap: '.xxgk-list__title',
    shown: `!!(__probe.deep('.xxgk-detail__title') && __probe.deep('.xxgk-meta'))`,
  },
};

/**
 * What is measured. A subject is
 *   key, name, sizes;
 *   unavailable(): null, or why the subject is skipped;
 *   prepare(n, mounts): makes its files (cached), adds [URL prefix, dir]
 *     to `mounts`, returns (or resolves to) { url (the page), warm (URLs
 *     the server should compress before the first trial) }; an error
 *     with `skip` set skips that size, saying why;
 *   ready: { event, selector }: the first page is shown once `event` (if
 *     any) has fired and `selector` matches (through open shadow roots);
 *   searchBox: the search input's selector;
 *   shows(q): a page expression, true once the results for q show a <mark>;
 *   cleared: a page expression, true once the list without a query shows
 *     (null: no filter step);
 *   filter: { open, select, option, watch } or null;
 *   open: { tap, shown } or null;
 *   failed: a page expression, true when the page says it cannot show
 *     its first page (optional);
 *   describe: a page expression saying what the page shows, for a
 *     failure's message (optional).
 */
const SUBJECTS = [
  {
    key: 'widget-plain',
    name: 'widget, plain file',
    sizes: [1000, 10000],
    unavailable: () => null,
    prepare(n, mounts) {
      const file = catalogue(root, OUT, n, SEED);
      mounts.push(['/cat/', join(OUT, 'cat', `seed${SEED}`)]);
      return { url: widgetPage(`plain-${n}`, `/cat/catalogue-${n}.json`), warm: ['/xxgk/xxgk.js', '/xxgk/xxgk_bg.wasm', '/xxgk/xxgk-search.js', '/xxgk/xxgk-search_bg.wasm', `/cat/catalogue-${n}.json`], file };
    },
    ...WIDGET,
  },
  {
    // `xxgk-server catalogue publish INPUT --out DIR` writes DIR/index.json
    // and the bundle's other files, served as they are; the widget is
    // pointed at index.json and starts its module for bundles.
    key: 'widget-bundle',
    name: 'widget, published bundle',
    sizes: [1000, 10000, 100000],
    unavailable: publishAvailable,
    prepare(n, mounts) {
      const file = catalogue(root, OUT, n, SEED);
      const dir = join(OUT, `bundle-${n}-seed${SEED}`);
      // Published each run (it rewrites only what changed), so the bundle
      // is always the current command's.
      const r = spawnSync(SERVER, ['catalogue', 'publish', file, '--out', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
      if (r.status !== 0) throw new Error(`xxgk-server catalogue publish failed (${r.status})`);
      mounts.push([`/bundle-${n}/`, dir]);
      return { url: widgetPage(`bundle-${n}`, `/bundle-${n}/index.json`), warm: ['/xxgk/xxgk.js', '/xxgk/xxgk-bundle.js', '/xxgk/xxgk-bundle_bg.wasm', '/xxgk/xxgk-search.js', '/xxgk/xxgk-search_bg.wasm', `/bundle-${n}/index.json`] };
    },
    ...WIDGET,
    // Its first page is drawn from the manifest by the module's glue
    // (src/bundle.js) before the module arrives; the module's own view
    // (xxgk:ready) replaces it and is noted beside.
    ready: { event: 'xxgk:drawn', selector: '.xxgk-list__item' },
  },
  {
    key: 'pagefind',
    name: 'Pagefind 1.6, default UI',
    // 50,000 too: the largest that this machine can index (see sites.mjs).
    sizes: [1000, 10000, 50000, 100000],
    unavailable: () => (existsSync(join(root, 'node_modules/.bin/pagefind')) ? null : 'pagefind is not installed (npm ci)'),
    async prepare(n, mounts) {
      const site = await pagefindSite(root, OUT, n, SEED, catalogue(root, OUT, n, SEED));
      mounts.push([`/pf-${n}/`, site]);
      return { url: `/pf-${n}/search.html`, warm: ['pagefind-ui.js', 'pagefind-ui.css', 'pagefind.js', 'pagefind-worker.js', 'pagefind-entry.json'].map((f) => `/pf-${n}/pagefind/${f}`) };
    },
    // Its first page is the search box, ready to be typed into.
    ready: { selector: '.pagefind-ui__search-input' },
    searchBox: '.pagefind-ui__search-input',
    shows: (q) => `(() => { const i = __probe.deep('.pagefind-ui__search-input'), m = __probe.deep('.pagefind-ui__message');
      return i && i.value === ${JSON.stringify(q)} && m && m.textContent.includes(${JSON.stringify(q)}) && !!__probe.deep('.pagefind-ui__result mark'); })()`,
    cleared: null,
    filter: null,
    open: null, // a result is a link to another page: a page load, not measured
  },
];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Waits (at most 30 s) for the machine's 1-minute load average to fall
 * below its number of cores, so that other work on it weighs less on a
 * trial; the load average when the trial starts. */
async function quiet() {
  for (const until = Date.now() + 30_000; os.loadavg()[0] >= os.cpus().length && Date.now() < until;) await sleep(2000);
  return os.loadavg()[0];
}

/** Throttles the network of a page or worker session: the Network domain
 * on without body buffers, and the conditions for every URL. A worker's
 * requests are not throttled by its page's conditions (checked: a worker
 * fetched 400 KB in 6 ms), and Network.emulateNetworkConditions answers
 * "Not supported" in a worker, so its rule-based successor is used for
 * both; a page and its worker then share one link (checked: 400 KB in
 * each at once took 4.1 s in each, as two in the page did). */
async function throttle(send, session) {
  await send('Network.enable', NETWORK_ENABLE, session);
  await send('Network.emulateNetworkConditionsByRule', { matchedNetworkConditions: [{ urlPattern: '', ...CONDITIONS }] }, session);
}

/** One trial of `subject` at `url`. */
async function trial(chrome, port, subject, url) {
  const { send, on } = chrome;
  const { browserContextId } = await send('Target.createBrowserContext');
  const { targetId } = await send('Target.createTarget', { url: 'about:blank', browserContextId });
  const { sessionId: page } = await send('Target.attachToTarget', { targetId, flatten: true });
  const workers = new Map(); // sessionId → { url, resources (last read) }
  const probe = probeFor(subject.ready);
  const setups = [];
  const off = on((m) => {
    if (m.method === 'Target.attachedToTarget' && m.sessionId === page) {
      const s = m.params.sessionId;
      workers.set(s, { url: m.params.targetInfo.url, type: m.params.targetInfo.type, resources: null });
      // Held at its first line until throttled and watched.
      setups.push((async () => {
        try {
          await send('Runtime.evaluate', { expression: probe }, s);
          await throttle(send, s);
        } finally {
          await send('Runtime.runIfWaitingForDebugger', {}, s).catch(() => {});
        }
      })().catch((e) => console.error(`  worker set-up failed: ${e.message}`)));
    }
    if (m.method === 'Target.detachedFromTarget' && m.sessionId === page && workers.has(m.params.sessionId)) {
      workers.get(m.params.sessionId).gone = true;
    }
  });
  const evaluate = async (expression, session = page, timeout = 600_000) => {
    const r = await send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true }, session, timeout);
    if (r.exceptionDetails) throw new Error(String(r.exceptionDetails.exception?.description ?? r.exceptionDetails.text).split('\n')[0]);
    return r.result.value;
  };

  // Memory: the page's JS heap (used), every WebAssembly memory in the page,
  // and each worker's JS heap (used) and WebAssembly memories; the peak of
  // the sum over samples.
  const peak = { total: 0 };
  let sampling = true;
  const sampleMemory = async () => {
    const parts = { pageHeap: 0, pageWasm: 0, workerHeap: 0, workerWasm: 0 };
    const one = async (s, heapKey, wasmKey) => {
      const [heap, wasm] = await Promise.all([
        send('Runtime.getHeapUsage', {}, s, 10_000),
        send('Runtime.evaluate', { expression: 'self.__probe ? __probe.wasm() : 0', returnByValue: true }, s, 10_000),
      ]);
      parts[heapKey] += heap.usedSize;
      parts[wasmKey] += wasm.result.value ?? 0;
    };
    await Promise.all([
      one(page, 'pageHeap', 'pageWasm'),
      ...[...workers].filter(([, w]) => !w.gone).map(([s]) => one(s, 'workerHeap', 'workerWasm').catch(() => {})),
    ]);
    const total = parts.pageHeap + parts.pageWasm + parts.workerHeap + parts.workerWasm;
    if (total > peak.total) Object.assign(peak, parts, { total });
  };
  const sampler = (async () => {
    while (sampling) {
      await sampleMemory().catch(() => {});
      await sleep(SAMPLE_EVERY);
    }
  })();

  /** Every response so far, page and workers, as [url, start, end, bytes]
   * in ms since the page's navigation start. */
  const responses = async () => {
    const own = await evaluate('__probe.resources()');
    const all = own.entries.slice();
    for (const [s, w] of workers) {
      if (!w.gone) w.resources = await evaluate('self.__probe ? __probe.resources() : null', s, 30_000).catch(() => w.resources);
      if (w.resources) {
        const shift = w.resources.origin - own.origin;
        for (const [name, start, end, bytes] of w.resources.entries) all.push([name, start + shift, end + shift, bytes]);
      }
    }
    return all;
  };
  const bytesBetween = (list, from, to) => list
    .filter(([, start, end]) => start >= from && start <= to && end > 0)
    .reduce((a, [, , , bytes]) => a + bytes, 0);
  const tap = async (selector) => {
    const at = await evaluate(`__probe.centre(${JSON.stringify(selector)})`);
    if (!at) throw new Error(`nothing to tap: ${selector}`);
    for (const type of ['mousePressed', 'mouseReleased']) {
      await send('Input.dispatchMouseEvent', { type, x: at.x, y: at.y, button: 'left', clickCount: 1 }, page);
    }
  };
  const type = async (text) => {
    const chars = [...text];
    for (let i = 0; i < chars.length; i++) {
      await send('Input.insertText', { text: chars[i] }, page);
      if (i < chars.length - 1) await sleep(TYPING_GAP);
    }
  };

  const result = { queries: [] };
  let step = 'loading';
  try {
    await send('Page.enable', {}, page);
    await send('Page.addScriptToEvaluateOnNewDocument', { source: probe }, page);
    await throttle(send, page);
    await send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN }, page);
    await send('Emulation.setDeviceMetricsOverride', VIEWPORT, page);
    await send('Emulation.setUserAgentOverride', { userAgent: USER_AGENT, platform: 'Android' }, page);
    await send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: true }, page);
    await send('Page.navigate', { url: `http://127.0.0.1:${port}${url}` }, page);

    // 2. The first page.
    let state = null;
    const failedExpr = subject.failed ?? 'false';
    for (const deadline = Date.now() + 180_000; Date.now() < deadline;) {
      await sleep(100);
      state = await evaluate(`self.__probe && location.href !== "about:blank" ? { ready: __probe.readyAt, error: __probe.readyError, failed: ${failedExpr}, now: performance.now() } : null`).catch(() => null);
      if (state?.ready !== undefined || state?.error || state?.failed) break;
    }
    if (state?.ready === undefined) throw new Error(`no first page (${state?.failed ? 'the page said it failed' : state?.error ?? 'none within 3 minutes'})`);
    result.visible = state.ready;

    // 3. Until 5 s after it: total blocking time over that window.
    await sleep(Math.max(0, result.visible + AFTER_FIRST_PAGE - state.now));
    const end = result.visible + AFTER_FIRST_PAGE;
    const tasks = await evaluate('__probe.longTasks');
    result.tbt = tasks.filter(([start]) => start < end)
      .reduce((a, [start, duration]) => a + Math.max(0, Math.min(start + duration, end) - start - 50), 0);
    result.longest = Math.max(0, ...tasks.filter(([start]) => start < end).map(([, d]) => d));
    await Promise.all(setups);
    // When the widget's module showed its own first view (xxgk:ready).
    result.module = await evaluate('__probe.moduleAt');
    let list = await responses();
    result.bytesBefore = list.filter(([, , e]) => e > 0 && e <= result.visible).reduce((a, x) => a + x[3], 0);

    // 4. Typing: the first query after a tap on the box, each next one
    // typed over the last, selected.
    for (let i = 0; i < QUERIES.length; i++) {
      const q = QUERIES[i];
      step = `typing ${q}`;
      const armed = await evaluate('__probe.arm()');
      if (i === 0) await tap(subject.searchBox);
      else await evaluate(`(() => { const i = __probe.deep(${JSON.stringify(subject.searchBox)}); i.focus(); i.select(); return true; })()`);
      const shown = evaluate(`__probe.until(() => ${subject.shows(q)}, 60000)`);
      shown.catch(() => {});
      await type(q);
      const at = await shown;
      const first = await evaluate('__probe.inputs[0]');
      list = await responses();
      result.queries.push({ q, ms: at - first, bytes: bytesBetween(list, armed, at) });
    }

    // 5. A filter: the list without the query, the panel opened, a year chosen.
    if (subject.filter) {
      const f = subject.filter;
      step = 'changing a filter';
      await evaluate(`(() => { const i = __probe.deep(${JSON.stringify(subject.searchBox)}); i.focus(); i.select(); return true; })()`);
      for (const t of ['rawKeyDown', 'keyUp']) {
        await send('Input.dispatchKeyEvent', { type: t, key: 'Backspace', code: 'Backspace', windowsVirtualKeyCode: 8 }, page);
      }
      await evaluate(`__probe.until(() => ${subject.cleared}, 60000)`);
      await tap(f.open);
      await evaluate(`__probe.until(() => __probe.deep(${JSON.stringify(f.select)}) && __probe.deep(${JSON.stringify(f.select)}).offsetParent !== null, 10000)`);
      result.filter = await evaluate(`(() => {
        const select = __probe.deep(${JSON.stringify(f.select)});
        const before = __probe.deep(${JSON.stringify(f.watch)}).textContent;
        const start = performance.now();
        select.value = select.options[${f.option}].value;
        select.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
        select.dispatchEvent(new Event('change', { bubbles: true }));
        return __probe.until(() => { const w = __probe.deep(${JSON.stringify(f.watch)}); return w && w.textContent !== before; }, 60000)
          .then((t) => t - start);
      })()`);
    }

    // 6. Opening an entry: from the tap to its metadata card painted.
    if (subject.open) {
      step = 'opening an entry';
      const armed = await evaluate('__probe.arm()');
      const shown = evaluate(`__probe.until(() => ${subject.open.shown}, 60000)`);
      shown.catch(() => {});
      await tap(subject.open.tap);
      const at = await shown;
      const first = await evaluate('__probe.pointers[0]');
      list = await responses();
      result.open = { ms: at - first, bytes: bytesBetween(list, armed, at) };
    }

    await sleep(SAMPLE_EVERY);
    list = await responses();
    result.bytesAll = list.reduce((a, x) => a + x[3], 0);
    result.workers = [...workers.values()].map((w) => w.type);
  } catch (e) {
    const shown = subject.describe ? await evaluate(subject.describe, page, 10_000).catch(() => null) : null;
    throw new Error(`${step}: ${e.message}${shown ? ` (the page showed: ${shown.replaceAll(`http://127.0.0.1:${port}`, '')})` : ''}`);
  } finally {
    sampling = false;
    await sampler;
    await sampleMemory().catch(() => {});
    off();
    await send('Target.closeTarget', { targetId }).catch(() => {});
    await send('Target.disposeBrowserContext', { browserContextId }).catch(() => {});
  }
  result.memory = { ...peak };
  return result;
}

/**
 * Checks what the method relies on, in this Chromium, each run: a 400 KB
 * file (not compressed) fetched by a page and by its worker, with and
 * without the Network domain and the worker's own rule, alone and at
 * once; and whether a worker takes CPU throttling. Returns the times.
 */
async function checkThrottling(chrome, port) {
  const { send, on } = chrome;
  mkdirSync(join(PAGES, 'check'), { recursive: true });
  writeFileSync(join(PAGES, 'check', 'blob.bin'), randomBytes(400_000));
  writeFileSync(join(PAGES, 'check', 'page.html'), `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script>
const get = (u) => { const t = performance.now(); return fetch(u, { cache: 'no-store' }).then((r) => r.arrayBuffer()).then(() => performance.now() - t); };
const source = 'onmessage = (e) => { const t = performance.now(); fetch(e.data, { cache: "no-store" }).then((r) => r.arrayBuffer()).then(() => postMessage(performance.now() - t)); };';
const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
const inWorker = (u) => new Promise((done) => { worker.onmessage = (e) => done(e.data); worker.postMessage(new URL(u, location.href).href); });
</script>`);
  const run = async ({ enable, pageRule, workerRule, expression }) => {
    const { browserContextId } = await send('Target.createBrowserContext');
    const { targetId } = await send('Target.createTarget', { url: 'about:blank', browserContextId });
    const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
    let cpuRefusal = null;
    const off = on(async (m) => {
      if (m.method !== 'Target.attachedToTarget' || m.sessionId !== sessionId) return;
      const s = m.params.sessionId;
      if (workerRule) await throttle(send, s).catch(() => {});
      cpuRefusal = await send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN }, s).then(() => null, (e) => e.message);
      await send('Runtime.runIfWaitingForDebugger', {}, s).catch(() => {});
    });
    await send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: true }, sessionId);
    if (enable) await send('Network.enable', NETWORK_ENABLE, sessionId);
    if (pageRule) await send('Network.emulateNetworkConditionsByRule', { matchedNetworkConditions: [{ urlPattern: '', ...CONDITIONS }] }, sessionId);
    await send('Page.navigate', { url: `http://127.0.0.1:${port}/check/page.html` }, sessionId);
    await sleep(1000);
    const r = await send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true }, sessionId);
    off();
    await send('Target.closeTarget', { targetId });
    await send('Target.disposeBrowserContext', { browserContextId });
    return { value: r.result.value, cpuRefusal };
  };
  const u = (k) => `'blob.bin?${k}'`;
  const noDomain = await run({ pageRule: true, expression: `get(${u('a')})` });
  const pageOnly = await run({ enable: true, pageRule: true, expression: `Promise.all([get(${u('b')}), inWorker(${u('c')})])` });
  const both = await run({ enable: true, pageRule: true, workerRule: true, expression: `Promise.all([get(${u('d')}), new Promise((r) => setTimeout(r, 3000)).then(() => inWorker(${u('e')}))])` });
  const shared = await run({ enable: true, pageRule: true, workerRule: true, expression: `Promise.all([get(${u('f')}), inWorker(${u('g')})])` });
  return {
    ideal: 400_000 / CONDITIONS.downloadThroughput * 1000 + CONDITIONS.latency,
    noDomain: noDomain.value,
    page: pageOnly.value[0],
    workerWithoutRule: pageOnly.value[1],
    workerWithRule: both.value[1],
    sharedPage: shared.value[0],
    sharedWorker: shared.value[1],
    cpuRefusal: both.cpuRefusal,
  };
}

/**
 * What Network.enable costs the page: the widget at 10,000 entries
 * without any throttling, its first page timed with the Network domain
 * off, on with DevTools' default buffers, and on with no buffers.
 */
async function networkOverhead(chrome, port, url) {
  const { send } = chrome;
  const arms = { off: null, defaults: {}, 'no buffers': NETWORK_ENABLE };
  const times = Object.fromEntries(Object.keys(arms).map((k) => [k, []]));
  const probe = probeFor(WIDGET.ready);
  for (let round = 0; round < 6; round++) {
    for (const [arm, enable] of Object.entries(arms)) {
      const { browserContextId } = await send('Target.createBrowserContext');
      const { targetId } = await send('Target.createTarget', { url: 'about:blank', browserContextId });
      const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
      await send('Page.enable', {}, sessionId);
      await send('Page.addScriptToEvaluateOnNewDocument', { source: probe }, sessionId);
      if (enable) await send('Network.enable', enable, sessionId);
      await send('Page.navigate', { url: `http://127.0.0.1:${port}${url}` }, sessionId);
      let t;
      for (const deadline = Date.now() + 120_000; t === undefined && Date.now() < deadline;) {
        await sleep(50);
        t = (await send('Runtime.evaluate', { expression: 'self.__probe ? __probe.readyAt : undefined', returnByValue: true }, sessionId)).result.value;
      }
      await send('Target.closeTarget', { targetId });
      await send('Target.disposeBrowserContext', { browserContextId });
      if (t === undefined) throw new Error(`no first page within 2 minutes (Network domain ${arm})`);
      if (round > 0) times[arm].push(t); // the first round warms up
    }
  }
  return Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
}

/** How the table is measured, for docs/benchmarks.md: the lines before it. */
function methodText(overhead, check) {
  const cost = overhead
    ? `Measured in this run on the widget at ${overhead.n.toLocaleString('en')} entries without any throttling (first page visible, median of 5 after a warm-up round): ` +
      `${ms(overhead.off)} with the domain off, ${ms(overhead.defaults)} with it on and DevTools' default buffers, ${ms(overhead['no buffers'])} with it on and no buffers.`
    : 'Its cost was not measured in this run (BENCH_MOBILE_OVERHEAD=0).';
  const checked = check
    ? [
      `  Checked in this run with a 400 KB file (${ms(check.ideal)} at these settings): fetched with the rule but without the Network domain,`,
      `  ${ms(check.noDomain)}; with both, ${ms(check.page)} in the page, but ${ms(check.workerWithoutRule)} in its worker until the worker has`,
      `  its own rule, then ${ms(check.workerWithRule)}; page and worker fetching at once share one link (${ms(check.sharedPage)} and ${ms(check.sharedWorker)}).`,
    ]
    : [];
  const gz = (f) => gzipSync(readFileSync(join(root, f)), { level: 6 }).length;
  const br = (f) => brotliCompressSync(readFileSync(join(root, f)), { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }).length;
  const modules = ['dist/xxgk/xxgk.js', 'dist/xxgk/xxgk_bg.wasm'];
  const moreThanBrotli = modules.reduce((a, f) => a + gz(f) - br(f), 0);
  const indexed = indexings(OUT).sort((a, b) => a.n - b.n);
  const perPage = indexed.length ? Math.max(...indexed.map((x) => x.peakRss / x.n)) : 0;
  const pagefindMemory = indexed.length
    ? `Indexing took ${indexed.map((x) => `${(x.peakRss / 2 ** 30).toFixed(1)} GiB of memory and ${x.seconds.toFixed(0)} s for ${x.n.toLocaleString('en')} pages`).join(', ')} ` +
      `(about ${((perPage * 1000) / 2 ** 30).toFixed(2)} GiB per 1,000 Chinese pages); a size whose estimate exceeds 90% of this machine's memory is skipped, saying so.`
    : '';
  return [
    'Measured by `bench/mobile/run.mjs` (part of `make bench`): the catalogue as a citizen on a mid-range phone meets it, beside',
    '[Pagefind](https://pagefind.app/) 1.6.0 (pinned in `package.json`), under Lighthouse\'s mobile conditions emulated in Chromium',
    'over the DevTools protocol. Each trial is a new browser context (empty cache, nothing compiled); each figure is the median of the trials.',
    '',
    '- **Network**: Lighthouse\'s mobile preset (`mobileSlow4G`: 150 ms round trip, 1,638.4 kbps down, 750 kbps up), applied by',
    '  `Network.emulateNetworkConditionsByRule` with one rule for every URL. DevTools throttling adds the latency once per request;',
    '  Lighthouse\'s own DevTools mode multiplies it by 3.75 (and the throughputs by 0.9) to stand for the round trips of new connections:',
    '  `BENCH_MOBILE_NETWORK=lighthouse-devtools` measures under those harsher values.',
    '  Emulation needs the Network domain; it is enabled with `maxTotalBufferSize` and `maxResourceBufferSize` 0, so DevTools keeps',
    '  no response bodies. ' + cost,
    '- **Workers**: `Target.setAutoAttach` (flattened, each worker held at its first line until set up) reaches every worker the page',
    '  starts (the widget\'s search engine, Pagefind\'s search worker). A worker\'s requests are not throttled by its page\'s conditions,',
    '  and `Network.emulateNetworkConditions` answers "Not supported" in a worker, so each worker gets the same rule as its page.',
    ...checked,
    '- **CPU**: `Emulation.setCPUThrottlingRate` 4 on the page. Chromium refuses it for workers' +
      (check?.cpuRefusal ? ` (in this run: "${check.cpuRefusal.replace(/^[^:]*: /, '')}")` : '') + ', so both search',
    '  workers compute at this machine\'s full speed, which flatters the typing column for both subjects.',
    '- **Screen**: `Emulation.setDeviceMetricsOverride` 412 × 823, DPR 1.75, mobile, and an Android Chrome user agent.',
    '- **Server**: `bench/mobile/server.mjs` (Node\'s http and zlib), as a portal\'s web server configured for compression:',
    '  .html, .js, .css, .json, .wasm and .svg gzip-compressed at level 6 (once, kept in memory), anything else as it is (Pagefind\'s',
    '  `.pf_*` and `.pagefind` files are gzip inside already); Content-Length on every response, a strong ETag, `Cache-Control: no-cache`.',
    `  The widget's two files are sent gzip, not brotli: ${kb(moreThanBrotli)} more than their brotli size above.`,
    '- **Subjects**: *widget, plain file*: a page embedding the widget as a portal does,',
    '  `<script src="/xxgk/xxgk.js" data-catalogue="/cat/catalogue-N.json">`, the catalogue generated by `xxgk-catgen`.',
    '  *Pagefind*: one static page per catalogue entry (title, the standard metadata, summary and body inside `data-pagefind-body`,',
    '  `lang="zh-CN"`), indexed by the pagefind CLI (its extended build, which segments Chinese), and a search page with the default',
    '  UI (`pagefind-ui.js` and `.css`, `new PagefindUI({ element: \'#search\' })`). ' + pagefindMemory,
    '  *Widget, published bundle*: the same page with `data-catalogue` on the `index.json` that `xxgk-server catalogue publish` writes;',
    '  it runs when that command exists (a subject in `SUBJECTS` in the script: its sizes, how its files are made, its page, when its',
    '  first page is shown, its search box, what shows a query\'s results, its filter and its entry).',
    '',
    'What each column means:',
    '',
    '- **First page visible**: from navigation start to the frame that shows the first entries, painted (a task queued from the next',
    '  frame). Widget on a file: its `xxgk:ready` event, with list entries in its shadow root. Widget on a bundle: its `xxgk:drawn` event,',
    '  the first page drawn from the manifest by `xxgk-bundle.js` before the module arrives, with list entries (the time of the module\'s',
    '  own view, `xxgk:ready`, is given per trial below the table). Pagefind: its search box in the page, ready to type in.',
    '- **Bytes before first page**: the encoded (gzip) body bytes of every response, page and workers, that had arrived by then,',
    '  from Resource Timing (`encodedBodySize`; headers excluded). The total of a visit agrees with what the server sent.',
    '- **Total blocking time**: the sum over main-thread long tasks (`longtask` entries) of their time beyond 50 ms, from navigation',
    '  start to 5 s after the first page (Lighthouse counts from the first contentful paint).',
    `- **Typing**: a tap on the search box, then ${QUERIES.map((q) => `${q}`).join(', ')} (two characters each, from`,
    '  `bench/search/queries.json`), each typed over the previous one, one character per `Input.insertText`, 150 ms apart: from the',
    '  first character\'s input event to the frame that shows a result for the whole query with a `<mark>`, painted (widget: the box',
    '  holds the query, the count is no longer busy and an entry has a mark; Pagefind: its message names the query and a result has',
    '  a mark). The mean of the three, and the worst, each the median over trials; the target is judged on the worst. Bytes: every',
    '  response requested from the tap (or the first character) to that frame; the first query and the mean of the later two.',
    '- **Filter change** (widget): the query cleared, the filter panel opened by a tap, then the first year chosen in the year menu;',
    '  from the change to the frame showing the new count, painted.',
    '- **Open an entry** (widget): a tap on the first entry\'s title, from the pointer event to the frame showing its title and metadata',
    '  card, painted, and the bytes fetched meanwhile. Pagefind opens a result as another page: not measured.',
    '- **Peak memory**: every 250 ms, the page\'s JS heap (`Runtime.getHeapUsage` used size) + the byte length of every WebAssembly',
    '  memory in the page + each worker\'s JS heap (used) + every WebAssembly memory in each worker (each module\'s memory is noted',
    '  as it is instantiated, by a script run before the page\'s and each worker\'s first line); the highest sum in the visit.',
    '  ArrayBuffers outside WebAssembly memory (a fetched catalogue before the worker copies it) and the browser\'s own memory are not',
    '  counted. MB are 10⁶ bytes, KB 10³.',
    '- **Bytes in the whole visit**: every response body, page and workers, from navigation to the end of the trial.',
    '',
  ];
}

// ---------------------------------------------------------------------

const fmtInt = (x) => Math.round(x).toLocaleString('en');
const ms = (x) => (x === undefined || Number.isNaN(x) ? '–' : x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${fmtInt(x)} ms`);
const kb = (b) => (b === undefined ? '–' : b < 10_000 ? `${(b / 1000).toFixed(1)} KB` : `${fmtInt(b / 1000)} KB`);
const mb = (b) => `${(b / 1e6).toFixed(1)} MB`;
const verdict = (good) => (good ? 'met' : '**not met**');
const med = (xs) => (xs.length ? median(xs) : undefined);

async function main() {
  mkdirSync(OUT, { recursive: true });
  const chromium = spawnSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8' }).stdout.trim();
  const plan = [];
  const skipped = [];
  // The widget's files as they are now, copied, so a build during the run
  // changes nothing measured.
  const dist = join(process.env.BENCH_MOBILE_DIST ? process.env.BENCH_MOBILE_DIST : join(root, 'dist'), 'xxgk');
  const snapshot = join(OUT, 'xxgk');
  rmSync(snapshot, { recursive: true, force: true });
  cpSync(dist, snapshot, { recursive: true });
  const wasm = readFileSync(join(snapshot, 'xxgk_bg.wasm'));
  const widget = {
    from: process.env.BENCH_MOBILE_WIDGET ?? process.env.BENCH_MOBILE_DIST ?? `dist/ of this working tree (${spawnSync('git', ['describe', '--always', '--dirty'], { cwd: root, encoding: 'utf8' }).stdout.trim()})`,
    wasm: `xxgk_bg.wasm ${fmtInt(wasm.length)} bytes, sha256 ${createHash('sha256').update(wasm).digest('hex').slice(0, 12)}`,
  };
  console.log(`widget: ${widget.from}; ${widget.wasm}`);
  const mounts = [['/xxgk/', snapshot]];
  for (const subject of SUBJECTS) {
    if (ONLY_SUBJECTS && !ONLY_SUBJECTS.includes(subject.key)) { skipped.push(`${subject.name}: not run (not in BENCH_MOBILE_SUBJECTS for this run).`); continue; }
    const why = subject.unavailable();
    if (why) { skipped.push(`${subject.name}: skipped, ${why}.`); console.log(`${subject.name}: skipped, ${why}`); continue; }
    for (const n of subject.sizes) {
      if (ONLY_SIZES && !ONLY_SIZES.includes(n)) continue;
      console.log(`preparing ${subject.name} at ${n.toLocaleString('en')}…`);
      try {
        plan.push({ subject, n, ...(await subject.prepare(n, mounts)) });
      } catch (e) {
        if (!e.skip) throw e;
        skipped.push(`${subject.name} at ${n.toLocaleString('en')} entries: skipped, ${e.message}.`);
        console.log(`  skipped: ${e.message}`);
      }
    }
  }
  mounts.push(['/', PAGES]);
  const server = await startStaticServer(mounts);
  // Compress the big files now, not in the first trial.
  for (const { warm } of plan) {
    for (const u of warm) await (await fetch(`http://127.0.0.1:${server.port}${u}`, { headers: { 'Accept-Encoding': 'gzip' } })).arrayBuffer();
  }
  const chrome = await launchChromium();
  const results = [];
  let overhead = null;
  let check = null;
  const started = Date.now();
  try {
    console.log('checking the throttling…');
    check = await checkThrottling(chrome, server.port);
    console.log('  ', check);
    const widget10k = plan.find((p) => p.subject.key === 'widget-plain' && p.n === 10000) ?? plan.find((p) => p.subject.key === 'widget-plain');
    if (widget10k && process.env.BENCH_MOBILE_OVERHEAD !== '0') {
      console.log(`the Network domain's cost, widget at ${widget10k.n.toLocaleString('en')} unthrottled…`);
      overhead = { n: widget10k.n, ...(await networkOverhead(chrome, server.port, widget10k.url)) };
      console.log('  ', overhead);
    }
    for (const p of plan) {
      const runs = [];
      const failures = [];
      for (let i = 0; i < TRIALS; i++) {
        const load = await quiet();
        const t0 = Date.now();
        const before = server.sent();
        let r;
        try {
          r = await trial(chrome, server.port, p.subject, p.url);
        } catch (e) {
          failures.push(e.message.split('\n')[0].slice(0, 300));
          console.log(`${p.subject.name} ${p.n.toLocaleString('en')} #${i + 1} failed: ${e.message}`);
          // A subject that fails at once is not tried again at this size.
          if (!runs.length) break;
          continue;
        }
        r.serverBytes = server.sent() - before;
        r.load = load;
        runs.push(r);
        console.log(`${p.subject.name} ${p.n.toLocaleString('en')} #${i + 1} (${((Date.now() - t0) / 1000).toFixed(0)} s): first page ${ms(r.visible)}, ` +
          `${kb(r.bytesBefore)} before it, TBT ${ms(r.tbt)}; queries ${r.queries.map((x) => `${x.q} ${ms(x.ms)}/${kb(x.bytes)}`).join(', ')}; ` +
          `filter ${ms(r.filter)}; open ${r.open ? `${ms(r.open.ms)}/${kb(r.open.bytes)}` : '–'}; peak ${mb(r.memory.total)} ` +
          `(page heap ${mb(r.memory.pageHeap)}, page wasm ${mb(r.memory.pageWasm)}, workers' heaps ${mb(r.memory.workerHeap)}, workers' wasm ${mb(r.memory.workerWasm)}); ` +
          `bytes seen ${fmtInt(r.bytesAll)}, sent by the server ${fmtInt(r.serverBytes)}; workers: ${r.workers.join(', ') || 'none'}`);
      }
      results.push({ ...p, runs, failures });
    }
  } finally {
    await chrome.close();
    await server.close();
  }
  const minutes = (Date.now() - started) / 60000;
  // Kept before anything is made of them.
  writeFileSync(join(OUT, 'results.json'), JSON.stringify({ widget, check, overhead, results: results.map((r) => ({ subject: r.subject.key, n: r.n, runs: r.runs, failures: r.failures })) }, null, 1));

  // The table.
  const lines = methodText(overhead, check);
  lines.push(`Measured ${new Date().toISOString().slice(0, 10)} on this machine: ${os.cpus()[0].model.trim()}, ${os.cpus().length} cores, ` +
    `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; ${chromium} headless, driven over the DevTools protocol. ` +
    `Network: ${NETWORK.label} (\`${NETWORK_NAME}\`); CPU ${CPU_SLOWDOWN}x slower (the page only); ${VIEWPORT.width} × ${VIEWPORT.height} mobile viewport at DPR ${VIEWPORT.deviceScaleFactor}. ` +
    `${TRIALS} trials per subject and size, each in a new browser context (empty cache); medians. ` +
    `The widget: ${widget.from}; ${widget.wasm}. ` +
    `Catalogues generated by \`xxgk-catgen --seed ${SEED}\`; files served gzip-compressed by \`bench/mobile/server.mjs\` on loopback. The run took ${minutes.toFixed(0)} minutes.`);
  lines.push('');
  lines.push('| subject | entries | first page visible | bytes before first page | total blocking time to first page + 5 s | typing → first marked result (mean of 3 queries) | bytes per query: first / later ones (mean) | filter change | open an entry | peak memory | bytes in the whole visit |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  lines.push(`| *target* | | *≤ ${TARGETS.visible / 1000} s* | *≤ ${TARGETS.bytesBefore / 1000} KB* | | *≤ ${TARGETS.query / 1000} s each* | *≤ ${TARGETS.queryBytes / 1000} KB each* | *≤ ${TARGETS.filter} ms* | *≤ ${TARGETS.open} ms, ≤ ${TARGETS.openBytes / 1000} KB* | *≤ ${TARGETS.memory / 1e6} MB at ${TARGETS.memoryAt.toLocaleString('en')}* | |`);
  const summary = [];
  const failed = [];
  for (const r of results) {
    const R = r.runs;
    if (r.failures.length) {
      failed.push(`${r.subject.name} at ${r.n.toLocaleString('en')} entries: ${R.length ? `${r.failures.length} of ${TRIALS} trials failed` : 'the first trial failed, and no other was run'} (${[...new Set(r.failures)].join('; ')}).`);
    }
    if (!R.length) {
      lines.push(`| ${r.subject.name} | ${r.n.toLocaleString('en')} | failed | | | | | | | | |`);
      continue;
    }
    const visible = med(R.map((x) => x.visible));
    const before = med(R.map((x) => x.bytesBefore));
    const tbt = med(R.map((x) => x.tbt));
    const perQuery = QUERIES.map((q, i) => ({ q, ms: med(R.map((x) => x.queries[i].ms)), bytes: med(R.map((x) => x.queries[i].bytes)) }));
    const meanMs = perQuery.reduce((a, x) => a + x.ms, 0) / perQuery.length;
    const worstMs = Math.max(...perQuery.map((x) => x.ms));
    const firstBytes = perQuery[0].bytes;
    const laterBytes = perQuery.slice(1).reduce((a, x) => a + x.bytes, 0) / (perQuery.length - 1);
    const worstBytes = Math.max(...perQuery.map((x) => x.bytes));
    const filter = r.subject.filter ? med(R.map((x) => x.filter)) : undefined;
    const open = r.subject.open ? { ms: med(R.map((x) => x.open.ms)), bytes: med(R.map((x) => x.open.bytes)) } : null;
    const memory = med(R.map((x) => x.memory.total));
    const memoryParts = ['pageHeap', 'pageWasm', 'workerHeap', 'workerWasm'].map((k) => med(R.map((x) => x.memory[k])));
    const memoryCell = `${mb(memory)}${r.n === TARGETS.memoryAt ? ` · ${verdict(memory <= TARGETS.memory)}` : ''}`;
    lines.push(`| ${r.subject.name} | ${r.n.toLocaleString('en')} | ${ms(visible)} · ${verdict(visible <= TARGETS.visible)} | ` +
      `${kb(before)} · ${verdict(before <= TARGETS.bytesBefore)} | ${ms(tbt)} | ` +
      `${ms(meanMs)} (worst ${ms(worstMs)}) · ${verdict(worstMs <= TARGETS.query)} | ` +
      `${kb(firstBytes)} / ${kb(laterBytes)} · ${verdict(worstBytes <= TARGETS.queryBytes)} | ` +
      `${filter === undefined ? 'n/a' : `${ms(filter)} · ${verdict(filter <= TARGETS.filter)}`} | ` +
      `${open ? `${ms(open.ms)}, ${kb(open.bytes)} · ${verdict(open.ms <= TARGETS.open && open.bytes <= TARGETS.openBytes)}` : 'n/a'} | ${memoryCell} | ${kb(med(R.map((x) => x.bytesAll)))} |`);
    r.summary = { visible, perQuery, memoryParts };
    const module = R.every((x) => x.module > 0) && R.some((x) => x.module > x.visible + 1)
      ? `, the module's own view (\`xxgk:ready\`) ${R.map((x) => fmtInt(x.module)).join(', ')} ms` : '';
    summary.push(`${r.subject.name}, ${r.n.toLocaleString('en')}: first page ${R.map((x) => fmtInt(x.visible)).join(', ')} ms${module}; ` +
      `queries ${perQuery.map((x) => `${x.q} ${ms(x.ms)} / ${kb(x.bytes)}`).join(', ')}; ` +
      `peak memory = page heap ${mb(memoryParts[0])} + page wasm ${mb(memoryParts[1])} + workers' heaps ${mb(memoryParts[2])} + workers' wasm ${mb(memoryParts[3])} (medians)`);
  }
  lines.push('');
  for (const key of new Set(results.map((r) => r.subject.key))) {
    const rows = results.filter((r) => r.subject.key === key);
    const small = rows.find((r) => r.n === 1000 && r.summary);
    const big = rows.find((r) => r.n === 100000 && r.summary);
    if (small && big) {
      const growth = big.summary.visible / small.summary.visible - 1;
      lines.push(`${small.subject.name}: first page at 100,000 within ${TARGETS.visibleGrowth * 100}% of 1,000: ${verdict(growth <= TARGETS.visibleGrowth)} ` +
        `(${ms(big.summary.visible)} against ${ms(small.summary.visible)}, ${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(0)}%).`);
      lines.push('');
    }
  }
  for (const s of [...failed, ...skipped]) { lines.push(s); lines.push(''); }
  const loads = results.flatMap((r) => r.runs.map((x) => x.load));
  if (loads.length) {
    lines.push(`Other work on the machine: the 1-minute load average at the start of a trial (each waited up to 30 s for it to fall below ${os.cpus().length}) ` +
      `was ${med(loads).toFixed(1)} in the median, ${Math.max(...loads).toFixed(1)} at most.`);
    lines.push('');
  }
  lines.push('Every trial\'s first page, and each query\'s median time and bytes:');
  lines.push('');
  for (const s of summary) lines.push(`- ${s}.`);
  if (overhead) {
    lines.push('');
    lines.push(`What the Network domain costs (the widget at ${overhead.n.toLocaleString('en')} entries, no throttling, first page visible, median of 5 after one warm-up round): ` +
      `domain off ${ms(overhead.off)}, on with DevTools' default body buffers ${ms(overhead.defaults)}, on with no buffers (as measured here) ${ms(overhead['no buffers'])}.`);
  }
  const table = lines.join('\n');
  console.log(`\n${table}`);
  if (process.env.BENCH_MOBILE_WRITE !== '0') {
    writeSection(join(root, 'docs/benchmarks.md'), 'mobile', table,
      '## On a phone: the widget beside Pagefind\n\n<!-- bench:mobile:begin -->\n<!-- bench:mobile:end -->\n');
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
