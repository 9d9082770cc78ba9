// Search benchmark page (driven by bench/search/run.mjs, usable by hand).
//
// One page builds ONE engine over one catalogue, so that each engine's build
// time and memory are measured in a page of its own:
//
//   page.html?engine=ours|minisearch|flexsearch|scan&catalogue=/bench/catalogue-10000.json
//            [&runs=15&warmup=2&queries=queries.json]
//   page.html?engine=truth&truth=ours|standin&catalogue=…   (the ground truth)
//
// or call `searchBench.run({ engine, catalogue, … })` from the console. The
// figures end up on `window.__result` (`status` is 'running', 'done' or
// 'error'; `phase` says how far it got).
//
// Libraries are plain <script> builds served from the npm folder that
// run.mjs layers under the site root (`/minisearch/…`, `/flexsearch/…`);
// ours is the wasm-bindgen "no-modules" build in dist/xxgk.
'use strict';

/** The fields every engine indexes, the same for all three. */
const FIELDS = ['title', 'doc_number', 'id', 'publisher', 'keywords', 'summary', 'body'];
const OURS_JS = '/xxgk/xxgk-search.js';
const OURS_WASM = '/xxgk/xxgk-search_bg.wasm';

/** One field of an item as text (`keywords` may be an array or one text). */
function fieldText(item, field) {
  const v = item[field];
  if (v === undefined || v === null) return '';
  return Array.isArray(v) ? v.join(' ') : String(v);
}

/** Catalogue bytes → documents `{ pos, title, … }`, `pos` being the item's
 * position in `items` (what our engine returns, so ids agree everywhere). */
function documents(bytes) {
  const { items } = JSON.parse(new TextDecoder().decode(bytes));
  return items.map((item, pos) => {
    const doc = { pos };
    for (const f of FIELDS) doc[f] = fieldText(item, f);
    return doc;
  });
}

const loadScript = (src) => new Promise((resolve, reject) => {
  const s = document.createElement('script');
  s.src = src;
  s.onload = resolve;
  s.onerror = () => reject(new Error(`cannot load ${src}`));
  document.head.append(s);
});

/** Yields to the event loop (no timer clamping), so the driver's polls get in. */
const pause = () => new Promise((resolve) => {
  const c = new MessageChannel();
  c.port1.onmessage = () => resolve();
  c.port2.postMessage(0);
});

/** Positions as a bitset (bit p set when position p is a hit), in base64:
 * a fixed ~12 KB per query at 100k items however many hits there are, so
 * the results cross the DevTools socket quickly. */
function bitset(positions) {
  let max = -1;
  for (const p of positions) if (p > max) max = p;
  const bytes = new Uint8Array((max + 8) >> 3);
  for (const p of positions) bytes[p >> 3] |= 1 << (p & 7);
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

const heap = () => (performance.memory ? performance.memory.usedJSHeapSize : NaN);
/** Full collection; needs Chromium started with --js-flags=--expose-gc. */
function collect() {
  if (typeof gc !== 'function') throw new Error('gc() is missing: start Chromium with --js-flags=--expose-gc');
  gc();
  gc();
}

/** Positions of the `texts` that contain every space-separated term of `q`
 * (none for a query without terms), ascending. */
function substringScan(texts, q) {
  const terms = q.split(/\s+/).filter(Boolean);
  const out = [];
  if (terms.length === 0) return out;
  for (let i = 0; i < texts.length; i++) if (terms.every((t) => texts[i].includes(t))) out.push(i);
  return out;
}

/**
 * The engines. Each loader returns `{ build(bytes) }`; `build` turns the
 * catalogue file's bytes into something searchable (it is what is timed as
 * "build") and returns `{ search(q) → positions, … }`.
 */
const ENGINES = {
  async minisearch() {
    await loadScript('/minisearch/dist/umd/index.js');
    return {
      build(bytes) {
        const t0 = performance.now();
        const docs = documents(bytes);
        const t1 = performance.now();
        // MiniSearch's default tokenizer splits on spaces and punctuation only,
        // so a run of Chinese would be one term; its README says to pass a
        // custom `tokenize` for such text. Intl.Segmenter is the browser's own
        // (ICU, dictionary-based) Chinese word breaker, used for indexing and,
        // by default, for queries too.
        const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
        const tokenize = (text) => {
          const out = [];
          for (const s of segmenter.segment(text)) if (s.isWordLike) out.push(s.segment);
          return out;
        };
        const index = new MiniSearch({
          idField: 'pos',
          fields: FIELDS,
          storeFields: [],
          tokenize,
          searchOptions: { prefix: true, combineWith: 'AND' },
        });
        index.addAll(docs);
        const t2 = performance.now();
        return { index, items: docs.length, parseMs: t1 - t0, indexMs: t2 - t1 };
      },
      search: ({ index }, q) => index.search(q).map((r) => r.id),
    };
  },

  async flexsearch() {
    await loadScript('/flexsearch/dist/flexsearch.bundle.min.js');
    return {
      build(bytes) {
        const t0 = performance.now();
        const docs = documents(bytes);
        const t1 = performance.now();
        // FlexSearch 0.8's encoder preset for Chinese, Japanese and Korean is
        // Charset.CJK, which is `{ split: "" }`: every character is a term.
        // With one-character terms the tokenizer ("strict", "forward",
        // "full") makes no difference, so the default "strict" is kept.
        const index = new FlexSearch.Document({
          tokenize: 'strict',
          encoder: FlexSearch.Charset.CJK,
          document: { id: 'pos', index: FIELDS },
        });
        for (const d of docs) index.add(d);
        const t2 = performance.now();
        return { index, items: docs.length, parseMs: t1 - t0, indexMs: t2 - t1 };
      },
      // Results come per field; `merge` gives one entry per document.
      search: ({ index, items }, q) => index.search(q, { limit: items, merge: true }).map((r) => r.id),
    };
  },

  // The baseline an index must beat: every item's fields joined into one
  // string, and each query's space-separated terms looked for with
  // String.prototype.includes. No folding and no pinyin, so it misses
  // what differs only in script, width or case.
  async scan() {
    return {
      build(bytes) {
        const t0 = performance.now();
        const docs = documents(bytes);
        const t1 = performance.now();
        const texts = docs.map((d) => FIELDS.map((f) => d[f]).join('\n'));
        const t2 = performance.now();
        return { texts, items: docs.length, parseMs: t1 - t0, indexMs: t2 - t1 };
      },
      search: ({ texts }, q) => substringScan(texts, q),
    };
  },

  async ours() {
    await loadScript(OURS_JS);
    // A "no-modules" build declares `wasm_bindgen` as a global binding.
    // eslint-disable-next-line no-undef
    const wasm = await wasm_bindgen({ module_or_path: OURS_WASM });
    return {
      wasmMemory: () => (wasm && wasm.memory ? wasm.memory.buffer.byteLength : NaN),
      build(bytes) {
        const t0 = performance.now();
        // eslint-disable-next-line no-undef
        const engine = new wasm_bindgen.SearchEngine(bytes);
        const t1 = performance.now();
        engine.build();
        const t2 = performance.now();
        return { engine, items: engine.entries(), parseMs: t1 - t0, indexMs: t2 - t1 };
      },
      search: ({ engine }, q) => engine.search(q),
      figures: ({ engine }) => ({ indexBytes: engine.index_bytes(), memoryBytes: engine.memory_bytes() }),
    };
  },
};

/**
 * THE GROUND TRUTH, in one place: `kind` 'ours' is our engine's brute-force
 * `scan` (folded text contains every term, or the title's pinyin matches);
 * 'standin' is a plain-JS stand-in for when our module is not built yet:
 * items whose fields, joined by line breaks, contain every space-separated
 * term of the query exactly (no simplified/traditional, width or case
 * folding, no pinyin). Returns `q → positions, ascending`.
 */
async function truthSource(kind, bytes) {
  if (kind === 'ours') {
    const ours = await ENGINES.ours();
    const { engine } = ours.build(bytes);
    return { kind, label: 'our engine\'s scan() (brute force over folded text and title pinyin)', scan: (q) => Array.from(engine.scan(q)) };
  }
  if (kind === 'standin') {
    const { texts } = (await ENGINES.scan()).build(bytes);
    return {
      kind,
      label: 'STAND-IN: exact substring scan in JS, every space-separated term in the joined fields, no folding, no pinyin',
      scan: (q) => substringScan(texts, q),
    };
  }
  throw new Error(`unknown truth source ${kind}`);
}

function show(text) {
  const el = document.getElementById('status');
  if (el) el.textContent = text;
}

async function run({ engine, catalogue, runs = 15, warmup = 2, queries = 'queries.json', truth = 'standin' }) {
  const r = { status: 'running', phase: 'fetch', engine, catalogue, runs, warmup, userAgent: navigator.userAgent };
  window.__result = r;
  try {
    show(`${engine}: fetching ${catalogue}`);
    const list = await (await fetch(queries)).json();
    const response = await fetch(catalogue);
    if (!response.ok) throw new Error(`${catalogue}: HTTP ${response.status}`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    r.catalogueBytes = bytes.length;
    r.heapLimit = performance.memory ? performance.memory.jsHeapSizeLimit : NaN;

    if (engine === 'truth') {
      r.phase = 'truth';
      const source = await truthSource(truth, bytes);
      r.truth = { kind: source.kind, label: source.label };
      r.results = list.map(({ q }) => bitset(source.scan(q)));
      r.status = 'done';
      show(`truth (${truth}): done`);
      return r;
    }

    r.phase = 'load';
    const lib = await ENGINES[engine]();
    r.phase = 'build';
    show(`${engine}: building`);
    await pause();
    collect();
    const heap0 = heap();
    const wasm0 = lib.wasmMemory ? lib.wasmMemory() : NaN;
    const t0 = performance.now();
    const built = lib.build(bytes);
    r.buildMs = performance.now() - t0;
    r.parseMs = built.parseMs;
    r.indexMs = built.indexMs;
    r.heapBeforeGc = heap() - heap0; // garbage included: a hint of the peak
    collect();
    r.heapDelta = heap() - heap0;
    if (lib.wasmMemory) r.wasmGrowth = lib.wasmMemory() - wasm0;
    if (lib.figures) Object.assign(r, lib.figures(built));

    r.phase = 'queries';
    show(`${engine}: ${list.length} queries × (${warmup} + ${runs}) rounds`);
    const hits = new Array(list.length);
    const coldMs = new Array(list.length);
    const ms = list.map(() => []);
    // Rounds over the whole list (not one query many times in a row); the
    // first `warmup` rounds are not timed in `ms`, the very first is kept as
    // `coldMs`, and its result is the one checked for recall.
    for (let round = 0; round < warmup + runs; round++) {
      for (let i = 0; i < list.length; i++) {
        const start = performance.now();
        const found = lib.search(built, list[i].q);
        const elapsed = performance.now() - start;
        if (round === 0) {
          coldMs[i] = elapsed;
          hits[i] = found;
        } else if (round >= warmup) {
          ms[i].push(elapsed);
        }
        await pause();
      }
    }
    // `count` is what the engine returned, `hits` the distinct positions.
    r.queries = list.map(({ q, class: cls }, i) => ({ q, class: cls, coldMs: coldMs[i], ms: ms[i], count: hits[i].length, hits: bitset(hits[i]) }));
    r.phase = 'done';
    r.status = 'done';
    show(`${engine}: done, build ${r.buildMs.toFixed(0)} ms`);
  } catch (e) {
    r.status = 'error';
    r.message = String((e && e.stack) || e);
    show(`${engine}: ${r.message}`);
  }
  return r;
}

window.searchBench = { run, truthSource, ENGINES, FIELDS };

{
  const p = new URLSearchParams(location.search);
  if (p.get('engine')) {
    run({
      engine: p.get('engine'),
      catalogue: p.get('catalogue'),
      runs: Number(p.get('runs') ?? 15),
      warmup: Number(p.get('warmup') ?? 2),
      queries: p.get('queries') ?? 'queries.json',
      truth: p.get('truth') ?? 'standin',
    });
  } else {
    show('searchBench.run({ engine, catalogue }) or page.html?engine=…&catalogue=…');
  }
}
