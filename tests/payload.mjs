// The widget's download size: each file raw and brotli-compressed (quality
// 11), against the budget in docs/payload-budget.json.
//   node tests/payload.mjs          prints the table
//   node tests/payload.mjs --check  also fails when over budget
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

const brotli = (bytes) =>
  brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;

/** The minified stylesheet the widget was built with (it sits inside the wasm). */
function builtStylesheet() {
  const builds = join(root, 'target/wasm32-unknown-unknown/release/build');
  if (!existsSync(builds)) return null;
  const candidates = readdirSync(builds)
    .filter((d) => d.startsWith('xxgk-'))
    .map((d) => join(builds, d, 'out/xxgk.min.css'))
    .filter((f) => existsSync(f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return candidates[0] ?? null;
}

export function measurePayload() {
  const budget = JSON.parse(readFileSync(join(root, 'docs/payload-budget.json'), 'utf8'));
  const files = budget.files.map((file) => {
    const path = join(root, file);
    if (!existsSync(path)) {
      throw new Error(`${file} is missing: build the widget first (make build)`);
    }
    const bytes = readFileSync(path);
    return { file, raw: bytes.length, brotli: brotli(bytes) };
  });
  const css = builtStylesheet();
  const stylesheet = css && (() => {
    const bytes = readFileSync(css);
    return { raw: bytes.length, brotli: brotli(bytes) };
  })();
  const total = {
    raw: files.reduce((s, f) => s + f.raw, 0),
    brotli: files.reduce((s, f) => s + f.brotli, 0),
  };
  return { files, stylesheet, total, budget: budget.brotli_bytes };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const m = measurePayload();
  for (const f of m.files) console.log(`${f.file.padEnd(28)} ${String(f.raw).padStart(8)} raw ${String(f.brotli).padStart(8)} brotli`);
  if (m.stylesheet) console.log(`  (stylesheet inside the wasm: ${m.stylesheet.raw} raw, ${m.stylesheet.brotli} brotli on its own)`);
  console.log(`${'total'.padEnd(28)} ${String(m.total.raw).padStart(8)} raw ${String(m.total.brotli).padStart(8)} brotli; budget ${m.budget}`);
  if (process.argv.includes('--check') && m.total.brotli > m.budget) {
    console.error(`payload over budget: ${m.total.brotli} bytes brotli > ${m.budget} (docs/payload-budget.json). ` +
      'Find what grew with twiggy or by removing pieces; do not raise the budget to fit.');
    process.exit(1);
  }
}
