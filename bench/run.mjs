// `make bench`: the widget's payload, its load time at 1k and 10k entries,
// main-thread long tasks while loading, wasm memory growth, the modules
// fetched later and the first opening of the feedback form, measured in
// Debian's headless Chromium on this machine. Writes the figures between
// the markers in docs/benchmarks.md and prints them.
//
// Chromium is driven over the DevTools protocol directly, with nothing but
// `Runtime.evaluate`: a test driver such as Playwright turns on the Network
// domain, and DevTools then keeps and decodes every response body, which
// costs a 19 MB catalogue about 100 ms of main-thread time that no visitor's
// browser spends. (Needs `node --experimental-websocket` on Node 20.)
import { spawn, execFileSync } from 'node:child_process';
import { writeFileSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { brotliCompressSync, constants as zlib } from 'node:zlib';
import { generatedCatalogue, quantile, median, launchChromium, writeSection } from './lib.mjs';
import { measurePayload } from '../tests/payload.mjs';

/** bench/mobile's probe, waiting for nothing. */
const PROBE = readFileSync(new URL('./mobile/probe.js', import.meta.url), 'utf8')
  .replace(/\}\)\(READY\);\s*$/, '})({});\n');

const root = fileURLToPath(new URL('..', import.meta.url));
const site = join(root, 'target/bench/site');
const PORT = 8092;
const SIZES = [1000, 10000];
const TRIALS = Number(process.env.BENCH_TRIALS ?? 15);
const TARGETS = { payload: 100_000, visible: { 1000: 300, 10000: 600 }, longTask: 50 };

function generateCatalogues() {
  for (const n of SIZES) {
    generatedCatalogue(root, site, n);
    writeFileSync(join(site, 'bench', `page-${n}.html`), `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>bench ${n}</title>
<script>
  window.__bench = { longTasks: [] };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__bench.longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  // The ready event fires in the frame that first shows entries; a task
  // queued from that frame runs once it has been painted.
  document.addEventListener('xxgk:ready', () => {
    window.__bench.frame = performance.now();
    requestAnimationFrame(() => setTimeout(() => { window.__bench.painted = performance.now(); }, 0));
  }, true);
</script></head>
<body><div style="width: 900px">
<script>performance.mark('script-tag'); window.__bench.start = performance.now();</script>
<script src="/xxgk/xxgk.js" data-catalogue="/bench/catalogue-${n}.json"></script>
</div>
<script>window.xxgk.ready.then(() => { window.__bench.moduleMemory = __probe.wasm(); });</script>
</body></html>
`);
  }
  // The feedback form opened in a widget showing 1k entries.
  writeFileSync(join(site, 'bench', 'panel.html'), `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>bench panel</title></head>
<body><div style="width: 900px">
<script src="/xxgk/xxgk.js" data-catalogue="/bench/catalogue-1000.json" data-feedback="/"></script>
</div>
<script>
  document.addEventListener('xxgk:ready', () => { window.__ready = true; }, true);
  // From the change of hash that opens the form to the frame that shows it
  // painted: the module's download and compile and the form's first render.
  window.__openForm = () => new Promise((done) => {
    const host = document.querySelector('[data-xxgk]');
    const start = performance.now();
    location.hash = 'xxgk.f=write&xxgk.p=1';
    (function poll() {
      if (host.shadowRoot.querySelector('.xxgk-form__heading')) {
        requestAnimationFrame(() => setTimeout(() => done(performance.now() - start), 0));
      } else requestAnimationFrame(poll);
    })();
  });
</script>
</body></html>
`);
}

/** The modules fetched after the first page: their sizes. */
const LATER = [
  ['search engine, once the first page is painted', ['dist/xxgk/xxgk-search.js', 'dist/xxgk/xxgk-search_bg.wasm']],
  ['feedback panels, when one is first opened', ['dist/xxgk/xxgk-form.js', 'dist/xxgk/xxgk-form_bg.wasm']],
];

async function openForm(chrome) {
  const { send } = chrome;
  const { browserContextId } = await send('Target.createBrowserContext');
  const { targetId } = await send('Target.createTarget', { url: 'about:blank', browserContextId });
  const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
  await send('Page.navigate', { url: `http://127.0.0.1:${PORT}/bench/panel.html` }, sessionId);
  let ready = false;
  for (const deadline = Date.now() + 60_000; !ready && Date.now() < deadline;) {
    await new Promise((r) => setTimeout(r, 50));
    ready = (await send('Runtime.evaluate', { expression: 'window.__ready === true', returnByValue: true }, sessionId)).result.value;
  }
  if (!ready) throw new Error('the widget did not show within a minute');
  const { result } = await send('Runtime.evaluate', { expression: 'window.__openForm()', awaitPromise: true, returnByValue: true }, sessionId);
  await send('Target.closeTarget', { targetId });
  await send('Target.disposeBrowserContext', { browserContextId });
  if (typeof result.value !== 'number') throw new Error('the form did not open');
  return result.value;
}

function startServer() {
  const server = spawn(join(root, 'target/native/xxgk-server'),
    ['serve', '--static', join(root, 'dist'), '--static', site, '--listen', `127.0.0.1:${PORT}`],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    server.stdout.on('data', (d) => { if (String(d).includes('serving')) resolve(server); });
    server.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

async function trial(chrome, n) {
  const { send } = chrome;
  // A fresh browser context each time: empty cache, new module compile.
  const { browserContextId } = await send('Target.createBrowserContext');
  const { targetId } = await send('Target.createTarget', { url: 'about:blank', browserContextId });
  const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
  // The WebAssembly memories the page makes, noted by the mobile
  // benchmark's probe as modules are instantiated.
  await send('Page.enable', {}, sessionId);
  await send('Page.addScriptToEvaluateOnNewDocument', { source: PROBE }, sessionId);
  await send('Page.navigate', { url: `http://127.0.0.1:${PORT}/bench/page-${n}.html` }, sessionId);
  const expression = `window.__bench && window.__bench.painted !== undefined ? JSON.stringify({
    ...window.__bench,
    memory: __probe.wasm(),
    rows: document.querySelector('[data-xxgk]').shadowRoot.querySelectorAll('.xxgk-list__item').length,
  }) : null`;
  let b = null;
  for (const deadline = Date.now() + 60_000; !b && Date.now() < deadline;) {
    await new Promise((r) => setTimeout(r, 50));
    const { result } = await send('Runtime.evaluate', { expression, returnByValue: true }, sessionId);
    b = result.value ? JSON.parse(result.value) : null;
  }
  await send('Target.closeTarget', { targetId });
  await send('Target.disposeBrowserContext', { browserContextId });
  if (!b) throw new Error(`the widget did not show ${n} entries within a minute`);
  if (b.rows === 0) throw new Error(`no entries shown at ${n}`);
  const during = b.longTasks.filter((t) => t.start < b.painted);
  return {
    visible: b.painted - b.start,
    frame: b.frame - b.start,
    longest: Math.max(0, ...during.map((t) => t.duration)),
    longTasks: during.length,
    growth: b.memory - b.moduleMemory,
  };
}

async function main() {
  generateCatalogues();
  const payload = measurePayload();
  const server = await startServer();
  const chrome = await launchChromium();
  const results = {};
  const opened = [];
  try {
    for (const n of SIZES) {
      await trial(chrome, n); // warm the machine, not measured
      const runs = [];
      for (let i = 0; i < TRIALS; i++) runs.push(await trial(chrome, n));
      results[n] = runs;
    }
    await openForm(chrome);
    for (let i = 0; i < TRIALS; i++) opened.push(await openForm(chrome));
  } finally {
    server.kill();
    await chrome.close();
  }

  const kb = (b) => `${(b / 1000).toFixed(1)} KB`;
  const mib = (b) => `${(b / 1048576).toFixed(1)} MiB`;
  const ms = (x) => `${x.toFixed(0)} ms`;
  const ok = (good) => (good ? 'met' : '**not met**');
  const fileSize = (n) => (existsSync(join(site, 'bench', `catalogue-${n}.json`))
    ? readFileSync(join(site, 'bench', `catalogue-${n}.json`)).length : 0);
  const lines = [];
  lines.push(`Measured ${new Date().toISOString().slice(0, 10)} on this machine: ${os.cpus()[0].model.trim()}, ${os.cpus().length} cores, ` +
    `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; ${execFileSync('/usr/bin/chromium', ['--version']).toString().trim()} headless; ` +
    `${TRIALS} trials per size after one warm-up, each in a fresh browser context (empty cache), files served by xxgk-server on loopback.`);
  lines.push('');
  lines.push('### Payload');
  lines.push('');
  lines.push('| file | raw | brotli (q11) |');
  lines.push('|---|---:|---:|');
  for (const f of payload.files) lines.push(`| \`${f.file}\` | ${kb(f.raw)} | ${kb(f.brotli)} |`);
  if (payload.stylesheet) lines.push(`| stylesheet (inside the wasm, counted above) | ${kb(payload.stylesheet.raw)} | ${kb(payload.stylesheet.brotli)} alone |`);
  lines.push(`| **total** | ${kb(payload.total.raw)} | **${kb(payload.total.brotli)}** |`);
  lines.push('');
  lines.push(`Target ≤ ${kb(TARGETS.payload)} brotli: ${ok(payload.total.brotli <= TARGETS.payload)} (budget in \`docs/payload-budget.json\`: ${payload.budget} bytes, enforced by \`make test\`).`);
  lines.push('');
  lines.push('### Load');
  lines.push('');
  lines.push('| entries | catalogue file | first page visible, median | p90 | worst | target (on the median) | long tasks (> 50 ms) while loading, median count / longest | wasm memory growth, median |');
  lines.push('|---:|---:|---:|---:|---:|---|---|---:|');
  for (const n of SIZES) {
    const r = results[n];
    const visible = r.map((x) => x.visible);
    const target = TARGETS.visible[n];
    lines.push(`| ${n.toLocaleString('en')} | ${(fileSize(n) / 1e6).toFixed(1)} MB | ${ms(median(visible))} | ${ms(quantile(visible, 0.9))} | ${ms(Math.max(...visible))} | ≤ ${target} ms: ${ok(median(visible) <= target)} | ${median(r.map((x) => x.longTasks))} / ${ms(Math.max(...r.map((x) => x.longest)))} | ${mib(median(r.map((x) => x.growth)))} |`);
  }
  const longest1k = results[1000].map((x) => x.longest);
  const withLong = longest1k.filter((x) => x > TARGETS.longTask);
  lines.push('');
  lines.push(`No main-thread task over 50 ms while loading 1k entries: ${ok(withLong.length === 0)} ` +
    `(${withLong.length} of ${TRIALS} trials had one; the longest was ${ms(Math.max(...longest1k))}).`);
  lines.push('');
  lines.push('Every trial, first page visible (ms): ' +
    SIZES.map((n) => `${n.toLocaleString('en')}: ${results[n].map((x) => x.visible.toFixed(0)).join(', ')}`).join('; ') + '.');
  lines.push('');
  lines.push('### Fetched later');
  lines.push('');
  lines.push('| module | when | raw | brotli (q11) |');
  lines.push('|---|---|---:|---:|');
  for (const [when, files] of LATER) {
    const sizes = files.map((f) => {
      const bytes = readFileSync(join(root, f));
      return { raw: bytes.length, brotli: brotliCompressSync(bytes, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }).length };
    });
    lines.push(`| ${files.map((f) => `\`${f.replace('dist/xxgk/', '')}\``).join(' + ')} | ${when} | ` +
      `${kb(sizes.reduce((a, x) => a + x.raw, 0))} | ${kb(sizes.reduce((a, x) => a + x.brotli, 0))} |`);
  }
  lines.push('');
  lines.push(`First opening of the feedback form in a widget showing 1,000 entries, from the change of hash to the form painted ` +
    `(the module fetched over loopback, compiled and rendered; ${TRIALS} trials, each in a fresh browser context): ` +
    `median ${ms(median(opened))}, p90 ${ms(quantile(opened, 0.9))}, worst ${ms(Math.max(...opened))}.`);
  const table = lines.join('\n');
  console.log(table);

  writeSection(join(root, 'docs/benchmarks.md'), 'widget', table);
}

main().catch((e) => { console.error(e); process.exit(1); });
