// What the mobile benchmark serves, made once and kept under
// target/bench/mobile/ keyed by size and seed: the generated catalogues,
// and for Pagefind a static site of one page per catalogue entry with its
// search index.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import os from 'node:os';

/** The catalogue of `n` generated entries (xxgk-catgen --seed `seed`):
 * `dir`/cat/seed`seed`/catalogue-`n`.json, made once; its path. */
export function catalogue(root, dir, n, seed) {
  const folder = join(dir, 'cat', `seed${seed}`);
  const out = join(folder, `catalogue-${n}.json`);
  if (!existsSync(out)) {
    mkdirSync(folder, { recursive: true });
    execFileSync(join(root, 'target/native/xxgk-catgen'), ['--items', String(n), '--seed', String(seed), '--out', out]);
  }
  return out;
}

const esc = (s) => String(s ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const VALIDITY = { valid: '有效', expired: '失效', repealed: '废止' };
const DISCLOSURE = { proactive: '主动公开', on_request: '依申请公开' };

/** One entry as the static page a CMS would publish for it: title, the
 * standard metadata, summary and body, the indexed part marked with
 * data-pagefind-body. */
function entryPage(item, categoryName, siteName) {
  const rows = [
    ['索引号', item.id], ['发布机构', item.publisher], ['村（社区）', item.village], ['文号', item.doc_number],
    ['成文日期', item.written], ['发布日期', item.published], ['主题分类', item.topic],
    ['栏目', categoryName], ['体裁', item.genre], ['有效性', VALIDITY[item.validity] ?? item.validity],
    ['公开方式', DISCLOSURE[item.disclosure] ?? item.disclosure],
    ['关键词', Array.isArray(item.keywords) ? item.keywords.join('、') : item.keywords],
  ].filter(([, v]) => v);
  const body = String(item.body ?? '').split('\n').map((p) => `<p>${esc(p)}</p>`).join('\n');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(item.title)} - ${esc(siteName)}</title></head>
<body><main data-pagefind-body>
<h1>${esc(item.title)}</h1>
<table class="meta">${rows.map(([k, v]) => `<tr><th>${k}</th><td>${esc(v)}</td></tr>`).join('')}</table>
${item.summary ? `<p class="summary">${esc(item.summary)}</p>` : ''}
<div class="body">
${body}
</div>
</main></body></html>
`;
}

/** The search page: Pagefind's default UI, as its documentation shows. */
function searchPage(siteName) {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>信息公开目录搜索 - ${esc(siteName)}</title>
<link href="pagefind/pagefind-ui.css" rel="stylesheet">
<script src="pagefind/pagefind-ui.js"></script>
</head>
<body>
<h1>信息公开目录</h1>
<div id="search"></div>
<script>
  window.addEventListener('DOMContentLoaded', () => { new PagefindUI({ element: '#search' }); });
</script>
</body></html>
`;
}

/** What indexing took before, at each size with a complete site:
 * [{ n, seconds, peakRss }]. */
export function indexings(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && /^pagefind-\d+-seed\d+$/.test(d.name) && existsSync(join(dir, d.name, '.complete')))
    .map((d) => JSON.parse(readFileSync(join(dir, d.name, '.complete'), 'utf8')))
    .filter((x) => x.peakRss);
}

/** Runs the pagefind CLI (the platform binary its npm package installs)
 * on `site`, noting the indexer's peak resident memory from /proc. */
async function runPagefind(root, site) {
  const { resolveBinaryPath } = await import(pathToFileURL(join(root, 'node_modules/pagefind/lib/resolveBinary.js')).href);
  const binary = resolveBinaryPath(['pagefind_extended', 'pagefind']);
  const child = spawn(binary, ['--site', site, '--quiet'], { stdio: ['ignore', 'inherit', 'inherit'] });
  let peakRss = 0;
  const watch = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (m) peakRss = Math.max(peakRss, Number(m[1]) * 1024);
    } catch { /* gone */ }
  }, 200);
  const [code, signal] = await new Promise((done) => child.on('exit', (c, s) => done([c, s])));
  clearInterval(watch);
  if (code !== 0) throw new Error(`pagefind exited with ${signal ?? code} (peak memory seen ${(peakRss / 2 ** 30).toFixed(1)} GiB)`);
  return peakRss;
}

/** A static site of one page per entry of `catalogueFile` with Pagefind's
 * index and search page (`search.html`), in `dir`/pagefind-`n`-seed`seed`,
 * made once (a stamp file marks it complete and says what indexing took);
 * its path. Refuses, saying why, when indexing the smaller sites grew
 * the indexer's memory at a rate that would not fit in this machine. */
export async function pagefindSite(root, dir, n, seed, catalogueFile, log = console.log) {
  const site = join(dir, `pagefind-${n}-seed${seed}`);
  const stamp = join(site, '.complete');
  if (existsSync(stamp)) return site;
  const before = indexings(dir).filter((x) => x.n >= 1000).sort((a, b) => b.n - a.n)[0];
  if (before) {
    const need = (before.peakRss / before.n) * n;
    if (need > os.totalmem() * 0.9) {
      const e = new Error(`not indexed here: the pagefind CLI's memory grows with the pages (peak ${(before.peakRss / 2 ** 30).toFixed(1)} GiB ` +
        `for ${before.n.toLocaleString('en')} pages in ${before.seconds.toFixed(0)} s), so ${n.toLocaleString('en')} would need about ${(need / 2 ** 30).toFixed(0)} GiB, ` +
        `more than this machine's ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`);
      e.skip = true;
      throw e;
    }
  }
  rmSync(site, { recursive: true, force: true });
  const building = `${site}.partial`;
  rmSync(building, { recursive: true, force: true });
  const started = Date.now();
  const cat = JSON.parse(readFileSync(catalogueFile, 'utf8'));
  const names = new Map();
  const walk = (list) => { for (const c of list ?? []) { names.set(c.id, c.name); walk(c.children); } };
  walk(cat.categories);
  const siteName = cat.site?.name ?? '';
  // 1,000 pages to a folder, as a CMS's date folders would spread them.
  for (let i = 0; i < cat.items.length; i++) {
    const folder = join(building, 'e', String(Math.floor(i / 1000)));
    if (i % 1000 === 0) mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `${i}.html`), entryPage(cat.items[i], names.get(cat.items[i].category), siteName));
  }
  writeFileSync(join(building, 'search.html'), searchPage(siteName));
  const pages = Date.now();
  log(`  pagefind ${n}: wrote ${cat.items.length} pages in ${((pages - started) / 1000).toFixed(1)} s; indexing…`);
  let peakRss;
  try {
    peakRss = await runPagefind(root, building);
  } catch (e) {
    e.skip = true;
    throw e;
  }
  const seconds = (Date.now() - pages) / 1000;
  log(`  pagefind ${n}: indexed in ${seconds.toFixed(1)} s, peak memory ${(peakRss / 2 ** 30).toFixed(1)} GiB`);
  writeFileSync(join(building, '.complete'), JSON.stringify({ n, seed, built: new Date().toISOString(), seconds, peakRss }));
  renameSync(building, site);
  return site;
}
